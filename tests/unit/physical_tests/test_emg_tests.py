"""Feed-forward timing and flexion–relaxation: the EMG results as physical tests."""

from __future__ import annotations

import pytest

from spinecoach.domain.errors import InvalidInput

from .helpers import codes, finding, run

FAST_ARM = {
    "muscle": "transversus_abdominis",
    "prime_mover": "anterior_deltoid",
    "movement": "arm_flexion",
    "speed": "fast",
}


@pytest.mark.parametrize(
    ("feedforward", "trials", "category"),
    [
        (0, 10, "absent"),
        (4, 10, "absent"),
        (5, 10, "present"),
        (10, 10, "present"),
        (0, 1, "absent"),
    ],
)
def test_feedforward_absent_below_half_of_fast_trials(
    feedforward: int, trials: int, category: str
) -> None:
    result = run(
        "feedforward_timing", {**FAST_ARM, "trials": trials, "feedforward_trials": feedforward}
    )
    assert result.category == category
    assert ("feedforward_timing.absent" in codes(result)) is (category == "absent")
    assert result.values["fraction_feedforward"] == pytest.approx(feedforward / trials)


def test_feedforward_statement_names_muscle_latency_counts_and_window() -> None:
    result = run(
        "feedforward_timing",
        {**FAST_ARM, "trials": 10, "feedforward_trials": 2, "median_latency_ms": 88.4},
    )
    absent = finding(result, "feedforward_timing.absent")
    assert absent.statement == (
        "Transversus abdominis onset +88 ms relative to anterior deltoid (median); "
        "feed-forward in 2/10 fast arm flexion movements: feed-forward absent"
    )
    assert "−100 to +50 ms" in absent.rule
    assert "Silfies" in absent.reference
    assert result.units["median_latency_ms"] == "ms"


def test_feedforward_slow_movements_are_not_judged() -> None:
    # Healthy people do not pre-activate at slow speed either (Hodges & Richardson 1997).
    result = run(
        "feedforward_timing", {**FAST_ARM, "speed": "slow", "trials": 10, "feedforward_trials": 0}
    )
    assert result.category == "not_judged"
    assert result.findings == ()


def test_feedforward_trials_cannot_exceed_total() -> None:
    with pytest.raises(InvalidInput) as error:
        run("feedforward_timing", {**FAST_ARM, "trials": 3, "feedforward_trials": 4})
    assert error.value.field == "feedforward_timing.feedforward_trials"


def test_feedforward_latency_range_is_checked() -> None:
    with pytest.raises(InvalidInput) as error:
        run(
            "feedforward_timing",
            {**FAST_ARM, "trials": 3, "feedforward_trials": 1, "median_latency_ms": 5000},
        )
    assert error.value.field == "feedforward_timing.median_latency_ms"


@pytest.mark.parametrize(
    ("frr", "category", "code"),
    [
        (5.0, "present", None),  # clinical-facts §5 worked example: 40 µV / 8 µV
        (1.5, "reduced", "flexion_relaxation.reduced"),  # 30 µV / 20 µV
        (2.96, "reduced", "flexion_relaxation.reduced"),  # at the pooled CLBP mean
        (2.97, "present", None),
        (1.0, "absent", "flexion_relaxation.absent"),
        (0.8, "absent", "flexion_relaxation.absent"),
    ],
)
def test_flexion_relaxation_bands(frr: float, category: str, code: str | None) -> None:
    result = run("flexion_relaxation", {"frr": frr, "err": 4.0, "side": "left", "site": "L3"})
    assert result.category == category
    assert codes(result) == ({code} if code else set())
    assert result.values["frr"] == frr
    assert result.units == {"frr": "ratio", "err": "ratio"}


def test_flexion_relaxation_summary_and_reliability_caution() -> None:
    result = run("flexion_relaxation", {"frr": 5.0})
    assert result.summary == "FRR 5 (bilateral paraspinals): relaxation present"
    assert "49 %" in result.reference[0].statement


def test_flexion_relaxation_rejects_negative_ratio() -> None:
    with pytest.raises(InvalidInput) as error:
        run("flexion_relaxation", {"frr": -1})
    assert error.value.field == "flexion_relaxation.frr"
