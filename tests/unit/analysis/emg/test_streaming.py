"""Live EMG: chunked filtering equals the offline causal filter; onsets as they happen."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.emg import StreamingEmg, clean, envelope, simulate_emg
from spinecoach.analysis.errors import AnalysisError

TS, TRUTH = simulate_emg(
    [[2.0, 5.0], [3.0], [4.0, 6.5]], duration_s=8.0, snr_db=20.0, hum_uv=10.0, seed=21
)
OFFSET = TS.values + 2000.0  # a DC offset, as raw counts have


def offline_causal() -> np.ndarray:
    from dataclasses import replace

    raw = replace(TS, values=OFFSET)
    return envelope(clean(raw, zero_phase=False), zero_phase=False).values


@settings(max_examples=15, deadline=None)
@given(sizes=st.lists(st.integers(1, 300), min_size=1, max_size=40))
def test_chunked_equals_offline_causal(sizes: list[int]) -> None:
    live = StreamingEmg(3, 1000.0)
    edges = np.cumsum([0, *sizes])
    edges = edges[edges < TS.frames]
    edges = np.append(edges, TS.frames)
    parts = [live.feed(OFFSET[a:b]).envelope for a, b in itertools.pairwise(edges)]
    np.testing.assert_allclose(np.vstack(parts), offline_causal(), rtol=1e-9, atol=1e-9)


def test_live_onsets_after_calibration() -> None:
    live = StreamingEmg(3, 1000.0)
    live.calibrate(OFFSET[:1500])
    assert live.threshold is not None
    found: dict[int, list[float]] = {0: [], 1: [], 2: []}
    for start in range(1500, TS.frames, 20):
        step = live.feed(OFFSET[start : start + 20])
        assert step.latest.shape == (3,)
        for channel, onset in step.onsets:
            found[channel].append(onset)
    for index, name in enumerate(TS.channels):
        np.testing.assert_allclose(found[index], TRUTH.onsets_s[name], atol=0.02)


def test_given_threshold_and_reset() -> None:
    live = StreamingEmg(3, 1000.0, threshold=[1e9, 1e9, 1e9])
    assert live.feed(OFFSET[:4000]).onsets == ()
    first = live.feed(OFFSET[:100]).envelope
    live.reset()
    again = live.feed(OFFSET[:100]).envelope
    assert not np.allclose(first, again)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: StreamingEmg(0, 1000.0), "channels"),
        (lambda: StreamingEmg(2, 30.0), "rate_hz"),
        (lambda: StreamingEmg(2, 1000.0, threshold=[1.0]), "threshold"),
        (lambda: StreamingEmg(2, 1000.0).feed(np.zeros((20, 3))), "chunk"),
        (lambda: StreamingEmg(2, 1000.0).calibrate(np.zeros((100, 2))), "baseline_chunk"),
    ],
)
def test_bad_input(make: object, field: str) -> None:
    with pytest.raises(AnalysisError) as raised:
        make()  # type: ignore[operator]
    assert raised.value.field == field
