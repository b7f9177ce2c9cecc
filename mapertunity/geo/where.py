"""Filters a geo index understands, independent of what the points are."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np

from mapertunity.geo.distance import Near


@dataclass(frozen=True, slots=True, eq=False)
class IdList:
    """Ids a query is limited to (keyword hits, one company's jobs).

    ``key`` names the list for caching: an index turns ids into row numbers once per key.
    """

    key: Hashable
    ids: np.ndarray


@dataclass(frozen=True, slots=True)
class Where:
    """A filter: every condition given must hold."""

    categories: Mapping[str, frozenset[int]] = field(default_factory=dict)
    """Category column → allowed codes."""
    minimums: Mapping[str, int] = field(default_factory=dict)
    """Value column → inclusive minimum."""
    ids: IdList | None = None
    near: Near | None = None

    def cache_key(self) -> Hashable:
        """The non-spatial part of the filter, as a hashable (for caching row selections)."""
        return (
            tuple(sorted((name, tuple(sorted(codes))) for name, codes in self.categories.items())),
            tuple(sorted(self.minimums.items())),
            None if self.ids is None else self.ids.key,
        )

    @property
    def is_empty(self) -> bool:
        return not (self.categories or self.minimums or self.ids is not None or self.near)


NOTHING = Where()
"""The empty filter: every point matches."""
