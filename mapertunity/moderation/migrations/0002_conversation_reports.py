"""Reports on conversations move here from applications, so every report is in one queue.

Self-contained: reads the old table through the migration state only. Old reports had a
free-text reason; it becomes the details, with the reason "other".
"""

from django.db import migrations


def copy_reports(apps, schema_editor) -> None:
    Old = apps.get_model("applications", "Report")
    New = apps.get_model("moderation", "Report")
    alias = schema_editor.connection.alias
    New.objects.using(alias).bulk_create(
        New(
            conversation_id=old.conversation_id,
            reporter_id=old.reporter_id,
            reason="other",
            details=old.reason,
            created_at=old.created_at,
            resolved_at=old.resolved_at,
            outcome="acted" if old.resolved_at else "",
        )
        for old in Old.objects.using(alias).iterator()
    )


def copy_back(apps, schema_editor) -> None:
    Old = apps.get_model("applications", "Report")
    New = apps.get_model("moderation", "Report")
    alias = schema_editor.connection.alias
    Old.objects.using(alias).bulk_create(
        Old(
            conversation_id=new.conversation_id,
            reporter_id=new.reporter_id,
            reason=(new.details or new.reason)[:300],
            created_at=new.created_at,
            resolved_at=new.resolved_at,
        )
        for new in New.objects.using(alias).filter(conversation__isnull=False).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("applications", "0002_applicant_search"),
    ]

    operations = [migrations.RunPython(copy_reports, copy_back)]
