from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "city", "country", "status", "posted_at", "valid_through"]
    list_filter = ["status", "workplace", "employment_type", "country"]
    search_fields = ["title", "company__name", "city"]
    raw_id_fields = ["company", "created_by"]
    date_hierarchy = "posted_at"
    readonly_fields = ["morton_key", "created_at", "updated_at"]
