from django.urls import path
from django.views.generic import TemplateView

from .views import candidate, conversations, employer

app_name = "applications"
urlpatterns = [
    path("jobs/<int:job_id>/apply/", candidate.apply, name="apply"),
    path("apply/join/", candidate.join, name="join"),
    path("applications/", candidate.mine, name="mine"),
    path("applications/<uuid:application_id>/", candidate.detail, name="detail"),
    path("applications/<uuid:application_id>/withdraw/", candidate.withdraw, name="withdraw"),
    path("employers/jobs/<int:job_id>/applicants/", employer.pipeline, name="pipeline"),
    path("employers/jobs/<int:job_id>/questions/", employer.questions, name="questions"),
    path("employers/applicants/<uuid:application_id>/", employer.detail, name="employer_detail"),
    path("employers/applicants/<uuid:application_id>/move/", employer.move, name="move"),
    path("employers/applicants/<uuid:application_id>/notes/", employer.add_note, name="add_note"),
    path("employers/applicants/<uuid:application_id>/resume/", employer.resume, name="resume"),
    path(
        "employers/responsiveness/",
        TemplateView.as_view(template_name="applications/responsiveness_help.html"),
        name="responsiveness_help",
    ),
    path("messages/", conversations.inbox, name="inbox"),
    path("messages/<uuid:conversation_id>/", conversations.conversation, name="conversation"),
    path(
        "messages/<uuid:conversation_id>/invitation/",
        conversations.answer_invitation,
        name="answer_invitation",
    ),
    path("messages/<uuid:conversation_id>/block/", conversations.block, name="block"),
    path("messages/<uuid:conversation_id>/report/", conversations.report, name="report"),
    path("messages/new/<str:handle>/", conversations.invite, name="invite"),
]
