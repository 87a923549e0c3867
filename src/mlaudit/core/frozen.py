"""Immutable pydantic models that hold the many small objects of a large scan (records, findings) compactly.

pydantic keeps on each instance the set of the field names it was given (`model_fields_set`): 700 to 2,300 bytes,
about half of an inventory record's memory and a third of a finding's. A frozen model never changes that set in
place (`model_copy` changes a copy), so every instance given the same fields can share one set, which says the same.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
"""One set per distinct set of given field names. The distinct sets are few: a model's optional fields given or not."""


class FrozenModel(BaseModel):
    """Immutable, no unknown fields, and sharing its set of given field names (validated or unpickled)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def model_post_init(self, context: Any, /) -> None:
        self._share_fields_set()

    def __setstate__(self, state: dict[Any, Any]) -> None:
        """Records collected in worker processes arrive pickled."""
        super().__setstate__(state)
        self._share_fields_set()

    def _share_fields_set(self) -> None:
        given = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__", _FIELDS_SETS.setdefault(frozenset(given), given))
