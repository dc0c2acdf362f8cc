"""Live feedback: a streaming analyzer (frame in, state and at most one cue out) and its cue
policy. O(1) work per frame; no I/O."""

from spinecoach.analysis.feedback.cues import Cue, CueBook, CueKind, CuePolicy
from spinecoach.analysis.feedback.streaming import Feedback, Frame, StreamingAnalyzer

__all__ = ["Cue", "CueBook", "CueKind", "CuePolicy", "Feedback", "Frame", "StreamingAnalyzer"]
