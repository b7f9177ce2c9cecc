from django.db import migrations


class Migration(migrations.Migration):
    """Reports on conversations live in moderation now (copied by its 0002)."""

    dependencies = [
        ("applications", "0002_applicant_search"),
        ("moderation", "0002_conversation_reports"),
    ]

    operations = [migrations.DeleteModel(name="Report")]
