from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "mapertunity.followup"
    label = "followup"
    verbose_name = "Interview follow-up"
