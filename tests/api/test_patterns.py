"""Every pattern the OpenAPI document states means the same to a client as to the server.

A client reads a pattern as an ECMA-262 regex (as ``jsonschema_rs``, which schemathesis
checks with, does); pydantic with Rust's ``regex``, and the site's parsers and forms are
Python. The three differ on ``\\s``, ``\\d`` and ``$``: a description of ``"\\x1f"``
matched ``\\S`` for a client and not here. The text patterns are also the forms' rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any

import jsonschema_rs
import pytest
from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field, TypeAdapter

from mapertunity.api.text import NO_NUL, SLUG, SOME_TEXT, SPACES, THREE_CHARACTERS
from mapertunity.api.urls import api
from mapertunity.core.bbox import PATTERN as BBOX
from mapertunity.core.bbox import BBoxError, parse_bbox

WHITESPACE = [c for c in map(chr, range(0x110000)) if c.isspace()]
# Where the engines part: Python's whitespace, ECMA's (\ufeff), a null, controls, digits
# of other scripts, and the letters and signs of numbers.
TRICKY = [*WHITESPACE, "\ufeff", "\x00", "\x01", "\x7f", "٣", "１", *"az09,.-+e_"]
text = st.text(alphabet=st.sampled_from(TRICKY), max_size=12)
FUZZ = settings(max_examples=400, deadline=None, derandomize=True)


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


PATTERNS = sorted(set(_patterns(api.get_openapi_schema())))


def test_spaces_are_pythons_whitespace() -> None:
    spelled = re.compile(f"[{SPACES}]")
    assert [c for c in map(chr, range(0x110000)) if spelled.fullmatch(c)] == WHITESPACE


def test_the_document_states_the_patterns() -> None:
    assert {NO_NUL, SLUG, SOME_TEXT, THREE_CHARACTERS} <= set(PATTERNS)
    assert BBOX in PATTERNS


def client_accepts(pattern: str, value: str) -> bool:
    """As a client's JSON Schema validator reads the pattern."""
    return bool(jsonschema_rs.validator_for({"type": "string", "pattern": pattern}).is_valid(value))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_pattern_means_the_same_to_a_client_and_to_pydantic(pattern: str) -> None:
    server = TypeAdapter(Annotated[str, Field(pattern=pattern)])

    @FUZZ
    @given(value=text)
    def agree(value: str) -> None:
        try:
            server.validate_python(value)
        except ValueError:
            assert not client_accepts(pattern, value), value
        else:
            assert client_accepts(pattern, value), value

    agree()


def _form_accepts(field: forms.CharField, value: str) -> str | None:
    try:
        return str(field.clean(value))
    except forms.ValidationError:
        return None


@FUZZ
@given(value=text)
def test_the_text_patterns_are_the_forms_rules(value: str) -> None:
    """A form field strips the ends, refuses a null character, and a required one an empty
    value; a job's title keeps 3 characters or more (``JobForm.clean_title``); a slug
    filter is letters, digits, - and _ once stripped."""
    optional = _form_accepts(forms.CharField(required=False), value)
    required = _form_accepts(forms.CharField(), value)
    slug = _form_accepts(forms.SlugField(required=False), value)
    assert client_accepts(NO_NUL, value) == (optional is not None)
    assert client_accepts(SOME_TEXT, value) == (required is not None)
    title = required is not None and len(required) >= 3
    assert client_accepts(THREE_CHARACTERS, value) == title
    assert client_accepts(SLUG, value) == (slug is not None)


number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet=st.sampled_from([*TRICKY, "1", "5", "E"]), max_size=8),
    st.builds(lambda a, b: f"{' ' * a}1{' ' * b}", st.integers(0, 120), st.integers(0, 120)),
)
BBOX_SCHEMA = next(
    p["schema"]
    for p in api.get_openapi_schema()["paths"]["/api/v1/map/jobs"]["get"]["parameters"]
    if p["name"] == "bbox"
)


@FUZZ
@given(parts=st.lists(number, min_size=4, max_size=4))
def test_the_parser_reads_a_box_only_if_the_schema_allows_it(parts: list[str]) -> None:
    """The map's fast path answers whatever ``parse_bbox`` reads, before the endpoint
    checks the schema: they must agree, or a box is a 200 there and a 400 here."""
    text = ",".join(parts)
    try:
        parse_bbox(text)
    except BBoxError:
        return
    assert jsonschema_rs.validator_for(BBOX_SCHEMA).is_valid(text)
