from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "mapertunity.moderation"
    verbose_name = "Moderation"
