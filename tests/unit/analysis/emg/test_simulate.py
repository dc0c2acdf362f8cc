"""The simulator: deterministic, and its signal-to-noise ratio is what was asked."""

from __future__ import annotations

import numpy as np
import pytest

from spinecoach.analysis.emg import simulate_emg
from spinecoach.analysis.errors import AnalysisError


def test_same_seed_same_signal() -> None:
    a, _ = simulate_emg([[1.0]], duration_s=3.0, seed=7)
    b, _ = simulate_emg([[1.0]], duration_s=3.0, seed=7)
    c, _ = simulate_emg([[1.0]], duration_s=3.0, seed=8)
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)


@pytest.mark.parametrize("snr_db", [0.0, 10.0, 20.0])
def test_snr(snr_db: float) -> None:
    ts, truth = simulate_emg([[1.0]], duration_s=4.0, burst_s=2.0, snr_db=snr_db, seed=3)
    burst = ts.values[1100:2900, 0]
    quiet = ts.values[3100:, 0]
    measured = 10 * np.log10((burst.var() - quiet.var()) / quiet.var())
    assert measured == pytest.approx(snr_db, abs=0.8)
    assert truth.offsets_s["emg1"] == (3.0,)


def test_bad_onset() -> None:
    with pytest.raises(AnalysisError, match="onsets_s"):
        simulate_emg([[9.9]], duration_s=10.0, burst_s=0.5)
