"""Vectorised geometry: known answers, single frames, sign conventions and invariances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.pose.geometry import (
    FRONT_VIEW_MIN_RATIO,
    SIDE_VIEW_MAX_RATIO,
    angle_between,
    body_axes,
    cross,
    frontal_inclination,
    joint_angle,
    planar_inclination,
    sagittal_inclination,
    signed_angle_about_vertical,
    tilt_from_horizontal,
    view_from_ratio,
    width_ratio,
)

finite = st.floats(-10, 10, allow_nan=False)
vector3 = st.tuples(finite, finite, finite).filter(lambda v: np.linalg.norm(v) > 1e-3)


def _turn(vectors: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate about the vertical (y) axis."""
    a = np.radians(degrees)
    rotation = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    return np.asarray(vectors @ rotation.T)


def test_angle_between_known_answers_in_two_and_three_dimensions() -> None:
    assert angle_between(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(90.0)
    assert angle_between(np.array([1.0, 0.0, 0.0]), np.array([-2.0, 0, 0])) == pytest.approx(180)
    assert angle_between(np.array([0.0, 3.0, 0.0]), np.array([0.0, 1.0, 0.0])) == 0.0
    tiny = angle_between(np.array([1.0, 0.0, 0.0]), np.array([1.0, 1e-9, 0.0]))
    assert tiny == pytest.approx(np.degrees(1e-9), rel=1e-6)  # no arccos precision loss


def test_single_frames_and_batches_agree() -> None:
    rng = np.random.default_rng(0)
    a, b, c = rng.normal(size=(3, 50, 3))
    batch = joint_angle(a, b, c)
    assert joint_angle(a[7], b[7], c[7]).shape == ()
    assert joint_angle(a[7:8], b[7:8], c[7:8]).shape == (1,)
    assert float(joint_angle(a[7], b[7], c[7])) == pytest.approx(batch[7])
    np.testing.assert_allclose(cross(a, b), np.cross(a, b), atol=1e-12)


def test_joint_angle_is_zero_when_straight_and_ninety_at_a_right_angle() -> None:
    hip, knee = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.5, 0.0])
    assert joint_angle(hip, knee, np.array([0.0, 0.0, 0.0])) == pytest.approx(0.0)
    assert joint_angle(hip, knee, np.array([0.0, 0.5, 0.5])) == pytest.approx(90.0)


def test_body_axes_point_left_and_forwards() -> None:
    lateral, forward = body_axes(np.array([0.1, 1.0, 0.0]), np.array([-0.1, 1.02, 0.0]))
    np.testing.assert_allclose(lateral, [1.0, 0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(forward, [0.0, 0.0, 1.0], atol=1e-12)


def test_body_axes_are_missing_when_the_pair_is_vertical() -> None:
    lateral, forward = body_axes(np.array([0.0, 1.0, 0.01]), np.array([0.0, 0.0, 0.0]))
    assert np.isnan(lateral).all()
    assert np.isnan(forward).all()


def test_inclination_signs_forwards_and_to_the_right() -> None:
    lateral, forward = np.array([1.0, 0, 0]), np.array([0.0, 0, 1])
    lean = np.array([0.0, np.cos(np.radians(20)), np.sin(np.radians(20))])
    bend_right = np.array([-np.sin(np.radians(10)), np.cos(np.radians(10)), 0.0])
    assert sagittal_inclination(lean, forward) == pytest.approx(20.0)
    assert frontal_inclination(lean, lateral) == pytest.approx(0.0)
    assert frontal_inclination(bend_right, lateral) == pytest.approx(10.0)
    assert planar_inclination(np.array([-1.0, 1.0]), -1.0) == pytest.approx(45.0)


def test_horizontal_line_angle_is_positive_turning_to_the_left() -> None:
    hips = np.array([1.0, 0.0, 0.0])
    shoulders = _turn(np.array([1.0, 0.3, 0.0]), 30.0)  # turned left, and not level
    assert signed_angle_about_vertical(hips, shoulders) == pytest.approx(30.0)
    assert signed_angle_about_vertical(shoulders, hips) == pytest.approx(-30.0)


def test_tilt_from_horizontal_is_positive_when_the_first_point_is_higher() -> None:
    right, left = np.array([-0.1, 1.02, 0.0]), np.array([0.1, 1.0, 0.0])
    expected = np.degrees(np.arctan2(0.02, 0.2))
    assert tilt_from_horizontal(right, left) == pytest.approx(expected)
    assert tilt_from_horizontal(right[:2], left[:2]) == pytest.approx(expected)
    assert tilt_from_horizontal(left, right) == pytest.approx(-expected)


@pytest.mark.parametrize(
    ("ratio", "view"),
    [
        (0.8, "front"),
        (FRONT_VIEW_MIN_RATIO, "front"),
        (0.4, "unknown"),
        (SIDE_VIEW_MAX_RATIO, "side"),
        (0.05, "side"),
        (float("nan"), "unknown"),
    ],
)
def test_view_from_the_width_ratio(ratio: float, view: str) -> None:
    assert view_from_ratio(ratio) == view


def test_width_ratio_of_a_front_and_a_side_view() -> None:
    base, top = np.array([0.5, 0.5]), np.array([0.5, 0.75])
    front = width_ratio(np.array([0.6, 0.75]), np.array([0.4, 0.75]), base, top)
    side = width_ratio(np.array([0.51, 0.75]), np.array([0.5, 0.75]), base, top)
    assert front == pytest.approx(0.8)
    assert side == pytest.approx(0.04)


@settings(max_examples=60, deadline=None)
@given(vector3, vector3, st.floats(-180, 180), st.floats(0.1, 10))
def test_angles_are_bounded_symmetric_and_invariant(
    first: tuple[float, float, float], second: tuple[float, float, float], turn: float, k: float
) -> None:
    a, b = np.array(first), np.array(second)
    angle = float(angle_between(a, b))
    assert 0.0 <= angle <= 180.0
    assert angle == pytest.approx(float(angle_between(b, a)), abs=1e-9)
    assert float(angle_between(_turn(a, turn), _turn(b, turn))) == pytest.approx(angle, abs=1e-6)
    assert float(angle_between(k * a, b)) == pytest.approx(angle, abs=1e-6)
