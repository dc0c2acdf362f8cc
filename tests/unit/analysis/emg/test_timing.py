"""Anticipatory timing: latency sign, window boundaries, medians, pairing of trials."""

from __future__ import annotations

import pytest

from spinecoach.analysis.emg import Burst, Onsets, anticipatory_timing, trial_onsets
from spinecoach.analysis.errors import AnalysisError


def test_window_edges_are_inclusive_and_absent_is_not_feedforward() -> None:
    prime = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    trunk = {"tra": [0.9, 2.05, 2.8999, 4.0501, None, 5.95]}
    timing = anticipatory_timing(trunk, prime).muscle("tra")
    latencies = [None if v is None else round(v, 4) for v in timing.latencies_ms]
    assert latencies == [-100.0, 50.0, -100.1, 50.1, None, -50.0]
    assert timing.trials == 6
    assert timing.feedforward_trials == 3  # -100 and +50 count, -100.1 and +50.1 do not
    assert timing.fraction_feedforward == pytest.approx(0.5)


def test_negative_latency_means_trunk_first_and_quartiles() -> None:
    prime = [10.0, 20.0, 30.0, 40.0, 50.0]
    trunk = {"io": [9.98, 19.97, 29.96, 39.95, 49.90]}
    timing = anticipatory_timing(trunk, prime).muscle("io")
    assert timing.median_ms == pytest.approx(-40.0)
    assert timing.q1_ms == pytest.approx(-50.0)
    assert timing.q3_ms == pytest.approx(-30.0)
    assert timing.feedforward_trials == 5


def test_no_onsets_at_all() -> None:
    timing = anticipatory_timing({"es": [None, None]}, [1.0, 2.0]).muscle("es")
    assert timing.median_ms is None
    assert timing.fraction_feedforward == 0.0


def test_custom_window_and_as_dict() -> None:
    result = anticipatory_timing({"tra": [0.97]}, [1.0], window_ms=(-20.0, 20.0))
    assert result.muscles[0].feedforward_trials == 0
    data = result.as_dict()
    assert data["window_ms"] == [-20.0, 20.0]
    assert data["muscles"][0]["latencies_ms"][0] == pytest.approx(-30.0)
    assert "negative: trunk first" in result.method_text


@pytest.mark.parametrize(
    ("trunk", "prime", "window", "field"),
    [
        ({"tra": [1.0]}, [1.0, 2.0], (-100.0, 50.0), "trunk"),
        ({"tra": []}, [], (-100.0, 50.0), "prime_onsets_s"),
        ({"tra": [1.0]}, [1.0], (50.0, -100.0), "window_ms"),
    ],
)
def test_bad_input(trunk: dict, prime: list, window: tuple, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(AnalysisError) as raised:
        anticipatory_timing(trunk, prime, window_ms=window)
    assert raised.value.field == field


def test_trial_onsets_pairs_the_nearest_onset_in_the_search_window() -> None:
    found = Onsets(
        bursts={
            "deltoid": (Burst(1.0, 1.5), Burst(5.0, 5.5)),
            "tra": (Burst(0.3, 0.4), Burst(0.95, 1.6), Burst(1.2, 1.3), Burst(6.0, None)),
        },
        method="sd",
        method_text="",
        threshold={"deltoid": 1.0, "tra": 1.0},
        baseline_s={"deltoid": (0.0, 0.5), "tra": (0.0, 0.5)},
    )
    prime, trunk = trial_onsets(found, "deltoid")
    assert prime == [1.0, 5.0]
    assert trunk == {"tra": [0.95, None]}
