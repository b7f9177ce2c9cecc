from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: /healthz, backups and restores. Knows the apps it checks."""

    name = "mapertunity.ops"
    label = "ops"
