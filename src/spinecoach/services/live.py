"""Live practice: the browser's landmark frames in, counts, timers and one cue out.

One :class:`LivePractice` per exercise a patient does in front of the camera. The browser runs
MediaPipe Pose on the device and sends only landmarks (docs/web.md, "Live feedback protocol");
this turns each message into a frame for the streaming analyzer (docs/feedback.md) and its
feedback into a small JSON reply. Bad messages are answered with an error naming the field,
never a traceback, and never end the session.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import AnalyzerSpec
from spinecoach.analysis.feedback import CuePolicy, StreamingAnalyzer, frame_from_blazepose
from spinecoach.analysis.feedback.cues import CueKind, CueLevel
from spinecoach.analysis.report import RepetitionResult
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.library import Library

from .movement import analyzer_spec, cue_book

LANDMARKS = 33
SETUP = CueKind.SETUP
MAX_REPETITIONS_KEPT = 500


def live_spec(
    exercise_id: str, *, library: Library, analyzers: Mapping[str, AnalyzerSpec]
) -> AnalyzerSpec | None:
    """The analyzer for live feedback on an exercise, or None when the camera cannot judge it
    (the practice page then offers the manual timer only)."""
    if exercise_id not in analyzers:
        return None
    try:
        return analyzer_spec(exercise_id, library=library, analyzers=analyzers)
    except InvalidInput:
        return None


class LivePractice:
    """One exercise in front of the camera."""

    def __init__(self, spec: AnalyzerSpec, library: Library, *, cue_level: CueLevel = "full"):
        self.spec = spec
        self._book = cue_book(spec, library)
        self.analyzer = StreamingAnalyzer(spec, cues=self._book, policy=CuePolicy(level=cue_level))
        self.repetitions: list[RepetitionResult] = []
        self._last_time = -math.inf
        self.frames = 0
        self.frames_with_person = 0
        self.hold_s = 0.0
        self.counted = (0, 0)

    def feed(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """One browser message ``{"t", "aspect", "mirrored", "lm"}`` -> the reply."""
        try:
            time_s = _number(message, "t")
            aspect = _number(message, "aspect")
            landmarks = message.get("lm")
            if time_s <= self._last_time:
                return {"type": "skipped", "reason": "t: not after the previous frame"}
            if landmarks is None:
                rows = np.full((LANDMARKS, 4), np.nan)
                rows[:, 3] = 0.0
            else:
                rows = np.asarray(landmarks, dtype=float)
                if rows.shape != (LANDMARKS, 4):
                    raise InvalidInput("lm", f"must be {LANDMARKS} rows of x, y, z, visibility")
                self.frames_with_person += 1
            frame = frame_from_blazepose(
                rows[:, :3],
                time_s=time_s,
                aspect_ratio=aspect,
                visibility=rows[:, 3],
                mirrored=bool(message.get("mirrored", False)),
            )
            feedback = self.analyzer.update(frame)
        except (InvalidInput, AnalysisError) as error:
            return {"type": "error", "field": error.field, "problem": error.problem}
        except (TypeError, ValueError) as error:
            return {"type": "error", "field": "message", "problem": str(error)[:200]}
        self._last_time = time_s
        self.frames += 1
        last = feedback.last_repetition
        fresh = last is not None and (not self.repetitions or self.repetitions[-1] is not last)
        if fresh and last is not None and len(self.repetitions) < MAX_REPETITIONS_KEPT:
            self.repetitions.append(last)
        self.hold_s = max(self.hold_s, feedback.hold_s)
        self.counted = (feedback.repetitions, feedback.holds)
        return {
            "type": "feedback",
            "reps": feedback.repetitions,
            "holds": feedback.holds,
            "hold_s": round(feedback.hold_s, 1),
            "state": feedback.state,
            "quality": _rounded(feedback.live_quality),
            "cue": feedback.cue.text if feedback.cue and feedback.cue.kind is not SETUP else None,
            "setup": self._book.setup_text(feedback.setup) if feedback.setup else None,
        }

    def summary(self) -> dict[str, Any]:
        """What the patient did: repetitions, the longest hold, the share of good ones and the
        faults seen (the after-exercise form is filled from this)."""
        done = self.repetitions
        quality = sum(r.correct for r in done) / len(done) if done else None
        faults = sorted({f.id for r in done for f in r.faults})
        return {
            "type": "summary",
            "reps": self.counted[0],
            "holds": self.counted[1],
            "hold_s": round(self.hold_s, 1),
            "quality": None if quality is None else round(quality, 2),
            "faults": faults,
            "frames": self.frames,
            "frames_with_person": self.frames_with_person,
        }


def _number(message: Mapping[str, Any], key: str) -> float:
    value = message.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(key, f"must be a finite number, got {value!r}")
    return float(value)


def _rounded(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 2)
