"""Orientation filters and quaternion helpers: known rotations, batch vs single, compiled vs a
plain-Python transcription of the published equations, and bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu import (
    angle_between,
    conjugate,
    from_axis_angle,
    from_gravity,
    inclination,
    madgwick,
    mahony,
    mean_quaternion,
    multiply,
    rotate,
    simulate_imu,
    to_cardan,
)
from spinecoach.analysis.timeseries import FloatArray

RATE = 100.0


def wobble(time: FloatArray) -> FloatArray:
    """A smooth 3-axis angular velocity (rad/s) that visits many orientations."""
    return np.stack(
        (0.8 * np.sin(0.9 * time), 0.6 * np.cos(0.5 * time), 0.4 * np.sin(1.7 * time + 1)), axis=1
    )


# ---- plain-Python references, written from the papers' equations (not from our module) ----


def _product(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
        a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
        a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
        a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
    ]


def _turn(q: list[float], v: list[float]) -> list[float]:
    """q ⊗ (0, v) ⊗ q*: a vector from the sensor frame to the earth frame."""
    conj = [q[0], -q[1], -q[2], -q[3]]
    return _product(_product(q, [0.0, *v]), conj)[1:]


def _unit(v: list[float]) -> list[float]:
    norm = sum(x * x for x in v) ** 0.5
    return [x / norm for x in v]


def reference_madgwick(
    gyr: FloatArray, acc: FloatArray, mag: FloatArray | None, dt: float, beta: float, q0: FloatArray
) -> FloatArray:
    """Madgwick (2010): q̇ = ½ q ⊗ ω − β ∇f/|∇f|, with the objective functions f_g (eq. 25) and
    f_b (eq. 29) of the report as printed, and ∇f = Jᵀ f with J by numerical differentiation
    (so the hand-derived Jacobian of the compiled loop is checked, not copied)."""

    def residual(
        q: list[float], a: list[float], m: list[float] | None, b: list[float]
    ) -> list[float]:
        w, x, y, z = q
        out = [
            2 * (x * z - w * y) - a[0],
            2 * (w * x + y * z) - a[1],
            2 * (0.5 - x * x - y * y) - a[2],
        ]
        if m is not None:
            bx, bz = b[0], b[2]
            out += [
                2 * bx * (0.5 - y * y - z * z) + 2 * bz * (x * z - w * y) - m[0],
                2 * bx * (x * y - w * z) + 2 * bz * (w * x + y * z) - m[1],
                2 * bx * (w * y + x * z) + 2 * bz * (0.5 - x * x - y * y) - m[2],
            ]
        return out

    q = list(q0)
    out = [list(q)]
    for k in range(1, len(gyr)):
        dq = [0.5 * x for x in _product(q, [0.0, *gyr[k]])]
        a = _unit(list(acc[k]))
        m = None if mag is None else _unit(list(mag[k]))
        b = [0.0, 0.0, 0.0]
        if m is not None:
            h = _turn(q, m)
            b = [(h[0] ** 2 + h[1] ** 2) ** 0.5, 0.0, h[2]]
        f = residual(q, a, m, b)
        grad = [0.0] * 4
        step = 1e-7
        for j in range(4):
            shifted = list(q)
            shifted[j] += step
            df = residual(shifted, a, m, b)
            grad[j] = sum(f[i] * (df[i] - f[i]) / step for i in range(len(f)))
        norm = sum(g * g for g in grad) ** 0.5
        dq = [dq[j] - beta * grad[j] / norm for j in range(4)]
        q = _unit([q[j] + dq[j] * dt for j in range(4)])
        out.append(list(q))
    return np.array(out)


def reference_mahony(
    gyr: FloatArray, acc: FloatArray, dt: float, kp: float, ki: float, q0: FloatArray
) -> FloatArray:
    """Mahony et al. (2008) explicit complementary filter, IMU form."""
    q = list(q0)
    bias = [0.0, 0.0, 0.0]
    out = [list(q)]
    for k in range(1, len(gyr)):
        a = _unit(list(acc[k]))
        v = _turn([q[0], -q[1], -q[2], -q[3]], [0.0, 0.0, 1.0])
        e = [a[1] * v[2] - a[2] * v[1], a[2] * v[0] - a[0] * v[2], a[0] * v[1] - a[1] * v[0]]
        bias = [bias[i] + ki * e[i] * dt for i in range(3)]
        w = [gyr[k][i] + kp * e[i] + bias[i] for i in range(3)]
        dq = [0.5 * x for x in _product(q, [0.0, *w])]
        q = _unit([q[j] + dq[j] * dt for j in range(4)])
        out.append(list(q))
    return np.array(out)


# ---------------------------------------------------------------------------- filters


@pytest.mark.parametrize("use_mag", [False, True])
@pytest.mark.parametrize("method", ["madgwick", "mahony"])
def test_noise_free_rotation_is_tracked_within_one_degree(method: str, use_mag: bool) -> None:
    sim = simulate_imu(wobble, rate_hz=RATE, duration_s=40)
    mag = sim.mag if use_mag else None
    if method == "madgwick":
        q = madgwick(sim.gyr, sim.acc, mag, rate_hz=RATE, q0=sim.true_q[0])
    else:
        q = mahony(sim.gyr, sim.acc, mag, rate_hz=RATE, q0=sim.true_q[0])
    assert angle_between(q, sim.true_q).max() < 1.0


def test_a_wrong_start_converges_to_the_true_tilt() -> None:
    sim = simulate_imu(wobble, rate_hz=RATE, duration_s=30)
    tilted = from_axis_angle(np.array([1.0, 0.0, 0.0]), np.radians(40))
    q = madgwick(sim.gyr, sim.acc, rate_hz=RATE, q0=tilted, beta=0.5)
    late = slice(int(10 * RATE), None)
    assert np.abs(inclination(q[late]) - inclination(sim.true_q[late])).max() < 1.0


def test_magnetometer_fixes_the_heading_that_gyroscope_bias_drifts() -> None:
    sim = simulate_imu(wobble, rate_hz=RATE, duration_s=60, gyr_bias=(0.0, 0.0, 0.02))
    without = madgwick(sim.gyr, sim.acc, rate_hz=RATE, q0=sim.true_q[0])
    with_mag = madgwick(sim.gyr, sim.acc, sim.mag, rate_hz=RATE, q0=sim.true_q[0])
    assert angle_between(with_mag[-1000:], sim.true_q[-1000:]).max() < 5.0
    assert angle_between(without[-1000:], sim.true_q[-1000:]).mean() > 20.0


def test_mahony_integral_term_learns_a_constant_gyroscope_bias() -> None:
    sim = simulate_imu(wobble, rate_hz=RATE, duration_s=60, gyr_bias=(0.03, -0.02, 0.0))
    with_integral = mahony(sim.gyr, sim.acc, rate_hz=RATE, q0=sim.true_q[0], ki=0.3)
    without = mahony(sim.gyr, sim.acc, rate_hz=RATE, q0=sim.true_q[0], ki=0.0)
    late = slice(-1000, None)
    tilt_with = np.abs(inclination(with_integral[late]) - inclination(sim.true_q[late])).mean()
    tilt_without = np.abs(inclination(without[late]) - inclination(sim.true_q[late])).mean()
    assert tilt_with < tilt_without


@pytest.mark.parametrize("filter_", [madgwick, mahony])
def test_batch_over_sensors_equals_each_sensor_alone(filter_) -> None:  # type: ignore[no-untyped-def]
    sims = [
        simulate_imu(wobble, rate_hz=RATE, duration_s=5, noise_gyr=0.02, noise_acc=0.02, seed=s)
        for s in range(3)
    ]
    gyr = np.stack([s.gyr for s in sims])
    acc = np.stack([s.acc for s in sims])
    mag = np.stack([s.mag for s in sims])
    batch = filter_(gyr, acc, mag, rate_hz=RATE)
    assert batch.shape == (3, gyr.shape[1], 4)
    for k, sim in enumerate(sims):
        np.testing.assert_array_equal(batch[k], filter_(sim.gyr, sim.acc, sim.mag, rate_hz=RATE))


@pytest.mark.parametrize("use_mag", [False, True])
def test_compiled_madgwick_equals_the_plain_python_equations(use_mag: bool) -> None:
    sim = simulate_imu(wobble, rate_hz=RATE, duration_s=0.6, noise_gyr=0.05, noise_acc=0.05, seed=3)
    start = from_axis_angle(np.array([1.0, 2.0, 0.5]), 0.4)
    mag = sim.mag if use_mag else None
    ours = madgwick(sim.gyr, sim.acc, mag, rate_hz=RATE, beta=0.3, q0=start)
    theirs = reference_madgwick(sim.gyr, sim.acc, mag, 1 / RATE, 0.3, start)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_compiled_mahony_equals_the_plain_python_equations() -> None:
    sim = simulate_imu(wobble, rate_hz=RATE, duration_s=0.6, noise_gyr=0.05, noise_acc=0.05, seed=4)
    start = from_axis_angle(np.array([0.3, -1.0, 0.2]), 0.7)
    ours = mahony(sim.gyr, sim.acc, rate_hz=RATE, kp=2.0, ki=0.5, q0=start)
    theirs = reference_mahony(sim.gyr, sim.acc, 1 / RATE, 2.0, 0.5, start)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_initial_orientation_is_levelled_on_the_first_accelerometer_sample() -> None:
    tilt = from_axis_angle(np.array([1.0, 1.0, 0.0]), np.radians(35))
    up_in_sensor = rotate(conjugate(tilt), np.array([0.0, 0.0, 1.0]))
    start = from_gravity(9.81 * up_in_sensor)
    assert inclination(start) == pytest.approx(35.0, abs=1e-9)
    gyr = np.zeros((5, 3))
    acc = np.tile(up_in_sensor, (5, 1))
    np.testing.assert_allclose(madgwick(gyr, acc, rate_hz=RATE)[0], start)
    # At rest Mahony stays put; Madgwick's normalised gradient step dithers by ~2βdt rad.
    assert np.all(angle_between(mahony(gyr, acc, rate_hz=RATE), start) < 1e-6)
    assert np.all(angle_between(madgwick(gyr, acc, rate_hz=RATE), start) < 0.2)


def test_zero_accelerometer_sample_falls_back_to_the_gyroscope() -> None:
    gyr = np.tile([0.0, 0.0, 1.0], (101, 1))
    acc = np.zeros((101, 3))
    q = mahony(gyr, acc, rate_hz=RATE, q0=np.array([1.0, 0.0, 0.0, 0.0]))
    assert angle_between(q[-1], from_axis_angle(np.array([0.0, 0.0, 1.0]), 1.0)) < 0.01


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"gyr": np.zeros((10, 2))}, "gyr"),
        ({"acc": np.zeros((9, 3))}, "acc"),
        ({"mag": np.zeros((9, 3))}, "mag"),
        ({"gyr": np.full((10, 3), np.nan)}, "gyr"),
        ({"rate_hz": 0.0}, "rate_hz"),
        ({"beta": -1.0}, "beta"),
        ({"q0": np.zeros(4)}, "q0"),
        ({"q0": np.ones(3)}, "q0"),
        ({"acc": np.zeros((10, 3))}, "acc"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, Any] = {
        "gyr": np.zeros((10, 3)),
        "acc": np.tile([0.0, 0.0, 1.0], (10, 1)),
        "mag": None,
        "rate_hz": RATE,
        "beta": 0.1,
        "q0": None,
    }
    args.update(kwargs)
    with pytest.raises(AnalysisError) as caught:
        madgwick(
            args["gyr"],
            args["acc"],
            args["mag"],
            rate_hz=args["rate_hz"],
            beta=args["beta"],
            q0=args["q0"],
        )
    assert caught.value.field == field


def test_mahony_gains_are_checked() -> None:
    with pytest.raises(AnalysisError, match="ki"):
        mahony(np.zeros((3, 3)), np.ones((3, 3)), rate_hz=RATE, ki=float("nan"))


# ---------------------------------------------------------------------------- helpers

unit_quaternions = (
    st.lists(st.floats(-1, 1, allow_nan=False), min_size=4, max_size=4)
    .filter(lambda v: np.linalg.norm(v) > 0.1)
    .map(lambda v: np.array(v) / np.linalg.norm(v))
)


@settings(max_examples=50, deadline=None)
@given(unit_quaternions, unit_quaternions, unit_quaternions)
def test_product_is_associative_and_conjugate_inverts(
    p: FloatArray, q: FloatArray, r: FloatArray
) -> None:
    np.testing.assert_allclose(multiply(multiply(p, q), r), multiply(p, multiply(q, r)), atol=1e-12)
    np.testing.assert_allclose(multiply(q, conjugate(q)), [1.0, 0.0, 0.0, 0.0], atol=1e-12)
    assert angle_between(multiply(p, q), multiply(p, q)) == pytest.approx(0.0, abs=1e-5)
    assert angle_between(q, -q) == pytest.approx(0.0, abs=1e-5)


def test_rotation_about_z_turns_x_into_y() -> None:
    q = from_axis_angle(np.array([0.0, 0.0, 1.0]), np.pi / 2)
    np.testing.assert_allclose(rotate(q, np.array([1.0, 0.0, 0.0])), [0.0, 1.0, 0.0], atol=1e-12)


def test_cardan_angles_of_a_known_sequence() -> None:
    z, x, y = np.eye(3)[2], np.eye(3)[0], np.eye(3)[1]
    q = multiply(
        multiply(from_axis_angle(z, np.radians(30)), from_axis_angle(x, np.radians(-20))),
        from_axis_angle(y, np.radians(10)),
    )
    np.testing.assert_allclose(to_cardan(q, sequence="ZXY"), [30.0, -20.0, 10.0], atol=1e-9)
    with pytest.raises(AnalysisError, match="sequence"):
        to_cardan(q, sequence="ZZY")  # type: ignore[arg-type]


def test_angle_between_and_mean() -> None:
    axis = np.array([0.0, 1.0, 0.0])
    assert angle_between(
        from_axis_angle(axis, 0.0), from_axis_angle(axis, np.radians(25))
    ) == pytest.approx(25.0)
    spread = from_axis_angle(np.tile(axis, (3, 1)), np.radians([8.0, 10.0, 12.0]))
    spread[1] *= -1  # the same orientation with the other sign
    np.testing.assert_allclose(
        mean_quaternion(spread), from_axis_angle(axis, np.radians(10)), atol=1e-4
    )
