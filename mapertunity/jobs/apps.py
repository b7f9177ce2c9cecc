from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "mapertunity.jobs"
    label = "jobs"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_repair_search, sender=self)


def _repair_search(using: str, **kwargs: object) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it; put them back."""
    from django.db import connections

    from . import mapsource, search

    connection = connections[using]
    if connection.vendor in ("sqlite", "postgresql"):
        search.backend(connection).ensure_installed(connection)
        mapsource.ensure_installed(connection)
