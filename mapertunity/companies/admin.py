from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import actions
from .models import Company, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "hq_city", "hq_country", "website", "verified", "created_at"]
    list_filter = [("staff_verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "website", "verified_domain"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified_domain", "domain_verified_at", "staff_verified_at"]
    inlines = [MembershipInline]
    actions = ["verify_by_staff"]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Verified")
    def verified(self, company: Company) -> str:
        return company.verified_label or "—"

    @admin.action(description="Verify the selected companies (staff checked who they are)")
    def verify_by_staff(self, request: HttpRequest, queryset: QuerySet[Company]) -> None:
        done = actions.verify_by_staff(companies=list(queryset))
        self.message_user(
            request, f"{done} compan{'y' if done == 1 else 'ies'} verified.", messages.SUCCESS
        )
