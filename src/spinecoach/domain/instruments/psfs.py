"""Patient-Specific Functional Scale (clinical-facts.md §1.8).

The patient names 1 to 5 activities they find difficult (usually up to 3) and rates each 0–10
(0 = unable, 10 = able at the pre-injury level). Score = mean of the ratings, 0–10, **higher is
better** (standard PSFS form; Stratford et al., Physiother Can 1995;47:258-63 [V2]). At follow-up
the same activities are re-rated in the same order.

There is no missing-answer concept: an activity not rated is not listed, so ``None`` is invalid
input. Change: MDC90 2 points for the mean and 3 points for a single activity (printed on the
form [V2]); no MCID in our reference. Per-activity change: :func:`outcomes.compare_items`.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.instruments.base import (
    Answers,
    ChangeCriteria,
    Direction,
    Instrument,
    Item,
    MissingPolicy,
    ScoreResult,
)

STRATFORD_1995 = "Stratford et al. Physiother Can 1995;47:258-63; standard PSFS form [V2]"
MAX_ACTIVITIES = 5  # the form allows up to 5


def _score(instrument: Instrument, answers: Answers, _allowed: int) -> ScoreResult:
    ratings = [a for a in answers if a is not None]  # None is refused by validation
    mean = sum(ratings) / len(ratings)
    return ScoreResult(
        instrument=instrument.id,
        score=mean,
        subscales=MappingProxyType({}),
        category=None,
        answered=len(ratings),
        missing=0,
    )


PSFS = Instrument(
    id="psfs",
    name="Patient-Specific Functional Scale",
    short_name="PSFS",
    items=tuple(
        Item(
            number=n,
            key=f"psfs_{n}",
            label=f"PSFS activity {n} rating (0 = unable, 10 = as before)",
            minimum=0,
            maximum=10,
        )
        for n in range(1, MAX_ACTIVITIES + 1)
    ),
    score_range=(0.0, 10.0),
    direction=Direction.HIGHER_IS_BETTER,
    missing=MissingPolicy(
        max_missing=0,
        method="none",
        rule="activities not rated are left out; give 1 to 5 ratings",
    ),
    change=ChangeCriteria(
        mcid_points=None,
        mcid_percent=None,
        mdc=2.0,  # MDC90 of the mean, printed on the form [V2]
        item_mdc=3.0,  # MDC90 of a single activity, printed on the form [V2]
        source=f"MDC90 2 (mean), 3 (one activity): {STRATFORD_1995}",
    ),
    variable_length=True,
    citations=(
        STRATFORD_1995,
        "PMC3036014 (PSFS vs RMDQ responsiveness in 831 LBP patients).",
        "Costa et al. 2009 (PSFS primary outcome; MCE vs placebo 1.1 points).",
    ),
    scorer=_score,
    notes="Re-rate the same activities in the same order at follow-up.",
)
