from __future__ import annotations

from typing import Any

from django import forms

from mapertunity.jobs.models import Job

from .models import JOB_REASONS


class JobReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What's wrong with this job?",
        choices=[(reason.value, reason.label) for reason in JOB_REASONS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is wrong, so staff know what to look for."},
    )
    details = forms.CharField(
        label="Tell us more",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional: what made you suspicious, what they asked of you.",
    )


class ReviewForm(forms.ModelForm):
    """Staff's decision on a posting in the review queue."""

    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        choices=[
            (APPROVE, "Approve: the posting goes (back) on the site"),
            (REJECT, "Send back to the employer with the reason below"),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text="Leave both unticked to decide later.",
    )
    reason = forms.CharField(
        label="Reason for the employer",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to the employer as is: say what to change so it can go live.",
    )

    class Meta:
        model = Job
        fields: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say what the employer should change.")
        return data
