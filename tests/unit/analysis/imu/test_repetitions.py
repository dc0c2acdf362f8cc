"""Repetitions and holds from one accelerometer: simulated swings with known counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu import count_repetitions, holds, oscillation, simulate_imu
from spinecoach.analysis.timeseries import FloatArray

RATE = 100.0


def swinging(
    reps: int, period_s: float, amplitude_deg: float = 30.0, *, noise: float = 0.0, seed: int = 0
) -> FloatArray:
    """An accelerometer (g) on a segment swinging ``reps`` times about a tilted axis."""
    sim = simulate_imu(
        oscillation(axis=(1.0, 0.3, 0.2), amplitude_deg=amplitude_deg, frequency_hz=1 / period_s),
        rate_hz=RATE,
        duration_s=reps * period_s,
        noise_acc=noise,
        seed=seed,
    )
    return sim.acc


@settings(max_examples=12, deadline=None)
@given(reps=st.integers(3, 15), period_s=st.floats(2.0, 8.0), seed=st.integers(0, 100))
def test_sinusoidal_swing_count_is_exact(reps: int, period_s: float, seed: int) -> None:
    acc = swinging(reps, period_s, noise=0.01, seed=seed)
    result = count_repetitions(acc, rate_hz=RATE)
    assert result.count == reps
    assert result.period_s == pytest.approx(period_s, rel=0.05)
    assert result.frequency_hz == pytest.approx(1 / period_s, rel=0.25)
    assert np.all(np.diff(result.times_s) > 0)


def test_unit_of_the_accelerometer_does_not_matter() -> None:
    acc = swinging(8, 4.0)
    assert (
        count_repetitions(9.81 * acc, rate_hz=RATE).times_s
        == count_repetitions(acc, rate_hz=RATE).times_s
    )


def test_a_still_sensor_has_no_repetitions_and_one_hold() -> None:
    rng = np.random.default_rng(0)
    acc = np.array([0.0, 0.5, 0.866]) + rng.normal(0, 0.003, (int(20 * RATE), 3))
    assert count_repetitions(acc, rate_hz=RATE).count == 0
    found = holds(acc, rate_hz=RATE)
    assert len(found) == 1
    assert found[0].duration_s == pytest.approx(20.0, abs=0.02)
    assert found[0].inclination_deg == pytest.approx(30.0, abs=0.5)
    assert found[0].as_dict()["inclination_deg"] == pytest.approx(30.0, abs=0.5)


def test_holds_are_found_between_movements() -> None:
    still = np.tile([0.0, 0.0, 1.0], (int(5 * RATE), 1))
    moving = swinging(2, 2.0, amplitude_deg=40)
    tilted = np.tile([np.sin(0.5), 0.0, np.cos(0.5)], (int(3 * RATE), 1))
    acc = np.concatenate((still, moving, tilted, moving[:100]))
    found = holds(acc, rate_hz=RATE, min_duration_s=2.0)
    assert len(found) == 2
    assert found[0].start_s == pytest.approx(0.0)
    assert found[0].end_s == pytest.approx(5.0, abs=0.3)
    assert found[1].start_s == pytest.approx(9.0, abs=0.3)
    assert found[1].inclination_deg == pytest.approx(np.degrees(0.5), abs=0.1)
    assert holds(acc, rate_hz=RATE, min_duration_s=4.0)[0].end_s == found[0].end_s
    assert len(holds(acc, rate_hz=RATE, min_duration_s=4.0)) == 1


def test_as_dict_is_json_ready() -> None:
    import json

    result = count_repetitions(swinging(5, 3.0), rate_hz=RATE)
    data = json.loads(json.dumps(result.as_dict()))
    assert data["count"] == 5
    assert "principal component" in data["method"]
    empty = count_repetitions(np.tile([0.0, 0.0, 1.0], (1000, 1)), rate_hz=RATE).as_dict()
    assert empty["period_s"] is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rate_hz": 0.0}, "rate_hz"),
        ({"max_hz": 0.01}, "max_hz"),
        ({"min_period_s": 0.0}, "min_period_s"),
        ({"prominence": 1.5}, "prominence"),
    ],
)
def test_count_rejects_bad_parameters(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(AnalysisError) as caught:
        count_repetitions(swinging(3, 2.0), **{"rate_hz": RATE, **kwargs})
    assert caught.value.field == field


def test_bad_accelerometer_and_hold_parameters_name_the_field() -> None:
    with pytest.raises(AnalysisError) as caught:
        count_repetitions(np.ones((100, 2)), rate_hz=RATE)
    assert caught.value.field == "acc"
    with pytest.raises(AnalysisError) as caught:
        holds(np.ones((100, 3)), rate_hz=RATE, max_motion=0.0)
    assert caught.value.field == "max_motion"
    with pytest.raises(AnalysisError) as caught:
        holds(np.ones((100, 3)), rate_hz=RATE, up_axis=np.zeros(3))
    assert caught.value.field == "up_axis"
    with pytest.raises(AnalysisError) as caught:
        holds(np.ones((100, 3)), rate_hz=RATE, min_duration_s=-1.0)
    assert caught.value.field == "min_duration_s"
