from __future__ import annotations

from typing import Any

from django import forms

from mapertunity.core.geocoding import PlaceField

from .models import Company


class CompanyForm(forms.ModelForm):
    headquarters = PlaceField(required=False, help_text="City or US ZIP code.")
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Company
        fields = ["name", "website", "description", "logo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"description": "What you do and what it is like to work there."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.hq_city and not self.is_bound:
            self.initial["headquarters"] = self.instance.hq_label

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > 2 * 1024 * 1024:
            raise forms.ValidationError("The logo must be 2 MB or smaller.")
        return logo

    def values(self) -> dict[str, Any]:
        """The cleaned input as the keyword arguments of ``create_company``/``update_company``."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "website": data.get("website") or "",
            "description": data.get("description") or "",
            "headquarters": data.get("headquarters"),
            "logo": data.get("logo"),
        }


class DomainCheckForm(forms.Form):
    """The address at the company's website's domain that gets the check link."""

    email = forms.EmailField(
        label="An address at your website's domain",
        help_text="Yours or a colleague's: whoever opens the link confirms the domain.",
        error_messages={"required": "Enter an email address at your website's domain."},
    )

    def __init__(self, *args: Any, domain: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["placeholder"] = f"jobs@{domain}" if domain else ""
