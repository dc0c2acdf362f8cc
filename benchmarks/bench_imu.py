"""Benchmark the orientation filters against the ``ahrs`` package, on the same data in one run.

Run: ``.venv/bin/python benchmarks/bench_imu.py [--sensors 10] [--seconds 60]``.

Data: ``--sensors`` simulated sensors (spinecoach.analysis.imu.simulate, exact quaternion
integration) turning in different smooth patterns for ``--seconds`` at 100 Hz, with white
noise (gyroscope 0.01 rad/s, accelerometer 0.01 g) and a small constant gyroscope bias.
Both implementations get the same initial orientation (the true one) and the same gains.

Prints, for Madgwick (β = 0.1) and Mahony (kp = 1, ki = 0.3): wall time of our batch call over
all sensors and of ``ahrs.filters.Madgwick``/``Mahony`` run per sensor, the speed ratio, the
one-off numba compile time (excluded from the timing: warmed up first), the mean and max angle
between the two implementations' quaternions, and each one's mean and max error against the
true orientation, whole and tilt only (the heading is unobservable without a magnetometer).
Aim: ≥ 20× faster with equal or better accuracy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numba
import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from spinecoach.analysis.imu import (
    angle_between,
    madgwick,
    mahony,
    orientation,
    simulate_imu,
    to_matrix,
)
from spinecoach.analysis.timeseries import FloatArray

RATE_HZ = 100.0
BETA = 0.1
KP = 1.0
KI = 0.3
AIM = 20.0
# Accuracy counts as equal within this many degrees (the filters' own chatter).
SAME_DEG = 0.05


def simulated(sensors: int, seconds: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(sensors, n, 3) gyroscope and accelerometer readings and (sensors, n, 4) true q."""
    rng = np.random.default_rng(7)
    gyrs, accs, truths = [], [], []
    for s in range(sensors):
        amp = rng.uniform(0.3, 1.2, 3)
        freq = rng.uniform(0.05, 0.5, 3)
        phase = rng.uniform(0, 2 * np.pi, 3)

        def rate(t: FloatArray, amp: Any = amp, freq: Any = freq, phase: Any = phase) -> FloatArray:
            return np.asarray(amp * np.sin(2 * np.pi * freq * t[:, None] + phase))

        sim = simulate_imu(
            rate,
            rate_hz=RATE_HZ,
            duration_s=seconds,
            noise_gyr=0.01,
            noise_acc=0.01,
            gyr_bias=(0.005, -0.003, 0.002),
            seed=s,
        )
        gyrs.append(sim.gyr)
        accs.append(sim.acc)
        truths.append(sim.true_q)
    return np.stack(gyrs), np.stack(accs), np.stack(truths)


def tilt_error(q: FloatArray, truth: FloatArray) -> FloatArray:
    """Angle (deg) between estimated and true up directions in the sensor frame."""
    up = np.array([0.0, 0.0, 1.0])
    estimated = np.swapaxes(to_matrix(q), -1, -2) @ up
    true = np.swapaxes(to_matrix(truth), -1, -2) @ up
    cosine = np.clip(np.sum(estimated * true, axis=-1), -1.0, 1.0)
    return np.asarray(np.degrees(np.arccos(cosine)), dtype=np.float64)


def fresh_compile_s(gyr: FloatArray, acc: FloatArray, q0: FloatArray) -> tuple[float, float]:
    """Seconds to compile uncached copies of the two per-sensor loops (what a first install
    pays once, before numba's cache exists)."""
    madgwick_loop = numba.njit(cache=False)(orientation._madgwick_run.py_func)
    mahony_loop = numba.njit(cache=False)(orientation._mahony_run.py_func)
    g, a, none = gyr[0, :10].copy(), acc[0, :10].copy(), np.zeros((1, 3))
    first, _ = timed(
        lambda: madgwick_loop(g, a, none, False, 0.01, BETA, q0[0].copy(), np.empty((10, 4)), 1)
    )
    second, _ = timed(
        lambda: mahony_loop(
            g, a, none, False, 0.01, KP, KI, q0[0].copy(), np.zeros(3), np.empty((10, 4)), 1
        )
    )
    return first, second


