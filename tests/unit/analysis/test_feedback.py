"""The streaming analyzer: frames from BlazePose, counting, verdicts that agree with the offline
analyzer, set-up guidance instead of feedback, corrections, praise, fading and holds."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import AnalyzerSpec, Criterion, Segmentation, analyze
from spinecoach.analysis.feedback import (
    FRAME_NAMES,
    Cue,
    CueKind,
    CuePolicy,
    Feedback,
    Frame,
    StreamingAnalyzer,
    frame_from_blazepose,
)
from spinecoach.analysis.feedback.ring import Ring
from spinecoach.analysis.feedback.running import RunningSpan, SpanContext, live_metric
from spinecoach.analysis.feedback.streaming import column_medians
from spinecoach.analysis.pose.signals import SIGNALS
from spinecoach.analysis.quality import BASELINE_S, Span, quality_metrics, signal_metric
from spinecoach.analysis.simulate import (
    blank,
    camera_view_of,
    hold_course,
    repetition_course,
    simulate_motion,
)
from spinecoach.analysis.skeleton import BLAZEPOSE_NAMES, SIDE_SWAP, blazepose_to_common
from spinecoach.analysis.timeseries import LandmarkSeries, TimeSeries
from tests.conftest import SHARED_DATA

# Movements start at 3 s: the analyzer spends its first second finding the person and the
# next learning the rest posture, as a patient would wait for "ready".
START_S = 3.0
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
FEET = ("left_ankle", "right_ankle")


def raises(
    lean: float | Callable[[np.ndarray], np.ndarray],
    *,
    view: str = "front",
    reps: int = 5,
    noise_m: float = 0.002,
) -> LandmarkSeries:
    """Arm raises to 150° every 5 s from 3 s, the trunk side-bending by ``lean`` degrees with
    each one; seen by a 2-D camera."""
    period = 5.0

    def side_bend(t: np.ndarray) -> np.ndarray:
        if callable(lean):
            return lean(t)
        return repetition_course(t, amplitude=lean, reps=reps, start_s=START_S)

    motion = simulate_motion(
        duration_s=START_S + period * reps + 2.0,
        rate_hz=20.0,
        arm_elevation_left_deg=lambda t: repetition_course(
            t, amplitude=150.0, reps=reps, start_s=START_S
        ),
        trunk_frontal_deg=side_bend,
        noise_m=noise_m,
    )
    return camera_view_of(motion, view)  # type: ignore[arg-type]


def stream(series: LandmarkSeries, spec: AnalyzerSpec = RAISE, **kwargs: Any) -> list[Feedback]:
    analyzer = StreamingAnalyzer(spec, names=series.names, unit=series.unit, **kwargs)
    return [
        analyzer.update(Frame(float(t), series.positions[i], series.confidence[i]))
        for i, t in enumerate(series.time)
    ]


def said(feedback: list[Feedback]) -> list[Cue]:
    return [f.cue for f in feedback if f.cue is not None]


def first_cue_s(feedback: list[Feedback], kind: CueKind) -> float:
    return next(f.time_s for f in feedback if f.cue is not None and f.cue.kind is kind)


# -- frames from the browser -------------------------------------------------------------------


def blazepose_landmarks() -> np.ndarray:
    """33 rows of x, y, z, visibility: point i at x = i / 40, y = 0.9 - i / 50."""
    rows = np.zeros((33, 4))
    rows[:, 0] = np.arange(33) / 40
    rows[:, 1] = 0.9 - np.arange(33) / 50
    rows[:, 2] = -0.1
    rows[:, 3] = 0.9
    return rows


def test_a_browser_frame_becomes_common_points_in_image_height_units() -> None:
    rows = blazepose_landmarks()
    rows[BLAZEPOSE_NAMES.index("left_ankle"), 3] = 0.2
    frame = frame_from_blazepose(rows, time_s=1.5, aspect_ratio=16 / 9)
    assert frame.time_s == 1.5
    assert frame.positions.shape == (len(FRAME_NAMES), 3)
    hip = BLAZEPOSE_NAMES.index("left_hip")
    left_hip = frame.positions[FRAME_NAMES.index("left_hip")]
    assert left_hip[0] == pytest.approx(hip / 40 * 16 / 9)  # x in image heights
    assert left_hip[1] == pytest.approx(1 - (0.9 - hip / 50))  # y up
    ears = [BLAZEPOSE_NAMES.index(n) for n in ("left_ear", "right_ear")]
    head = frame.positions[FRAME_NAMES.index("head")]
    assert head[0] == pytest.approx(np.mean(ears) / 40 * 16 / 9)  # mid-point of the ears
    assert frame.confidence[FRAME_NAMES.index("left_ankle")] == pytest.approx(0.2)
    assert frame.aspect_ratio == pytest.approx(16 / 9)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(0.3, 3.0), st.floats(0.0, 0.4), st.booleans())
def test_a_browser_frame_is_mapped_exactly_as_the_landmark_files_are(
    seed: int, aspect: float, lost: float, mirrored: bool
) -> None:
    rng = np.random.default_rng(seed)
    rows = rng.random((33, 4))
    rows[rng.random(33) < lost, rng.integers(0, 3)] = np.nan
    frame = frame_from_blazepose(rows, time_s=0.0, aspect_ratio=aspect, mirrored=mirrored)
    xyz, visibility = rows[:, :3].copy(), rows[:, 3].copy()
    missing = ~np.isfinite(xyz).all(axis=1)
    xyz[missing], visibility[missing] = np.nan, 0.0
    positions, confidence = blazepose_to_common(
        xyz[None], visibility[None], aspect_ratio=aspect, swap_sides=mirrored
    )
    np.testing.assert_allclose(frame.positions, positions[0], atol=1e-12)
    np.testing.assert_allclose(frame.confidence, confidence[0])


def test_a_mirrored_browser_frame_is_turned_back() -> None:
    rows = blazepose_landmarks()
    plain = frame_from_blazepose(rows, time_s=0.0, aspect_ratio=1.0)
    mirrored_rows = rows[list(SIDE_SWAP)]
    mirrored_rows[:, 0] = 1 - mirrored_rows[:, 0]
    mirrored = frame_from_blazepose(mirrored_rows, time_s=0.0, aspect_ratio=1.0, mirrored=True)
    np.testing.assert_allclose(mirrored.positions, plain.positions)


def test_visibility_may_come_apart_and_missing_points_are_unseen() -> None:
    rows = blazepose_landmarks()
    rows[0, 0] = np.nan
    frame = frame_from_blazepose(rows[:, :3], time_s=0.0, aspect_ratio=1.0, visibility=rows[:, 3])
    nose = FRAME_NAMES.index("nose")
    assert frame.confidence[nose] == 0.0
    assert np.isnan(frame.positions[nose]).all()


@pytest.mark.parametrize(
    ("field", "call"),
    [
        ("landmarks", lambda: frame_from_blazepose(np.zeros((32, 4)), time_s=0, aspect_ratio=1)),
        ("aspect_ratio", lambda: frame_from_blazepose(np.zeros((33, 4)), time_s=0, aspect_ratio=0)),
        ("time_s", lambda: frame_from_blazepose(np.zeros((33, 4)), time_s=np.nan, aspect_ratio=1)),
        ("visibility", lambda: frame_from_blazepose(np.zeros((33, 3)), time_s=0, aspect_ratio=1)),
        ("landmarks", lambda: frame_from_blazepose("nonsense", time_s=0, aspect_ratio=1)),
    ],
)
def test_a_bad_browser_frame_is_refused_naming_the_field(
    field: str, call: Callable[[], object]
) -> None:
    with pytest.raises(AnalysisError) as error:
        call()
    assert error.value.field == field


def test_frames_out_of_order_or_of_the_wrong_shape_are_refused() -> None:
    analyzer = StreamingAnalyzer(RAISE)
    points = np.full((len(FRAME_NAMES), 3), 0.5)
    analyzer.update(Frame(1.0, points, np.ones(len(FRAME_NAMES))))
    with pytest.raises(AnalysisError, match="time_s"):
        analyzer.update(Frame(1.0, points, np.ones(len(FRAME_NAMES))))
    with pytest.raises(AnalysisError, match="positions"):
        analyzer.update(Frame(2.0, points[:5], np.ones(len(FRAME_NAMES))))
    with pytest.raises(AnalysisError, match="confidence"):
        analyzer.update(Frame(2.0, points, np.ones(3)))


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(0, 40), st.floats(-1.0, 25.0))
def test_the_ring_buffer_gives_back_the_frames_since_a_moment(
    capacity: int, pushed: int, since_s: float
) -> None:
    ring = Ring(capacity, 2)
    for k in range(pushed):
        ring.push(0.5 * k, np.array([k, -k]))
    held = 0.5 * np.arange(max(0, pushed - capacity), pushed)
    times, rows = ring.since(since_s)
    np.testing.assert_array_equal(times, held[held >= since_s])
    np.testing.assert_array_equal(rows[:, 0], 2 * times)


# -- counting and verdicts -------------------------------------------------------------------


def test_counts_every_repetition_as_the_offline_analyzer_does() -> None:
    series = raises(lean=0.0, reps=6)
    feedback = stream(series)
    assert feedback[-1].repetitions == len(analyze(series, RAISE).reps) == 6
    states = [f.state for f in feedback]
    assert states[0] == "setting_up"
    assert {"ready", "moving", "resting"} <= set(states)


def test_a_slow_camera_is_measured_and_counted_alike() -> None:
    motion = simulate_motion(
        duration_s=20.0,
        rate_hz=12.0,
        arm_elevation_left_deg=lambda t: repetition_course(
            t, amplitude=150.0, reps=3, start_s=START_S
        ),
        noise_m=0.002,
    )
    series = camera_view_of(motion, "front")
    assert stream(series)[-1].repetitions == 3
    assert stream(series, rate_hz=12.0)[-1].repetitions == 3
    with pytest.raises(AnalysisError, match="rate_hz"):
        StreamingAnalyzer(RAISE, rate_hz=0.0)
    with pytest.raises(AnalysisError, match="names"):
        StreamingAnalyzer(RAISE, names=("left_hip", "tail"))


AGREEMENT = replace(
    RAISE,
    tempo_s=(1.5, 0.5, 1.5),
    criteria=(
        Criterion("trunk_frontal_excursion_deg", at_most=5.0, fault="trunk_leans"),
        Criterion("range_of_motion_deg", at_least=100.0),
        Criterion("max:arm_elevation_left_deg", at_most=170.0),
        Criterion("tempo_deviation_s", at_most=0.5),
    ),
)


@pytest.mark.parametrize("lean", [2.0, 9.0])
def test_the_verdict_of_each_repetition_agrees_with_the_offline_analysis(lean: float) -> None:
    series = raises(lean=lean, reps=4)
    analyzer = StreamingAnalyzer(AGREEMENT, names=series.names, unit=series.unit)
    verdicts = []
    for i, t in enumerate(series.time):
        feedback = analyzer.update(Frame(float(t), series.positions[i], series.confidence[i]))
        if feedback.last_repetition is not None and feedback.last_repetition not in verdicts:
            verdicts.append(feedback.last_repetition)
    offline = analyze(series, AGREEMENT).reps
    assert len(verdicts) == len(offline) == 4
    tolerance = {
        "trunk_frontal_excursion_deg": 0.3,
        # Live, a repetition ends as it passes the leave threshold; offline, where the return
        # settles: the range and the way back are measured a little shorter.
        "range_of_motion_deg": 3.0,
        "max:arm_elevation_left_deg": 0.5,
        "tempo_deviation_s": 0.2,
    }
    for live, rep in zip(verdicts, offline, strict=True):
        assert live.start_s == pytest.approx(rep.start_s, abs=0.1)
        assert live.correct == rep.correct == (lean < 5)
        assert live.quality == pytest.approx(rep.quality, abs=0.05)
        for a, b in zip(live.criteria, rep.criteria, strict=True):
            assert a.metric == b.metric
            assert a.passed == b.passed
            assert a.value == pytest.approx(b.value, abs=tolerance[a.metric])
    if lean > 5:
        assert {f.id for v in verdicts for f in v.faults} == {"trunk_leans"}


# -- the running metrics are the offline metrics -----------------------------------------------

RUNNING_CHANNELS = (
    "trunk_sagittal_deg",
    "trunk_frontal_deg",
    "trunk_rotation_deg",
    "pelvic_obliquity_deg",
    "pelvic_tilt_deg",
    "lumbar_flexion_deg",
    "knee_valgus_left_deg",
    "knee_valgus_right_deg",
    "shoulder_elevation_left_deg",
    "shoulder_elevation_right_deg",
    "hip_flexion_left_deg",
    "hip_flexion_right_deg",
    "pelvis_lateral",
)
# Every vocabulary metric with a running form (hold sway runs on means, offline on medians),
# and a few signal metrics.
EXACT = [
    *sorted(n for n in quality_metrics() if live_metric(n) and n != "hold_sway_deg"),
    "max:hip_flexion_left_deg",
    "min:trunk_rotation_deg",
    "range:pelvis_lateral",
]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(20, 80),
    st.integers(0, 15),
    st.floats(0.0, 0.2),
    st.integers(0, 2**31 - 1),
)
def test_the_running_metrics_equal_the_offline_ones_on_the_same_frames(
    frames: int, start: int, gaps: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    time = np.arange(frames) / 30.0
    values = np.cumsum(rng.normal(0, 2.0, (frames, len(RUNNING_CHANNELS))), axis=0)
    values[rng.random(values.shape) < gaps] = np.nan
    driver = np.cumsum(rng.normal(0, 3.0, frames))
    signals = TimeSeries(
        time, values, RUNNING_CHANNELS, tuple(SIGNALS[c].unit for c in RUNNING_CHANNELS)
    )
    context = SpanContext(5.0, "deg", ("hip_flexion_left_deg", "hip_flexion_right_deg"))
    span = Span(
        signals,
        start,
        frames,
        neutral_tolerance_deg=context.neutral_tolerance_deg,
        driver=driver,
        driver_unit=context.driver_unit,
        bilateral=context.bilateral,
    )
    running = RunningSpan(RUNNING_CHANNELS, context)
    head = (time >= time[start] - BASELINE_S) & (time <= time[start])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a channel unseen before the start
        baseline = np.nanmedian(values[head], axis=0)
    running.start(baseline, values[start:], driver[start:], time[start:])
    units = {c: SIGNALS[c].unit for c in SIGNALS}
    for name in EXACT:
        metric = quality_metrics().get(name) or signal_metric(name, units)
        assert metric is not None
        offline = metric.compute(span)
        live = live_metric(name)
        assert live is not None
        value = live(running)
        if np.isnan(offline):
            assert np.isnan(value), name
        else:
            assert value == pytest.approx(offline, abs=1e-9), name


# -- set-up guidance instead of feedback --------------------------------------------------------


def hide(series: LandmarkSeries, names: tuple[str, ...], until_s: float = np.inf) -> LandmarkSeries:
    return blank(series, start_s=0.0, end_s=until_s, names=names)


def assert_only_set_up(feedback: list[Feedback], text: str) -> None:
    assert {f.state for f in feedback} == {"setting_up"}
    assert {c.text for c in said(feedback)} == {text}
    assert all(c.kind is CueKind.SETUP for c in said(feedback))
    assert feedback[-1].repetitions == 0
    assert all(np.isnan(f.live_quality) for f in feedback)


def test_feet_out_of_sight_get_step_back_and_no_movement_feedback() -> None:
    spec = replace(RAISE, required_landmarks=(*RAISE.required_landmarks, *FEET))
    feedback = stream(hide(raises(lean=9.0), FEET), spec)
    assert_only_set_up(feedback, "Step back so your feet are visible.")
    assert feedback[-1].setup == "feet_not_visible"


def test_the_wrong_camera_view_asks_to_turn_either_way() -> None:
    assert_only_set_up(stream(raises(lean=9.0, view="side")), "Face the camera.")
    side_only = replace(RAISE, views=("side",))
    assert_only_set_up(stream(raises(lean=9.0), side_only), "Turn side-on to the camera.")


def test_a_dim_picture_asks_for_light_and_a_cut_off_body_to_get_in_the_picture() -> None:
    series = raises(lean=9.0)
    dim = replace(series, confidence=np.full_like(series.confidence, 0.3))
    assert_only_set_up(stream(dim), "Move into better light so the camera can see you clearly.")
    # Hips below the bottom edge of the picture, and not seen there.
    low = series.positions.copy()
    low[..., 1] -= 0.6
    hips = [series.names.index(n) for n in ("left_hip", "right_hip", "left_knee", "right_knee")]
    confidence = series.confidence.copy()
    confidence[:, hips] = 0.1
    cut = replace(series, positions=low, confidence=confidence)
    assert_only_set_up(stream(cut), "Make sure your whole body is in the picture.")
    nobody = replace(series, confidence=np.zeros_like(series.confidence))
    assert_only_set_up(stream(nobody), "Step into the picture so the camera can see you.")


def test_once_the_set_up_is_right_the_movement_is_judged() -> None:
    spec = replace(RAISE, required_landmarks=(*RAISE.required_landmarks, *FEET))
    series = hide(raises(lean=9.0, reps=6), FEET, until_s=6.0)
    feedback = stream(series, spec)
    setup_cues = [f for f in feedback if f.cue is not None and f.cue.kind is CueKind.SETUP]
    assert setup_cues
    assert all(f.time_s <= 6.0 for f in setup_cues)
    assert first_cue_s(feedback, CueKind.CORRECTION) > 6.0
    assert feedback[-1].repetitions >= 4  # the repetitions after the feet came into view


def test_a_short_glitch_does_not_break_the_set_up() -> None:
    series = blank(raises(lean=0.0), start_s=10.0, end_s=10.1)  # three frames lost
    feedback = stream(series)
    assert not any(f.state == "setting_up" for f in feedback if f.time_s > 2.0)
    assert feedback[-1].repetitions == 5


# -- corrections, praise and fading --------------------------------------------------------------


def test_a_criterion_broken_mid_repetition_gets_its_correction_before_the_repetition_ends() -> None:
    series = raises(lean=9.0)
    feedback = stream(series)
    first = next(f for f in feedback if f.cue is not None)
    assert first.state == "moving"
    assert first.cue is not None
    assert (first.cue.kind, first.cue.key) == (CueKind.CORRECTION, "trunk_leans")
    assert first.cue.text == "Stay upright - don't lean to the side."
    rep = next(r for r in analyze(series, RAISE).reps if r.end_s > first.time_s)
    assert rep.start_s < first.time_s < rep.end_s
    assert first.live_quality < 0.5  # the live estimate already says it


def test_a_good_repetition_is_praised_but_not_every_one() -> None:
    feedback = stream(raises(lean=0.0, reps=6), policy=CuePolicy(fade_after_good=None))
    praise = [f for f in feedback if f.cue is not None and f.cue.kind is CueKind.PRAISE]
    assert [f.repetitions for f in praise] == [1, 4]
    assert all(f.state == "resting" for f in praise)
    assert not any(c.kind is CueKind.CORRECTION for c in said(feedback))


def test_a_fault_put_right_is_praised() -> None:
    def lean_first_two(t: np.ndarray) -> np.ndarray:
        return repetition_course(t, amplitude=9.0, reps=2, start_s=START_S)

    feedback = stream(raises(lean=lean_first_two, reps=5))
    praise = [f.cue for f in feedback if f.cue is not None and f.cue.kind is CueKind.PRAISE]
    assert praise
    assert praise[0].key == "corrected"


def test_the_cue_level_fades_with_good_repetitions() -> None:
    feedback = stream(raises(lean=0.0, reps=6))
    levels = [f.level for f in feedback]
    assert levels[0] == "full"
    assert levels[-1] == "none"
    assert [k for k, _ in itertools.groupby(levels)] == ["full", "brief", "none"]
    praise = [f.cue for f in feedback if f.cue is not None]
    assert praise[0].text.startswith("That's it")
    assert all(c.text == "Good." for c in praise[1:])


def test_at_the_faded_level_a_fault_is_named_only_once_it_repeats() -> None:
    series = raises(lean=9.0)
    faded = stream(series, policy=CuePolicy(level="none", fade_after_good=None))
    first_rep = analyze(series, RAISE).reps[0]
    cues = said(faded)
    assert cues
    assert all(c.kind is CueKind.CORRECTION and c.text == "Stay upright." for c in cues)
    assert first_cue_s(faded, CueKind.CORRECTION) > first_rep.end_s


def test_never_two_cues_within_the_minimum_interval_on_a_long_noisy_session() -> None:
    amplitudes = np.random.default_rng(3).uniform(0.0, 10.0, 9)  # side-bend, rep by rep

    def wobbly(t: np.ndarray) -> np.ndarray:
        rep = np.clip(((t - START_S) // 5.0).astype(int), 0, 8)
        course = repetition_course(t, amplitude=1.0, reps=8, start_s=START_S)
        return np.asarray(course * amplitudes[rep], dtype=np.float64)

    feedback = stream(raises(lean=wobbly, reps=8, noise_m=0.006))
    times = np.array([f.time_s for f in feedback if f.cue is not None])
    assert times.size >= 3
    assert (np.diff(times) >= 4.0).all()


def test_a_safety_message_gets_through_the_same_policy() -> None:
    series = raises(lean=0.0)
    analyzer = StreamingAnalyzer(RAISE)
    stop = Cue(CueKind.SAFETY, "pain", "Stop if the pain rises and rest.")
    outputs = []
    for i, t in enumerate(series.time[:140]):
        frame = Frame(float(t), series.positions[i], series.confidence[i])
        outputs.append(analyzer.update(frame, safety=stop if i == 135 else None))
    praised = next(f.time_s for f in outputs if f.cue is not None)
    assert outputs[135].cue is stop  # at once, though praise was said just before
    assert 0 < outputs[135].time_s - praised < 4.0


# -- holds --------------------------------------------------------------------------------------

HOLD = AnalyzerSpec(
    id="stand_tall",
    name="Standing hold",
    kind="hold",
    views=("side",),
    criteria=(
        Criterion("trunk_sagittal_excursion_deg", at_most=5.0, fault="trunk_moves"),
        Criterion("neutral_hold_s", at_least=5.0),
    ),
)


def leaning_away(after_s: float) -> LandmarkSeries:
    """Standing still, then leaning 25° forwards from ``after_s``, seen from the side."""
    motion = simulate_motion(
        duration_s=after_s + 6.0,
        trunk_sagittal_deg=lambda t: hold_course(t, value=25.0, start_s=after_s, hold_s=30.0),
        noise_m=0.001,
    )
    return camera_view_of(motion, "side")


def test_a_hold_counts_its_seconds_praises_the_target_and_is_judged_when_it_ends() -> None:
    feedback = stream(leaning_away(after_s=12.0), HOLD)
    holding = [f for f in feedback if f.state == "holding"]
    assert holding
    # Still from the end of the first second (the set-up grace) until the lean passes the 5°
    # tolerance, 0.3 s after it begins at 12 s.
    assert max(f.hold_s for f in holding) == pytest.approx(11.3, abs=0.2)
    praise = [f for f in feedback if f.cue is not None and f.cue.kind is CueKind.PRAISE]
    assert praise
    assert praise[0].cue is not None
    assert praise[0].cue.key == "held"
    assert praise[0].hold_s == pytest.approx(5.0, abs=0.1)
    assert feedback[-1].holds == 1
    verdict = feedback[-1].last_repetition
    assert verdict is not None
    assert verdict.correct
    values = {c.metric: c.value for c in verdict.criteria}
    assert values["neutral_hold_s"] == pytest.approx(11.3, abs=0.2)
    excursion = values["trunk_sagittal_excursion_deg"]
    assert excursion is not None
    assert excursion < 5.0  # leaving the hold is not held against it


def test_a_short_hold_is_getting_into_position() -> None:
    feedback = stream(leaning_away(after_s=3.0), HOLD)  # still for 2 s, then leaning away
    assert feedback[-1].holds == 0
    # Passing through the band on the way out is no fault (the lean held afterwards is a
    # new hold, still under way at the end).
    assert not any(c.kind is CueKind.CORRECTION for c in said(feedback))


# -- real recordings -----------------------------------------------------------------------------

KERAAL = SHARED_DATA / "keraal" / "Skeleton_Blazepose"
KERAAL_FILES = {
    "hiding_face": "cacheTete/sub01_trial01/VideoColor_Error1Bodypart1_0.txt",
    "flank_stretch": "etirementLateraux/sub01_trial01/VideoColor_Correct0.txt",
    "trunk_rotation": "rotationTronc/sub01_trial01/VideoColor_Correct0.txt",
}


def keraal_case(exercise: str, path: str) -> tuple[LandmarkSeries, AnalyzerSpec]:
    """A KERAAL BlazePose recording and its exercise's analyzer (skipped when absent)."""
    if not (KERAAL / path).is_file():
        pytest.skip(f"KERAAL BlazePose file not found at {KERAAL / path}")
    from spinecoach.adapters.catalog import load_analyzers
    from spinecoach.adapters.sensors.keraal import read_blazepose

    return read_blazepose(KERAAL / path), load_analyzers()[exercise]


