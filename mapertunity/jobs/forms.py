from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from mapertunity.core.choices import Workplace
from mapertunity.core.geocoding import PlaceField
from mapertunity.core.money import currency_choices, pay_problem, to_major, to_minor
from mapertunity.geo.gazetteer import countries

from .actions import JobDetails
from .models import (
    MAX_DESCRIPTION,
    MAX_PAY,
    MAX_TITLE,
    MAX_VALID_DAYS,
    Job,
    default_valid_through,
)

PAY_REQUIRED = "Enter the pay: every job on Mapertunity shows its pay."


def _pay_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=MAX_PAY,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": PAY_REQUIRED,
            "min_value": "Pay can't be negative.",
            "max_value": "That pay is beyond what we can show; check the number.",
        },
    )


class JobForm(forms.ModelForm):
    """One form for posting and editing a job; the place is geocoded here."""

    title = forms.CharField(
        max_length=MAX_TITLE,
        help_text=f"Up to {MAX_TITLE} characters: the role, not the details.",
        error_messages={
            "required": "Give the job a title, such as “Delivery Driver”.",
            "max_length": f"Keep the title to {MAX_TITLE} characters: say the role; put the "
            "details in the description.",
        },
    )
    description = forms.CharField(
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What the work is, who you are looking for, how the team works. "
        f"Markdown is supported; up to {MAX_DESCRIPTION:,} characters.",
        error_messages={
            "required": "Describe the job: what the work is and who you're looking for.",
            "max_length": f"Keep the description to {MAX_DESCRIPTION:,} characters "
            "(it has %(show_value)s): candidates read the first screen or two.",
        },
    )
    place = PlaceField(
        label="Where is the job based?",
        help_text="City or US ZIP code. Remote jobs: where the team is based.",
    )
    salary_min = _pay_field("Pay from")
    salary_max = _pay_field("Pay up to")
    salary_currency = forms.ChoiceField(label="Currency", initial="USD", choices=currency_choices)
    remote_countries = forms.MultipleChoiceField(
        choices=countries,
        label="Applicants may live in",
        required=False,
        help_text="For remote jobs: hold Ctrl (⌘ on a Mac) to choose several countries.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    valid_through = forms.DateField(
        label="Accept applications until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"Leave empty for 30 days; at most {MAX_VALID_DAYS} days from today.",
    )

    class Meta:
        model = Job
        fields = [
            "title",
            "description",
            "place",
            "street_address",
            "postal_code",
            "workplace",
            "remote_countries",
            "employment_type",
            "salary_min",
            "salary_max",
            "salary_currency",
            "salary_period",
            "valid_through",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 12}),
            "workplace": forms.RadioSelect,
        }
        labels = {"salary_period": "Paid", "employment_type": "Employment type"}
        error_messages = {
            "title": {"required": "Give the job a title, such as “Delivery Driver”."},
            "description": {
                "required": "Describe the job: what the work is and who you're looking for."
            },
        }
        help_texts = {
            "description": "What the work is, who you are looking for, how the team works. "
            "Markdown is supported.",
            "street_address": "Optional; shown on the job page.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A browser's maxlength cuts a pasted title off without a word; the server's
        # message says what to do and keeps the whole title in the box.
        self.fields["title"].widget.attrs.pop("maxlength", None)
        job = self.instance
        if job.pk and not self.is_bound:
            self.initial.update(
                place=job.place_label,
                salary_min=to_major(job.salary_min, job.salary_currency),
                salary_max=to_major(job.salary_max, job.salary_currency),
                valid_through=timezone.localdate(job.valid_through),
            )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if len(title) < 3:
            raise forms.ValidationError("Give the job a title of at least 3 characters.")
        return title

    def clean_valid_through(self) -> dt.datetime:
        day = self.cleaned_data.get("valid_through")
        if day is None:
            if self.instance.pk and self.instance.valid_through > timezone.now():
                return self.instance.valid_through
            return default_valid_through()
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError("Choose a date after today.")
        if day > today + dt.timedelta(days=MAX_VALID_DAYS):
            raise forms.ValidationError(f"Choose a date within {MAX_VALID_DAYS} days.")
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("salary_min"), data.get("salary_max")
        currency, period = data.get("salary_currency"), data.get("salary_period")
        if low is not None and high is not None and currency and period:
            problem = pay_problem(
                to_minor(low, currency), to_minor(high, currency), currency, period
            )
            if problem is not None:
                self.add_error(*problem)
        if data.get("workplace") == Workplace.REMOTE and not data.get("remote_countries"):
            self.add_error(
                "remote_countries", "Choose at least one country where applicants may live."
            )
        if data.get("workplace") != Workplace.REMOTE:
            data["remote_countries"] = []
        return data

    def details(self) -> JobDetails:
        """The validated input, for ``actions.post_job`` and ``actions.update_job``."""
        data = self.cleaned_data
        currency = data["salary_currency"]
        return JobDetails(
            title=data["title"],
            description=data["description"],
            place=data["place"],
            street_address=data.get("street_address") or "",
            postal_code=data.get("postal_code") or "",
            workplace=data["workplace"],
            remote_countries=list(data.get("remote_countries") or []),
            employment_type=data["employment_type"],
            salary_min=to_minor(data["salary_min"], currency),
            salary_max=to_minor(data["salary_max"], currency),
            salary_currency=currency,
            salary_period=data["salary_period"],
            valid_through=data["valid_through"],
        )
