"""axe-core in the browser tests: a page may have no serious or critical violation."""

from __future__ import annotations

from functools import cache
from typing import Any

BLOCKING = {"serious", "critical"}


@cache
def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def violations(page: Any) -> list[dict[str, Any]]:
    """axe's serious and critical violations of the page as it is now."""
    result = _axe().run(page)
    return [v for v in result.response["violations"] if v.get("impact") in BLOCKING]


def assert_accessible(page: Any, where: str = "") -> None:
    found = violations(page)
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
    ]
    assert not found, f"axe found on {where or page.url}: " + "; ".join(report)
