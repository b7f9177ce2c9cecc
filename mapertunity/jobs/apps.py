from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "mapertunity.jobs"
    label = "jobs"
