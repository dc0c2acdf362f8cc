"""Is the set-up right? Visibility of the landmarks an exercise needs, and the camera's view.

Judging movement the camera cannot see would be noise, so the live analyzer asks this first,
every frame, and gives set-up guidance instead of feedback until it is right. Each answer is
an exponential moving average over about half a second (time constant :data:`TIME_CONSTANT_S`,
whatever the frame rate), so that one missed frame neither breaks nor makes the set-up, and
visibility has hysteresis (:data:`SEEN_BAD` / :data:`SEEN_GOOD`) so that it does not flicker.

What is wrong, in the order it is told:

* nobody in the picture (almost no landmark found) - :data:`~.cues.NO_PERSON`;
* the exercise's required landmarks (other than the feet) not seen: outside the picture -
  :data:`~.cues.BODY_NOT_VISIBLE`; inside it but everything seen only dimly (mean confidence
  under :data:`DIM_CONFIDENCE`) - :data:`~.cues.LOW_LIGHT`; else hidden -
  :data:`~.cues.BODY_NOT_VISIBLE`;
* required ankles, heels or toes not seen - :data:`~.cues.FEET_NOT_VISIBLE`;
* the camera sees the wrong plane (shoulder width against trunk length in the image,
  :func:`~spinecoach.analysis.pose.geometry.width_ratio`): seen from the front when the
  exercise is judged side-on - :data:`~.cues.TURN_SIDE_ON`, and the reverse -
  :data:`~.cues.FACE_CAMERA`; an oblique view asks for the nearer view the exercise allows.
  The view is only re-judged at rest: a trunk rotation seen from the front narrows the
  shoulders in the image without the camera having moved.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from spinecoach.analysis.exercise import MIN_CONFIDENCE, AnalyzerSpec
from spinecoach.analysis.feedback.cues import (
    BODY_NOT_VISIBLE,
    FACE_CAMERA,
    FEET_NOT_VISIBLE,
    LOW_LIGHT,
    NO_PERSON,
    TURN_SIDE_ON,
)
from spinecoach.analysis.feedback.frames import Frame
from spinecoach.analysis.pose.geometry import (
    FRONT_VIEW_MIN_RATIO,
    SIDE_VIEW_MAX_RATIO,
    View,
    view_from_ratio,
    width_ratio,
)
from spinecoach.analysis.pose.signals import CAMERA_UNITS
from spinecoach.analysis.timeseries import FloatArray

TIME_CONSTANT_S = 0.5
# Share of required landmarks seen (averaged) below which the set-up breaks, and above which
# it is right again.
SEEN_BAD = 0.6
SEEN_GOOD = 0.85
# Below this share of landmarks found at all (placed, with any confidence), nobody is in the
# picture; a person in poor light is still found, only with low confidence.
NOBODY_SHARE = 0.15
# Mean landmark confidence below which the picture is too dim (MediaPipe's own presence
# threshold is 0.5; a well-lit person scores 0.9 or more on the visible points).
DIM_CONFIDENCE = 0.5
FEET = frozenset(
    {"left_ankle", "right_ankle", "left_heel", "right_heel", "left_foot", "right_foot"}
)


class _Average:
    """Exponential moving average in time; the first value starts it."""

    def __init__(self) -> None:
        self.value = float("nan")

    def update(self, x: float, weight: float) -> float:
        if math.isfinite(x):
            self.value = (
                x if not math.isfinite(self.value) else self.value + weight * (x - self.value)
            )
        return self.value


class _Seen:
    """Averaged share of some landmarks seen, with hysteresis."""

    def __init__(self, indices: list[int]) -> None:
        self.indices = np.array(indices, dtype=np.intp)
        self.size = max(len(indices), 1)
        self.average = _Average()
        self.ok = False

    def shares(self, seen: np.ndarray) -> FloatArray:
        """(frames,) share of these landmarks seen in each frame of ``seen`` (frames, points)."""
        return np.asarray(np.count_nonzero(seen[:, self.indices], axis=1) / self.size, np.float64)

    def update(self, share: float, weight: float) -> bool:
        if self.indices.size == 0:
            self.ok = True
            return True
        average = self.average.update(share, weight)
        self.ok = average >= SEEN_GOOD if not self.ok else average >= SEEN_BAD
        return self.ok


class FrameFacts(NamedTuple):
    """What the set-up check reads of one frame, worked out for several frames at once."""

    anyone: float  # share of landmarks found at all
    dimness: float  # mean confidence
    body: float  # share of the required body landmarks seen
    feet: float  # share of the required foot landmarks seen
    ratio: float  # shoulder width / trunk length in the image (NaN unless the trunk is seen)


class SetupCheck:
    """Per-frame set-up judgement for one exercise (see the module docstring)."""

    def __init__(self, spec: AnalyzerSpec, names: tuple[str, ...], unit: str) -> None:
        index = {name: i for i, name in enumerate(names)}
        required = [name for name in spec.required_landmarks if name in index]
        self._body = _Seen([index[n] for n in required if n not in FEET])
        self._feet = _Seen([index[n] for n in required if n in FEET])
        self._body_points = self._body.indices
        self._anyone = _Average()
        self._dimness = _Average()
        self._outside = _Average()
        self._ratio = _Average()
        self._camera = unit in CAMERA_UNITS
        self._views = spec.views
        self._trunk = [
            index.get(n) for n in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
        ]
        self._last_time = float("nan")
        self.problem: str | None = None

    @property
    def view(self) -> View:
        """The camera view as judged so far: "3d" for lab sources, else from the averaged
        shoulder-width ratio ("unknown" until the trunk has been seen)."""
        if not self._camera:
            return "3d"
        return view_from_ratio(self._ratio.value)

    def facts(self, positions: FloatArray, confidence: FloatArray) -> list[FrameFacts]:
        """What :meth:`update` reads of each frame, for several frames in one vectorised step
        (the live path's messages carry a few): ``positions`` (frames, points, dims) and
        ``confidence`` (frames, points), stacked and checked by the analyzer. The averages
        over time are still updated frame by frame, in :meth:`update`."""
        points = confidence.shape[1]
        seen = confidence >= MIN_CONFIDENCE
        found = (confidence > 0) & np.isfinite(positions[:, :, 0])
        anyone = np.count_nonzero(found, axis=1) / points
        dimness = confidence.sum(axis=1) / points
        body, feet = self._body.shares(seen), self._feet.shares(seen)
        ratio = self._width_ratios(positions, seen)
        return [
            FrameFacts(*values)
            for values in zip(
                anyone.tolist(),
                dimness.tolist(),
                body.tolist(),
                feet.tolist(),
                ratio.tolist(),
                strict=True,
            )
        ]

    def update(
        self, frame: Frame, *, judge_view: bool = True, facts: FrameFacts | None = None
    ) -> str | None:
        """Judge one frame; the set-up problem (a key of :data:`~.cues.DEFAULT_SETUP`) or None.
        ``facts``: the frame's, when :meth:`facts` worked them out with others."""
        dt = frame.time_s - self._last_time if math.isfinite(self._last_time) else 0.0
        self._last_time = frame.time_s
        weight = 1.0 - math.exp(-dt / TIME_CONSTANT_S)
        if facts is None:
            facts = self.facts(frame.positions[None], frame.confidence[None])[0]
        anyone = self._anyone.update(facts.anyone, weight)
        self._dimness.update(facts.dimness, weight)
        body_ok = self._body.update(facts.body, weight)
        feet_ok = self._feet.update(facts.feet, weight)
        if self._camera and self._body_points.size and not body_ok:
            # Only asked while the body is hidden: is it outside the picture?
            self._outside.update(self._outside_share(frame), weight)
        elif body_ok:
            self._outside.value = float("nan")
        if judge_view and self._camera:
            self._ratio.update(facts.ratio, weight)
        if anyone < NOBODY_SHARE:
            self.problem = NO_PERSON
        elif not body_ok:
            self.problem = self._why_hidden()
        elif not feet_ok:
            self.problem = FEET_NOT_VISIBLE
        else:
            self.problem = self._view_problem()
        return self.problem

    def _why_hidden(self) -> str:
        if self._outside.value >= 0.5:
            return BODY_NOT_VISIBLE
        if self._dimness.value < DIM_CONFIDENCE:
            return LOW_LIGHT
        return BODY_NOT_VISIBLE

    def _outside_share(self, frame: Frame) -> float:
        """Share of the required body landmarks placed outside the picture."""
        points = frame.positions[self._body_points]
        x, y = points[:, 0], points[:, 1]
        with np.errstate(invalid="ignore"):
            out = (y < 0) | (y > 1) | (x < 0)
            if np.isfinite(frame.aspect_ratio):
                out |= x > frame.aspect_ratio
        return float(out.mean())

    def _width_ratios(self, positions: FloatArray, seen: np.ndarray) -> FloatArray:
        """(frames,) shoulder width over trunk length, NaN where a trunk point is unseen."""
        if any(i is None for i in self._trunk):
            return np.full(positions.shape[0], np.nan)
        trunk = [i for i in self._trunk if i is not None]
        ls, rs, lh, rh = (positions[:, i] for i in trunk)
        ratio = width_ratio(ls, rs, 0.5 * (lh + rh), 0.5 * (ls + rs))
        return np.where(seen[:, trunk].all(axis=1), ratio, np.nan)

    def _view_problem(self) -> str | None:
        if not self._camera or "any" in self._views:
            return None
        view = self.view
        if view == "front" and "front" not in self._views:
            return TURN_SIDE_ON
        if view == "side" and "side" not in self._views:
            return FACE_CAMERA
        if view == "unknown" and np.isfinite(self._ratio.value):
            # Oblique: the nearer of the views the exercise allows.
            middle = 0.5 * (FRONT_VIEW_MIN_RATIO + SIDE_VIEW_MAX_RATIO)
            if "side" in self._views and ("front" not in self._views or self._ratio.value < middle):
                return TURN_SIDE_ON
            return FACE_CAMERA
        return None
