from django.urls import path

from .views import calendar, interviews, network, steps

app_name = "followup"
urlpatterns = [
    path("", interviews.today, name="today"),
    path("interviews/new/", interviews.record, name="record"),
    path(
        "interviews/new/<uuid:application_id>/",
        interviews.record_for_application,
        name="record_for_application",
    ),
    path("interviews/<uuid:interview_id>/", interviews.interview, name="interview"),
    path("interviews/<uuid:interview_id>/edit/", interviews.edit, name="edit"),
    path("interviews/<uuid:interview_id>/notes/", interviews.notes, name="notes"),
    path("interviews/<uuid:interview_id>/replied/", interviews.replied, name="replied"),
    path("interviews/<uuid:interview_id>/delete/", interviews.delete, name="delete"),
    path("interviews/<uuid:interview_id>/interview.ics", interviews.download, name="download"),
    path("steps/<uuid:step_id>/", steps.step, name="step"),
    path("drafts/<uuid:draft_id>/", steps.draft, name="draft"),
    path("people/", network.contacts, name="contacts"),
    path("people/<uuid:contact_id>/", network.contact, name="contact"),
    path("people/<uuid:contact_id>/checked-in/", network.checked_in, name="checked_in"),
    path("people/<uuid:contact_id>/delete/", network.delete_contact, name="delete_contact"),
    path("reminders/", calendar.reminders, name="reminders"),
    path("reminders/new-calendar-address/", calendar.rotate_feed, name="rotate_feed"),
    path("calendar/<str:token>.ics", calendar.feed, name="feed"),
]
