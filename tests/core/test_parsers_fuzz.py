"""Hypothesis over the parsers that read what anyone can type: the bbox, the Markdown
sanitiser and the search tokenizer. A few hundred examples each, no deadline."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from mapertunity.core.bbox import BBoxError, parse_bbox
from mapertunity.core.fulltext import MAX_WORD_LENGTH, MAX_WORDS, fts5_match, words
from mapertunity.core.markdown import ALLOWED_TAGS, render_markdown

FUZZ = settings(max_examples=300, deadline=None)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**6), 10**6).map(str),
    st.sampled_from(["", " ", "nan", "inf", "1e400", "٣", "１２", "0x10", "1_0", "--1"]),
    st.text(max_size=8),
)


@FUZZ
@given(parts=st.lists(numbers, min_size=0, max_size=6))
def test_a_box_is_parsed_into_a_usable_box_or_refused_with_a_reason(parts: list[str]) -> None:
    text = ",".join(parts)
    try:
        west, south, east, north = parse_bbox(text)
    except BBoxError as error:
        assert str(error).startswith("bbox")
        return
    assert all(math.isfinite(v) for v in (west, south, east, north))
    assert -90 <= south <= north <= 90
    assert -180 <= west <= 180 and -180 <= east <= 180


@FUZZ
@given(
    lng=st.floats(-1e6, 1e6),
    lat=st.floats(-90, 90),
    width=st.floats(0, 1000),
    height=st.floats(0, 180),
)
def test_a_well_formed_box_always_parses(
    lng: float, lat: float, width: float, height: float
) -> None:
    south, north = max(lat - height, -90), min(lat + height, 90)
    west, south_, east, north_ = parse_bbox(f"{lng},{south},{lng + width},{north}")
    assert (south_, north_) == (south, north)
    if width >= 360:
        assert (west, east) == (-180, 180)


DANGER = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    '<svg onload="alert(1)">',
    "<iframe src=//evil></iframe>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<a href='vbscript:msgbox(1)'>x</a>",
    '<div onmouseover="x()">hover</div>',
    "```\n<script>x</script>\n```",
    "<scr<script>ipt>alert(1)</script>",
    '"><script>alert(1)</script>',
    "<object data=x></object><embed src=x>",
    '<form action="https://evil"><input name=x></form>',
]
markdown_bits = st.one_of(
    st.sampled_from(DANGER),
    st.sampled_from(["# h", "**b**", "*i*", "- li", "1. li", "> q", "`c`", "\n\n", "|a|b|\n|-|-|"]),
    st.text(max_size=20),
)


class Elements(HTMLParser):
    """The real elements and attributes of the HTML, as a browser reads them (escaped text
    such as a code block's ``&lt;script&gt;`` is text, not an element)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += [(name, value or "") for name, value in attrs]


@FUZZ
@given(pieces=st.lists(markdown_bits, max_size=8))
def test_no_script_handler_or_unsafe_url_survives_the_sanitiser(pieces: list[str]) -> None:
    html = render_markdown("".join(pieces))
    found = Elements()
    found.feed(html)
    found.close()
    assert found.tags <= ALLOWED_TAGS | {"a"}
    names = {name for name, _ in found.attrs}
    assert not {n for n in names if n.startswith("on")}
    assert "style" not in names and "script" not in found.tags
    for name, url in found.attrs:
        if name in ("href", "src"):
            assert re.match(r"(https?:|mailto:|[^:]*$)", url.strip(), re.IGNORECASE), url
    assert "h1" not in found.tags  # the page owns its h1


@FUZZ
@given(query=st.text(max_size=400))
def test_the_search_tokenizer_gives_only_plain_words(query: str) -> None:
    terms = words(query)
    assert len(terms) <= MAX_WORDS and len(set(terms)) == len(terms)
    for term in terms:
        assert re.fullmatch(r"\w+", term) and 0 < len(term) <= MAX_WORD_LENGTH
        assert term == term.lower()
    match = fts5_match(terms)
    # Each term is one quoted phrase: no FTS5 operator or quote can come from the input.
    assert match == " ".join(f'"{t}"' for t in terms)
    assert match.count('"') == 2 * len(terms)
