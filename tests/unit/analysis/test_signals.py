"""Kinematic signals: known angles from simulated motion, seen in 3-D and by a 2-D camera."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.pose.signals import (
    CHANNELS,
    SIGNALS,
    camera_view,
    kinematic_signals,
    visible_channels,
)
from spinecoach.analysis.simulate import blank, camera_view_of, simulate_motion
from spinecoach.analysis.timeseries import LandmarkSeries


def median(series: LandmarkSeries, channel: str) -> float:
    return float(np.nanmedian(kinematic_signals(series).channel(channel)))


@pytest.mark.parametrize(
    ("pose", "channel", "expected"),
    [
        ({"trunk_sagittal_deg": 20.0}, "trunk_sagittal_deg", 20.0),
        ({"trunk_sagittal_deg": -10.0}, "trunk_sagittal_deg", -10.0),
        ({"trunk_frontal_deg": 10.0}, "trunk_frontal_deg", 10.0),
        ({"trunk_rotation_deg": 30.0}, "trunk_rotation_deg", 30.0),
        ({"arm_elevation_left_deg": 90.0}, "shoulder_abduction_left_deg", 90.0),
        ({"arm_elevation_right_deg": 150.0}, "arm_elevation_right_deg", 150.0),
        ({"knee_flexion_deg": 60.0}, "knee_flexion_left_deg", 60.0),
        ({"knee_flexion_deg": 60.0}, "hip_flexion_right_deg", 30.0),
        ({"knee_flexion_deg": 60.0, "trunk_sagittal_deg": 15.0}, "hip_flexion_left_deg", 45.0),
    ],
)
def test_known_angles_in_three_dimensions(
    pose: dict[str, float], channel: str, expected: float
) -> None:
    series = simulate_motion(duration_s=0.5, **pose)  # type: ignore[arg-type]
    assert median(series, channel) == pytest.approx(expected, abs=0.1)


def test_arm_raised_forwards_is_shoulder_flexion() -> None:
    series = simulate_motion(duration_s=0.5, arm_elevation_left_deg=70.0, arm_plane="sagittal")
    assert median(series, "shoulder_flexion_left_deg") == pytest.approx(70.0, abs=0.1)


def test_standing_upright_reads_zero_everywhere_it_should() -> None:
    signals = kinematic_signals(simulate_motion(duration_s=0.5))
    for channel in (
        "trunk_sagittal_deg",
        "trunk_frontal_deg",
        "trunk_rotation_deg",
        "pelvic_obliquity_deg",
        "knee_flexion_left_deg",
        "hip_flexion_right_deg",
        "arm_elevation_left_deg",
        "lumbar_flexion_deg",
    ):
        assert np.nanmedian(np.abs(signals.channel(channel))) < 0.1, channel
    assert np.nanmedian(signals.channel("hip_height")) == pytest.approx(1.09, abs=0.02)


@pytest.mark.parametrize("facing", [1.0, -1.0])
def test_a_side_camera_sees_the_sagittal_lean_whichever_way_the_subject_faces(
    facing: float,
) -> None:
    series = camera_view_of(
        simulate_motion(duration_s=0.5, trunk_sagittal_deg=25.0), "side", facing=facing
    )
    assert camera_view(series) == "side"
    assert median(series, "trunk_sagittal_deg") == pytest.approx(25.0, abs=0.1)
    assert np.isnan(kinematic_signals(series).channel("trunk_frontal_deg")).all()


def test_a_front_camera_sees_the_side_bend_and_not_the_lean() -> None:
    series = camera_view_of(simulate_motion(duration_s=0.5, trunk_frontal_deg=12.0), "front")
    assert camera_view(series) == "front"
    assert median(series, "trunk_frontal_deg") == pytest.approx(12.0, abs=0.1)
    assert np.isnan(kinematic_signals(series).channel("trunk_sagittal_deg")).all()


def test_a_mirrored_front_camera_keeps_the_side_bend_sign() -> None:
    series = camera_view_of(simulate_motion(duration_s=0.5, trunk_frontal_deg=12.0), "front")
    mirrored = replace(series, positions=series.positions * np.array([-1.0, 1.0]))
    assert median(mirrored, "trunk_frontal_deg") == pytest.approx(12.0, abs=0.1)


def test_lab_sources_are_three_dimensional_views() -> None:
    assert camera_view(simulate_motion(duration_s=0.2)) == "3d"


def test_every_channel_documents_its_unit_and_method() -> None:
    assert set(CHANNELS) == set(SIGNALS)
    for name, spec in SIGNALS.items():
        assert spec.unit, name
        assert spec.method.endswith("."), name


def _turned(series: LandmarkSeries, degrees: float, scale: float) -> LandmarkSeries:
    a = np.radians(degrees)
    rotation = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    return replace(series, positions=scale * series.positions @ rotation.T)


@settings(max_examples=25, deadline=None)
@given(
    turn=st.floats(-180, 180),
    scale=st.floats(0.5, 3.0),
    lean=st.floats(-40, 40),
    bend=st.floats(-30, 30),
)
def test_trunk_angles_do_not_depend_on_where_the_subject_faces_or_their_size(
    turn: float, scale: float, lean: float, bend: float
) -> None:
    series = simulate_motion(duration_s=0.2, trunk_sagittal_deg=lean, trunk_frontal_deg=bend)
    moved = _turned(series, turn, scale)
    for channel in ("trunk_sagittal_deg", "trunk_frontal_deg", "knee_flexion_left_deg"):
        np.testing.assert_allclose(
            kinematic_signals(moved).channel(channel),
            kinematic_signals(series).channel(channel),
            atol=1e-6,
        )


def test_mirroring_the_body_swaps_left_and_right() -> None:
    series = simulate_motion(duration_s=0.2, arm_elevation_left_deg=80.0)
    names = tuple(
        n.replace("left", "@").replace("right", "left").replace("@", "right") for n in series.names
    )
    mirrored = replace(series, positions=series.positions * np.array([-1.0, 1.0, 1.0]), names=names)
    assert median(mirrored, "arm_elevation_right_deg") == pytest.approx(80.0, abs=0.1)
    assert median(mirrored, "arm_elevation_left_deg") == pytest.approx(0.0, abs=0.1)


def _swap_sides(name: str) -> str:
    return name.replace("left", "@").replace("right", "left").replace("@", "right")


@settings(max_examples=15, deadline=None)
@given(
    lean=st.floats(-30, 30),
    bend=st.floats(-20, 20),
    turn=st.floats(-40, 40),
    arm=st.floats(0, 150),
    knee=st.floats(0, 90),
)
def test_a_mirrored_body_swaps_left_and_right_and_flips_sideways_signs(
    lean: float, bend: float, turn: float, arm: float, knee: float
) -> None:
    series = simulate_motion(
        duration_s=0.1,
        trunk_sagittal_deg=lean,
        trunk_frontal_deg=bend,
        trunk_rotation_deg=turn,
        arm_elevation_left_deg=arm,
        knee_flexion_deg=knee,
        leg_raise_right_deg=knee / 3,
    )
    mirrored = replace(
        series,
        positions=series.positions * np.array([-1.0, 1.0, 1.0]),
        names=tuple(_swap_sides(n) for n in series.names),
    )
    before, after = kinematic_signals(series), kinematic_signals(mirrored)
    flipped = {"trunk_frontal_deg", "trunk_rotation_deg", "pelvic_obliquity_deg"}
    for name in CHANNELS:
        if name == "pelvis_lateral":
            continue  # a position, not an angle: mirrored about x = 0
        expected = before.channel(name)
        if name in flipped:
            expected = -expected
        np.testing.assert_allclose(
            after.channel(_swap_sides(name)), expected, atol=1e-6, err_msg=name
        )


def test_pelvic_obliquity_is_positive_when_the_right_hip_is_higher() -> None:
    series = simulate_motion(duration_s=0.2)
    positions = series.positions.copy()
    positions[:, series.names.index("right_hip"), 1] += 0.02
    raised = replace(series, positions=positions)
    expected = np.degrees(np.arctan2(0.02, 0.18))
    assert median(raised, "pelvic_obliquity_deg") == pytest.approx(expected, abs=1e-6)
    front = camera_view_of(raised, "front")
    assert median(front, "pelvic_obliquity_deg") == pytest.approx(expected, abs=1e-6)


def test_a_side_camera_follows_a_changing_lean_as_the_three_dimensional_one_does() -> None:
    def course(t: np.ndarray) -> np.ndarray:
        return np.asarray(30.0 * np.sin(t))

    series = simulate_motion(duration_s=6.0, trunk_sagittal_deg=course)
    lab = kinematic_signals(series).channel("trunk_sagittal_deg")
    side = kinematic_signals(camera_view_of(series, "side")).channel("trunk_sagittal_deg")
    np.testing.assert_allclose(side, lab, atol=1e-9)
    np.testing.assert_allclose(lab, course(series.time), atol=1e-9)


def test_a_front_camera_follows_a_changing_side_bend_as_the_three_dimensional_one_does() -> None:
    series = simulate_motion(duration_s=6.0, trunk_frontal_deg=lambda t: 15.0 * np.sin(t))
    lab = kinematic_signals(series).channel("trunk_frontal_deg")
    front = kinematic_signals(camera_view_of(series, "front")).channel("trunk_frontal_deg")
    np.testing.assert_allclose(front, lab, atol=1e-9)


@pytest.mark.parametrize("view", ["front", "side"])
def test_channels_outside_a_view_are_missing_and_those_inside_are_measured(view: str) -> None:
    series = camera_view_of(
        simulate_motion(duration_s=0.5, trunk_sagittal_deg=10, arm_elevation_left_deg=30),
        view,  # type: ignore[arg-type]
    )
    signals = kinematic_signals(series)
    shown = set(visible_channels(view))  # type: ignore[arg-type]
    for name in CHANNELS:
        values = signals.channel(name)
        if name not in shown:
            assert np.isnan(values).all(), name
    for name in ("trunk_length", "hip_height", "arm_elevation_left_deg", "knee_flexion_left_deg"):
        assert np.isfinite(signals.channel(name)).all(), name
    assert visible_channels("unknown") == ()
    assert set(visible_channels("3d")) == set(CHANNELS)


def test_missing_landmarks_give_missing_channels_only_where_they_are_missing() -> None:
    series = blank(simulate_motion(duration_s=2.0), start_s=0.5, end_s=1.0, names=("left_knee",))
    signals = kinematic_signals(series)
    gap = (series.time >= 0.5) & (series.time <= 1.0)
    knee = signals.channel("knee_flexion_left_deg")
    assert np.isnan(knee[gap]).all()
    assert np.isfinite(knee[~gap]).all()
    assert np.isfinite(signals.channel("trunk_sagittal_deg")).all()


def test_a_single_frame_gives_the_same_angles_as_the_whole_recording() -> None:
    series = camera_view_of(simulate_motion(duration_s=1.0, trunk_sagittal_deg=12.0), "side")
    whole = kinematic_signals(series)
    one = kinematic_signals(series.between(series.time[10], series.time[10]), view="side")
    for name in ("trunk_sagittal_deg", "hip_flexion_left_deg", "arm_elevation_right_deg"):
        assert one.channel(name)[0] == pytest.approx(whole.channel(name)[10]), name


def test_a_view_that_does_not_fit_the_source_is_refused() -> None:
    with pytest.raises(AnalysisError, match="view"):
        kinematic_signals(simulate_motion(duration_s=0.2), view="front")
    with pytest.raises(AnalysisError, match="view"):
        kinematic_signals(camera_view_of(simulate_motion(duration_s=0.2), "side"), view="3d")


def test_a_side_view_without_a_head_point_still_finds_the_facing_direction() -> None:
    series = camera_view_of(
        simulate_motion(duration_s=0.5, trunk_sagittal_deg=20.0), "side", facing=-1.0
    )
    keep = [i for i, n in enumerate(series.names) if n != "head" and "heel" not in n]
    trimmed = replace(
        series,
        positions=series.positions[:, keep],
        confidence=series.confidence[:, keep],
        names=tuple(series.names[i] for i in keep),
    )
    assert median(trimmed, "trunk_sagittal_deg") == pytest.approx(20.0, abs=1e-6)


def test_channel_groups_partition_the_channels_and_only_skips_unwanted_groups() -> None:
    from spinecoach.analysis.pose.signals import (
        CHANNELS,
        HEIGHT_SPEED_CHANNELS,
        LIMB_CHANNELS,
        kinematic_signals,
    )

    trunk = {name for name in CHANNELS if name not in LIMB_CHANNELS | HEIGHT_SPEED_CHANNELS}
    assert trunk == {
        "trunk_length",
        "trunk_sagittal_deg",
        "trunk_frontal_deg",
        "trunk_rotation_deg",
        "pelvic_tilt_deg",
        "pelvic_obliquity_deg",
        "lumbar_flexion_deg",
    }
    assert set(CHANNELS) >= LIMB_CHANNELS | HEIGHT_SPEED_CHANNELS
    series = simulate_motion(
        duration_s=2.0, trunk_sagittal_deg=20.0, leg_raise_left_deg=30.0, noise_m=0.002, seed=1
    )
    full = kinematic_signals(series)
    for wanted in (
        frozenset({"trunk_sagittal_deg", "hip_flexion_left_deg", "knee_valgus_right_deg"}),
        frozenset({"arm_elevation_left_deg", "shoulder_flexion_right_deg"}),
        frozenset({"elbow_flexion_left_deg", "shoulder_elevation_right_deg"}),
        frozenset({"left_wrist_speed", "hip_height"}),
    ):
        part = kinematic_signals(series, only=wanted)
        for name in wanted:
            np.testing.assert_array_equal(part.channel(name), full.channel(name))
    legs_only = kinematic_signals(series, only=frozenset({"hip_flexion_left_deg"}))
    assert np.isnan(legs_only.channel("arm_elevation_left_deg")).all()
    assert np.isnan(legs_only.channel("left_wrist_speed")).all()
    # Within the arms too, only the angles asked for (the live arm raise reads two of five).
    elevation_only = kinematic_signals(series, only=frozenset({"arm_elevation_left_deg"}))
    assert np.isfinite(elevation_only.channel("arm_elevation_left_deg")).all()
    for unasked in (
        "elbow_flexion_left_deg",
        "shoulder_elevation_left_deg",
        "hip_flexion_left_deg",
    ):
        assert np.isnan(elevation_only.channel(unasked)).all()


def test_a_trusted_one_frame_series_gives_the_same_signals_as_a_validated_one() -> None:
    series = simulate_motion(duration_s=0.5, trunk_sagittal_deg=15.0, noise_m=0.002, seed=3)
    one = series.between(series.time[4], series.time[4])
    fast = series.trusted_frames(series.time[4:5], series.positions[4:5], series.confidence[4:5])
    np.testing.assert_array_equal(
        kinematic_signals(fast, view="3d").values, kinematic_signals(one, view="3d").values
    )
    assert fast.frames == 1
    assert fast.point("left_hip").shape == (1, 3)


@pytest.mark.parametrize("view", ["front", "side", "3d"])
def test_frames_measured_alone_in_one_call_equal_one_call_per_frame(view: str) -> None:
    motion = simulate_motion(
        duration_s=1.0,
        rate_hz=20.0,
        trunk_sagittal_deg=20.0,
        arm_elevation_left_deg=lambda t: 90.0 * t,
        noise_m=0.003,
        seed=5,
    )
    series = motion if view == "3d" else camera_view_of(motion, view)  # type: ignore[arg-type]
    positions = series.positions.copy()
    # Hidden points in some frames: the hips (the shoulders then tell left from right), the
    # nose (the toes then tell the facing) and one leg (the other gives the leg length).
    for frame, name in ((2, "left_hip"), (3, "nose"), (4, "left_knee"), (5, "right_ankle")):
        positions[frame, series.names.index(name)] = np.nan
    series = replace(series, positions=positions)
    together = kinematic_signals(series, view=view, per_frame=True)  # type: ignore[arg-type]
    for k in range(series.frames):
        alone = kinematic_signals(
            series.between(series.time[k], series.time[k]),
            view=view,  # type: ignore[arg-type]
        )
        np.testing.assert_allclose(
            together.values[k], alone.values[0], rtol=1e-12, atol=1e-12, equal_nan=True
        )
    # Per frame is not the recording-wide reading: speeds need neighbouring frames.
    assert np.isnan(together.channel("left_wrist_speed")).all()
    assert np.isfinite(kinematic_signals(series, view=view).channel("left_wrist_speed")).any()  # type: ignore[arg-type]
