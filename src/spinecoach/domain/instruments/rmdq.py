"""Roland-Morris Disability Questionnaire, 24-item version (clinical-facts.md §1.3).

Each item is entered 1 when the patient ticks it, 0 when not (an item marked "not applicable"
counts as not ticked: Roland & Fairbank 2000 [V2]). Score = number ticked, 0–24, higher is
worse, no reverse scoring (Roland & Morris, Spine 1983;8:141-4 [V]). Do not mix with the
23-item Danish version.

Missing items: no standard method exists (Kent & Lauridsen [V]), so by default a form with a
missing item is refused; callers may allow some, which are then prorated.

Change: MCID 5 points or 30 % (Ostelo 2008 [V]); MDC90 4–5 points (Stratford 1996 [V]) — we use
5, the conservative end; "recovered" ≤ 2 (Kamper 2010 [V]). Stratford's floor and ceiling
(baseline < 4 cannot show reliable improvement, > 20 cannot show reliable deterioration) are
reported by :mod:`spinecoach.domain.outcomes`.
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

RMDQ = Instrument(
    id="rmdq",
    name="Roland-Morris Disability Questionnaire (RMDQ-24)",
    short_name="RMDQ",
    items=tuple(
        Item(
            number=n,
            key=f"rmdq_{n}",
            label=f"RMDQ item {n} (0 = not ticked, 1 = ticked)",
            minimum=0,
            maximum=1,
        )
        for n in range(1, 25)
    ),
    score_range=(0.0, 24.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=0,
        method="prorate",
        rule="no standard rule (Kent & Lauridsen): refused by default; prorated if allowed",
    ),
    change=ChangeCriteria(
        mcid_points=5.0,  # Ostelo 2008
        mcid_percent=30.0,  # Ostelo 2008
        mdc=5.0,  # Stratford 1996: MDC90 4–5 points; upper end, conservative
        recovered_at_or_below=2.0,  # Kamper 2010
        source="MCID: Ostelo et al. Spine 2008;33(1):90-4; MDC90: Stratford 1996, Phys Ther "
        "(4–5 points; 5 used); recovered: Kamper et al. Eur Spine J 2010;19:1495-1501",
    ),
    citations=(
        "Roland & Morris, Spine 1983;8:141-4.",
        "Ostelo et al. Spine 2008;33(1):90-4.",
        "Stratford 1996, Phys Ther (RMDQ MDC90 4–5 points; floor < 4, ceiling > 20).",
        "Kamper et al. Eur Spine J 2010;19:1495-1501 (PMC2989296).",
        "Bombardier 2001, J Rheumatol 2001;28:431 (Roland's 2–3 point minimum change).",
    ),
    scorer=score_summed,
    notes="Roland suggested 2–3 points as the minimum important change (Bombardier 2001); "
    "the Ostelo 5-point MCID is applied.",
)
