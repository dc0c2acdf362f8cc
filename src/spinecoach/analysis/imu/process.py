"""One call for one inertial recording: what the CLI runs on an accelerometer (+ gyroscope).

The series must carry three accelerometer channels (``acc_x``, ``acc_y``, ``acc_z``, any
unit) and may carry a gyroscope (``gyr_x``, ``gyr_y``, ``gyr_z`` in rad/s or deg/s), evenly
sampled (:meth:`TimeSeries.uniform_rate_hz` checks and refuses uneven steps; only the MEx
reader resamples, and says so). The
report gives the sensor's inclination (min, max, range), its repetitions and its holds (each
with its inclination from the same reference).

Inclination is measured from a reference axis: by default ("initial") the direction of
gravity over the first second, i.e. the angle the sensor has turned away from the posture it
started in - right for a sensor whose mounting is unknown, if the recording starts at rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu.angles import AXES, Axis, gravity_direction
from spinecoach.analysis.imu.orientation import DEFAULT_BETA, inclination, madgwick
from spinecoach.analysis.imu.repetitions import Hold, Repetitions, count_repetitions, holds
from spinecoach.analysis.timeseries import FloatArray, TimeSeries

ACC_CHANNELS = ("acc_x", "acc_y", "acc_z")
GYR_CHANNELS = ("gyr_x", "gyr_y", "gyr_z")
_GYR_SCALE = {"rad/s": 1.0, "deg/s": np.pi / 180.0}
REFERENCE_S = 1.0


@dataclass(frozen=True)
class ImuReport:
    """Summary of one inertial recording (angles in degrees, times in seconds)."""

    rate_hz: float
    duration_s: float
    samples: int
    reference: str
    used_gyroscope: bool
    inclination_min_deg: float
    inclination_max_deg: float
    inclination_range_deg: float
    repetitions: Repetitions
    holds: tuple[Hold, ...]
    method_text: str
    # The inclination over time (channel "inclination", deg), for plots; not in as_dict().
    inclination: TimeSeries

    def as_dict(self) -> dict[str, Any]:
        return {
            "rate_hz": round(self.rate_hz, 4),
            "duration_s": round(self.duration_s, 3),
            "samples": self.samples,
            "reference": self.reference,
            "used_gyroscope": self.used_gyroscope,
            "inclination_deg": {
                "min": round(self.inclination_min_deg, 2),
                "max": round(self.inclination_max_deg, 2),
                "range": round(self.inclination_range_deg, 2),
            },
            "repetitions": self.repetitions.as_dict(),
            "holds": [hold.as_dict() for hold in self.holds],
            "method": self.method_text,
        }


def _gyroscope(ts: TimeSeries) -> FloatArray | None:
    present = [name in ts.channels for name in GYR_CHANNELS]
    if not any(present):
        return None
    if not all(present):
        raise AnalysisError("channels", f"a gyroscope needs all of {', '.join(GYR_CHANNELS)}")
    units = {ts.unit_of(name) for name in GYR_CHANNELS}
    if len(units) != 1 or next(iter(units)) not in _GYR_SCALE:
        raise AnalysisError(
            "units", f"gyroscope channels must all be rad/s or deg/s, got {sorted(units)}"
        )
    return np.asarray(ts.select(GYR_CHANNELS).values * _GYR_SCALE[units.pop()], dtype=np.float64)


def process(
    ts: TimeSeries,
    /,
    *,
    reference: Axis | Literal["initial"] = "initial",
    beta: float = DEFAULT_BETA,
) -> ImuReport:
    """Inclination, repetitions and holds of one accelerometer (+ optional gyroscope)."""
    missing = [name for name in ACC_CHANNELS if name not in ts.channels]
    if missing:
        raise AnalysisError(
            "channels", f"need {', '.join(ACC_CHANNELS)}; missing {', '.join(missing)}"
        )
    if reference != "initial" and reference not in AXES:
        raise AnalysisError(
            "reference", f"expected 'initial' or one of {', '.join(AXES)}, got {reference!r}"
        )
    rate = ts.uniform_rate_hz()
    acc = np.asarray(ts.select(ACC_CHANNELS).values, dtype=np.float64)
    gyr = _gyroscope(ts)
    gravity = gravity_direction(acc, rate_hz=rate)
    if reference == "initial":
        first = gravity[: max(1, int(REFERENCE_S * rate))].mean(axis=0)
        axis = first / np.linalg.norm(first)
    else:
        axis = np.array(AXES[reference])
    if gyr is None:
        angle = np.degrees(np.arccos(np.clip(gravity @ axis, -1.0, 1.0)))
    else:
        angle = inclination(madgwick(gyr, acc, rate_hz=rate, beta=beta), up_axis=axis)
    reps = count_repetitions(acc, rate_hz=rate)
    still = holds(acc, rate_hz=rate, up_axis=axis)
    where = (
        "its direction over the first second" if reference == "initial" else f"its {reference} axis"
    )
    how = (
        "the Madgwick filter (gyroscope and accelerometer)"
        if gyr is not None
        else ("the accelerometer low-passed at 1 Hz")
    )
    return ImuReport(
        rate_hz=rate,
        duration_s=float(ts.time[-1] - ts.time[0]),
        samples=ts.frames,
        reference=reference,
        used_gyroscope=gyr is not None,
        inclination_min_deg=float(np.min(angle)),
        inclination_max_deg=float(np.max(angle)),
        inclination_range_deg=float(np.max(angle) - np.min(angle)),
        repetitions=reps,
        holds=still,
        inclination=TimeSeries(ts.time, angle[:, None], ("inclination",), ("deg",)),
        method_text=(
            f"Sensor inclination from {where}, by {how}; repetitions counted as peaks of the "
            "accelerometer's main direction; holds where every axis's moving SD over 0.5 s stays "
            "≤ 0.02 g for ≥ 2 s."
        ),
    )
