"""The configured geocoder and a form field that turns typed text into a place."""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.conf import settings
from django.utils.module_loading import import_string

from mapertunity.geo.gazetteer import Geocoder, Place, suggest_places


@functools.cache
def get_geocoder() -> Geocoder:
    """The geocoder named by settings.GEOCODER (offline gazetteer by default)."""
    return import_string(settings.GEOCODER)()


class PlaceField(forms.CharField):
    """A text input resolved to a `Place`; an unknown place is a form error, never (0, 0)."""

    default_error_messages = {
        "unknown": (
            "We couldn't find “%(value)s”. Try a city name such as “Austin, TX” or "
            "“München”, or a US ZIP code."
        ),
        "near_miss": "We couldn't find “%(value)s”. Did you mean “%(suggestion)s”?",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "autocomplete": "off",
                "list": "place-suggestions",
                "placeholder": "City or US ZIP code",
                "hx-get": "/places/suggest/",
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#place-suggestions",
                "hx-swap": "innerHTML",
            }
        )

    def clean(self, value: Any) -> Place | None:
        text = super().clean(value)
        if not text:
            return None
        place = get_geocoder().geocode(text)
        if place is None:
            near_misses = suggest_places(text, limit=1)
            if near_misses:
                raise forms.ValidationError(
                    self.error_messages["near_miss"],
                    code="unknown",
                    params={"value": text, "suggestion": near_misses[0].label},
                )
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return place
