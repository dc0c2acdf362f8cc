"""Keele STarT Back Screening Tool, 9 items (clinical-facts.md §1.7).

Official Keele scoring (keele.ac.uk/sbst/usingscoringthesbst/ [V]; Hill et al., Arthritis Rheum
2008;59:632-41; awell ``classifyRisk`` identical [C]):

- items 1–8: 1 = agree, 0 = disagree;
- item 9 (bothersomeness) is *entered* 0–4 for its five responses (not at all, slightly,
  moderately, very much, extremely) and scores 1 only for 3 or 4;
- total = items 1–9 (0–9); psychosocial subscale = items 5–9 (0–5). On the official form the
  psychosocial items are 5–9; the "1, 4, 7, 8, 9" numbering of RehabMeasures and the CPG table
  belongs to another item order and is not used.
- risk: total ≤ 3 → low; otherwise psychosocial ≥ 4 → high; otherwise medium.

Missing items: none allowed, whatever the caller asks — the classification needs every item
(awell has no missing-item rule [C]). No change criteria are published in our reference.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.errors import CannotScore
from spinecoach.domain.evidence import Evidence
from spinecoach.domain.instruments.base import (
    Answers,
    ChangeCriteria,
    Direction,
    Instrument,
    Item,
    MissingPolicy,
    ScoreResult,
)

KEELE = "Keele SBST scoring (keele.ac.uk/sbst/usingscoringthesbst/); Hill et al. 2008"

TOPICS = (
    "leg pain",
    "shoulder/neck pain",
    "walked only short distances",
    "dressed more slowly",
    "fear",
    "anxiety",
    "catastrophising",
    "low mood",
)
PSYCHOSOCIAL = (5, 6, 7, 8, 9)  # Keele official form [V]
BOTHER_SCORES_FROM = 3  # item 9: "very much" (3) or "extremely" (4) score 1 [V]
LOW_AT_OR_BELOW = 3  # total ≤ 3 → low [V]
HIGH_FROM = 4  # psychosocial ≥ 4 → high [V]


def scored_value(number: int, raw: int) -> int:
    """The scored value of one answer: item 9 collapses 0–4 to 0/1."""
    if number == 9:
        return 1 if raw >= BOTHER_SCORES_FROM else 0
    return raw


def _score(instrument: Instrument, answers: Answers, _allowed: int) -> ScoreResult:
    missing = [i + 1 for i, a in enumerate(answers) if a is None]
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise CannotScore(
            "answers",
            f"sbst: item(s) {listed} missing; {instrument.missing.rule}",
        )
    values = [scored_value(n, a) for n, a in enumerate(answers, start=1) if a is not None]
    total = sum(values)
    psychosocial = sum(values[n - 1] for n in PSYCHOSOCIAL)
    if total <= LOW_AT_OR_BELOW:
        risk, why = "low", f"total {total} ≤ {LOW_AT_OR_BELOW}"
    elif psychosocial >= HIGH_FROM:
        risk, why = "high", f"total {total} ≥ 4 and psychosocial {psychosocial} ≥ {HIGH_FROM}"
    else:
        risk, why = "medium", f"total {total} ≥ 4 and psychosocial {psychosocial} ≤ 3"
    finding = Evidence(
        code=f"sbst.{risk}_risk",
        statement=f"STarT Back {total}/9, psychosocial {psychosocial}/5: {risk} risk ({why})",
        rule="Keele: total ≤ 3 low; else psychosocial (items 5–9) ≥ 4 high; else medium",
        inputs=MappingProxyType({"score": total, "psychosocial": psychosocial}),
        reference=KEELE,
    )
    return ScoreResult(
        instrument=instrument.id,
        score=float(total),
        subscales=MappingProxyType({"psychosocial": float(psychosocial)}),
        category=risk,
        answered=len(answers),
        missing=0,
        findings=(finding,),
    )


SBST = Instrument(
    id="sbst",
    name="Keele STarT Back Screening Tool",
    short_name="STarT Back",
    items=(
        *(
            Item(
                number=n,
                key=f"sbst_{n}",
                label=f"STarT Back item {n}, {topic} (0 = disagree, 1 = agree)",
                minimum=0,
                maximum=1,
            )
            for n, topic in enumerate(TOPICS, start=1)
        ),
        Item(
            number=9,
            key="sbst_9",
            label="STarT Back item 9, bothersomeness (0–4; scores 1 for 3 or 4)",
            minimum=0,
            maximum=4,
        ),
    ),
    score_range=(0.0, 9.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=0,
        method="refuse",
        rule="the Keele classification needs all 9 items; incomplete forms are never scored",
    ),
    change=ChangeCriteria(
        mcid_points=None,
        mcid_percent=None,
        mdc=None,
        source="no published MCID or MDC found (SBST is a stratification tool, not an outcome "
        "measure)",
    ),
    subscales=MappingProxyType({"psychosocial": PSYCHOSOCIAL}),
    subscale_ranges=MappingProxyType({"psychosocial": (0.0, 5.0)}),
    bands_source=KEELE,
    category_noun="risk group",
    category_rule="Keele: total ≤ 3 low; else psychosocial (items 5–9) ≥ 4 high; else medium",
    citations=(
        "Keele University, STarT Back: using and scoring the tool "
        "(keele.ac.uk/sbst/usingscoringthesbst/).",
        "Hill et al. Arthritis Rheum 2008;59:632-41.",
    ),
    scorer=_score,
    notes="category is the Keele risk group: 'low', 'medium' or 'high'.",
)
