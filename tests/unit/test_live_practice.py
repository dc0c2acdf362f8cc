"""Live practice messages: one frame or a few per message give the same coaching."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spinecoach.adapters.catalog import load_analyzers, load_library
from spinecoach.analysis.skeleton import BLAZEPOSE_NAMES
from spinecoach.services.live import MAX_FRAMES_PER_MESSAGE, LivePractice, live_spec
from tests.conftest import SHARED_DATA

KERAAL_FLANK = (
    SHARED_DATA
    / "keraal/Skeleton_Blazepose/etirementLateraux/sub01_trial01/VideoColor_Correct0.txt"
)
ASPECT = 1.7778


def practice(exercise: str = "flank_stretch") -> LivePractice:
    library = load_library()
    spec = live_spec(exercise, library=library, analyzers=load_analyzers())
    assert spec is not None
    return LivePractice(spec, library)


def keraal_rows() -> list[list[list[float]]]:
    """The KERAAL clip's frames as the browser sends them: 33 rows of x, y, z, visibility."""
    if not KERAAL_FLANK.is_file():
        pytest.skip(f"KERAAL BlazePose file not found at {KERAAL_FLANK}")
    data = json.loads(KERAAL_FLANK.read_text())["positions"]
    frames = []
    for key in sorted(data, key=float):
        rows = [[0.0, 0.0, 0.0, 0.0] for _ in BLAZEPOSE_NAMES]
        for name, point in data[key].items():
            rows[BLAZEPOSE_NAMES.index(name.lower())] = [*map(float, point[:3]), 1.0]
        frames.append(rows)
    return frames


@pytest.mark.shared_data
def test_three_frames_a_message_coach_as_one_frame_a_message() -> None:
    frames = keraal_rows()
    one, batched = practice(), practice()
    replies: list[dict[str, Any]] = []
    for k, rows in enumerate(frames):
        replies.append(one.feed({"t": k / 20, "aspect": ASPECT, "mirrored": True, "lm": rows}))
    for start in range(0, len(frames), 3):
        batch = [{"t": k / 20, "lm": frames[k]} for k in range(start, min(start + 3, len(frames)))]
        got = batched.feed({"aspect": ASPECT, "mirrored": True, "frames": batch})
        singles = replies[start : start + len(batch)]
        newest_cue = next((r["cue"] for r in reversed(singles) if r["cue"]), None)
        assert got == {**singles[-1], "cue": newest_cue}
    assert batched.summary() == one.summary()
    assert one.summary()["reps"] > 0


def test_a_message_with_one_bad_frame_is_refused_whole_naming_the_frame() -> None:
    live = practice()
    person = [[0.5, 0.5, 0.0, 0.9]] * 33
    bad = {"aspect": 1.33, "frames": [{"t": 0.0, "lm": person}, {"t": 0.1, "lm": person[:3]}]}
    assert live.feed(bad) == {
        "type": "error",
        "field": "frames[1].lm",
        "problem": "must be 33 rows of x, y, z, visibility",
    }
    late = {"aspect": 1.33, "frames": [{"t": 0.2, "lm": None}, {"t": 0.2, "lm": None}]}
    assert live.feed(late)["field"] == "frames[1].t"
    no_time = {"aspect": 1.33, "frames": [{"lm": None}]}
    assert live.feed(no_time)["field"] == "frames[0].t"
    assert live.feed({"aspect": 1.33, "frames": "three"})["field"] == "frames"
    too_many = [{"t": k / 30, "lm": None} for k in range(MAX_FRAMES_PER_MESSAGE + 1)]
    assert live.feed({"aspect": 1.33, "frames": too_many})["field"] == "frames"
    assert live.summary()["frames"] == 0  # nothing of a refused message was analysed
    fine = [{"t": k / 30, "lm": person if k else None} for k in range(MAX_FRAMES_PER_MESSAGE)]
    assert live.feed({"aspect": 1.33, "frames": fine})["type"] == "feedback"
    assert (live.summary()["frames"], live.summary()["frames_with_person"]) == (
        MAX_FRAMES_PER_MESSAGE,
        MAX_FRAMES_PER_MESSAGE - 1,
    )
    again = {"aspect": 1.33, "frames": [{"t": 0.05, "lm": None}]}
    assert live.feed(again)["type"] == "skipped"
