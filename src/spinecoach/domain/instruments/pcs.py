"""Pain Catastrophizing Scale (clinical-facts.md §1.5).

13 items rated 0–4, no reverse scoring; total 0–52 (RehabMeasures [V2], awell ``pcs_scales.ts``
[C]). Subscales: rumination 8–11 (0–16), magnification 6, 7, 13 (0–12), helplessness 1–5, 12
(0–24).

Clinically relevant catastrophizing: total **≥ 30** (Sullivan's PCS manual 2009: 30 is the
clinically relevant level, the 75th percentile of chronic pain patients; secondary sources
render it as ≥ 30 [V2], RehabMeasures writes "above 30"). The manual itself was not seen ([U]),
so the finding is marked unverified. 30 is relevant, 29 is not.

Missing items: the manual's rule was not located [U]; refused by default, prorated (total and
each subscale) if the caller allows some.

Change: an anchor-based cut-off linked to ΔNRS ≥ 2 is ΔPCS ≈ 6.48 (Suzuki 2020, PLoS One,
PMC7053735 [V]), used as the MCID. SEM 4.6 in Norwegian LBP (PMC3407790 [V]); no MDC published.
"""

from __future__ import annotations

from types import MappingProxyType

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

SULLIVAN_2009 = "Sullivan, PCS manual 2009 (30 = clinically relevant; read as ≥ 30) [U]"
SUBSCALES = {  # RehabMeasures [V2]; awell pcs_scales.ts [C]
    "rumination": (8, 9, 10, 11),
    "magnification": (6, 7, 13),
    "helplessness": (1, 2, 3, 4, 5, 12),
}
RELEVANT_FROM = 30.0  # Sullivan 2009 manual, read as ≥ 30 [U]


def _label(n: int) -> str:
    subscale = next(name for name, items in SUBSCALES.items() if n in items)
    return f"PCS item {n}, {subscale} (0–4)"


PCS = Instrument(
    id="pcs",
    name="Pain Catastrophizing Scale (PCS)",
    short_name="PCS",
    items=tuple(
        Item(number=n, key=f"pcs_{n}", label=_label(n), minimum=0, maximum=4) for n in range(1, 14)
    ),
    score_range=(0.0, 52.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=0,
        method="prorate",
        rule="manual's rule not located: refused by default; prorated if allowed",
    ),
    change=ChangeCriteria(
        mcid_points=6.48,  # Suzuki 2020: ΔPCS ≈ 6.48 linked to ΔNRS ≥ 2
        mcid_percent=None,
        mdc=None,
        source="Suzuki 2020, PLoS One (PMC7053735), anchor ΔNRS ≥ 2",
    ),
    subscales=MappingProxyType(SUBSCALES),
    subscale_ranges=MappingProxyType(
        {"rumination": (0.0, 16.0), "magnification": (0.0, 12.0), "helplessness": (0.0, 24.0)}
    ),
    bands=(
        Band("below clinical cut-off (< 30)", RELEVANT_FROM, inclusive=False),
        Band("clinically relevant catastrophizing (≥ 30)", 52.0),
    ),
    bands_source=SULLIVAN_2009,
    bands_verified=False,
    cutoffs=(
        Cutoff(
            code="pcs.catastrophizing_relevant",
            label="PCS",
            scale="score",
            operator=">=",
            threshold=RELEVANT_FROM,
            meaning="clinically relevant catastrophizing",
            reference=SULLIVAN_2009,
            verified=False,
            note="manual text not seen; RehabMeasures writes 'above 30'",
        ),
    ),
    citations=(
        SULLIVAN_2009,
        "RehabMeasures: Pain Catastrophizing Scale (subscales, cut-off) [V2].",
        "Suzuki 2020, PLoS One (PMC7053735).",
        "Norwegian PCS in LBP, SEM 4.6 (PMC3407790).",
    ),
    scorer=score_summed,
)
