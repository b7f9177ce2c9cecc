from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mapertunity.core"
    label = "core"
