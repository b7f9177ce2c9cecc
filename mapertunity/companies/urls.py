from django.urls import path

from . import views

app_name = "companies"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("company/new/", views.company_create, name="create"),
    path("company/edit/", views.company_edit, name="edit"),
    path("company/verify/", views.verify_domain, name="verify_domain"),
    path("company/verify/<str:token>/", views.verify_domain_confirm, name="verify_domain_confirm"),
]
