"""The Content Security Policy: sent on every page, with no inline scripts allowed, and no
template that would need them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

TEMPLATES = Path(settings.BASE_DIR) / "mapertunity" / "templates"
# Data blocks: a browser never runs them, so the CSP does not apply.
DATA_TYPES = {"application/ld+json", "application/json"}
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*["']""", re.I)


def _site_templates() -> list[Path]:
    # Emails are read in mail apps, not under the site's CSP (and need inline styles there).
    return [
        p
        for p in TEMPLATES.rglob("*.html")
        if "email" not in p.relative_to(TEMPLATES).parts and p.parent.name != "emails"
    ]


@pytest.mark.parametrize("path", _site_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_handlers_or_styles(path: Path) -> None:
    text = path.read_text()
    for match in SCRIPT.finditer(text):
        attrs = match.group(1)
        type_ = re.search(r"""type=["']([^"']+)""", attrs)
        assert "src=" in attrs or (type_ and type_.group(1) in DATA_TYPES), (
            f"inline <script> in {path.name}: move it to mapertunity/static/js/"
        )
    assert not HANDLER.search(text), f"inline event handler in {path.name}"
    assert not STYLE_ATTR.search(text), f"style attribute in {path.name}: use site.css"
    assert "<style" not in text, f"<style> element in {path.name}: use site.css"


def test_the_scan_finds_an_inline_handler() -> None:
    assert HANDLER.search('<form onsubmit="return confirm(1)">')
    assert not HANDLER.search('<form data-confirm="Sure?" class="once">')


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/jobs/", "/accounts/login/", "/api/v1/docs", "/nowhere/"])
def test_every_page_carries_the_policy(client: Client, url: str) -> None:
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "https://tile.openstreetmap.org" in directives["img-src"]


def test_the_tile_host_follows_map_tile_url() -> None:
    from mapertunity.settings import _tile_origin

    assert _tile_origin("https://{s}.tiles.example.net/{z}/{x}/{y}.png") == [
        "https://*.tiles.example.net"
    ]
    assert _tile_origin("") == []
