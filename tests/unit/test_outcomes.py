"""Change between administrations: worked examples N1–N3, O5, R2–R3, T4, E2, PS2 and the
boundaries of every change rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinecoach.domain import outcomes
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import Direction, Instrument, ScoreResult
from spinecoach.domain.instruments.registry import INSTRUMENTS, get_instrument
from spinecoach.domain.outcomes import (
    IMPROVED,
    NO_IMPORTANT_CHANGE,
    NO_THRESHOLD,
    WORSE,
    Change,
    compare,
    compare_items,
)


def result(instrument_id: str, score: float, **subscales: float) -> ScoreResult:
    """A scored administration with a given score (what the record stores)."""
    instrument = get_instrument(instrument_id)
    return ScoreResult(
        instrument=instrument.id,
        score=score,
        subscales=subscales,
        category=instrument.category_for(score),
        answered=len(instrument.items),
        missing=0,
    )


def change(instrument_id: str, before: float, after: float) -> Change:
    return compare(
        get_instrument(instrument_id), result(instrument_id, before), result(instrument_id, after)
    )


def codes(c: Change) -> set[str]:
    return {f.code for f in c.findings}


# -- NPRS: N1–N3 ------------------------------------------------------------------------------


def test_n1_meets_both_criteria() -> None:
    c = change("nprs", 7, 4)
    assert c.delta == -3
    assert c.improvement == 3
    assert c.percent_improvement == pytest.approx(42.857, abs=1e-3)
    assert (c.meets_mcid_points, c.meets_mcid_percent, c.beyond_mdc) == (True, True, True)
    assert c.direction_label == IMPROVED
    assert {
        "nprs.change.improved",
        "nprs.change.mcid_percent_met",
        "nprs.change.beyond_mdc",
    } <= codes(c)


def test_n2_meets_percent_only() -> None:
    c = change("nprs", 3, 2)
    assert c.percent_improvement == pytest.approx(33.333, abs=1e-3)
    assert (c.meets_mcid_points, c.meets_mcid_percent, c.beyond_mdc) == (False, True, False)
    assert c.direction_label == NO_IMPORTANT_CHANGE
    assert {"nprs.change.mcid_percent_met", "nprs.change.within_mdc"} <= codes(c)


def test_n3_meets_points_only_and_equal_to_mdc_counts_as_beyond() -> None:
    c = change("nprs", 8, 6)
    assert c.percent_improvement == pytest.approx(25.0)
    assert (c.meets_mcid_points, c.meets_mcid_percent, c.beyond_mdc) == (True, False, True)
    assert c.direction_label == IMPROVED
    assert "nprs.change.mcid_percent_not_met" in codes(c)


def test_nprs_worse_and_baseline_zero() -> None:
    c = change("nprs", 0, 2)
    assert c.delta == 2
    assert c.improvement == -2
    assert c.percent_improvement is None
    assert c.meets_mcid_percent is None
    assert c.meets_mcid_points is False
    assert c.direction_label == WORSE
    assert "nprs.change.worse" in codes(c)


def test_nprs_decline_below_mcid_is_no_important_change() -> None:
    assert change("nprs", 4, 5).direction_label == NO_IMPORTANT_CHANGE
    assert change("nprs", 4, 6).direction_label == WORSE


@pytest.mark.parametrize(("after", "recovered"), [(0, True), (1, False)])
def test_nprs_recovered_is_zero(after: int, recovered: bool) -> None:
    c = change("nprs", 5, after)
    assert c.recovered is recovered
    assert ("nprs.change.recovered" in codes(c)) is recovered


@pytest.mark.parametrize(
    ("baseline", "mcid_text"), [(0, None), (4, "1 point"), (5, "2 points"), (8, "3–4 points")]
)
def test_nprs_baseline_dependent_mcid_is_context_only(baseline: int, mcid_text: str | None) -> None:
    c = change("nprs", baseline, baseline)
    found = [f for f in c.findings if f.code == "nprs.change.baseline_mcid"]
    if mcid_text is None:
        assert found == []
    else:
        assert f"MCID was {mcid_text}" in found[0].statement


# -- ODI: O5 and MCID boundaries ----------------------------------------------------------------


def test_o5_meets_points_not_percent() -> None:
    odi = get_instrument("odi")
    before = odi.score([3, 2, 4, 3, 3, 3, 2, 2, 3, 3])  # 56.00000000000001
    after = odi.score([2, 2, 2, 2, 2, 2, 2, 2, 2, 2])  # 40
    c = compare(odi, before, after)
    assert c.delta == pytest.approx(-16)
    assert c.percent_improvement == pytest.approx(16 / 56 * 100)  # 28.6 %
    assert (c.meets_mcid_points, c.meets_mcid_percent, c.beyond_mdc) == (True, False, True)
    assert c.recovered is None  # no published ODI "recovered" cut-off
    assert c.direction_label == IMPROVED


@pytest.mark.parametrize(
    ("before", "after", "points", "percent"),
    [
        (50, 40, True, False),  # exactly 10 points, 20 %
        (50, 42, False, False),  # 8 points
        (50, 35, True, True),  # exactly 30 %
        (50, 36, True, False),  # 28 %
    ],
)
def test_odi_mcid_boundaries(before: float, after: float, points: bool, percent: bool) -> None:
    c = change("odi", before, after)
    assert (c.meets_mcid_points, c.meets_mcid_percent) == (points, percent)


def test_float_noise_does_not_move_a_boundary() -> None:
    c = change("odi", 39.99999999999999, 30.0)  # 9.99999999999999 fails a naive ≥ 10
    assert c.improvement < 10
    assert c.meets_mcid_points is True
    assert c.beyond_mdc is True
    assert change("odi", 30.000000000000004, 40.0).direction_label == WORSE
    assert change("odi", 40.0, 30.1).meets_mcid_points is False


# -- RMDQ: R2, R3, floor and ceiling --------------------------------------------------------------


def test_r2_exceeds_everything() -> None:
    c = change("rmdq", 14, 8)
    assert c.percent_improvement == pytest.approx(42.857, abs=1e-3)
    assert (c.meets_mcid_points, c.meets_mcid_percent, c.beyond_mdc) == (True, True, True)
    assert c.recovered is False


def test_r3_percent_only_within_mdc_and_recovered() -> None:
    c = change("rmdq", 4, 1)
    assert c.percent_improvement == pytest.approx(75.0)
    assert (c.meets_mcid_points, c.meets_mcid_percent, c.beyond_mdc) == (False, True, False)
    assert c.recovered is True
    assert "rmdq.change.recovered" in codes(c)
    assert "rmdq.change.floor" not in codes(c)  # Stratford: below 4; 4 itself is not


@pytest.mark.parametrize(
    ("baseline", "expected"),
    [(3, "rmdq.change.floor"), (4, None), (20, None), (21, "rmdq.change.ceiling")],
)
def test_rmdq_floor_and_ceiling(baseline: int, expected: str | None) -> None:
    found = codes(change("rmdq", baseline, baseline)) & {
        "rmdq.change.floor",
        "rmdq.change.ceiling",
    }
    assert found == ({expected} if expected else set())


def statement(c: Change, code: str) -> str:
    (found,) = [f.statement for f in c.findings if f.code == code]
    return found


def test_rmdq_deterioration_is_worded_as_one_without_a_floor_note() -> None:
    c = change("rmdq", 1, 4)
    percent = statement(c, "rmdq.change.mcid_percent_not_met")
    assert percent == (
        "RMDQ 1 → 4: 300.0 % deterioration from baseline "
        "(the 30 % MCID is a criterion for improvement)"
    )
    assert "improvement <" not in percent
    assert statement(c, "rmdq.change.within_mdc") == (
        "RMDQ 1 → 4: deterioration of 3 points is within the MDC of 5 points "
        "(could be measurement error)"
    )
    assert "rmdq.change.floor" not in codes(c)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (3, 0, "rmdq.change.floor"),  # improved: the floor limits what can be shown
        (3, 3, "rmdq.change.floor"),  # unchanged
        (3, 6, None),  # worse: the floor says nothing about deterioration
        (21, 24, "rmdq.change.ceiling"),  # worse: the ceiling limits what can be shown
        (21, 21, "rmdq.change.ceiling"),  # unchanged
        (21, 10, None),  # improved: the ceiling says nothing about improvement
    ],
)
def test_rmdq_floor_and_ceiling_follow_the_direction(
    before: int, after: int, expected: str | None
) -> None:
    found = codes(change("rmdq", before, after)) & {"rmdq.change.floor", "rmdq.change.ceiling"}
    assert found == ({expected} if expected else set())


@pytest.mark.parametrize(("after", "recovered"), [(2, True), (3, False)])
def test_rmdq_recovered_at_or_below_2(after: int, recovered: bool) -> None:
    assert change("rmdq", 10, after).recovered is recovered


# -- TSK-11: T4 ---------------------------------------------------------------------------------


def test_t4_tsk11_four_points_is_important() -> None:
    tsk11 = get_instrument("tsk11")
    before = tsk11.score([3, 3, 2, 2, 3, 2, 3, 3, 2, 3, 2])
    assert before.score == 28
    c = compare(tsk11, before, result("tsk11", 24))
    assert c.meets_mcid_points is True
    assert c.direction_label == IMPROVED
    assert c.beyond_mdc is None  # no published MDC
    assert change("tsk11", 28, 25).direction_label == NO_IMPORTANT_CHANGE


# -- PSEQ: E2 and the ePPOC rule ----------------------------------------------------------------


def test_e2_pseq() -> None:
    c = change("pseq", 30, 38)
    assert c.improvement == 8
    assert c.meets_mcid_points is True  # ≥ 5.5
    assert c.meets_mcid_percent is None
    assert c.beyond_mdc is False  # MDC95 11.52
    assert c.direction_label == IMPROVED
    assert "pseq.change.eppoc_significant_improvement" in codes(c)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (30, 37, "pseq.change.eppoc_significant_improvement"),  # 7, moderate → mild
        (41, 48, None),  # 7, same band
        (28, 34, None),  # 6, band change
        (38, 30, "pseq.change.eppoc_significant_deterioration"),
    ],
)
def test_pseq_eppoc_needs_7_points_and_a_band_change(
    before: int, after: int, expected: str | None
) -> None:
    eppoc = {f for f in codes(change("pseq", before, after)) if "eppoc" in f}
    assert eppoc == ({expected} if expected else set())


def test_pseq_decline_is_worse_because_higher_is_better() -> None:
    c = change("pseq", 40, 30)
    assert c.delta == -10
    assert c.improvement == -10
    assert c.direction_label == WORSE


# -- PSFS: PS2 and single activities --------------------------------------------------------------


def test_ps2_mean_change_meets_mdc() -> None:
    psfs = get_instrument("psfs")
    c = compare(psfs, psfs.score([3, 5, 4]), psfs.score([6, 7, 5]))
    assert c.delta == pytest.approx(2.0)
    assert c.beyond_mdc is True
    assert c.meets_mcid_points is None  # no PSFS MCID in our reference
    assert c.direction_label == IMPROVED  # falls back to the MDC
    assert "psfs.change.improved" in codes(c)


def test_ps2_single_activities() -> None:
    items = compare_items(get_instrument("psfs"), [3, 5, 4], [6, 7, 5])
    assert [(i.number, i.delta, i.beyond_mdc) for i in items] == [
        (1, 3, True),
        (2, 2, False),
        (3, 1, False),
    ]
    assert items[0].finding.code == "psfs.activity.beyond_mdc"
    assert items[1].finding.code == "psfs.activity.within_mdc"


def test_single_activity_decline() -> None:
    (item,) = compare_items(get_instrument("psfs"), [6], [3])
    assert (item.delta, item.improvement, item.beyond_mdc) == (-3, -3, True)


def test_compare_items_needs_the_same_activities() -> None:
    with pytest.raises(InvalidInput) as caught:
        compare_items(get_instrument("psfs"), [3, 5, 4], [6, 7])
    assert caught.value.field == "after_answers"


def test_compare_items_validates_answers() -> None:
    with pytest.raises(InvalidInput) as caught:
        compare_items(get_instrument("psfs"), [3, 11], [6, 7])
    assert caught.value.field == "answers[2]"


def test_compare_items_scores_reversed_items_as_scored() -> None:
    tsk17 = get_instrument("tsk17")
    before, after = [2] * 17, [2] * 17
    after[3] = 4  # item 4 is reversed: raw 2 → 4 is scored 3 → 1, an improvement
    changed = [i for i in compare_items(tsk17, before, after) if i.delta]
    assert [(i.number, i.before, i.after, i.improvement) for i in changed] == [(4, 3, 1, 2)]
    assert changed[0].beyond_mdc is None


def test_psfs_different_number_of_activities_is_flagged() -> None:
    psfs = get_instrument("psfs")
    c = compare(psfs, psfs.score([3, 5, 4]), psfs.score([6, 7]))
    warning = c.findings[0]
    assert warning.code == "psfs.change.different_activities"
    assert warning.statement == (
        "PSFS: 3 activities rated before, 2 after — the two means are not comparable "
        "(the PSFS re-rates the same activities at follow-up)"
    )
    assert (warning.inputs["activities_before"], warning.inputs["activities_after"]) == (3, 2)
    assert "Stratford" in warning.reference
    same = compare(psfs, psfs.score([3, 5, 4]), psfs.score([6, 7, 5]))
    assert "psfs.change.different_activities" not in codes(same)


def test_compare_items_is_exported() -> None:
    assert {"compare", "compare_items", "Change", "ItemChange"} <= set(outcomes.__all__)


# -- wording of change in both directions ------------------------------------------------------


@pytest.mark.parametrize("instrument", list(INSTRUMENTS.values()), ids=lambda i: i.id)
def test_percent_and_mdc_findings_name_the_direction(instrument: Instrument) -> None:
    low, high = instrument.score_range
    better, worse = (low + 1, high - 1)
    if instrument.direction is Direction.HIGHER_IS_BETTER:
        better, worse = worse, better
    improved = compare(instrument, result(instrument.id, worse), result(instrument.id, better))
    declined = compare(instrument, result(instrument.id, better), result(instrument.id, worse))
    unchanged = compare(instrument, result(instrument.id, worse), result(instrument.id, worse))
    for c, word, never in (
        (improved, "improvement", ("deterioration", "worse from")),
        (declined, "deterioration", ("% improvement", "improvement <", "improvement ≥")),
        (unchanged, "no change", ("deterioration", "% improvement")),
    ):
        for finding in c.findings:
            if ".change.mcid_percent" in finding.code or finding.code.endswith("_mdc"):
                assert word in finding.statement, finding.statement
                for phrase in never:
                    assert phrase not in finding.statement, finding.statement


# -- category change ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "before", "after", "text"),
    [
        ("odi", 50, 30, "ODI 50 → 30: category severe disability → moderate disability"),
        ("pseq", 30, 38, "PSEQ 30 → 38: ePPOC band moderate → mild"),
        ("tsk17", 40, 30, "TSK-17 40 → 30: category high kinesiophobia (> 37) → not high (≤ 37)"),
        (
            "pcs",
            29,
            30,
            "PCS 29 → 30: category below clinical cut-off (< 30) → clinically "
            "relevant catastrophizing (≥ 30)",
        ),
        ("ompsq", 60, 40, "ÖMPSQ-10 60 → 40: category at risk (≥ 50) → below cut-off (< 50)"),
    ],
)
def test_category_change_is_reported_for_banded_instruments(
    instrument_id: str, before: float, after: float, text: str
) -> None:
    instrument = get_instrument(instrument_id)
    c = change(instrument_id, before, after)
    finding = next(f for f in c.findings if f.code == f"{instrument_id}.change.category")
    assert finding.statement == text
    assert finding.reference == instrument.bands_source
    assert finding.verified is instrument.bands_verified
    assert finding.inputs["category_before"] == instrument.category_for(before)
    assert f"{instrument_id}.change.category" not in codes(change(instrument_id, after, after))


def test_sbst_risk_group_change_is_reported_without_a_threshold() -> None:
    sbst = get_instrument("sbst")
    c = compare(sbst, sbst.score([1] * 8 + [4]), sbst.score([0] * 9))
    assert c.direction_label == NO_THRESHOLD
    assert codes(c) == {"sbst.change.no_threshold", "sbst.change.category"}
    finding = statement(c, "sbst.change.category")
    assert finding == "STarT Back 9 → 0: risk group high → low"
    medium = sbst.score([1, 1, 1, 1, 0, 0, 0, 0, 0])  # total 4, psychosocial 0
    same_total = compare(sbst, medium, sbst.score([0, 0, 0, 0, 1, 1, 1, 1, 0]))
    assert statement(same_total, "sbst.change.category") == (
        "STarT Back 4 → 4: risk group medium → high"
    )


@pytest.mark.parametrize("instrument_id", ["nprs", "rmdq", "tsk11", "fabq", "psfs"])
def test_no_category_change_without_categories(instrument_id: str) -> None:
    low, high = get_instrument(instrument_id).score_range
    assert f"{instrument_id}.change.category" not in codes(change(instrument_id, low, high))


# -- instruments without change criteria, and misuse --------------------------------------------


@pytest.mark.parametrize("instrument_id", ["sbst", "ompsq", "fabq"])
def test_no_published_threshold(instrument_id: str) -> None:
    c = change(instrument_id, 5, 3)
    assert (c.meets_mcid_points, c.meets_mcid_percent, c.beyond_mdc, c.recovered) == (
        None,
        None,
        None,
        None,
    )
    assert c.direction_label == NO_THRESHOLD
    assert codes(c) == {f"{instrument_id}.change.no_threshold"}


def test_subscale_deltas() -> None:
    pcs = get_instrument("pcs")
    c = compare(
        pcs,
        pcs.score([3, 3, 2, 2, 3, 2, 2, 3, 3, 3, 3, 2, 2]),
        pcs.score([2] * 13),
    )
    assert dict(c.subscale_deltas) == {"rumination": -4, "magnification": 0, "helplessness": -3}
    assert c.meets_mcid_points is True  # 7 ≥ 6.48


def test_scores_of_another_instrument_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        compare(get_instrument("odi"), result("odi", 30), result("rmdq", 10))
    assert caught.value.field == "after"


def test_every_finding_is_explained() -> None:
    c = change("rmdq", 3, 0)
    assert c.findings
    for finding in c.findings:
        assert finding.rule
        assert finding.reference
        assert finding.statement
        assert finding.inputs["before"] == 3
    assert c.as_dict()["direction"] == c.direction_label


# -- properties -----------------------------------------------------------------------------------


@st.composite
def pair(draw: st.DrawFn) -> tuple[Instrument, float, float]:
    instrument = draw(st.sampled_from(list(INSTRUMENTS.values())))
    low, high = instrument.score_range
    scores = st.floats(low, high, allow_nan=False)
    return instrument, draw(scores), draw(scores)


@given(pair())
def test_change_is_antisymmetric_and_consistent(case: tuple[Instrument, float, float]) -> None:
    instrument, a, b = case
    forward = compare(instrument, result(instrument.id, a), result(instrument.id, b))
    backward = compare(instrument, result(instrument.id, b), result(instrument.id, a))
    assert forward.improvement == pytest.approx(-backward.improvement)
    sign = -1 if instrument.direction is Direction.HIGHER_IS_WORSE else 1
    assert forward.improvement == pytest.approx(sign * forward.delta)
    assert forward.beyond_mdc == backward.beyond_mdc
    if forward.direction_label == IMPROVED:
        assert backward.direction_label == WORSE
        assert forward.meets_mcid_points in (True, None)
    if forward.direction_label == NO_IMPORTANT_CHANGE:
        assert backward.direction_label == NO_IMPORTANT_CHANGE


@given(pair())
def test_no_change_is_never_important(case: tuple[Instrument, float, float]) -> None:
    instrument, a, _ = case
    c = compare(instrument, result(instrument.id, a), result(instrument.id, a))
    assert c.delta == 0
    assert c.direction_label in (NO_IMPORTANT_CHANGE, NO_THRESHOLD)
    assert c.beyond_mdc in (False, None)
