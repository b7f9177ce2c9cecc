"""Every input of applications and messages, checked here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from mapertunity.candidates.resumes import MAX_BYTES
from mapertunity.jobs.models import Job
from mapertunity.moderation.models import MESSAGE_REASONS

from .models import ScreeningQuestion
from .stages import EMPLOYER_MOVES, Stage

NOT_SELECTED_TEMPLATE = (
    "Thank you for applying for {job}, and for the time you gave us. We've decided to "
    "go ahead with other candidates whose experience is closer to what this role needs "
    "right now. We'd be glad to see your application again for future openings.\n\n"
    "Best wishes,\n{company}"
)


class ApplyForm(forms.Form):
    """One step: the cover note, the resume to send, and the job's screening questions."""

    RESUME_PROFILE, RESUME_UPLOAD, RESUME_NONE = "profile", "upload", "none"

    resume_choice = forms.ChoiceField(
        label="Resume",
        widget=forms.RadioSelect,
        choices=[],
    )
    resume = forms.FileField(
        label="Upload a resume for this job",
        required=False,
        help_text="PDF or Word (.docx), up to 5 MB. Checked like the resume on your profile.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    cover_note = forms.CharField(
        label="Cover note (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few lines on why this job, in your own words.",
    )

    def __init__(
        self,
        *args: Any,
        questions: list[ScreeningQuestion],
        has_profile_resume: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        if has_profile_resume:
            choices = [
                (self.RESUME_PROFILE, "The resume on my profile"),
                (self.RESUME_UPLOAD, "Upload another file"),
                (self.RESUME_NONE, "No resume"),
            ]
        else:
            # Nothing to send "another" of, and a plain Send shouldn't meet an error.
            choices = [(self.RESUME_UPLOAD, "Upload a resume"), (self.RESUME_NONE, "No resume")]
        field = self.fields["resume_choice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.initial = self.RESUME_PROFILE if has_profile_resume else self.RESUME_NONE
        for question in questions:
            self.fields[f"q{question.pk}"] = self._field_for(question)

    @staticmethod
    def _field_for(question: ScreeningQuestion) -> forms.Field:
        label, required = question.text, question.required
        if question.kind == ScreeningQuestion.Kind.YES_NO:
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
            )
        if question.kind == ScreeningQuestion.Kind.NUMBER:
            return forms.DecimalField(
                label=label, required=required, max_digits=12, decimal_places=2
            )
        return forms.CharField(label=label, required=required, max_length=500)

    def clean_resume(self) -> Any:
        upload = self.cleaned_data.get("resume")
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError("That file is larger than 5 MB.")
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("resume_choice") == self.RESUME_UPLOAD and not data.get("resume"):
            self.add_error("resume", "Choose the file to upload, or pick another option.")
        return data

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q{q.pk}"] for q in self.questions]

    def answers(self) -> dict[int, str]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            result[question.pk] = "" if value is None else str(value)
        return result


class MoveForm(forms.Form):
    """A one-click stage change; interviewing may carry the next step and decision date."""

    to = forms.ChoiceField(choices=Stage.choices)
    note = forms.CharField(
        required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )
    next_step = forms.CharField(
        label="What happens next",
        required=False,
        max_length=300,
        help_text="e.g. “A 45-minute video call with the team lead.”",
    )
    decision_expected_on = forms.DateField(
        label="We expect to decide by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The candidate sees this date. If it passes by a week with no word, "
        "the application closes as “no response”.",
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_to(self) -> str:
        to = self.cleaned_data["to"]
        if to not in EMPLOYER_MOVES.get(self.current, ()):
            raise forms.ValidationError("That move isn't possible from the current stage.")
        return str(to)

    def clean_decision_expected_on(self) -> dt.date | None:
        day = self.cleaned_data.get("decision_expected_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("Choose today or a later date.")
        if day is not None and day > timezone.localdate() + dt.timedelta(days=180):
            raise forms.ValidationError("Choose a date within six months.")
        return day


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Private note", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text; links are fine.",
        error_messages={"required": "Write a message first."},
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What's wrong?",
        choices=[(reason.value, reason.label) for reason in MESSAGE_REASONS],
        initial=MESSAGE_REASONS[0].value,
    )
    details = forms.CharField(
        label="Tell us more",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Staff will read this conversation to look into it.",
    )
    message = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ApplicantFilterForm(forms.Form):
    stage = forms.ChoiceField(
        required=False, choices=[("", "Every stage"), ("open", "Open"), *Stage.choices]
    )
    q = forms.CharField(
        label="Keywords in resume or note",
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": "e.g. forklift, Spanish"}),
    )
    skills = forms.CharField(
        required=False, max_length=300, help_text="Comma-separated; all must match."
    )
    answer = forms.ChoiceField(required=False, choices=[])
    view = forms.ChoiceField(
        required=False, choices=[("board", "Board"), ("list", "List")], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, questions: list[ScreeningQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Any answers")]
        for q in questions:
            if q.kind == ScreeningQuestion.Kind.YES_NO:
                choices += [(f"{q.pk}:yes", f"{q.text}: yes"), (f"{q.pk}:no", f"{q.text}: no")]
        field = self.fields["answer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.label = "Answer"


class QuestionForm(forms.ModelForm):
    class Meta:
        model = ScreeningQuestion
        fields = ["text", "kind", "required"]
        labels = {"text": "Question", "kind": "Answer type"}


QuestionFormSet = forms.inlineformset_factory(
    Job,
    ScreeningQuestion,
    form=QuestionForm,
    extra=2,
    max_num=10,
    validate_max=True,
    can_delete=True,
)
