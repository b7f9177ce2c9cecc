"""The five signup steps and the profile settings: each form is where its input is checked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.urls import reverse_lazy
from django.utils.text import slugify

from mapertunity.accounts.handles import handle_taken, not_available, validate_handle_format
from mapertunity.accounts.models import User
from mapertunity.accounts.signup import has_hidden_account
from mapertunity.core.choices import EmploymentType, PayPeriod, Workplace
from mapertunity.core.geocoding import PlaceField
from mapertunity.core.money import currency_choices, to_major

from .models import CandidateProfile
from .resumes import MAX_BYTES

MAX_SKILLS = 30


class NameForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=60)
    last_name = forms.CharField(label="Last name", max_length=60)

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data["last_name"].strip()


class HandleForm(forms.Form):
    handle = forms.CharField(
        label="Your public ID",
        max_length=60,
        help_text="3–30 characters: letters, digits, hyphens and underscores. "
        "Your profile will be at /u/your-id/.",
        widget=forms.TextInput(
            attrs={
                "autocapitalize": "none",
                "spellcheck": "false",
                "autocomplete": "username",
                "hx-get": reverse_lazy("candidates:handle_check"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#handle-status",
                "aria-describedby": "handle-status id_handle_helptext",
            }
        ),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_handle(self) -> str:
        handle = self.cleaned_data["handle"].strip()
        validate_handle_format(handle)
        user_id = self.user.pk if self.user and self.user.is_authenticated else None
        if handle_taken(handle, exclude_user_id=user_id):
            raise forms.ValidationError(not_available(handle))
        return handle


class ContactForm(forms.Form):
    """Email and password create the account; a signed-in person sees only the rest."""

    email = forms.EmailField(label="Email", max_length=254)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    phone = forms.CharField(
        label="Phone (optional)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text="Shown only to employers you apply to.",
    )
    home = PlaceField(
        label="Where do you live?",
        help_text="A city or a US ZIP code. Others only ever see an area about 2 km "
        "across or your city, never your home.",
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            for name in ("email", "password1", "password2"):
                del self.fields[name]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        # Refuses a taken address only where saying so gives nothing away.
        has_hidden_account(email)
        return email

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = sum(ch.isdigit() for ch in phone)
        if phone and (digits < 6 or any(ch not in "0123456789+-() ." for ch in phone)):
            raise forms.ValidationError(
                "Enter a phone number with digits, such as +1 512 555 0100."
            )
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "password1" in self.fields:
            one, two = data.get("password1"), data.get("password2")
            if one and two and one != two:
                self.add_error("password2", "The two passwords don't match.")
            elif one:
                candidate = User(email=data.get("email", ""))
                try:
                    password_validation.validate_password(one, candidate)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return data


def _choice_list(choices: list[tuple[str, str]]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class SkillsField(forms.CharField):
    """Comma-separated skills in, a clean de-duplicated list out."""

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        skills: list[str] = []
        seen: set[str] = set()
        for raw in text.replace(";", ",").split(","):
            name = " ".join(raw.split())[:40]
            if name and slugify(name) and slugify(name) not in seen:
                seen.add(slugify(name))
                skills.append(name)
        if len(skills) > MAX_SKILLS:
            raise forms.ValidationError(f"List at most {MAX_SKILLS} skills: your strongest.")
        return skills


class AboutForm(forms.Form):
    headline = forms.CharField(
        max_length=120,
        help_text="One line employers see first, e.g. “Warehouse lead, forklift certified”.",
    )
    summary = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few sentences about your work and what you want next.",
    )
    skills = SkillsField(
        required=False,
        max_length=1200,
        help_text="Separate skills with commas: “Python, SQL, customer service”.",
    )
    years_experience = forms.IntegerField(
        label="Years of experience", min_value=0, max_value=70, required=False
    )
    desired_roles = forms.CharField(
        label="Roles you want",
        max_length=300,
        required=False,
        help_text="Comma-separated, e.g. “Nurse, Care coordinator”.",
    )
    desired_pay_min = forms.DecimalField(
        label="Pay from", min_value=0, max_digits=12, decimal_places=2, required=False
    )
    desired_pay_max = forms.DecimalField(
        label="Pay up to", min_value=0, max_digits=12, decimal_places=2, required=False
    )
    desired_currency = forms.ChoiceField(label="Currency", initial="USD", choices=currency_choices)
    desired_period = forms.ChoiceField(label="Paid", choices=PayPeriod.choices, initial="year")
    employment_types = _choice_list(EmploymentType.choices)
    workplaces = _choice_list(Workplace.choices)
    commute_km = forms.IntegerField(
        label="How far will you commute? (km)", min_value=0, max_value=500, required=False
    )
    open_to_relocation = forms.BooleanField(label="I'm open to relocating", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employment_types"].label = "Employment types you want"
        self.fields["workplaces"].label = "Where you want to work"

    @staticmethod
    def initial_for(profile: CandidateProfile) -> dict[str, Any]:
        """The form's values for a saved profile (pay back in major units)."""
        currency = profile.desired_currency

        def major(minor: int | None) -> Decimal | None:
            return None if minor is None else to_major(minor, currency)

        return {
            "headline": profile.headline,
            "summary": profile.summary,
            "skills": ", ".join(skill.name for skill in profile.skills.all()),
            "years_experience": profile.years_experience,
            "desired_roles": profile.desired_roles,
            "desired_pay_min": major(profile.desired_pay_min),
            "desired_pay_max": major(profile.desired_pay_max),
            "desired_currency": currency,
            "desired_period": profile.desired_period,
            "employment_types": profile.employment_types,
            "workplaces": profile.workplaces,
            "commute_km": profile.commute_km,
            "open_to_relocation": profile.open_to_relocation,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low: Decimal | None = data.get("desired_pay_min")
        high: Decimal | None = data.get("desired_pay_max")
        if low is not None and high is not None and low > high:
            self.add_error("desired_pay_max", "The top of the range can't be below the bottom.")
        return data


class ResumeForm(forms.Form):
    resume = forms.FileField(
        label="Your resume",
        required=False,
        help_text="PDF or Word (.docx), up to 5 MB. Only you and employers you allow see it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def clean_resume(self) -> Any:
        upload = self.cleaned_data.get("resume")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError("That file is larger than 5 MB.")
        return upload


class VisibilityForm(forms.ModelForm):
    class Meta:
        model = CandidateProfile
        fields = ["visibility", "open_to_work"]
        widgets = {"visibility": forms.RadioSelect}
        labels = {"visibility": "Who can see your profile", "open_to_work": "I'm open to work"}
        help_texts = {
            "open_to_work": "When on, verified employers can find you on the candidate map.",
        }
