from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (``manage.py seed_demo``): the one place that knows every app."""

    name = "mapertunity.demo"
    label = "demo"