def timed(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sensors", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    from ahrs.filters import Madgwick, Mahony

    console = Console()
    gyr, acc, truth = simulated(args.sensors, args.seconds)
    q0 = truth[:, 0, :]
    n = gyr.shape[1]

    def ours_madgwick() -> FloatArray:
        return madgwick(gyr, acc, rate_hz=RATE_HZ, beta=BETA, q0=q0)

    def ours_mahony() -> FloatArray:
        return mahony(gyr, acc, rate_hz=RATE_HZ, kp=KP, ki=KI, q0=q0)

    def theirs_madgwick() -> FloatArray:
        return np.stack(
            [
                Madgwick(gyr=gyr[s], acc=acc[s], frequency=RATE_HZ, gain=BETA, q0=q0[s]).Q
                for s in range(gyr.shape[0])
            ]
        )

    def theirs_mahony() -> FloatArray:
        return np.stack(
            [
                Mahony(gyr=gyr[s], acc=acc[s], frequency=RATE_HZ, k_P=KP, k_I=KI, q0=q0[s]).Q
                for s in range(gyr.shape[0])
            ]
        )

    load_madgwick, _ = timed(
        lambda: madgwick(gyr[:1, :10], acc[:1, :10], rate_hz=RATE_HZ, q0=q0[:1])
    )
    load_mahony, _ = timed(lambda: mahony(gyr[:1, :10], acc[:1, :10], rate_hz=RATE_HZ, q0=q0[:1]))
    fresh_madgwick, fresh_mahony = fresh_compile_s(gyr, acc, q0)
    timing = Table(
        title=f"Orientation filters: {args.sensors} sensors × {args.seconds:g} s at {RATE_HZ:g} Hz "
        f"({args.sensors * n:,} samples), noise and gyroscope bias - time"
    )
    for column in ("filter", "ours ms", "ahrs s", "speed-up", "1st call s", "compile s"):
        timing.add_column(column, justify="right")
    accuracy = Table(title="Accuracy, deg (tilt: error of the gravity direction alone)")
    for column in (
        "filter",
        "ours−ahrs mean/max",
        "ours mean/max",
        "ahrs mean/max",
        "ours tilt mean/max",
        "ahrs tilt mean/max",
        "aim",
    ):
        accuracy.add_column(column, justify="right")
    verdicts = []
    for name, ours, theirs, load_s, compile_s in (
        ("Madgwick", ours_madgwick, theirs_madgwick, load_madgwick, fresh_madgwick),
        ("Mahony", ours_mahony, theirs_mahony, load_mahony, fresh_mahony),
    ):
        ours_s = min(timed(ours)[0] for _ in range(3))
        ours_q = ours()
        theirs_s, theirs_q = timed(theirs)
        agreement = angle_between(ours_q, theirs_q)
        ours_error = angle_between(ours_q, truth)
        theirs_error = angle_between(theirs_q, truth)
        ours_tilt = tilt_error(ours_q, truth)
        theirs_tilt = tilt_error(theirs_q, truth)
        speedup = theirs_s / ours_s
        met = speedup >= AIM and ours_error.mean() <= theirs_error.mean() + SAME_DEG
        verdicts.append(met)
        timing.add_row(
            name,
            f"{ours_s * 1e3:.2f}",
            f"{theirs_s:.2f}",
            f"{speedup:,.0f}×",
            f"{load_s:.2f}",
            f"{compile_s:.2f}",
        )
        accuracy.add_row(
            name,
            f"{agreement.mean():.1e} / {agreement.max():.1e}",
            f"{ours_error.mean():.2f} / {ours_error.max():.2f}",
            f"{theirs_error.mean():.2f} / {theirs_error.max():.2f}",
            f"{ours_tilt.mean():.2f} / {ours_tilt.max():.2f}",
            f"{theirs_tilt.mean():.2f} / {theirs_tilt.max():.2f}",
            "met" if met else "not met",
        )
    console.print(timing)
    console.print(accuracy)
    console.print(
        f"Aim: ≥ {AIM:g}× faster than ahrs with a mean error no worse (within {SAME_DEG} deg): "
        + ("met" if all(verdicts) else "not met"),
        highlight=False,
    )
    console.print(
        "'1st call': the first call in this process (numba loads its on-disk cache, or compiles "
        "when there is none); 'compile': a fresh, uncached compilation of the per-sensor loop. "
        "Both are excluded from 'ours ms' (best of 3 warm runs). Whole-orientation errors "
        "include the heading, which drifts with the gyroscope bias in both (no magnetometer).",
        highlight=False,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
