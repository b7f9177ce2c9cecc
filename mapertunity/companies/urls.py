from django.urls import path

from . import views

app_name = "companies"
urlpatterns = [
    path("start/", views.start, name="start"),
    path("company/new/", views.company_create, name="create"),
    path("company/edit/", views.company_edit, name="edit"),
]
