"""process(): one accelerometer (+ gyroscope) series to a report, end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu import process, simulate_imu
from spinecoach.analysis.timeseries import TimeSeries

RATE = 100.0
ACC = ("acc_x", "acc_y", "acc_z")
GYR = ("gyr_x", "gyr_y", "gyr_z")


def one_sided_reps(time: np.ndarray) -> np.ndarray:
    """Rest 2 s, then repetitions out to 20° about y and back, 4 s each: angle
    10°·(1 − cos(2π t / 4 s)), so its rate is 10°·(2π / 4 s)·sin(2π t / 4 s)."""
    moving = time > 2.0
    rate = np.radians(10.0) * (np.pi / 2) * np.sin(np.pi / 2 * (time - 2.0)) * moving
    return np.stack((0 * time, rate, 0 * time), axis=1)


def series(*, gyro_unit: str | None = None, reps: int = 6) -> TimeSeries:
    sim = simulate_imu(
        one_sided_reps,
        rate_hz=RATE,
        duration_s=2.0 + reps * 4.0,
    )
    values = sim.acc
    channels: tuple[str, ...] = ACC
    units: tuple[str, ...] = ("g", "g", "g")
    if gyro_unit is not None:
        scale = 1.0 if gyro_unit == "rad/s" else 180 / np.pi
        values = np.concatenate((values, sim.gyr * scale), axis=1)
        channels, units = ACC + GYR, units + (gyro_unit,) * 3
    return TimeSeries(
        time=np.arange(values.shape[0]) / RATE, values=values, channels=channels, units=units
    )


@pytest.mark.parametrize("gyro_unit", [None, "rad/s", "deg/s"])
def test_report_of_a_swinging_sensor(gyro_unit: str | None) -> None:
    report = process(series(gyro_unit=gyro_unit))
    assert report.rate_hz == pytest.approx(RATE)
    assert report.used_gyroscope is (gyro_unit is not None)
    assert report.repetitions.count == 6
    # Repetitions out to 20° from the start posture and back.
    assert report.inclination_min_deg == pytest.approx(0.0, abs=0.5)
    assert report.inclination_max_deg == pytest.approx(20.0, abs=1.0)
    # The 2 s of rest, and the slow start of the first repetition, are the one hold.
    assert len(report.holds) == 1
    assert report.holds[0].start_s == 0.0
    assert 2.0 <= report.holds[0].end_s < 2.6
    assert report.holds[0].inclination_deg == pytest.approx(0.0, abs=0.5)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["repetitions"]["count"] == 6
    assert "inclination" in data["method"].lower()


def test_fixed_reference_axis() -> None:
    report = process(series(), reference="x")
    # About +y the x axis tips down: from 90° to 110° from up.
    assert report.inclination_min_deg == pytest.approx(90.0, abs=1.0)
    assert report.inclination_max_deg == pytest.approx(110.0, abs=1.0)
    assert report.holds[0].inclination_deg == pytest.approx(90.0, abs=0.5)
    assert report.reference == "x"


def test_missing_or_inconsistent_channels_are_named() -> None:
    ts = series()
    with pytest.raises(AnalysisError) as caught:
        process(ts.select(["acc_x", "acc_y"]))
    assert caught.value.field == "channels"
    odd = TimeSeries(
        time=ts.time,
        values=np.concatenate((ts.values, ts.values[:, :1]), axis=1),
        channels=(*ACC, "gyr_x"),
        units=("g",) * 4,
    )
    with pytest.raises(AnalysisError) as caught:
        process(odd)
    assert caught.value.field == "channels"
    wrong_unit = TimeSeries(
        time=ts.time,
        values=np.concatenate((ts.values, ts.values), axis=1),
        channels=ACC + GYR,
        units=("g",) * 6,
    )
    with pytest.raises(AnalysisError) as caught:
        process(wrong_unit)
    assert caught.value.field == "units"
    with pytest.raises(AnalysisError) as caught:
        process(ts, reference="w")  # type: ignore[arg-type]
    assert caught.value.field == "reference"
    uneven = TimeSeries(time=ts.time**1.01, values=ts.values, channels=ACC, units=("g",) * 3)
    with pytest.raises(AnalysisError) as caught:
        process(uneven)
    assert caught.value.field == "time"
