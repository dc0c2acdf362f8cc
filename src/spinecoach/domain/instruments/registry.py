"""All questionnaires by their command-line id."""

from __future__ import annotations

from collections.abc import Mapping

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
from spinecoach.domain.registry import CaseInsensitiveRegistry

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
