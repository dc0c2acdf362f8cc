"""Fear-Avoidance Beliefs Questionnaire (clinical-facts.md §1.6).

16 items rated 0–6 (JOSPT 2012 LBP CPG measure table, PMC4893951 [V]). Two subscales:
physical activity (FABQ-PA) = items 2–5, 0–24; work (FABQ-W) = items 6, 7, 9, 10, 11, 12, 15,
0–42 [V]. Items 1, 8, 13, 14 and 16 are in neither subscale (one clinic page wrongly lists
item 11 among them), so they may be missing without preventing scoring.

FABQ has no published total. ``score`` is FABQ-PA: the subscale used for exercise decisions in
CLBP physiotherapy (e.g. the commonly cited Hicks 2005 stabilization failure predictor
FABQ-PA < 9 [U]); FABQ-W is reported in ``subscales`` with its own findings.

Cut-offs (all prognostic, none diagnostic): PA > 14 (George 2008 [V] — it did not predict
6-month ODQ outcome there), PA > 15 "high" (secondary sources [V2]), W > 29 return-to-work risk
(CPG table; George 2008 [V]), W > 34 "high" (secondary, attributed to Fritz & George 2002
[V2]). W > 22 (sentence truncated in the CPG table) and W < 19 (Flynn's manipulation rule) are
not emitted.

Missing items: no published rule; by default no *scored* item may be missing. When the caller
allows some, each subscale is prorated to its full item count.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.errors import CannotScore
from spinecoach.domain.instruments.base import (
    Answers,
    ChangeCriteria,
    Cutoff,
    Direction,
    Instrument,
    Item,
    MissingPolicy,
    ScoreResult,
    prorated_sum,
    require_answered,
)

CPG_2012 = "JOSPT 2012 LBP clinical practice guideline, measure table (PMC4893951)"
GEORGE_2008 = "George et al. JOSPT 2008;38(2):50-58 (PMC2881572)"
SECONDARY = "secondary sources (sprypt, intouchpt, eorthopod) [V2]"
FRITZ_GEORGE_2002 = "attributed to Fritz & George 2002, via secondary sources [V2]"

PA_ITEMS = (2, 3, 4, 5)  # CPG table [V]
W_ITEMS = (6, 7, 9, 10, 11, 12, 15)  # CPG table [V]
UNSCORED = (1, 8, 13, 14, 16)
SCORED = tuple(sorted(PA_ITEMS + W_ITEMS))


def _label(n: int) -> str:
    if n in PA_ITEMS:
        return f"FABQ item {n}, physical activity (0–6)"
    if n in W_ITEMS:
        return f"FABQ item {n}, work (0–6)"
    return f"FABQ item {n}, not scored (0–6)"


def _score(instrument: Instrument, answers: Answers, allowed: int) -> ScoreResult:
    """FABQ-PA as the score; only missing *scored* items count against the policy."""
    missing_scored = sum(1 for n in SCORED if answers[n - 1] is None)
    if missing_scored > allowed:
        raise CannotScore(
            "answers",
            f"fabq: {missing_scored} scored item(s) missing, at most {allowed} allowed "
            f"({instrument.missing.rule})",
        )
    pa = require_answered(instrument, "pa", prorated_sum(instrument, answers, PA_ITEMS))
    w = require_answered(instrument, "w", prorated_sum(instrument, answers, W_ITEMS))
    missing = sum(1 for a in answers if a is None)
    return ScoreResult(
        instrument=instrument.id,
        score=pa,
        subscales=MappingProxyType({"pa": pa, "w": w}),
        category=None,
        answered=len(answers) - missing,
        missing=missing,
    )


FABQ = Instrument(
    id="fabq",
    name="Fear-Avoidance Beliefs Questionnaire (score = FABQ-PA)",
    short_name="FABQ-PA",
    items=tuple(
        Item(number=n, key=f"fabq_{n}", label=_label(n), minimum=0, maximum=6) for n in range(1, 17)
    ),
    score_range=(0.0, 24.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=0,
        method="prorate",
        rule=f"no published rule: unscored items {', '.join(map(str, UNSCORED))} may be missing; "
        "scored items refused by default, each subscale prorated if allowed",
    ),
    change=ChangeCriteria(
        mcid_points=None,
        mcid_percent=None,
        mdc=None,
        source="none in our reference (test–retest r 0.84–0.88 PA, 0.88–0.91 W; CPG table)",
    ),
    subscales=MappingProxyType({"pa": PA_ITEMS, "w": W_ITEMS}),
    subscale_ranges=MappingProxyType({"pa": (0.0, 24.0), "w": (0.0, 42.0)}),
    cutoffs=(
        Cutoff(
            code="fabq.pa_above_14",
            label="FABQ-PA",
            scale="pa",
            operator=">",
            threshold=14.0,  # George 2008 [V]
            meaning="elevated fear-avoidance of physical activity",
            reference=GEORGE_2008,
            note="previously reported cut-off; did not predict 6-month ODQ outcome in "
            "George 2008 (160 patients)",
        ),
        Cutoff(
            code="fabq.pa_high",
            label="FABQ-PA",
            scale="pa",
            operator=">",
            threshold=15.0,  # secondary sources [V2]
            meaning="high fear-avoidance of physical activity",
            reference=SECONDARY,
        ),
        Cutoff(
            code="fabq.w_return_to_work_risk",
            label="FABQ-W",
            scale="w",
            operator=">",
            threshold=29.0,  # CPG table; George 2008 [V]
            meaning="return-to-work risk indicator in acute occupational LBP",
            reference=f"{CPG_2012}; {GEORGE_2008}",
            note="prognostic in acute occupational LBP; in George et al. Eur Spine J 2008 "
            "FABQ-W predicted poor outcome only in workers' compensation patients",
        ),
        Cutoff(
            code="fabq.w_high",
            label="FABQ-W",
            scale="w",
            operator=">",
            threshold=34.0,  # Fritz & George 2002 via secondary sources [V2]
            meaning="high work fear-avoidance (predicts no return to work within 4 weeks)",
            reference=FRITZ_GEORGE_2002,
        ),
    ),
    citations=(
        CPG_2012,
        GEORGE_2008,
        "George et al. Eur Spine J 2008 (PMID 17926072).",
        FRITZ_GEORGE_2002,
        SECONDARY,
    ),
    scorer=_score,
    notes="score is FABQ-PA (no published FABQ total); FABQ-W is in subscales['w'].",
)
