"""Pain Self-Efficacy Questionnaire, 10 items (clinical-facts.md §1.9).

10 items rated 0–6; total = sum, 0–60, **higher is better** (Nicholas 2007, Eur J Pain
11:153-63; measurely [V2]). Severity bands (ePPOC, as reproduced by measurely [V2]): 0–19
severe, 20–30 moderate, 31–40 mild, 41–60 minimal; prorated non-integer scores fall in
half-open bands (≤ 19, (19, 30], (30, 40], (40, 60]). A finding is emitted for the severe and
moderate bands (total ≤ 30: low self-efficacy).

Missing items: prorating rules were not located [U]; refused by default, prorated if allowed.

Change: MIC 5.5 points in CLBP (Chiarotto 2016, J Pain 17(6):707-18 [V]); MDC95 11.52 (Dubé
2021, Pain Rep 6:e972 [V]). ePPOC's "clinically significant change" (≥ 7 points with a move to
another band [V2]) is reported by :mod:`spinecoach.domain.outcomes`.
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

EPPOC = "ePPOC severity bands, as reproduced by measurely.com.au [V2]"
CHIAROTTO_2016 = "Chiarotto 2016, J Pain 17(6):707-18"
DUBE_2021 = "Dubé 2021, Pain Rep 6:e972"
EPPOC_CHANGE_POINTS = 7.0  # ePPOC: ≥ 7 points with a band change [V2]

PSEQ = Instrument(
    id="pseq",
    name="Pain Self-Efficacy Questionnaire (PSEQ-10)",
    short_name="PSEQ",
    items=tuple(
        Item(number=n, key=f"pseq_{n}", label=f"PSEQ item {n} (0–6)", minimum=0, maximum=6)
        for n in range(1, 11)
    ),
    score_range=(0.0, 60.0),
    direction=Direction.HIGHER_IS_BETTER,
    missing=MissingPolicy(
        max_missing=0,
        method="prorate",
        rule="no located rule [U]: refused by default; prorated if allowed",
    ),
    change=ChangeCriteria(
        mcid_points=5.5,  # Chiarotto 2016 (CLBP); range 5.5–8.5 across studies (Dubé 2021)
        mcid_percent=None,
        mdc=11.52,  # Dubé 2021: MDC95
        source=f"MIC: {CHIAROTTO_2016}; MDC95: {DUBE_2021}",
    ),
    bands=(  # ePPOC [V2]
        Band("severe", 19.0),
        Band("moderate", 30.0),
        Band("mild", 40.0),
        Band("minimal", 60.0),
    ),
    bands_source=EPPOC,
    category_noun="ePPOC band",
    cutoffs=(
        Cutoff(
            code="pseq.low_self_efficacy",
            label="PSEQ",
            scale="score",
            operator="<=",
            threshold=30.0,  # upper end of ePPOC's moderate band [V2]
            meaning="low pain self-efficacy (ePPOC severe or moderate band)",
            reference=EPPOC,
        ),
    ),
    citations=(
        "Nicholas 2007, Eur J Pain 11:153-63.",
        EPPOC,
        CHIAROTTO_2016,
        DUBE_2021,
    ),
    scorer=score_summed,
    notes="MCID ranges 5.5–8.5 across CLBP studies (Dubé 2021).",
)
