from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "mapertunity.applications"
    label = "applications"
    verbose_name = "Applications and messages"