@pytest.mark.shared_data
@pytest.mark.parametrize(("exercise", "path"), sorted(KERAAL_FILES.items()))
def test_keraal_blazepose_live_verdicts_agree_with_the_offline_ones(
    exercise: str, path: str
) -> None:
    series, spec = keraal_case(exercise, path)
    feedback = stream(series, spec)
    # The clips start moving at once, before a live session would have said "ready": only
    # repetitions that began after the first two seconds are compared.
    assert not any(f.state == "setting_up" for f in feedback if f.time_s > 1.0)
    live = {f.last_repetition for f in feedback if f.last_repetition is not None}
    offline = [r for r in analyze(series, spec).reps if r.start_s > 2.0]
    assert offline
    for rep in offline:
        twin = [v for v in live if abs(v.start_s - rep.start_s) < 0.5]
        assert twin, f"no live repetition near {rep.start_s:.1f} s"
        assert twin[0].correct == rep.correct
        assert twin[0].quality == pytest.approx(rep.quality, abs=0.1)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 9), st.integers(1, 4), st.floats(0.0, 0.6), st.integers(0, 2**31 - 1))
def test_column_medians_are_nan_medians(rows: int, columns: int, gaps: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.normal(0, 5, (rows, columns))
    values[rng.random(values.shape) < gaps] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanmedian(values, axis=0) if rows else np.full(columns, np.nan)
    np.testing.assert_allclose(column_medians(values), expected)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.floats(0.0, 0.5), st.integers(0, 2**31 - 1))
def test_starting_a_span_at_once_equals_adding_its_frames_one_by_one(
    frames: int, gaps: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    values = rng.normal(0, 5, (frames, 3))
    values[rng.random(values.shape) < gaps] = np.nan
    driver = rng.normal(0, 5, frames)
    driver[rng.random(frames) < gaps] = np.nan
    time = np.arange(frames) / 30.0
    channels = ("trunk_sagittal_deg", "trunk_frontal_deg", "pelvic_obliquity_deg")
    at_once = RunningSpan(channels, SpanContext(), spreads=False, neutral=False)
    one_by_one = RunningSpan(channels, SpanContext(), spreads=False, neutral=False)
    baseline = np.zeros(3)
    at_once.start(baseline, values, driver, time)
    one_by_one.start(baseline, values[:0], driver[:0], time[:0])
    for row, d, t in zip(values, driver, time, strict=True):
        one_by_one.update(row, float(d), float(t))
    for name in ("low", "high", "count", "driver_low", "driver_high", "frames", "first_s"):
        np.testing.assert_array_equal(getattr(at_once, name), getattr(one_by_one, name))


# -- several frames per call --------------------------------------------------------------------


def in_batches(series: LandmarkSeries, spec: AnalyzerSpec, sizes: list[int]) -> list[Feedback]:
    """The series fed to ``update_many`` in batches of the given sizes, cycled."""
    analyzer = StreamingAnalyzer(spec, names=series.names, unit=series.unit)
    frames = [
        Frame(float(t), series.positions[i], series.confidence[i])
        for i, t in enumerate(series.time)
    ]
    out: list[Feedback] = []
    start = 0
    for size in itertools.cycle(sizes):
        if start >= len(frames):
            return out
        out += analyzer.update_many(frames[start : start + size])
        start += size
    return out


def assert_same_feedback(got: list[Feedback], expected: list[Feedback]) -> None:
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        assert (a.time_s, a.state, a.repetitions, a.holds, a.cue, a.setup, a.level) == (
            b.time_s,
            b.state,
            b.repetitions,
            b.holds,
            b.cue,
            b.setup,
            b.level,
        )
        assert a.hold_s == pytest.approx(b.hold_s, abs=1e-9)
        assert a.live_quality == pytest.approx(b.live_quality, abs=1e-9, nan_ok=True)
        assert (a.last_repetition is None) == (b.last_repetition is None)
        if a.last_repetition is not None and b.last_repetition is not None:
            assert a.last_repetition.correct == b.last_repetition.correct
            assert a.last_repetition.quality == pytest.approx(
                b.last_repetition.quality, nan_ok=True
            )
            assert a.last_repetition.start_s == b.last_repetition.start_s


@pytest.mark.parametrize("sizes", [[3], [1, 4, 2, 5]])
def test_frames_in_batches_get_the_feedback_of_frames_one_by_one(sizes: list[int]) -> None:
    series = raises(lambda t: 12.0 * np.sin(t), noise_m=0.004)
    # The camera loses the feet for a while and the person turns side-on: set-up problems,
    # and a change of the judged view inside a batch.
    series = hide(series, FEET, until_s=1.5)
    expected = stream(series)
    got = in_batches(series, RAISE, sizes)
    assert sum(f.repetitions > 0 for f in expected) > 0
    assert said(expected)
    assert_same_feedback(got, expected)


def test_a_view_change_inside_a_batch_is_measured_in_the_new_view(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = replace(RAISE, views=("front", "side"))
    front, side = raises(8.0, view="front", reps=2), raises(8.0, view="side", reps=2)
    half = front.frames // 2
    turned = replace(
        front, positions=np.concatenate([front.positions[:half], side.positions[half:]])
    )
    expected = stream(turned, spec)
    assert all(f.setup is None for f in expected[-20:])  # both views are fine once judged
    alone: list[int] = []
    measure = StreamingAnalyzer._raw_signals

    def counted(self: StreamingAnalyzer, *args: Any, **kwargs: Any) -> np.ndarray:
        if not kwargs.get("per_frame"):
            alone.append(len(args[0]))
        return measure(self, *args, **kwargs)

    monkeypatch.setattr(StreamingAnalyzer, "_raw_signals", counted)
    assert_same_feedback(in_batches(turned, spec, [4]), expected)
    assert alone  # frames after the judged view changed were measured again, one by one


def test_a_batch_of_one_or_of_bad_frames_is_judged_as_update_would() -> None:
    analyzer = StreamingAnalyzer(RAISE)
    good = Frame(0.0, np.zeros((len(FRAME_NAMES), 2)), np.ones(len(FRAME_NAMES)))
    assert len(analyzer.update_many([good])) == 1
    wrong = Frame(0.1, np.zeros((3, 2)), np.ones(3))
    with pytest.raises(AnalysisError, match="positions"):
        analyzer.update_many([wrong, wrong])


@pytest.mark.shared_data
@pytest.mark.parametrize(("exercise", "path"), sorted(KERAAL_FILES.items()))
def test_keraal_frames_in_batches_get_the_feedback_of_frames_one_by_one(
    exercise: str, path: str
) -> None:
    series, spec = keraal_case(exercise, path)
    assert_same_feedback(in_batches(series, spec, [3]), stream(series, spec))
