from django import forms

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="The system that will use it, e.g. “Our ATS”; only you see it.",
        error_messages={"required": "Name the token after the system that will use it."},
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read only can list jobs and applications; read and write can also post, "
        "change, publish and close jobs and move applications.",
    )
