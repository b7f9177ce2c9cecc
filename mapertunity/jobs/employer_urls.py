from django.urls import path

from .views import employer

app_name = "employers"
urlpatterns = [
    path("", employer.dashboard, name="dashboard"),
    path("jobs/new/", employer.job_create, name="job_create"),
    path("jobs/<int:job_id>/edit/", employer.job_edit, name="job_edit"),
    path("jobs/<int:job_id>/publish/", employer.job_publish, name="job_publish"),
    path("jobs/<int:job_id>/close/", employer.job_close, name="job_close"),
    path("jobs/<int:job_id>/delete/", employer.job_delete, name="job_delete"),
    path("jobs/<int:job_id>/renew/", employer.job_renew, name="job_renew"),
    path("jobs/<int:job_id>/still-open/", employer.job_still_open, name="job_still_open"),
    path("renew/<str:token>/", employer.job_renew_link, name="job_renew_link"),
]
