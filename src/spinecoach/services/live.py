"""Live practice: the browser's landmark frames in, counts, timers and one cue out.

One :class:`LivePractice` per exercise a patient does in front of the camera. The browser runs
MediaPipe Pose on the device and sends only landmarks (docs/web.md, "Live feedback protocol");
this turns each message into a frame for the streaming analyzer (docs/feedback.md) and its
feedback into a small JSON reply. Bad messages are answered with an error naming the field,
never a traceback, and never end the session.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import CUTOFF_HZ, AnalyzerSpec
from spinecoach.analysis.feedback import CuePolicy, StreamingAnalyzer, frames_from_blazepose
from spinecoach.analysis.feedback.cues import CueKind, CueLevel
from spinecoach.analysis.feedback.streaming import DEFAULT_RATE_HZ
from spinecoach.analysis.filtering import StreamingLowPass
from spinecoach.analysis.report import RepetitionResult
from spinecoach.analysis.timeseries import FloatArray
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.library import Library

from .movement import analyzer_spec, cue_book

LANDMARKS = 33
SETUP = CueKind.SETUP
MAX_REPETITIONS_KEPT = 500
# 200 ms at 30 fps: a cue held back longer than that would lag behind the movement.
MAX_FRAMES_PER_MESSAGE = 6


def warm_up() -> None:
    """Load the compiled per-frame filter before the first patient needs it: importing numba
    and the cached kernel takes ~0.3 s (longer the first time, when it compiles), which would
    otherwise stall every live socket of the process once."""
    StreamingLowPass(cutoff_hz=CUTOFF_HZ, rate_hz=DEFAULT_RATE_HZ, channels=1).update(np.zeros(1))


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
        """One browser message -> the reply. A message is one frame ``{"t", "aspect",
        "mirrored", "lm"}`` or a few frames of one camera ``{"aspect", "mirrored", "frames":
        [{"t", "lm"}, ...]}`` (practice.js sends three every 100 ms: a third of the messages
        for the server to handle, and the analysis of the three in one vectorised step). Every
        frame is analysed; the reply is the state after the last, with the newest cue said
        among them. A bad frame refuses the whole message, and nothing of it is analysed."""
        try:
            aspect = _number(message, "aspect")
            times, rows, people = self._frames_in(message)
            if times[0] <= self._last_time:
                return {"type": "skipped", "reason": "t: not after the previous frame"}
            frames = frames_from_blazepose(
                rows,
                times,
                aspect_ratio=aspect,
                mirrored=bool(message.get("mirrored", False)),
            )
            said = self.analyzer.update_many(frames)
        except (InvalidInput, AnalysisError) as error:
            return {"type": "error", "field": error.field, "problem": error.problem}
        except (TypeError, ValueError) as error:
            return {"type": "error", "field": "message", "problem": str(error)[:200]}
        self._last_time = times[-1]
        self.frames += len(frames)
        self.frames_with_person += people
        for feedback in said:
            last = feedback.last_repetition
            fresh = last is not None and (not self.repetitions or self.repetitions[-1] is not last)
            if fresh and last is not None and len(self.repetitions) < MAX_REPETITIONS_KEPT:
                self.repetitions.append(last)
            self.hold_s = max(self.hold_s, feedback.hold_s)
        feedback = said[-1]
        self.counted = (feedback.repetitions, feedback.holds)
        cue = next((f.cue for f in reversed(said) if f.cue and f.cue.kind is not SETUP), None)
        return {
            "type": "feedback",
            "reps": int(feedback.repetitions),
            "holds": int(feedback.holds),
            "hold_s": round(float(feedback.hold_s), 1),
            "state": feedback.state,
            "quality": _rounded(feedback.live_quality),
            "cue": cue.text if cue else None,
            "setup": self._book.setup_text(feedback.setup) if feedback.setup else None,
        }

    @staticmethod
    def _frames_in(message: Mapping[str, Any]) -> tuple[list[float], FloatArray, int]:
        """The message's frame times, (frames, 33, 4) landmark rows (a frame without a
        person: NaN points, visibility 0) and how many had a person, each frame checked and
        named in any error."""
        batch = message.get("frames")
        if batch is None:
            entries, prefix = [message], ""
        elif isinstance(batch, list) and 1 <= len(batch) <= MAX_FRAMES_PER_MESSAGE:
            entries, prefix = batch, "frames[{}]."
        else:
            raise InvalidInput("frames", f"must be a list of 1 to {MAX_FRAMES_PER_MESSAGE} frames")
        times: list[float] = []
        for k, entry in enumerate(entries):
            where = prefix.format(k)
            if not isinstance(entry, Mapping):
                raise InvalidInput(where.rstrip(".") or "message", "must be a JSON object")
            time_s = _number(entry, "t", where)
            if times and time_s <= times[-1]:
                raise InvalidInput(f"{where}t", "not after the previous frame of the message")
            times.append(time_s)
        found = [entry.get("lm") for entry in entries]
        if all(landmarks is not None for landmarks in found):  # the usual case: one conversion
            with contextlib.suppress(TypeError, ValueError):
                rows = np.asarray(found, dtype=float)
                if rows.shape == (len(entries), LANDMARKS, 4):
                    return times, rows, len(entries)
        people = 0
        rows = np.full((len(entries), LANDMARKS, 4), np.nan)
        rows[:, :, 3] = 0.0
        for k, landmarks in enumerate(found):
            where = prefix.format(k)
            if landmarks is not None:
                points = np.asarray(landmarks, dtype=float)
                if points.shape != (LANDMARKS, 4):
                    raise InvalidInput(
                        f"{where}lm", f"must be {LANDMARKS} rows of x, y, z, visibility"
                    )
                rows[k] = points
                people += 1
        return times, rows, people

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


def _number(message: Mapping[str, Any], key: str, where: str = "") -> float:
    value = message.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{where}{key}", f"must be a finite number, got {value!r}")
    return float(value)


def _rounded(value: float) -> float | None:
    """Plain Python numbers only: the reply goes through orjson, which refuses numpy's."""
    return None if math.isnan(value) else round(float(value), 2)
