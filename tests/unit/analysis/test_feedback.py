"""Streaming analyzer and cue policy: counts, verdicts agreeing with the offline analyzer,
set-up guidance before feedback, praise, fading, and never more than one cue at a time."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.exercise import AnalyzerSpec, Criterion, Segmentation, analyze
from spinecoach.analysis.feedback import Cue, CueKind, CuePolicy, Feedback, Frame, StreamingAnalyzer
from spinecoach.analysis.feedback.cues import CueGate
from spinecoach.analysis.simulate import camera_view_of, repetition_course, simulate_motion
from spinecoach.analysis.timeseries import LandmarkSeries

RAISE = AnalyzerSpec(
    id="arm_raise",
    name="Arm raise",
    kind="repetitions",
    views=("front",),
    segmentation=Segmentation(
        signals=("arm_elevation_left_deg", "arm_elevation_right_deg"), direction="rise"
    ),
    criteria=(Criterion("trunk_frontal_excursion_deg", at_most=5.0, fault="trunk_leans"),),
)


def raises(lean: float, view: str = "front", reps: int = 5) -> LandmarkSeries:
    motion = simulate_motion(
        duration_s=5.0 * reps + 3,
        arm_elevation_left_deg=lambda t: repetition_course(t, amplitude=150.0, reps=reps),
        trunk_frontal_deg=lambda t: repetition_course(t, amplitude=lean, reps=reps),
        noise_m=0.002,
    )
    return camera_view_of(motion, view)  # type: ignore[arg-type]


def stream(series: LandmarkSeries, spec: AnalyzerSpec = RAISE, **kwargs: object) -> list[Feedback]:
    analyzer = StreamingAnalyzer(spec, names=series.names, unit=series.unit, **kwargs)  # type: ignore[arg-type]
    return [
        analyzer.update(Frame(float(t), series.positions[i], series.confidence[i]))
        for i, t in enumerate(series.time)
    ]


def cues(feedback: list[Feedback]) -> list[Cue]:
    return [f.cue for f in feedback if f.cue is not None]


def test_counts_every_repetition_and_agrees_with_the_offline_verdicts() -> None:
    series = raises(lean=9.0)
    live = stream(series)
    offline = analyze(series, RAISE)
    assert live[-1].repetitions == len(offline.reps) == 5
    verdict = live[-1].last_repetition
    assert verdict is not None
    assert not verdict.correct
    assert verdict.failed == ("trunk_leans",)
    assert abs(verdict.quality - offline.reps[-1].quality) < 0.05


def test_a_broken_criterion_gets_its_correction_while_moving() -> None:
    said = cues(stream(raises(lean=9.0)))
    assert said
    assert said[0].kind is CueKind.CORRECTION
    assert "upright" in said[0].text.lower()


def test_good_repetitions_are_praised_but_not_every_time() -> None:
    feedback = stream(raises(lean=0.0, reps=6))
    praise = [c for c in cues(feedback) if c.kind is CueKind.PRAISE]
    assert feedback[-1].repetitions == 6
    assert 1 <= len(praise) < 6


def test_missing_feet_gets_set_up_guidance_and_no_movement_feedback() -> None:
    series = raises(lean=9.0)
    hidden = series.confidence.copy()
    for name in ("left_ankle", "right_ankle"):
        hidden[:, series.names.index(name)] = 0.0
    spec = replace(
        RAISE, required_landmarks=(*RAISE.required_landmarks, "left_ankle", "right_ankle")
    )
    feedback = stream(replace(series, confidence=hidden), spec)
    assert {f.state for f in feedback} == {"setting_up"}  # never "ready" without feet
    assert {c.text for c in cues(feedback)} == {"Step back so your feet are visible."}
    assert feedback[-1].repetitions == 0


def test_the_wrong_camera_view_asks_to_turn() -> None:
    feedback = stream(raises(lean=0.0, view="side"))
    said = cues(feedback)
    assert said
    assert all(c.kind is CueKind.SETUP for c in said)
    assert said[0].text == "Face the camera."


def first_cue_time(feedback: list[Feedback], series: LandmarkSeries) -> float:
    return next(float(t) for f, t in zip(feedback, series.time, strict=True) if f.cue)


def test_at_the_faded_level_a_fault_is_named_only_once_it_repeats() -> None:
    series = raises(lean=9.0)
    full = stream(series)
    faded = stream(series, policy=CuePolicy(level="none"))
    first_rep_end = analyze(series, RAISE).reps[0].end_s
    assert first_cue_time(full, series) < first_rep_end
    assert first_cue_time(faded, series) > first_rep_end
    assert all(c.kind is CueKind.CORRECTION for c in cues(faded))


def test_brief_level_uses_the_brief_words() -> None:
    said = cues(stream(raises(lean=9.0), policy=CuePolicy(level="brief")))
    assert said[0].text == "Stay upright."


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 0.5), st.sampled_from(["a", "b", "c", ""])), max_size=200))
def test_the_gate_never_lets_two_cues_through_within_the_minimum_interval(
    offers: list[tuple[float, str]],
) -> None:
    policy = CuePolicy(min_interval_s=4.0, repeat_interval_s=12.0)
    gate = CueGate(policy)
    now, said = 0.0, []
    for step, key in offers:
        now += step
        cue = Cue(CueKind.CORRECTION, key, key) if key else None
        if gate.offer(cue, now) is not None:
            said.append((now, key))
    times = np.array([t for t, _ in said])
    assert (np.diff(times) >= 4.0 - 1e-9).all()
    for (t1, k1), (t2, k2) in itertools.pairwise(said):
        if k1 == k2:
            assert t2 - t1 >= 12.0 - 1e-9
