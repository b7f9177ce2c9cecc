from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "mapertunity.applications"
    label = "applications"
    verbose_name = "Applications and messages"

    def ready(self) -> None:
        from mapertunity.jobs.mapindex import add_marker_fields

        from .metrics import label_markers

        add_marker_fields(label_markers)
