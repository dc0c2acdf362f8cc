"""The whole pipeline on a simulated arm-raise recording with known latencies."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spinecoach.analysis.emg import process, simulate_emg
from spinecoach.analysis.errors import AnalysisError

DELTOID = [2.0, 4.0, 6.0, 8.0]
TRA = [1.95, 3.97, 6.08, 7.99]  # latencies −50, −30, +80, −10 ms
ES = [2.02, 4.02, 6.02, 8.02]  # +20 ms each


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    ts, _ = simulate_emg(
        [DELTOID, TRA, ES],
        duration_s=10.0,
        burst_s=0.4,
        snr_db=20.0,
        hum_uv=10.0,
        seed=31,
        names=("deltoid", "tra", "es"),
    )
    return process(ts, prime_mover="deltoid")


def test_latencies_and_feedforward(report) -> None:  # type: ignore[no-untyped-def]
    assert report.timing is not None
    tra = report.timing.muscle("tra")
    np.testing.assert_allclose(tra.latencies_ms, [-50, -30, 80, -10], atol=10)
    assert tra.feedforward_trials == 3
    es = report.timing.muscle("es")
    assert es.feedforward_trials == 4
    assert es.median_ms == pytest.approx(20, abs=8)


def test_report_is_json_ready(report) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(report.as_dict()))
    assert data["channels"] == ["deltoid", "tra", "es"]
    assert data["rate_hz"] == pytest.approx(1000.0)
    assert "Silfies" in data["method_text"]
    assert report.envelope.values.shape == (10000, 3)


def test_without_prime_mover_there_is_no_timing() -> None:
    ts, _ = simulate_emg([[1.0]], duration_s=3.0, seed=1)
    assert process(ts).timing is None


def test_unknown_prime_mover() -> None:
    ts, _ = simulate_emg([[1.0]], duration_s=3.0, seed=1)
    with pytest.raises(AnalysisError) as raised:
        process(ts, prime_mover="deltoid")
    assert raised.value.field == "prime_mover"
