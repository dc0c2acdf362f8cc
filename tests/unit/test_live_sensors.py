"""Live sensor biofeedback: simulated EMG and IMU streams through the cue policy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from spinecoach.analysis import emg, imu
from spinecoach.domain.errors import InvalidInput
from spinecoach.services.live_sensors import LiveDeepActivation, LiveStillTrunk

RATE = 1000.0
CHUNK = 20  # samples per message: 20 ms at 1000 Hz


def _emg_session(
    deep_bursts: list[float], superficial_bursts: list[float]
) -> tuple[LiveDeepActivation, list[dict[str, Any]]]:
    series, _ = emg.simulate_emg(
        [deep_bursts, superficial_bursts],
        rate_hz=RATE,
        duration_s=16.0,
        burst_s=12.0,
        snr_db=30.0,
        names=["TrA", "EO"],
        seed=3,
    )
    # Reference: the deep channel's own burst level, as a reference contraction would give.
    level = emg.envelope(emg.clean(series), cutoff_hz=6.0).values[4000:12000, 0].mean()
    live = LiveDeepActivation(
        rate_hz=RATE,
        channels=series.channels,
        deep="TrA",
        superficial="EO",
        reference={"TrA": level, "EO": level},
    )
    replies = [
        live.feed({"t": start / RATE, "samples": series.values[start : start + CHUNK].tolist()})
        for start in range(0, series.frames, CHUNK)
    ]
    return live, replies


def test_a_clean_deep_hold_is_counted_and_praised() -> None:
    live, replies = _emg_session([2.0], [])
    summary = live.feedback.summary()
    assert summary.holds == 1
    assert summary.good_holds == 1
    assert 10.0 <= summary.longest_s <= 12.5  # the 12 s burst, blurred by the envelope
    said = [r["cue"] for r in replies if r["cue"]]
    assert said
    assert all(c["kind"] == "praise" for c in said)
    assert max(r["levels_pct"]["TrA"] for r in replies) > 60


def test_over_bracing_is_named_and_the_hold_is_not_good() -> None:
    live, replies = _emg_session([2.0], [2.0])
    said = [r["cue"] for r in replies if r["cue"]]
    assert said[0]["key"] == "over_bracing"
    assert "outer tummy" in said[0]["text"]
    assert live.feedback.summary().good_holds == 0


def test_bad_chunks_are_refused_by_field() -> None:
    live, _ = _emg_session([2.0], [])
    with pytest.raises(InvalidInput) as error:
        live.feed({"t": 20.0, "samples": [[1.0]]})
    assert error.value.field == "samples"
    with pytest.raises(InvalidInput) as error:
        live.feed({"t": "soon", "samples": [[1.0, 2.0]]})
    assert error.value.field == "t"
    with pytest.raises(InvalidInput) as error:
        LiveDeepActivation(
            rate_hz=RATE, channels=["a"], deep="b", superficial=None, reference={"b": 1}
        )
    assert error.value.field == "deep"


def test_a_still_trunk_holds_and_a_swaying_one_is_corrected() -> None:
    still = imu.simulate_imu(np.zeros(3), rate_hz=100.0, duration_s=12.0)
    sway = imu.simulate_imu(
        imu.oscillation(axis=(1.0, 0.0, 0.0), amplitude_deg=15.0, frequency_hz=0.5),
        rate_hz=100.0,
        duration_s=12.0,
    )
    for readings, good in ((still, 1), (sway, 0)):
        live = LiveStillTrunk(rate_hz=100.0)
        samples = np.hstack([readings.gyr, readings.acc])
        replies = [
            live.feed({"t": k / 100.0, "samples": samples[k : k + 10].tolist()})
            for k in range(0, samples.shape[0], 10)
        ]
        replies.append(live.feed({"t": 12.5, "samples": samples[:10].tolist(), "active": False}))
        assert live.feedback.summary().good_holds == good
        if not good:
            assert any(r["cue"] and r["cue"]["key"] == "trunk_moved" for r in replies)


def test_a_reference_contraction_sets_the_levels() -> None:
    series, _ = emg.simulate_emg(
        [[0.5]], duration_s=3.0, burst_s=2.0, snr_db=30.0, names=["TrA"], seed=9
    )
    live = LiveDeepActivation(
        rate_hz=RATE, channels=["TrA"], deep="TrA", superficial=None, reference=None
    )
    with pytest.raises(InvalidInput) as error:
        live.feed({"t": 0.0, "samples": series.values[:20].tolist()})
    assert error.value.field == "type"
    with pytest.raises(InvalidInput) as error:
        live.set_reference({"samples": series.values[:200].tolist()})  # 0.2 s: too short
    assert error.value.field == "samples"
    reply = live.set_reference({"samples": series.values.tolist()})
    level = emg.reference_amplitude(emg.envelope(emg.clean(series)))["TrA"]
    assert reply["reference"]["TrA"] == pytest.approx(level, rel=1e-3)
    replies = [
        live.feed({"t": k / RATE, "samples": series.values[k : k + 20].tolist()})
        for k in range(0, 1600, 20)
    ]
    assert 50 < replies[-1]["levels_pct"]["TrA"] < 130  # 1.1 s into the 2 s contraction
