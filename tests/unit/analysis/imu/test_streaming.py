"""Live orientation: chunk by chunk equals the batch filter on the whole recording."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu import (
    StreamingOrientation,
    inclination,
    madgwick,
    mahony,
    simulate_imu,
)
from spinecoach.analysis.timeseries import FloatArray

RATE = 100.0


def wobble(time: FloatArray) -> FloatArray:
    return np.stack((0.7 * np.sin(time), 0.5 * np.cos(0.6 * time), 0.3 * np.sin(2 * time)), axis=1)


SIM = simulate_imu(
    wobble, rate_hz=RATE, duration_s=8, noise_gyr=0.02, noise_acc=0.02, gyr_bias=(0.01, 0, 0)
)


@settings(max_examples=25, deadline=None)
@given(
    cuts=st.lists(st.integers(1, SIM.gyr.shape[0] - 1), max_size=8, unique=True),
    method=st.sampled_from(["madgwick", "mahony"]),
    use_mag=st.booleans(),
)
def test_chunks_equal_the_batch_filter(cuts: list[int], method: str, use_mag: bool) -> None:
    mag = SIM.mag if use_mag else None
    batch = (madgwick if method == "madgwick" else mahony)(SIM.gyr, SIM.acc, mag, rate_hz=RATE)
    live = StreamingOrientation(RATE, method=method)  # type: ignore[arg-type]
    edges = [0, *sorted(cuts), SIM.gyr.shape[0]]
    pieces = []
    for start, stop in itertools.pairwise(edges):
        chunk_mag = None if mag is None else mag[start:stop]
        pieces.append(live.feed_all(SIM.gyr[start:stop], SIM.acc[start:stop], chunk_mag))
    np.testing.assert_array_equal(np.concatenate(pieces), batch)


def test_feed_returns_the_latest_quaternion_and_inclination() -> None:
    live = StreamingOrientation(RATE, method="mahony", kp=1.0, ki=0.3)
    for start in range(0, 400, 100):
        latest = live.feed(SIM.gyr[start : start + 100], SIM.acc[start : start + 100])
    batch = mahony(SIM.gyr[:400], SIM.acc[:400], rate_hz=RATE)
    np.testing.assert_array_equal(latest.quaternion, batch[-1])
    assert latest.inclination_deg == pytest.approx(float(inclination(batch[-1])))
    assert latest.samples == 400
    live.reset()
    again = live.feed(SIM.gyr[:1], SIM.acc[:1])
    np.testing.assert_array_equal(again.quaternion, batch[0])


def test_bad_settings_and_chunks_name_the_field() -> None:
    with pytest.raises(AnalysisError) as caught:
        StreamingOrientation(RATE, method="kalman")  # type: ignore[arg-type]
    assert caught.value.field == "method"
    with pytest.raises(AnalysisError) as caught:
        StreamingOrientation(0.0)
    assert caught.value.field == "rate_hz"
    live = StreamingOrientation(RATE)
    with pytest.raises(AnalysisError) as caught:
        live.feed(np.zeros((3, 3)), np.ones((2, 3)))
    assert caught.value.field == "acc"
    with pytest.raises(AnalysisError) as caught:
        live.feed(np.zeros((2, 3, 3)), np.ones((2, 3, 3)))
    assert caught.value.field == "gyr_chunk"
