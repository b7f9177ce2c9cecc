"""``{% responsiveness company %}``: a company's measured response rate, on any page."""

from __future__ import annotations

from typing import Any

from django import template

from mapertunity.companies.models import Company

from ..metrics import responsiveness as compute

register = template.Library()


@register.inclusion_tag("applications/_responsiveness.html")
def responsiveness(company: Company, compact: bool = False) -> dict[str, Any]:
    figures = compute([company.pk])[company.pk]
    return {"figures": figures, "company": company, "compact": compact}
