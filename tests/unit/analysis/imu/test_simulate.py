"""Simulated sensors: readings consistent with the true orientation they come from."""

from __future__ import annotations

import numpy as np
import pytest

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu import (
    angle_between,
    from_axis_angle,
    inclination,
    readings_of,
    rotate,
    simulate_imu,
    simulate_lumbar,
)


def test_constant_rate_turns_by_rate_times_time() -> None:
    sim = simulate_imu((0.0, 0.0, np.pi / 4), rate_hz=50, duration_s=2)
    expected = from_axis_angle(np.array([0.0, 0.0, 1.0]), np.pi / 2)
    assert angle_between(sim.true_q[-1], expected) == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(sim.gyr[1:], np.tile([0.0, 0.0, np.pi / 4], (100, 1)), atol=1e-12)
    np.testing.assert_array_equal(sim.gyr[0], 0.0)


def test_readings_are_gravity_and_field_in_the_sensor_frame() -> None:
    q = from_axis_angle(np.array([0.0, 1.0, 0.0]), np.radians([0.0, 30.0, 90.0]))
    sim = readings_of(q, rate_hz=10, dip_deg=60)
    np.testing.assert_allclose(np.linalg.norm(sim.acc, axis=1), 1.0)
    np.testing.assert_allclose(rotate(q, sim.acc), np.tile([0.0, 0.0, 1.0], (3, 1)), atol=1e-12)
    np.testing.assert_allclose(rotate(q, sim.mag)[0], [0.5, 0.0, -np.sqrt(3) / 2], atol=1e-12)
    np.testing.assert_allclose(inclination(q), [0.0, 30.0, 90.0], atol=1e-9)
    # The gyroscope reading re-integrates to the next orientation.
    again = simulate_imu(sim.gyr, rate_hz=10, duration_s=0.2)
    np.testing.assert_allclose(angle_between(again.true_q, q), 0.0, atol=1e-5)


def test_noise_is_seeded() -> None:
    first = simulate_imu((0.1, 0.0, 0.0), rate_hz=20, duration_s=1, noise_acc=0.1, seed=3)
    second = simulate_imu((0.1, 0.0, 0.0), rate_hz=20, duration_s=1, noise_acc=0.1, seed=3)
    np.testing.assert_array_equal(first.acc, second.acc)
    assert np.std(first.acc - readings_of(first.true_q, rate_hz=20).acc) == pytest.approx(
        0.1, rel=0.3
    )


def test_lumbar_simulation_courses() -> None:
    sim = simulate_lumbar(rate_hz=20, duration_s=1, flexion_deg=lambda t: 10 * t, rotation_deg=5.0)
    np.testing.assert_allclose(sim.flexion_deg[-1], 10.0)
    np.testing.assert_allclose(sim.rotation_deg, 5.0)
    assert sim.thorax.true_q.shape == sim.pelvis.true_q.shape == (21, 4)


def test_bad_simulation_settings_name_the_field() -> None:
    with pytest.raises(AnalysisError) as caught:
        simulate_imu((0.0, 0.0), rate_hz=10, duration_s=1)  # type: ignore[arg-type]
    assert caught.value.field == "angular_velocity"
    with pytest.raises(AnalysisError) as caught:
        simulate_imu((0.0, 0.0, 0.0), rate_hz=10, duration_s=0)
    assert caught.value.field == "duration_s"
    with pytest.raises(AnalysisError) as caught:
        readings_of(np.tile([1.0, 0, 0, 0], (3, 1)), rate_hz=10, noise_gyr=-1)
    assert caught.value.field == "noise_gyr"
