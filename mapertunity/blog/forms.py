from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from .models import Post


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    # People never see this field (it is hidden with CSS); form-filling bots fill it in.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_email(self) -> str:
        # One list entry per mailbox, however it was typed.
        return self.cleaned_data["email"].strip().lower()

    @property
    def looks_like_a_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class PostAdminForm(forms.ModelForm):
    """The admin's post form: a status and a publish date that make sense together."""

    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "author",
            "summary",
            "body",
            "categories",
            "tags",
            "cover_image",
            "cover_image_alt",
            "status",
            "published_at",
            "email_subscribers",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        status, when = cleaned.get("status"), cleaned.get("published_at")
        now = timezone.now()
        if status == Post.Status.SCHEDULED:
            if when is None:
                self.add_error("published_at", "A scheduled post needs a publish date.")
            elif when <= now:
                self.add_error(
                    "published_at",
                    "This date has passed. Choose a later one, or set the status to "
                    "Published to publish now.",
                )
        elif status == Post.Status.PUBLISHED and when is not None and when > now:
            self.add_error(
                "published_at",
                "This date is still to come. Set the status to Scheduled to publish then.",
            )
        return cleaned
