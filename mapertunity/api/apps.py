from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mapertunity.api"
    label = "api"
    verbose_name = "API"
