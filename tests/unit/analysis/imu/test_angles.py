"""Lumbar and trunk angles: known answers on simulated sensors, invariance, calibration."""

from __future__ import annotations

import numpy as np
import pytest

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu import (
    LUMBAR_CHANNELS,
    calibrate,
    conjugate,
    from_axis_angle,
    lumbar_angles,
    multiply,
    rotate,
    simulate_imu,
    simulate_lumbar,
    trunk_angle,
)
from spinecoach.analysis.imu.orientation import Sequence
from spinecoach.analysis.timeseries import FloatArray

RATE = 50.0
X, Y, Z = np.eye(3)


def test_thorax_flexed_30_degrees_on_a_fixed_pelvis() -> None:
    sim = simulate_lumbar(rate_hz=RATE, duration_s=2, flexion_deg=30.0)
    angles = lumbar_angles(sim.thorax.true_q, sim.pelvis.true_q, rate_hz=RATE)
    assert angles.channels == LUMBAR_CHANNELS
    assert angles.units == ("deg", "deg", "deg")
    np.testing.assert_allclose(angles.channel("flexion"), 30.0, atol=1e-9)
    np.testing.assert_allclose(angles.channel("lateral_bend"), 0.0, atol=1e-9)
    np.testing.assert_allclose(angles.channel("rotation"), 0.0, atol=1e-9)
    assert angles.rate_hz == pytest.approx(RATE)


def test_flexion_is_forward_lateral_bend_right_rotation_left() -> None:
    pelvis = np.tile([1.0, 0.0, 0.0, 0.0], (1, 1))
    forward = rotate(from_axis_angle(Y, np.radians(20)), Z)  # the thorax's up axis
    assert forward[0] > 0  # leans anterior (+x)
    right = rotate(from_axis_angle(X, np.radians(20)), Z)
    assert right[1] < 0  # leans towards -y, the subject's right
    left = rotate(from_axis_angle(Z, np.radians(20)), X)
    assert left[1] > 0  # the front turns to the left
    for axis, channel in ((Y, "flexion"), (X, "lateral_bend"), (Z, "rotation")):
        thorax = from_axis_angle(axis, np.radians(20))[None]
        assert lumbar_angles(thorax, pelvis, rate_hz=RATE).channel(channel)[0] == pytest.approx(20)


def test_combined_angles_are_recovered_and_unchanged_by_a_common_yaw_and_pelvic_tilt() -> None:
    course = {
        "flexion_deg": lambda t: 40 * np.sin(0.5 * t),
        "lateral_bend_deg": lambda t: 15 * np.sin(0.8 * t),
        "rotation_deg": lambda t: -20 * np.cos(0.3 * t),
    }
    still = simulate_lumbar(rate_hz=RATE, duration_s=10, **course)  # type: ignore[arg-type]
    turned = simulate_lumbar(
        rate_hz=RATE,
        duration_s=10,
        yaw_deg=lambda t: 90 * np.sin(0.2 * t),
        pelvis_tilt_deg=25.0,
        **course,  # type: ignore[arg-type]
    )
    first = lumbar_angles(still.thorax.true_q, still.pelvis.true_q, rate_hz=RATE)
    second = lumbar_angles(turned.thorax.true_q, turned.pelvis.true_q, rate_hz=RATE)
    truth = np.stack((still.flexion_deg, still.lateral_bend_deg, still.rotation_deg), axis=1)
    np.testing.assert_allclose(first.values, truth, atol=1e-8)
    np.testing.assert_allclose(second.values, truth, atol=1e-8)


def test_other_sequences_give_the_same_single_plane_angle() -> None:
    sim = simulate_lumbar(rate_hz=RATE, duration_s=1, flexion_deg=25.0)
    sequences: tuple[Sequence, ...] = ("ZXY", "XYZ", "YZX")
    for sequence in sequences:
        angles = lumbar_angles(
            sim.thorax.true_q, sim.pelvis.true_q, rate_hz=RATE, sequence=sequence
        )
        np.testing.assert_allclose(angles.channel("flexion"), 25.0, atol=1e-9)


def test_filtered_sensors_give_lumbar_flexion_within_a_degree() -> None:
    from spinecoach.analysis.imu import madgwick

    sim = simulate_lumbar(
        rate_hz=100,
        duration_s=20,
        flexion_deg=lambda t: 30 * (1 - np.cos(0.5 * t)),
        pelvis_tilt_deg=lambda t: 10 * np.sin(0.4 * t),
    )
    thorax = madgwick(sim.thorax.gyr, sim.thorax.acc, rate_hz=100, q0=sim.thorax.true_q[0])
    pelvis = madgwick(sim.pelvis.gyr, sim.pelvis.acc, rate_hz=100, q0=sim.pelvis.true_q[0])
    angles = lumbar_angles(thorax, pelvis, rate_hz=100)
    assert np.abs(angles.channel("flexion") - sim.flexion_deg).max() < 1.0


def mounted(q: FloatArray, mount: FloatArray) -> FloatArray:
    """Orientation of a sensor fixed to a segment with a constant mounting rotation."""
    return multiply(q, np.broadcast_to(mount, q.shape))


