"""Tampa Scale for Kinesiophobia: TSK-17 and TSK-11 (clinical-facts.md §1.4).

**TSK-17.** 17 items rated 1–4; items 4, 8, 12 and 16 are reverse scored (5 − x) (awell README
[V2] and ``tampa.ts`` [C]). Total 17–68, higher = more fear of movement/(re)injury. High
kinesiophobia: total **> 37** (Vlaeyen et al., Pain 1995;62:363-72, as quoted by the awell
README). Tagged [U] in our reference — the primary text was not seen — so the finding is marked
unverified. awell's code uses ≥ 37; we follow the published "> 37" wording (37 is not high, 38
is). Change: MIC a reduction of ≥ 4 points (Woby 2005 [V]); Monticone 2017 (Italian CLBP) found
5.5 points or 18 % [V] — noted, not applied.

**TSK-11** (Woby, Roach, Urmston & Watson, Pain 2005;117(1-2):137-44 [V]) keeps TSK-17 items 1,
2, 3, 5, 6, 7, 10, 11, 13, 15, 17 and has **no reverse-scored items** (it dropped 4, 8, 9, 12,
14, 16). Plain sum, 11–44. A public component that reverses TSK-17 item 4 inside a TSK-11 form
is wrong; nothing here is reversed. No cut-off is published in our reference, so no category.
MIC ≥ 4 points (Woby 2005 [V]).

Both: no published missing-item rule, so a form with a missing item is refused by default and
prorated if the caller allows some. No MDC is published in our reference (SEM 3.16 and 2.54,
Woby 2005), so none is applied.
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

VLAEYEN_1995 = "Vlaeyen et al. Pain 1995;62:363-72 (> 37, via awell-score README) [U]"
WOBY_2005 = "Woby, Roach, Urmston & Watson, Pain 2005;117(1-2):137-44"

REVERSED = frozenset({4, 8, 12, 16})  # awell tampa.ts: 5 - value for Q04, Q08, Q12, Q16
HIGH_ABOVE = 37.0  # Vlaeyen 1995 [U]: "> 37" = high fear


def _label(n: int) -> str:
    return f"TSK item {n} (1–4, reversed)" if n in REVERSED else f"TSK item {n} (1–4)"


TSK17 = Instrument(
    id="tsk17",
    name="Tampa Scale for Kinesiophobia (TSK-17)",
    short_name="TSK-17",
    items=tuple(
        Item(
            number=n,
            key=f"tsk17_{n}",
            label=_label(n),
            minimum=1,
            maximum=4,
            reverse=n in REVERSED,
        )
        for n in range(1, 18)
    ),
    score_range=(17.0, 68.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=0,
        method="prorate",
        rule="no published rule: refused by default; prorated if allowed",
    ),
    change=ChangeCriteria(
        mcid_points=4.0,  # Woby 2005: MIC a reduction of at least 4 points
        mcid_percent=None,
        mdc=None,
        source=f"MIC: {WOBY_2005}",
    ),
    bands=(
        Band("not high (≤ 37)", HIGH_ABOVE),
        Band("high kinesiophobia (> 37)", 68.0),
    ),
    bands_source=VLAEYEN_1995,
    bands_verified=False,
    cutoffs=(
        Cutoff(
            code="tsk17.kinesiophobia_high",
            label="TSK-17",
            scale="score",
            operator=">",
            threshold=HIGH_ABOVE,
            meaning="high fear of movement",
            reference=VLAEYEN_1995,
            verified=False,
            note="Vlaeyen 1995 wording; awell-score codes ≥ 37",
        ),
    ),
    citations=(
        VLAEYEN_1995,
        WOBY_2005,
        "Monticone 2017, Eur Spine J (MIC 5.5 points / 18 % in Italian CLBP).",
        "Koho 2015, J Rehabil Med 47 (Finnish reference values).",
    ),
    scorer=score_summed,
    notes="Reference values (Koho 2015): men 34.2 (SD 6.9), women 32.9 (SD 6.5). "
    "All-1 answers score 29, not 17, because of the reversed items.",
)

TSK17_ITEMS = (1, 2, 3, 5, 6, 7, 10, 11, 13, 15, 17)  # Woby 2005: retained TSK-17 items

TSK11 = Instrument(
    id="tsk11",
    name="Tampa Scale for Kinesiophobia (TSK-11)",
    short_name="TSK-11",
    items=tuple(
        Item(
            number=n,
            key=f"tsk11_{n}",
            label=f"TSK-11 item {n} (1–4; TSK-17 item {original})",
            minimum=1,
            maximum=4,
        )
        for n, original in enumerate(TSK17_ITEMS, start=1)
    ),
    score_range=(11.0, 44.0),
    direction=Direction.HIGHER_IS_WORSE,
    missing=MissingPolicy(
        max_missing=0,
        method="prorate",
        rule="no published rule: refused by default; prorated if allowed",
    ),
    change=ChangeCriteria(
        mcid_points=4.0,  # Woby 2005: MIC ≥ 4 points on both versions
        mcid_percent=None,
        mdc=None,
        source=f"MIC: {WOBY_2005}",
    ),
    citations=(WOBY_2005,),
    scorer=score_summed,
    notes="Woby 2005: α 0.79, ICC 0.81, SEM 2.54 (TSK-11).",
)
