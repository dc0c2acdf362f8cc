"""All questionnaires by their command-line id."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import Instrument
from spinecoach.domain.instruments.fabq import FABQ
from spinecoach.domain.instruments.nprs import NPRS
from spinecoach.domain.instruments.odi import ODI
from spinecoach.domain.instruments.ompsq import OMPSQ
from spinecoach.domain.instruments.pcs import PCS
from spinecoach.domain.instruments.pseq import PSEQ
from spinecoach.domain.instruments.psfs import PSFS
from spinecoach.domain.instruments.rmdq import RMDQ
from spinecoach.domain.instruments.sbst import SBST
from spinecoach.domain.instruments.tsk import TSK11, TSK17

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


INSTRUMENTS: Mapping[str, Instrument] = CaseInsensitiveRegistry(
    {i.id: i for i in (NPRS, ODI, RMDQ, TSK17, TSK11, PCS, FABQ, SBST, PSFS, PSEQ, OMPSQ)}
)
"""Every questionnaire, in the order the CLI lists them (keys lower-case, look-ups
case-insensitive)."""


def get_instrument(instrument_id: str) -> Instrument:
    """The instrument with this id (case-insensitive, surrounding spaces ignored), or a clear
    error listing the known ids."""
    try:
        return INSTRUMENTS[instrument_id]
    except KeyError:
        known = " ".join(INSTRUMENTS)
        raise InvalidInput("instrument", f"unknown id {instrument_id!r}; known: {known}") from None
