"""Every input of follow-up, checked here: interviews, the people met, steps, drafts,
contacts and settings."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.utils import timezone

from . import zones
from .actions import Facts, Person
from .models import Contact, Interview, Step, zone

DURATIONS = [
    (15, "15 minutes"),
    (30, "30 minutes"),
    (45, "45 minutes"),
    (60, "1 hour"),
    (90, "1½ hours"),
    (120, "2 hours"),
    (180, "3 hours"),
    (240, "4 hours"),
    (480, "A whole day"),
]
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{5,30}$")
FARTHEST_PAST = dt.timedelta(days=730)
FARTHEST_AHEAD = dt.timedelta(days=365)


def clean_linkedin(value: str) -> str:
    """A LinkedIn profile address, made https; anything else is refused."""
    value = value.strip()
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not (
        host == "linkedin.com" or host.endswith(".linkedin.com")
    ):
        raise forms.ValidationError(
            "That isn't a LinkedIn address. It looks like https://www.linkedin.com/in/name."
        )
    return urlunsplit(("https", parts.netloc, parts.path, parts.query, ""))


def clean_phone(value: str) -> str:
    value = value.strip()
    if value and not _PHONE.match(value):
        raise forms.ValidationError("Use digits, spaces and + ( ) - only, e.g. +1 512 555 0134.")
    return value


class InterviewForm(forms.Form):
    company_name = forms.CharField(label="Company", max_length=140)
    role = forms.CharField(label="Role", max_length=140)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[],
        help_text="Where the interview's clock is: the office's, or yours for a call.",
    )
    duration_minutes = forms.TypedChoiceField(
        label="Length", choices=DURATIONS, coerce=int, initial=60
    )
    format = forms.ChoiceField(
        choices=Interview.Format.choices, widget=forms.RadioSelect, initial="video"
    )
    location = forms.CharField(
        label="Where (optional)",
        max_length=300,
        required=False,
        help_text="The address, or the video link.",
    )
    next_steps = forms.CharField(
        label="What happens next, as they described it (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. “A second round with the team in two weeks.” Ask before you leave.",
    )
    decision_expected_on = forms.DateField(
        label="When they expect to decide (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The follow-up email is timed to it.",
    )
    job_text = forms.CharField(
        label="The job ad (optional)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Paste it, and the drafts tie your strengths to what they ask for.",
    )
    to_say = forms.CharField(
        label="Anything you meant to say or clarify (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Written as you'd say it to them; it goes into your emails.",
    )

    def __init__(self, *args: Any, outside_job: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = zones.time_zone_choices()
        if not outside_job:
            del self.fields["job_text"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time, name = data.get("date"), data.get("time"), data.get("time_zone")
        if day is None or time is None or not name:
            return data
        tz = zone(name)
        local = dt.datetime.combine(day, time, tzinfo=tz)
        # A wall-clock time skipped by a change of clocks doesn't survive the round trip.
        if local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != local.replace(
            tzinfo=None
        ):
            self.add_error(
                "time",
                f"{time:%H:%M} doesn't exist in {name.replace('_', ' ')} on that day: "
                "the clocks change then. Check the time.",
            )
            return data
        now = timezone.now()
        if local < now - FARTHEST_PAST or local > now + FARTHEST_AHEAD:
            self.add_error("date", "Pick a date within the last two years or the next one.")
            return data
        decision = data.get("decision_expected_on")
        if decision is not None and decision < day:
            self.add_error("decision_expected_on", "That's before the interview itself.")
        data["starts_at"] = local.astimezone(dt.UTC)
        return data

    def facts(self, *, strengths: str = "", to_say: str | None = None) -> Facts:
        data = self.cleaned_data
        return Facts(
            company_name=data["company_name"],
            role=data["role"],
            starts_at=data["starts_at"],
            time_zone=data["time_zone"],
            duration_minutes=data["duration_minutes"],
            format=data["format"],
            location=data.get("location") or "",
            next_steps=data.get("next_steps") or "",
            decision_expected_on=data.get("decision_expected_on"),
            job_text=data.get("job_text") or "",
            to_say=(data.get("to_say") or "") if to_say is None else to_say,
            strengths=strengths,
        )

    @staticmethod
    def initial_for(interview: Interview) -> dict[str, Any]:
        local = interview.local_start
        return {
            "company_name": interview.company_name,
            "role": interview.role,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "time_zone": interview.time_zone,
            "duration_minutes": interview.duration_minutes,
            "format": interview.format,
            "location": interview.location,
            "next_steps": interview.next_steps,
            "decision_expected_on": interview.decision_expected_on,
            "job_text": interview.job_text,
            "to_say": interview.to_say,
        }


class PersonForm(forms.Form):
    interviewer_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=120)
    title = forms.CharField(label="Job title", max_length=120, required=False)
    email = forms.EmailField(
        required=False, help_text="Ask for a card, or check the invitation's email."
    )
    phone = forms.CharField(label="Phone (optional)", max_length=30, required=False)
    linkedin_url = forms.CharField(label="LinkedIn (optional)", max_length=300, required=False)
    topics = forms.CharField(
        label="What you talked about",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A few words each, e.g. “the new depot in Leeds; her years at sea”. "
        "This is what makes a thank-you personal.",
    )

    def clean_linkedin_url(self) -> str:
        return clean_linkedin(self.cleaned_data.get("linkedin_url") or "")

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone") or "")

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            name=data["name"],
            title=data.get("title") or "",
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            linkedin_url=data.get("linkedin_url") or "",
            topics=data.get("topics") or "",
            interviewer_id=data.get("interviewer_id"),
        )


class BasePeopleFormSet(forms.BaseFormSet):
    """The people met. Every row may stay blank (it is then ignored), and a bound set is
    built without initial data, so every filled row is checked the same way; an existing
    person's row carries their hidden id."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"empty_permitted": True}

    def _filled(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if form.has_changed()
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("name")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self._filled():
            email = (form.cleaned_data.get("email") or "").lower()
            if email and email in seen:
                form.add_error("email", "Someone above has this address already.")
            seen.add(email)

    def people(self) -> list[Person]:
        return [form.person() for form in self._filled()]  # type: ignore[attr-defined]


def people_formset(extra: int) -> type[BasePeopleFormSet]:
    return forms.formset_factory(  # type: ignore[return-value]
        PersonForm,
        formset=BasePeopleFormSet,
        extra=extra,
        can_delete=True,
        max_num=12,
        validate_max=True,
        absolute_max=20,
    )


PEOPLE_PREFIX = "people"


def people_rows(data: Any) -> list[dict[str, str]]:
    """The rows typed into a submitted people form, blank and deleted ones left out."""
    try:
        total = min(int(data.get(f"{PEOPLE_PREFIX}-TOTAL_FORMS", 0)), 20)
    except (TypeError, ValueError):
        total = 0
    rows = []
    for i in range(max(total, 0)):
        row = {
            name: str(data.get(f"{PEOPLE_PREFIX}-{i}-{name}", ""))[:2000]
            for name in PersonForm.base_fields
        }
        if data.get(f"{PEOPLE_PREFIX}-{i}-DELETE") or not any(
            v.strip() for k, v in row.items() if k != "interviewer_id"
        ):
            continue
        rows.append(row)
    return rows


class NotesForm(forms.Form):
    to_say = forms.CharField(
        label="Anything you meant to say or clarify",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It goes into the emails, as you write it here.",
    )
    strengths = forms.CharField(
        label="Strengths to mention",
        required=False,
        max_length=300,
        help_text="Two or three, separated by commas, as they should read in a sentence: "
        "the emails use them just as you type them. Suggested from your profile's skills "
        "and the job's text.",
    )


class StepForm(forms.Form):
    state = forms.ChoiceField(
        required=False,
        choices=[
            (Step.State.DONE, "Done"),
            (Step.State.SKIPPED, "Skip"),
            (Step.State.OPEN, "Undo"),
        ],
    )
    due_on = forms.DateField(
        label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("state") and not data.get("due_on"):
            raise forms.ValidationError("Choose done, skip or a new date.")
        return data


class DraftForm(forms.Form):
    to = forms.EmailField(label="To", max_length=254)
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message", max_length=5000, widget=forms.Textarea(attrs={"rows": 16})
    )


class ContactForm(forms.ModelForm):
    linkedin_url = forms.CharField(label="LinkedIn profile", max_length=300, required=False)

    class Meta:
        model = Contact
        fields = [
            "name",
            "title",
            "company",
            "email",
            "phone",
            "linkedin_url",
            "notes",
            "check_in_months",
            "next_check_in_on",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_check_in_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "notes": "Anything worth remembering about them: only you see it.",
            "check_in_months": "A gentle hello now and then keeps a contact warm.",
        }

    def clean_linkedin_url(self) -> str:
        return clean_linkedin(self.cleaned_data.get("linkedin_url") or "")

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone") or "")


class SettingsForm(forms.Form):
    time_zone = forms.ChoiceField(label="Your time zone", choices=[])
    digest_hour = forms.TypedChoiceField(
        label="Send the daily digest after",
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
    )
    digests = forms.BooleanField(
        label="Email me a digest on days with follow-up steps", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = zones.time_zone_choices()
