"""Flexion-relaxation of the lumbar erector spinae in a standing forward bend.

In healthy backs the paraspinal EMG falls silent at full trunk flexion (the passive tissues
take the load); in chronic low back pain it often stays on (Neblett et al. 2013, Clin J Pain
29:334-340). Ratios as Alschuler et al. 2009 (Clin J Pain 25:760-766), which related most to
fear, disability and range of motion:

* FRR = maximum EMG during flexion ÷ mean EMG at full flexion;
* ERR = maximum EMG during re-extension ÷ mean EMG at full flexion.

Larger means more relaxation (more normal). dorsaVi's inverted ratio (full-flexion EMG over
the moving phases, higher = worse) is NOT used here; never mix the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray

FULL_FLEXION_TOLERANCE_DEG = 5.0


@dataclass(frozen=True)
class FlexionPhases:
    """Start and end (s) of the flexion, full-flexion and re-extension phases."""

    flexion: tuple[float, float]
    full_flexion: tuple[float, float]
    extension: tuple[float, float]

    def as_dict(self) -> dict[str, list[float]]:
        return {
            "flexion": list(self.flexion),
            "full_flexion": list(self.full_flexion),
            "extension": list(self.extension),
        }


@dataclass(frozen=True)
class FlexionRelaxation:
    """FRR and ERR per channel (dimensionless; larger = more relaxation)."""

    frr: dict[str, float]
    err: dict[str, float]
    phases: FlexionPhases
    method_text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "frr": dict(self.frr),
            "err": dict(self.err),
            "phases_s": self.phases.as_dict(),
            "method_text": self.method_text,
        }


def phases_from_angle(
    time: FloatArray,
    trunk_angle_deg: FloatArray,
    /,
    *,
    tolerance_deg: float = FULL_FLEXION_TOLERANCE_DEG,
) -> FlexionPhases:
    """Phases of one forward bend from the trunk flexion angle (larger = more flexed).

    Full flexion: the stretch around the deepest point where the angle is within
    ``tolerance_deg`` of its maximum. Flexion: from the last moment before it when the angle
    was within ``tolerance_deg`` of its lowest (upright) value before the peak, to the start
    of full flexion. Re-extension: from the end of full flexion to the first moment after it
    when the angle is back within ``tolerance_deg`` of its lowest value after the peak."""
    stamps = np.asarray(time, dtype=np.float64)
    angle = np.asarray(trunk_angle_deg, dtype=np.float64)
    if angle.ndim != 1 or angle.shape != stamps.shape:
        raise AnalysisError("trunk_angle_deg", f"expected shape {stamps.shape}, got {angle.shape}")
    if not np.all(np.isfinite(angle)):
        raise AnalysisError("trunk_angle_deg", "angles must be finite")
    if tolerance_deg <= 0:
        raise AnalysisError("tolerance_deg", f"must be positive, got {tolerance_deg}")
    peak = int(np.argmax(angle))
    near = angle >= angle[peak] - tolerance_deg
    below = np.flatnonzero(~near)
    full_start = int(below[below < peak].max() + 1) if (below < peak).any() else 0
    full_end = int(below[below > peak].min() - 1) if (below > peak).any() else angle.size - 1
    if full_start == 0 or full_end == angle.size - 1:
        raise AnalysisError(
            "trunk_angle_deg",
            "the recording must start and end upright (at least tolerance_deg below the peak)",
        )
    before = angle[:full_start]
    upright_before = np.flatnonzero(before <= before.min() + tolerance_deg)
    after = angle[full_end + 1 :]
    upright_after = np.flatnonzero(after <= after.min() + tolerance_deg)
    flex_start = int(upright_before.max())
    ext_end = int(full_end + 1 + upright_after.min())
    return FlexionPhases(
        flexion=(float(stamps[flex_start]), float(stamps[full_start])),
        full_flexion=(float(stamps[full_start]), float(stamps[full_end])),
        extension=(float(stamps[full_end]), float(stamps[ext_end])),
    )


def _inside(stamps: FloatArray, span: tuple[float, float], name: str) -> np.ndarray:
    start, end = (float(span[0]), float(span[1]))
    mask = (stamps >= start) & (stamps <= end)
    if not start < end or not mask.any():
        raise AnalysisError("phases", f"{name} {span} must be a span holding samples")
    return mask


def flexion_relaxation(
    emg_envelope: FloatArray,
    time: FloatArray,
    /,
    *,
    trunk_angle_deg: FloatArray | None = None,
    phases: FlexionPhases | None = None,
    channels: Sequence[str] | None = None,
    tolerance_deg: float = FULL_FLEXION_TOLERANCE_DEG,
) -> FlexionRelaxation:
    """FRR and ERR of each envelope channel ((n,) or (n, channels)), with the phases given
    or found from the trunk angle by :func:`phases_from_angle`."""
    envelope = np.asarray(emg_envelope, dtype=np.float64)
    stamps = np.asarray(time, dtype=np.float64)
    if envelope.ndim == 1:
        envelope = envelope[:, None]
    if envelope.ndim != 2 or stamps.ndim != 1 or envelope.shape[0] != stamps.shape[0]:
        raise AnalysisError(
            "emg_envelope",
            f"expected ({stamps.shape[0]},) or ({stamps.shape[0]}, channels), "
            f"got {np.shape(emg_envelope)}",
        )
    if not np.all(np.isfinite(envelope)):
        raise AnalysisError("emg_envelope", "values must be finite")
    names = (
        tuple(channels)
        if channels is not None
        else tuple(f"ch{i + 1}" for i in range(envelope.shape[1]))
    )
    if len(names) != envelope.shape[1]:
        raise AnalysisError("channels", f"expected {envelope.shape[1]} names, got {len(names)}")
    if phases is None:
        if trunk_angle_deg is None:
            raise AnalysisError("phases", "give the phases or the trunk angle to find them")
        phases = phases_from_angle(stamps, trunk_angle_deg, tolerance_deg=tolerance_deg)
        source = f"found from the trunk angle (full flexion within {tolerance_deg:g}° of the peak)"
    else:
        source = "given"
    flexing = _inside(stamps, phases.flexion, "flexion")
    full = _inside(stamps, phases.full_flexion, "full_flexion")
    extending = _inside(stamps, phases.extension, "extension")
    relaxed = envelope[full].mean(axis=0)
    if np.any(relaxed <= 0):
        raise AnalysisError("emg_envelope", "the mean envelope at full flexion must be positive")
    frr = envelope[flexing].max(axis=0) / relaxed
    err = envelope[extending].max(axis=0) / relaxed
    text = (
        "FRR = maximum EMG envelope during flexion ÷ mean at full flexion, ERR = maximum during "
        f"re-extension ÷ mean at full flexion (Alschuler et al. 2009; larger = more relaxation); "
        f"phases {source}."
    )
    return FlexionRelaxation(
        frr={n: float(v) for n, v in zip(names, frr, strict=True)},
        err={n: float(v) for n, v in zip(names, err, strict=True)},
        phases=phases,
        method_text=text,
    )
