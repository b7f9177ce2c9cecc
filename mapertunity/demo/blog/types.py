from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoPost:
    slug: str
    title: str
    summary: str
    author: str
    categories: list[str]
    tags: list[str]
    body: str
    days_ago: int
    """Published this many days before the demo is loaded; negative means scheduled."""
