"""The alert form: a name, how often, and the area (a map box or a drawn polygon).

The search filters come from the jobs app's one filter form, validated beside this one.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms

from mapertunity.core.bbox import BBoxError, parse_bbox
from mapertunity.geo.areas import AreaError, unwrap_ring

from .models import Frequency

MAX_POLYGON_TEXT = 20_000


class AlertForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="So you can tell your alerts apart, e.g. “Nursing in the Bay Area”.",
        error_messages={"required": "Give the alert a name."},
    )
    frequency = forms.ChoiceField(
        label="Email me",
        choices=Frequency.choices,
        initial=Frequency.DAILY,
        widget=forms.RadioSelect,
    )


class AreaForm(forms.Form):
    """Where: a box (``west,south,east,north``), a polygon (JSON ``[[lng, lat], …]``), or
    neither for anywhere. Hidden fields, filled by the map."""

    bbox = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    polygon = forms.CharField(required=False, max_length=MAX_POLYGON_TEXT, widget=forms.HiddenInput)

    def clean_bbox(self) -> Any:
        text = self.cleaned_data.get("bbox", "").strip()
        if not text:
            return None
        try:
            west, south, east, north = parse_bbox(text)
        except BBoxError as exc:
            raise forms.ValidationError(f"The map area is not usable: {exc}") from None
        if (west, east) == (-180.0, 180.0) and (south, north) == (-90.0, 90.0):
            return None  # the whole world is anywhere
        return (west, south, east, north)

    def clean_polygon(self) -> Any:
        text = self.cleaned_data.get("polygon", "").strip()
        if not text:
            return None
        try:
            points = json.loads(text)
        except ValueError:
            raise forms.ValidationError(
                "The drawn area could not be read; draw it again."
            ) from None
        try:
            return unwrap_ring(points)
        except AreaError as exc:
            raise forms.ValidationError(str(exc)) from None