def test_calibration_removes_mounting_offsets_and_heading() -> None:
    # Stand for 2 s, then flex 30° and bend 10°; the body faces 70° from earth x.
    sim = simulate_lumbar(
        rate_hz=RATE,
        duration_s=6,
        flexion_deg=lambda t: np.where(t < 2, 0.0, 30.0),
        lateral_bend_deg=lambda t: np.where(t < 2, 0.0, 10.0),
        yaw_deg=70.0,
    )
    thorax_mount = from_axis_angle(np.array([1.0, 2.0, 3.0]), 1.1)
    pelvis_mount = from_axis_angle(Z, np.radians(-90))  # its -y points forward
    thorax = mounted(sim.thorax.true_q, conjugate(thorax_mount))
    pelvis = mounted(sim.pelvis.true_q, conjugate(pelvis_mount))
    raw = lumbar_angles(thorax, pelvis, rate_hz=RATE)
    assert np.abs(raw.channel("flexion")[-1] - 30.0) > 5.0
    seg_thorax, seg_pelvis = calibrate(thorax, pelvis, slice(0, int(2 * RATE)), forward="-y")
    angles = lumbar_angles(seg_thorax, seg_pelvis, rate_hz=RATE)
    np.testing.assert_allclose(angles.values[:10], 0.0, atol=1e-6)
    np.testing.assert_allclose(angles.values[-1], [30.0, 10.0, 0.0], atol=1e-6)


def test_calibration_and_angles_reject_bad_input() -> None:
    q = np.tile([1.0, 0.0, 0.0, 0.0], (10, 1))
    with pytest.raises(AnalysisError) as caught:
        calibrate(q, q, slice(20, 30))
    assert caught.value.field == "standing"
    with pytest.raises(AnalysisError) as caught:
        calibrate(q, q, slice(0, 5), forward="z")
    assert caught.value.field == "forward"
    with pytest.raises(AnalysisError) as caught:
        lumbar_angles(q, q[:5], rate_hz=RATE)
    assert caught.value.field == "pelvis_q"
    with pytest.raises(AnalysisError) as caught:
        lumbar_angles(q[:, :3], q, rate_hz=RATE)
    assert caught.value.field == "thorax_q"
    with pytest.raises(AnalysisError) as caught:
        lumbar_angles(q, q, rate_hz=-1)
    assert caught.value.field == "rate_hz"
    with pytest.raises(AnalysisError) as caught:
        lumbar_angles(q, q, rate_hz=RATE, sequence="XYX")  # type: ignore[arg-type]
    assert caught.value.field == "sequence"


@pytest.mark.parametrize("tilt_deg", [0.0, 20.0, 65.0, 120.0])
def test_trunk_angle_of_a_static_tilted_sensor(tilt_deg: float) -> None:
    tilt = from_axis_angle(np.array([1.0, -1.0, 0.0]), np.radians(tilt_deg))
    up = rotate(conjugate(tilt), Z)  # what the accelerometer reads, in g
    acc = np.tile(9.81 * up, (300, 1))
    np.testing.assert_allclose(trunk_angle(acc, rate_hz=RATE), tilt_deg, atol=1e-6)
    gyr = np.zeros_like(acc)
    np.testing.assert_allclose(trunk_angle(acc, rate_hz=RATE, gyr=gyr), tilt_deg, atol=0.2)


def test_trunk_angle_about_another_axis_and_with_a_gyroscope_while_moving() -> None:
    sim = simulate_imu(
        lambda t: np.stack((0 * t, 0.8 * np.cos(0.8 * t), 0 * t), axis=1),
        rate_hz=100,
        duration_s=20,
    )
    pitch = np.degrees(np.sin(0.8 * np.arange(sim.gyr.shape[0]) / 100))  # ∫ 0.8 cos(0.8 t) dt
    truth = np.abs(pitch)
    with_gyro = trunk_angle(sim.acc, rate_hz=100, gyr=sim.gyr)
    assert np.abs(with_gyro - truth).max() < 1.0
    sideways = trunk_angle(sim.acc, rate_hz=100, up_axis="-x")
    assert np.abs(sideways - (90.0 - pitch))[100:-100].max() < 1.0  # -x = (-cos θ, 0, sin θ)


def test_trunk_angle_rejects_bad_input() -> None:
    with pytest.raises(AnalysisError) as caught:
        trunk_angle(np.zeros((10, 3)), rate_hz=RATE)
    assert caught.value.field == "acc"
    with pytest.raises(AnalysisError) as caught:
        trunk_angle(np.ones((10, 2)), rate_hz=RATE)
    assert caught.value.field == "acc"
    with pytest.raises(AnalysisError) as caught:
        trunk_angle(np.ones((10, 3)), rate_hz=RATE, up_axis="w")  # type: ignore[arg-type]
    assert caught.value.field == "up_axis"
    with pytest.raises(AnalysisError) as caught:
        trunk_angle(np.ones((100, 3)), rate_hz=RATE, cutoff_hz=30.0)
    assert caught.value.field == "cutoff_hz"
