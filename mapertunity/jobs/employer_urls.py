from django.urls import path

from .views import employer

app_name = "employers"
urlpatterns = [
    path("", employer.dashboard, name="dashboard"),
    path("jobs/new/", employer.job_create, name="job_create"),
    path("jobs/<int:job_id>/edit/", employer.job_edit, name="job_edit"),
    path("jobs/<int:job_id>/publish/", employer.job_publish, name="job_publish"),
    path("jobs/<int:job_id>/close/", employer.job_close, name="job_close"),
]
