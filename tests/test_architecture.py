"""The shape of the code: dependencies point down (import-linter checks the layers in
``make lint``), no app reaches into another's forms, views or demo code, and no two
modules import each other."""

from __future__ import annotations

import grimp
import pytest

APPS = [
    "accounts", "applications", "blog", "candidates", "companies", "core", "followup",
    "jobs", "moderation",
]  # fmt: skip
PRIVATE = ("forms", "views", "demo")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("mapertunity", exclude_type_checking_imports=True)


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_app_imports_another_apps_forms_views_or_demo(graph: grimp.ImportGraph) -> None:
    offenders = []
    for imported in graph.modules:
        parts = imported.split(".")
        if len(parts) < 3 or parts[1] not in APPS or parts[2] not in PRIVATE:
            continue
        for importer in graph.find_modules_that_directly_import(imported):
            if _app(importer) not in (parts[1], "demo") and importer != "mapertunity.urls":
                offenders.append(f"{importer} -> {imported}")
    assert offenders == []


def test_there_are_no_import_cycles(graph: grimp.ImportGraph) -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.find_modules_directly_imported_by(node):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []
