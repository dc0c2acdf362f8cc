"""The synthetic skeleton: plausible, repeatable, and posed exactly as asked."""

from __future__ import annotations

import numpy as np
import pytest

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.pose.signals import kinematic_signals
from spinecoach.analysis.simulate import (
    TRUNK_M,
    blank,
    camera_view_of,
    hold_course,
    repetition_course,
    simulate_motion,
)
from spinecoach.analysis.timeseries import LandmarkSeries


def _length(series: LandmarkSeries, a: str, b: str) -> np.ndarray:
    return np.asarray(np.linalg.norm(series.point(a) - series.point(b), axis=1))


def test_the_same_seed_gives_the_same_noise_and_gaps() -> None:
    first = simulate_motion(duration_s=1.0, noise_m=0.01, gap_fraction=0.1, seed=4)
    again = simulate_motion(duration_s=1.0, noise_m=0.01, gap_fraction=0.1, seed=4)
    other = simulate_motion(duration_s=1.0, noise_m=0.01, gap_fraction=0.1, seed=5)
    np.testing.assert_array_equal(first.positions, again.positions)
    assert not np.array_equal(np.isnan(first.positions), np.isnan(other.positions))
    share = np.isnan(first.positions[..., 0]).mean()
    assert 0.05 < share < 0.15


def test_segments_keep_their_length_through_any_motion() -> None:
    series = simulate_motion(
        duration_s=4.0,
        trunk_sagittal_deg=lambda t: 30 * np.sin(t),
        trunk_frontal_deg=lambda t: 10 * np.cos(t),
        trunk_rotation_deg=20.0,
        arm_elevation_left_deg=lambda t: 60 * t,
        knee_flexion_deg=lambda t: 40 * t,
        leg_raise_right_deg=lambda t: 10 * t,
    )
    for a, b in (
        ("left_hip", "left_knee"),
        ("right_knee", "right_ankle"),
        ("left_shoulder", "left_elbow"),
    ):
        lengths = _length(series, a, b)
        assert np.ptp(lengths) < 1e-9, (a, b)
    trunk = np.linalg.norm(
        series.midpoint("left_shoulder", "right_shoulder")
        - series.midpoint("left_hip", "right_hip"),
        axis=1,
    )
    np.testing.assert_allclose(trunk, TRUNK_M, atol=1e-9)


def test_a_standing_adult_has_plausible_proportions() -> None:
    series = simulate_motion(duration_s=0.1)
    head = series.point("head")[0, 1]
    feet = series.point("left_heel")[0, 1]
    assert 1.5 < head - feet + 0.1 < 1.9  # head centre to sole plus the crown: ~1.7 m tall


def test_a_leg_raise_adds_to_hip_flexion_of_that_leg_only() -> None:
    signals = kinematic_signals(simulate_motion(duration_s=0.2, leg_raise_left_deg=40.0))
    assert np.median(signals.channel("hip_flexion_left_deg")) == pytest.approx(40.0, abs=1e-6)
    assert np.median(signals.channel("hip_flexion_right_deg")) == pytest.approx(0.0, abs=1e-6)
    assert np.median(signals.channel("knee_flexion_left_deg")) == pytest.approx(0.0, abs=1e-6)


def test_hold_course_holds_for_exactly_the_time_asked() -> None:
    time = np.arange(0, 20, 0.01)
    course = hold_course(time, value=20.0, start_s=2.0, hold_s=12.0, ramp_s=1.0)
    held = time[np.isclose(course, 20.0)]
    assert held[-1] - held[0] == pytest.approx(12.0, abs=0.011)
    assert course[0] == 0.0
    assert course[-1] == 0.0


def test_repetition_course_has_the_asked_number_of_peaks() -> None:
    time = np.arange(0, 30, 0.01)
    course = repetition_course(time, amplitude=50.0, reps=4)
    rising = np.flatnonzero(np.diff((course > 25).astype(int)) == 1)
    assert rising.size == 4
    assert course.max() == pytest.approx(50.0)


def test_blank_makes_a_gap_of_known_place_and_length() -> None:
    series = blank(simulate_motion(duration_s=3.0), start_s=1.0, end_s=1.5, names=("left_wrist",))
    wrist = series.point("left_wrist")[:, 0]
    missing = series.time[np.isnan(wrist)]
    assert missing[0] == pytest.approx(1.0)
    assert missing[-1] == pytest.approx(1.5, abs=1 / 30)
    assert np.isfinite(series.point("right_wrist")).all()
    assert (series.visibility("left_wrist")[np.isnan(wrist)] == 0).all()
    with pytest.raises(AnalysisError, match="names"):
        blank(series, start_s=0, end_s=1, names=("tail",))


@pytest.mark.parametrize("view", ["front", "side"])
def test_camera_projection_is_in_image_height_units_without_spine_points(view: str) -> None:
    series = camera_view_of(simulate_motion(duration_s=0.2), view)  # type: ignore[arg-type]
    assert series.unit == "image_height"
    assert series.dims == 2
    assert not series.has("thorax")
    assert series.has("left_shoulder")
    assert 0.0 < np.nanmin(series.positions[..., 1]) < np.nanmax(series.positions[..., 1]) < 1.0


def test_bad_settings_are_refused_with_the_field_named() -> None:
    with pytest.raises(AnalysisError, match="duration_s"):
        simulate_motion(duration_s=0.0)
    with pytest.raises(AnalysisError, match="noise_m"):
        simulate_motion(duration_s=1.0, gap_fraction=2.0)
