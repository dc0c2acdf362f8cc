"""Örebro Musculoskeletal Pain Screening Questionnaire, short form (clinical-facts.md §1.10).

Linton, Nicholas & MacDonald, Spine 2011;36(22):1891-5 [V]: ten items, two per predictive
factor. Item 1 (pain duration) is coded 1–10 (0–1 week = 1 … > 1 year = 10); items 2–10 are
0–10. Items 3 (light work for an hour), 4 (sleep) and 8 (working normal duties in 3 months) are
reverse scored (10 − x) on the official form (physiotutors; awell ``ompq_10`` keys them by
content [C]). Total 1–100, higher = more risk.

Cut-off: total **≥ 50** identifies those at risk of disability (Linton 2011 "a cutoff of 50";
awell "> 49"; physiotutors ≥ 50 [V2]). Low/medium/high groups (Heikkala 2023) have unpublished
boundaries [U] and are not used.

Missing items: awell scores partial forms, which under-scores them [C]; we refuse by default
and prorate if the caller allows some. No change criteria in our reference.

Only items 1, 3, 4 and 8 carry a topic in their label: our reference fixes the official
position of those four; the order of the other topics is keyed by content in our sources.
"""

from __future__ import annotations

from spinecoach.domain.instruments.base import (
    Band,
    ChangeCriteria,
    Cutoff,
    Direction,
    Instrument,
    Item,
    MissingPolicy,
    score_summed,
)

LINTON_2011 = "Linton, Nicholas & MacDonald, Spine 2011;36(22):1891-5"
CUTOFF_SOURCE = f"{LINTON_2011} (cut-off 50); awell-score README (> 49); physiotutors (≥ 50)"
AT_RISK_FROM = 50.0  # Linton 2011; ≥ 50 per awell and physiotutors [V2]
REVERSED = frozenset({3, 4, 8})  # physiotutors: "items 3, 4, 8 = 10 minus" [C]
TOPICS = {1: "pain duration", 3: "light work", 4: "sleep", 8: "work in 3 months"}


def _item(n: int) -> Item:
    low = 1 if n == 1 else 0  # duration coded 1–10 [C]
    parts = [f"ÖMPSQ item {n}"]
    if n in TOPICS:
        parts.append(TOPICS[n])
    scale = f"({low}–10, reversed)" if n in REVERSED else f"({low}–10)"
    return Item(
        number=n,
        key=f"ompsq_{n}",
        label=f"{', '.join(parts)} {scale}",
        minimum=low,
        maximum=10,
        reverse=n in REVERSED,
    )


OMPSQ = Instrument(
    id="ompsq",
    name="Örebro Musculoskeletal Pain Screening Questionnaire, short form (ÖMPSQ-10)",
    short_name="ÖMPSQ-10",
    items=tuple(_item(n) for n in range(1, 11)),
    score_range=(1.0, 100.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=0,
        method="prorate",
        rule="no published rule (awell under-scores partial forms): refused by default; "
        "prorated if allowed",
    ),
    change=ChangeCriteria(
        mcid_points=None,
        mcid_percent=None,
        mdc=None,
        source="none in our reference (ÖMPSQ is a screening tool)",
    ),
    bands=(
        Band("below cut-off (< 50)", AT_RISK_FROM, inclusive=False),
        Band("at risk (≥ 50)", 100.0),
    ),
    bands_source=CUTOFF_SOURCE,
    cutoffs=(
        Cutoff(
            code="ompsq.at_risk",
            label="ÖMPSQ-10",
            scale="score",
            operator=">=",
            threshold=AT_RISK_FROM,
            meaning="at risk of developing disability",
            reference=CUTOFF_SOURCE,
            note="identified 85 % (occupational) and 83 % (primary care) who developed "
            "disability (Linton 2011)",
        ),
    ),
    citations=(
        LINTON_2011,
        "physiotutors.com ÖMPSQ short form (reversed items 3, 4, 8; ≥ 50).",
        "awell-health/awell-score ompq_10 at c37843e5 [C].",
        "Heikkala 2023, Eur J Public Health 33:442 (risk groups; boundaries not located).",
    ),
    scorer=score_summed,
)
