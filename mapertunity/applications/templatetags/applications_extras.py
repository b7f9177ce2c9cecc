from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def replace_view(query: str, view: str) -> str:
    """The query string with ``view`` set (board or list), every filter kept."""
    params = QueryDict(query, mutable=True)
    params["view"] = view
    return params.urlencode()
