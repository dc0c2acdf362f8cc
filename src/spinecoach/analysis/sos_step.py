"""The per-frame step of :class:`~spinecoach.analysis.filtering.StreamingLowPass`, compiled.

The live path filters every frame of every patient: a handful of channels through one or two
second-order sections. As numpy calls on arrays of a few values that was ~20 calls and
15-22 µs a frame; compiled, one call of about a microsecond. numba is imported only by the
live analysis (it adds ~0.3 s to an import; the command line does not pay it).
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt


@numba.njit(cache=True)
def sos_step(
    sos: npt.NDArray[np.float64],
    unit_zi: npt.NDArray[np.float64],
    state: npt.NDArray[np.float64],
    started: npt.NDArray[np.bool_],
    values: npt.NDArray[np.float64],
    out: npt.NDArray[np.float64],
) -> None:
    """Filter one frame ``values`` (channels,) into ``out``, in place on ``state`` (channels,
    sections, 2) and ``started`` (channels,): transposed direct form II, as ``sosfilt``. A
    NaN passes through and leaves its channel's state alone; a channel's first finite value
    starts it at steady state (``unit_zi`` times the value)."""
    for channel in range(values.shape[0]):
        x = values[channel]
        if not math.isfinite(x):
            out[channel] = math.nan
            continue
        if not started[channel]:
            for section in range(sos.shape[0]):
                state[channel, section, 0] = unit_zi[section, 0] * x
                state[channel, section, 1] = unit_zi[section, 1] * x
            started[channel] = True
        for section in range(sos.shape[0]):
            b0, b1, b2 = sos[section, 0], sos[section, 1], sos[section, 2]
            a1, a2 = sos[section, 4], sos[section, 5]
            y = b0 * x + state[channel, section, 0]
            state[channel, section, 0] = b1 * x - a1 * y + state[channel, section, 1]
            state[channel, section, 1] = b2 * x - a2 * y
            x = y
        out[channel] = x
