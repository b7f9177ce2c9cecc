from django.urls import path

from .feeds import LatestJobsFeed
from .views import public

app_name = "jobs"
urlpatterns = [
    path("", public.job_list, name="list"),
    path("feed/", LatestJobsFeed(), name="feed"),
    path("<int:job_id>/", public.job_detail, name="detail_short"),
    path("<int:job_id>/<slug:slug>/", public.job_detail, name="detail"),
]
