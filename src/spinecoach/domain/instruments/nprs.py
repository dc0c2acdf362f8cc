"""Numeric Pain Rating Scale, 0–10 (clinical-facts.md §1.1).

One item, no transformation: the score is the rating. Higher is worse. A single item cannot be
prorated, so a missing rating is never scored. No severity bands are given in our reference,
so none are invented here.

Change: MCID 2 points or 30 % (Ostelo 2008 consensus [V]); MDC ≈ 2 points from SEM 1.02
(Childs 2005 [V]); "recovered" = 0 (Kamper 2010 [V]). The baseline-dependent MCID of a hospital
sample with specific back pain (Thieme, doi 10.1055/a-1304-3677 [V]) is reported by
:mod:`spinecoach.domain.outcomes` as context only.
"""

from __future__ import annotations

from spinecoach.domain.instruments.base import (
    ChangeCriteria,
    Direction,
    Instrument,
    Item,
    MissingPolicy,
    score_summed,
)

OSTELO_2008 = "Ostelo et al. Spine 2008;33(1):90-4"
CHILDS_2005 = "Childs et al. Spine 2005;30(11):1331-4 (PMID 15928561)"
KAMPER_2010 = "Kamper et al. Eur Spine J 2010;19:1495-1501 (PMC2989296)"

NPRS = Instrument(
    id="nprs",
    name="Numeric Pain Rating Scale",
    short_name="NPRS",
    items=(Item(number=1, key="nprs_1", label="NPRS pain rating (0–10)", minimum=0, maximum=10),),
    score_range=(0.0, 10.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=0,
        method="prorate",
        rule="single item: a missing rating cannot be scored",
    ),
    change=ChangeCriteria(
        mcid_points=2.0,  # Ostelo 2008 consensus; Childs 2005: a 2-point change is meaningful
        mcid_percent=30.0,  # Ostelo 2008
        mdc=2.0,  # Childs 2005: SEM 1.02, MDC ≈ 2
        recovered_at_or_below=0.0,  # Kamper 2010: NRS = 0 best identified "recovered"
        source=f"MCID: {OSTELO_2008}; MDC: {CHILDS_2005}; recovered: {KAMPER_2010}",
    ),
    citations=(CHILDS_2005, OSTELO_2008, KAMPER_2010, "Thieme, doi 10.1055/a-1304-3677"),
    scorer=score_summed,
    notes="MCID depends on baseline in a hospital sample with specific back pain (MDC 1.77; "
    "MCID 1 for baseline 1–4, 2 for 5–7, 3–4 for 8–10; Thieme, doi 10.1055/a-1304-3677).",
)
