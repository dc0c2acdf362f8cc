"""Oswestry Disability Index v2.1a (Fairbank & Pynsent 2000).

Ten sections scored 0–5; ODI % = sum of answered sections / (5 × answered) × 100
(clinical-facts.md §1.2, standard scoring sheet). Default: at most one section missing, as in
the sheet's only worked example (16/45 × 100 = 35.56) and awell-score; configurable. The score
is stored unrounded; bands use half-open intervals so 35.56 falls in (20, 40].

Change: MCID 10 points or 30 % (Ostelo 2008 [V]); MDC90 10 percentage points (= 5 raw points,
printed on the scoring sheet [V]). The modified-ODI MCID of 6 points (Fritz & Irrgang 2001 [U];
used by George 2008 [V]) is noted, not applied. No "recovered" cut-off in our reference.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.instruments.base import (
    Answers,
    Band,
    ChangeCriteria,
    Direction,
    Instrument,
    Item,
    MissingPolicy,
    ScoreResult,
    require_complete_enough,
    sum_items,
)

SECTIONS = (
    "pain intensity",
    "personal care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex life",
    "social life",
    "travelling",
)


def _score(instrument: Instrument, answers: Answers, allowed: int) -> ScoreResult:
    missing = require_complete_enough(instrument, answers, allowed)
    total, answered = sum_items(instrument, answers, range(1, 11))
    percent = total / (5 * answered) * 100
    return ScoreResult(
        instrument=instrument.id,
        score=percent,
        subscales=MappingProxyType({}),
        category=instrument.category_for(percent),
        answered=answered,
        missing=missing,
    )


ODI = Instrument(
    id="odi",
    name="Oswestry Disability Index v2.1a",
    short_name="ODI",
    items=tuple(
        Item(
            number=n, key=f"odi_{n}", label=f"ODI section {n}, {topic} (0–5)", minimum=0, maximum=5
        )
        for n, topic in enumerate(SECTIONS, start=1)
    ),
    score_range=(0.0, 100.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=1,
        method="denominator",
        rule="ODI scoring sheet: % of the maximum of the answered sections; at most 1 missing",
    ),
    change=ChangeCriteria(
        mcid_points=10.0,
        mcid_percent=30.0,
        mdc=10.0,
        source="MCID: Ostelo et al., Spine 2008;33(1):90-4; MDC90: ODI scoring sheet (5 raw "
        "points = 10 percentage points)",
    ),
    bands=(
        Band("minimal disability", 20),
        Band("moderate disability", 40),
        Band("severe disability", 60),
        Band("crippled", 80),
        Band("bed-bound or exaggerating symptoms", 100),
    ),
    bands_source="Fairbank & Pynsent, Spine 2000;25(22):2940-53",
    citations=(
        "Fairbank JC, Pynsent PB. The Oswestry Disability Index. Spine 2000;25(22):2940-53.",
        "Ostelo et al. Spine 2008;33(1):90-4 (MCID consensus).",
        "ODI v2.1a standard scoring sheet (MDC90: 5 points or 10 % points).",
    ),
    scorer=_score,
    notes="Modified ODI (Fritz & Irrgang 2001) MCID 6 points is widely cited [U]; George et al. "
    "JOSPT 2008;38(2):50-58 used it. awell-score rounds to an integer; we do not.",
)
