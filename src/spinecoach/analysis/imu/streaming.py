"""Live orientation: the Madgwick or Mahony filter fed chunk by chunk.

The filter's state (the quaternion, and Mahony's integral term) is carried from one chunk
to the next, so feeding a recording in pieces gives exactly what the batch function gives on
the whole (a test checks). Each chunk runs through the same compiled loop as the batch
filters; the cost per sample does not depend on how long the session has been running.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu.angles import Axis, axis_vector
from spinecoach.analysis.imu.orientation import (
    DEFAULT_BETA,
    DEFAULT_KI,
    DEFAULT_KP,
    _madgwick_run,
    _mahony_run,
    check_gain,
    check_rate,
    inclination,
    prepare,
)
from spinecoach.analysis.timeseries import FloatArray

Method = Literal["madgwick", "mahony"]


@dataclass(frozen=True)
class OrientationSample:
    """The latest estimate: quaternion (w, x, y, z), sensor -> earth, the inclination of the
    sensor's up axis from vertical (deg) and how many samples have been fused so far."""

    quaternion: FloatArray
    inclination_deg: float
    samples: int


class StreamingOrientation:
    """Orientation filter for live chunks of gyroscope (rad/s) and accelerometer samples.

    The first sample of the first chunk sets the initial orientation (levelled on its
    accelerometer reading, as the batch filters do) unless ``q0`` is given."""

    def __init__(
        self,
        rate_hz: float,
        *,
        method: Method = "madgwick",
        beta: float = DEFAULT_BETA,
        kp: float = DEFAULT_KP,
        ki: float = DEFAULT_KI,
        q0: FloatArray | None = None,
        up_axis: Axis = "z",
    ) -> None:
        self._dt = 1.0 / check_rate(rate_hz)
        runners: dict[str, Callable[[Any, Any, Any, bool, Any, int], None]] = {
            "madgwick": self._run_madgwick,
            "mahony": self._run_mahony,
        }
        if method not in runners:
            raise AnalysisError("method", f"expected one of {', '.join(runners)}, got {method!r}")
        self.method = method
        self._runner = runners[method]
        self._beta = check_gain("beta", beta)
        self._kp = check_gain("kp", kp)
        self._ki = check_gain("ki", ki)
        self._axis = axis_vector("up_axis", up_axis)
        self._q0 = None if q0 is None else np.asarray(q0, dtype=np.float64)
        self.reset()

    def reset(self) -> None:
        """Forget the state: the next chunk starts afresh."""
        self._state: FloatArray | None = None
        self._bias = np.zeros(3)
        self._samples = 0

    def _run_madgwick(self, g: Any, a: Any, m: Any, use_mag: bool, out: Any, start: int) -> None:
        _madgwick_run(g, a, m, use_mag, self._dt, self._beta, self._state, out, start)

    def _run_mahony(self, g: Any, a: Any, m: Any, use_mag: bool, out: Any, start: int) -> None:
        _mahony_run(
            g, a, m, use_mag, self._dt, self._kp, self._ki, self._state, self._bias, out, start
        )

    def feed_all(
        self, gyr_chunk: FloatArray, acc_chunk: FloatArray, mag_chunk: FloatArray | None = None
    ) -> FloatArray:
        """Fuse a chunk (k, 3) and return the estimate after each of its samples (k, 4)."""
        g, a, m, use_mag, starts, single = prepare(
            gyr_chunk, acc_chunk, mag_chunk, self._state if self._state is not None else self._q0
        )
        if not single:
            raise AnalysisError("gyr_chunk", "expected one sensor's (k, 3) samples")
        out = np.empty((g.shape[1], 4))
        start = 0
        if self._state is None:
            self._state = np.array(starts[0])
            out[0] = self._state
            start = 1
        self._runner(g[0], a[0], m[0], use_mag, out, start)
        self._samples += g.shape[1]
        return out

    def feed(
        self, gyr_chunk: FloatArray, acc_chunk: FloatArray, mag_chunk: FloatArray | None = None
    ) -> OrientationSample:
        """Fuse a chunk (k, 3) and return the latest orientation and inclination."""
        out = self.feed_all(gyr_chunk, acc_chunk, mag_chunk)
        latest = np.array(out[-1])
        return OrientationSample(
            quaternion=latest,
            inclination_deg=float(inclination(latest, up_axis=self._axis)),
            samples=self._samples,
        )
