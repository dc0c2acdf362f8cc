"""Live feedback: a streaming analyzer (frame in; state, counters and at most one cue out),
its set-up check and its cue policy. Bounded work and memory per frame; no I/O."""

from spinecoach.analysis.feedback.cues import Cue, CueBook, CueKind, CueLevel
from spinecoach.analysis.feedback.frames import (
    FRAME_NAMES,
    Frame,
    frame_from_blazepose,
    frames_from_blazepose,
)
from spinecoach.analysis.feedback.policy import CuePolicy, CueScheduler, Observation, Outcome
from spinecoach.analysis.feedback.streaming import Feedback, State, StreamingAnalyzer

__all__ = [
    "FRAME_NAMES",
    "Cue",
    "CueBook",
    "CueKind",
    "CueLevel",
    "CuePolicy",
    "CueScheduler",
    "Feedback",
    "Frame",
    "Observation",
    "Outcome",
    "State",
    "StreamingAnalyzer",
    "frame_from_blazepose",
    "frames_from_blazepose",
]
