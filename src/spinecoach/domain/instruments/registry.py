"""All questionnaires by their command-line id."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import Instrument
from spinecoach.domain.instruments.odi import ODI

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType({i.id: i for i in (ODI,)})


def get_instrument(instrument_id: str) -> Instrument:
    """The instrument with this id, or a clear error listing the known ids."""
    try:
        return INSTRUMENTS[instrument_id.lower()]
    except KeyError:
        known = " ".join(INSTRUMENTS)
        raise InvalidInput("instrument", f"unknown id {instrument_id!r}; known: {known}") from None
