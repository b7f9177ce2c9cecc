"""Fields of work for the demo jobs: titles, pay levels and the sentences that describe them.

A role's ``pay`` is a multiple of a country's reference pay (a mid-career office job), so one
table of countries in ``pay.py`` prices every role everywhere.
"""

from __future__ import annotations

from .base import LADDER, Field, Role
from .hands_on import HANDS_ON_FIELDS
from .office import OFFICE_FIELDS

FIELDS: tuple[Field, ...] = (*OFFICE_FIELDS, *HANDS_ON_FIELDS)
FIELDS_BY_KEY = {field.key: field for field in FIELDS}

__all__ = ["FIELDS", "FIELDS_BY_KEY", "LADDER", "Field", "Role"]
