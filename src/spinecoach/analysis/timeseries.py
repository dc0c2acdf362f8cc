"""Time series: landmarks over time (any camera or lab system) and named scalar channels.

One kinematic model for every source. Readers (``spinecoach.adapters.sensors``) map their
joints onto :data:`LANDMARKS` and their axes onto one convention, so that every metric is
written once:

* **y is vertical, pointing up**; x and z are horizontal (right-handed). For a camera, x is
  to the right of the image and z points from the scene towards the camera.
* 2-D sources (one camera, no depth) keep only (x, y), in units of the image **height** so
  that x and y have the same scale and angles are not distorted by the aspect ratio.
* A landmark a source does not have, or did not see in a frame, is ``NaN``; ``confidence``
  says how sure the source was (1 where it gives no confidence).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from spinecoach.analysis.errors import AnalysisError

FloatArray = npt.NDArray[np.float64]

# The common anatomical points. Spine points come from sources that have them (Kinect:
# SpineBase/SpineMid/SpineShoulder; Vicon: hips and chest rigid bodies).
LANDMARKS: tuple[str, ...] = (
    "head",
    "nose",
    "neck",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot",
    "right_foot",
    "pelvis",
    "spine_mid",
    "thorax",
)

# Units a landmark series may carry. "image_height": 2-D camera coordinates divided by the
# image height (see the module docstring).
UNITS: tuple[str, ...] = ("m", "mm", "image_height", "px")
_METRES_PER_UNIT = {"m": 1.0, "mm": 0.001}


@dataclass(frozen=True)
class Event:
    """A named moment or span of a recording (a repetition, a fault, a marked trigger)."""

    name: str
    start_s: float
    end_s: float | None = None


def _as_float_array(name: str, value: Any, ndim: int) -> FloatArray:
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != ndim:
        raise AnalysisError(name, f"expected a {ndim}-D array, got shape {array.shape}")
    return array


def _check_time(time: FloatArray) -> None:
    if time.size and not np.all(np.isfinite(time)):
        raise AnalysisError("time", "every time stamp must be a finite number of seconds")
    if time.size > 1 and np.any(np.diff(time) <= 0):
        first = int(np.argmax(np.diff(time) <= 0))
        raise AnalysisError(
            "time",
            f"time stamps must increase strictly; frame {first + 1} at {time[first + 1]:g} s "
            f"follows {time[first]:g} s",
        )


@dataclass(frozen=True, eq=False)
class LandmarkSeries:
    """Positions of named anatomical landmarks over time.

    ``positions`` has shape (frames, landmarks, 2 or 3); ``confidence`` (frames, landmarks)
    in [0, 1]; ``time`` (frames,) in seconds, strictly increasing.
    """

    time: FloatArray
    positions: FloatArray
    confidence: FloatArray
    names: tuple[str, ...]
    unit: str
    source: str = ""
    events: tuple[Event, ...] = ()
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        time = _as_float_array("time", self.time, 1)
        positions = _as_float_array("positions", self.positions, 3)
        confidence = _as_float_array("confidence", self.confidence, 2)
        frames, count, dims = positions.shape
        if time.shape != (frames,):
            raise AnalysisError("time", f"expected {frames} time stamps, got {time.shape[0]}")
        if confidence.shape != (frames, count):
            raise AnalysisError(
                "confidence", f"expected shape {(frames, count)}, got {confidence.shape}"
            )
        if dims not in (2, 3):
            raise AnalysisError("positions", f"expected 2-D or 3-D points, got {dims}-D")
        if len(self.names) != count:
            raise AnalysisError("names", f"expected {count} landmark names, got {len(self.names)}")
        unknown = sorted(set(self.names) - set(LANDMARKS))
        if unknown:
            raise AnalysisError("names", f"unknown landmark(s) {', '.join(unknown)}")
        if len(set(self.names)) != count:
            raise AnalysisError("names", "each landmark may appear only once")
        if self.unit not in UNITS:
            raise AnalysisError("unit", f"expected one of {', '.join(UNITS)}, got {self.unit!r}")
        finite = confidence[np.isfinite(confidence)]
        if finite.size and (finite.min() < 0 or finite.max() > 1):
            raise AnalysisError("confidence", "values must lie between 0 and 1")
        _check_time(time)
        object.__setattr__(self, "time", time)
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "confidence", np.nan_to_num(confidence, nan=0.0))
        object.__setattr__(self, "_index", {name: i for i, name in enumerate(self.names)})

    @property
    def frames(self) -> int:
        return int(self.time.shape[0])

    @property
    def dims(self) -> int:
        return int(self.positions.shape[2])

    @property
    def duration_s(self) -> float:
        return float(self.time[-1] - self.time[0]) if self.frames > 1 else 0.0

    @property
    def rate_hz(self) -> float:
        """Median frame rate; 0 for fewer than two frames."""
        if self.frames < 2:
            return 0.0
        return float(1.0 / np.median(np.diff(self.time)))

    def has(self, name: str) -> bool:
        """Whether the source has this landmark and saw it in at least one frame."""
        index = self._index.get(name)
        return index is not None and bool(np.isfinite(self.positions[:, index, 0]).any())

    def point(self, name: str) -> FloatArray:
        """(frames, dims) positions of one landmark; all NaN when the source lacks it."""
        index = self._index.get(name)
        if index is None:
            return np.full((self.frames, self.dims), np.nan)
        return self.positions[:, index, :]

    def visibility(self, name: str) -> FloatArray:
        """(frames,) confidence of one landmark; 0 when the source lacks it."""
        index = self._index.get(name)
        if index is None:
            return np.zeros(self.frames)
        return self.confidence[:, index]

    def midpoint(self, first: str, second: str) -> FloatArray:
        """(frames, dims) midpoint of two landmarks (NaN where either is missing)."""
        return 0.5 * (self.point(first) + self.point(second))

    def metres_per_unit(self) -> float | None:
        """Scale to metres, or None for camera units (image height, pixels)."""
        return _METRES_PER_UNIT.get(self.unit)

    def masked(self, min_confidence: float) -> LandmarkSeries:
        """A copy where positions seen with less than ``min_confidence`` are missing."""
        positions = self.positions.copy()
        positions[self.confidence < min_confidence] = np.nan
        return replace(self, positions=positions)

    def between(self, start_s: float, end_s: float) -> LandmarkSeries:
        """The frames with ``start_s <= time <= end_s``."""
        keep = (self.time >= start_s) & (self.time <= end_s)
        return replace(
            self,
            time=self.time[keep],
            positions=self.positions[keep],
            confidence=self.confidence[keep],
        )

    def with_events(self, events: Iterable[Event]) -> LandmarkSeries:
        return replace(self, events=tuple(events))

    def trusted_frames(
        self, time: FloatArray, positions: FloatArray, confidence: FloatArray
    ) -> LandmarkSeries:
        """A series of the same landmarks and unit over these frames, not validated again:
        only for frames already checked on arrival (the live path's
        ``frames_from_blazepose`` makes bad points NaN and clips confidence to [0, 1]).
        Re-validating every live frame was a sixth of its cost."""
        frames: LandmarkSeries = object.__new__(LandmarkSeries)
        for name, value in (
            ("time", time),
            ("positions", positions),
            ("confidence", confidence),
            ("names", self.names),
            ("unit", self.unit),
            ("source", self.source),
            ("events", ()),
            ("_index", self._index),
        ):
            object.__setattr__(frames, name, value)
        return frames


@dataclass(frozen=True, eq=False)
class TimeSeries:
    """Named scalar channels over time (angles, EMG, accelerations), each with its unit."""

    time: FloatArray
    values: FloatArray
    channels: tuple[str, ...]
    units: tuple[str, ...]
    events: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        time = _as_float_array("time", self.time, 1)
        values = _as_float_array("values", self.values, 2)
        if values.shape != (time.shape[0], len(self.channels)):
            raise AnalysisError(
                "values",
                f"expected shape {(time.shape[0], len(self.channels))}, got {values.shape}",
            )
        if len(self.units) != len(self.channels):
            raise AnalysisError("units", "give one unit per channel")
        if len(set(self.channels)) != len(self.channels):
            raise AnalysisError("channels", "each channel name may appear only once")
        _check_time(time)
        object.__setattr__(self, "time", time)
        object.__setattr__(self, "values", values)

    def channel(self, name: str) -> FloatArray:
        """(frames,) values of one channel."""
        try:
            return self.values[:, self.channels.index(name)]
        except ValueError:
            raise AnalysisError(
                "channel", f"no channel {name!r}; have {', '.join(self.channels)}"
            ) from None

    def unit_of(self, name: str) -> str:
        self.channel(name)
        return self.units[self.channels.index(name)]

    @property
    def frames(self) -> int:
        return int(self.time.shape[0])

    @property
    def rate_hz(self) -> float:
        """Median sampling rate; 0 for fewer than two samples."""
        if self.frames < 2:
            return 0.0
        return float(1.0 / np.median(np.diff(self.time)))

    def uniform_rate_hz(self, *, tolerance: float = 0.01) -> float:
        """The sampling rate, checked to be uniform: filters designed for one rate are wrong
        on a series with gaps or mixed rates, so this is never silently assumed."""
        if self.frames < 2:
            raise AnalysisError("time", "need at least two samples to know the sampling rate")
        steps = np.diff(self.time)
        median = float(np.median(steps))
        if np.max(np.abs(steps - median)) > tolerance * median:
            raise AnalysisError(
                "time",
                f"samples are not evenly spaced (steps {steps.min():.6g}–{steps.max():.6g} s); "
                "resample or split the recording by sampling rate first",
            )
        return 1.0 / median

    def select(self, names: Iterable[str]) -> TimeSeries:
        """Only the named channels, in the given order."""
        wanted = list(names)
        for name in wanted:
            self.channel(name)
        indices = [self.channels.index(name) for name in wanted]
        return replace(
            self,
            values=self.values[:, indices],
            channels=tuple(wanted),
            units=tuple(self.units[i] for i in indices),
        )
