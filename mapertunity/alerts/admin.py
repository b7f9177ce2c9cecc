from django.contrib import admin

from .models import Alert, Digest, SavedJob


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "frequency", "paused_at", "next_digest_at", "created_at"]
    list_filter = ["frequency"]
    search_fields = ["name", "user__email"]
    raw_id_fields = ["user"]
    exclude = ["feed_token"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["alert", "created_at", "sent_at", "job_count"]
    raw_id_fields = ["alert"]


@admin.register(SavedJob)
class SavedJobAdmin(admin.ModelAdmin):
    list_display = ["job", "user", "created_at"]
    raw_id_fields = ["job", "user"]
