from django.urls import path

from . import views
from .feeds import AlertFeed

app_name = "alerts"
urlpatterns = [
    path("alerts/", views.alert_list, name="list"),
    path("alerts/new/", views.create, name="create"),
    path("alerts/feed/<str:token>/", AlertFeed(), name="feed"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/<uuid:alert_id>/", views.edit, name="edit"),
    path("alerts/<uuid:alert_id>/pause/", views.pause, name="pause"),
    path("alerts/<uuid:alert_id>/delete/", views.delete, name="delete"),
    path("alerts/<uuid:alert_id>/feed/new/", views.rotate_feed, name="rotate_feed"),
    path("alerts/<uuid:alert_id>/feed/off/", views.revoke_feed, name="revoke_feed"),
    path("saved/", views.saved_jobs, name="saved"),
    path("saved/<int:job_id>/", views.save_job, name="save_job"),
]
