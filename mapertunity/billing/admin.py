"""Staff see every company's ledger and grant credits; nothing in the ledger is edited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from mapertunity.companies.models import Company

from . import actions
from .models import Checkout, Movement, StripeEvent


class GrantForm(forms.ModelForm[Movement]):
    """Adding a movement in the admin is granting credits, with the reason said."""

    credits = forms.IntegerField(min_value=1, max_value=1000)
    reason = forms.CharField(
        max_length=200, help_text="Shown to the company in its history, e.g. “Invoice 2031”."
    )

    class Meta:
        model = Movement
        fields = ["company", "credits", "reason"]


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin[Movement]):
    list_display = ["created_at", "company", "kind", "credits", "job", "reason", "by"]
    list_filter = ["kind"]
    search_fields = ["company__name", "reason", "job__title"]
    list_select_related = ["company", "job", "by"]
    autocomplete_fields = ["company"]
    readonly_fields = ["company", "kind", "credits", "job", "renewal", "refund_of",
                       "checkout", "reason", "by", "created_at"]  # fmt: skip

    def get_form(
        self, request: HttpRequest, obj: Movement | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Movement]]:
        if obj is None:
            return GrantForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Movement | None = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Movement | None = None) -> Any:
        return ["company", "credits", "reason"] if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Movement, form: Any, change: bool) -> None:
        if change:
            return
        company: Company = form.cleaned_data["company"]
        granted = actions.grant(
            company=company,
            credits=form.cleaned_data["credits"],
            reason=form.cleaned_data["reason"],
            by=request.user,  # type: ignore[arg-type]
        )
        obj.pk, obj.created_at = granted.pk, granted.created_at

    def has_change_permission(self, request: HttpRequest, obj: Movement | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Movement | None = None) -> bool:
        return False


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin[Checkout]):
    list_display = ["created_at", "company", "pack", "credits", "amount", "currency", "paid_at"]
    search_fields = ["company__name", "stripe_session_id"]
    readonly_fields = [f.name for f in Checkout._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Checkout | None = None) -> bool:
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin[StripeEvent]):
    list_display = ["received_at", "type", "event_id", "session_id", "outcome"]
    search_fields = ["event_id", "session_id"]
    readonly_fields = [f.name for f in StripeEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: StripeEvent | None = None) -> bool:
        return False
