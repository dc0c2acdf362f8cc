"""Limb movement onsets from an accelerometer: known onsets, several channels, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from spinecoach.analysis.emg import anticipatory_timing, movement_onsets, onsets, pair_trials
from spinecoach.analysis.emg.simulate import simulate_emg
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import TimeSeries

RATE = 148.0  # an accelerometer rate unrelated to the EMG's


def arm_accelerometer(
    starts: list[float], *, seed: int = 0, duration_s: float = 20.0
) -> TimeSeries:
    """Rest at 1 g on z with 0.005 g noise; each movement a 0.3 s half-sine of 0.5 g on x."""
    time = np.arange(round(duration_s * RATE)) / RATE
    rng = np.random.default_rng(seed)
    values = rng.normal(0.0, 0.005, (time.size, 3))
    values[:, 2] += 1.0
    for start in starts:
        inside = (time >= start) & (time < start + 0.3)
        values[inside, 0] += 0.5 * np.sin(np.pi * (time[inside] - start) / 0.3)
    return TimeSeries(time, values, ("acc_x", "acc_y", "acc_z"), ("g", "g", "g"))


def test_movement_onsets_are_found_within_two_samples() -> None:
    starts = [2.0 + 1.7 * k for k in range(10)]
    found = movement_onsets(arm_accelerometer(starts))
    assert len(found.onsets_s) == 10
    errors = np.abs(np.array(found.onsets_s) - np.array(starts))
    assert errors.max() <= 2.5 / RATE
    assert "Hodges & Bui" in found.method_text


def test_a_still_limb_has_no_onsets_and_bad_settings_are_named() -> None:
    assert movement_onsets(arm_accelerometer([])).onsets_s == ()
    with pytest.raises(AnalysisError) as error:
        movement_onsets(arm_accelerometer([2.0]), threshold_sd=0)
    assert error.value.field == "threshold_sd"


def test_trunk_emg_timed_against_a_limb_accelerometer_at_another_rate() -> None:
    starts = [2.0 + 2.0 * k for k in range(8)]
    limb = movement_onsets(arm_accelerometer(starts, duration_s=19.0))
    early = [s - 0.06 for s in starts]  # 60 ms before the arm moves
    emg, _ = simulate_emg([early], duration_s=19.0, burst_s=0.4, snr_db=25, names=["TrA"])
    trunk = pair_trials(onsets(emg), limb.onsets_s)
    timing = anticipatory_timing(trunk, limb.onsets_s).muscles[0]
    assert timing.trials == 8
    assert timing.feedforward_trials == 8
    assert timing.median_ms == pytest.approx(-60, abs=12)
