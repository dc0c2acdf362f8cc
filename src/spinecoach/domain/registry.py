"""A registry mapping for ids users type: case and surrounding spaces do not matter."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

V = TypeVar("V")


class CaseInsensitiveRegistry(Mapping[str, V]):
    """A read-only mapping with lower-case keys whose look-ups ignore case and surrounding
    spaces: ``registry["NPRS"]``, ``"McGill" in registry`` and ``registry.get(" odi ")`` all
    work, while iteration yields the canonical lower-case ids in registration order."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Mapping[str, V]) -> None:
        canonical: dict[str, V] = {}
        for key, value in entries.items():
            folded = key.strip().lower()
            if folded in canonical:
                raise ValueError(f"duplicate registry id {key!r}")
            canonical[folded] = value
        self._entries = canonical

    def __getitem__(self, key: str) -> V:
        if not isinstance(key, str):
            raise KeyError(key)
        return self._entries[key.strip().lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._entries)!r})"
