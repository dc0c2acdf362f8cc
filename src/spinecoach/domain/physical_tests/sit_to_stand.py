"""Sit-to-stand tests (clinical-facts.md §2.4): the five-times sit-to-stand (5R-STS, timed)
and the 30-second chair stand (count).

5R-STS severity bands (Klukowska et al., J Neurosurg Spine 2020, n = 240, [V]) are published
as ≤ 10.4 / 10.5–15.2 / 15.3–22.0 / > 22.0 s. Times are measured to more than one decimal,
so we make the bands half-open on the upper bound: ≤ 10.4 none, (10.4, 15.2] mild,
(15.2, 22.0] moderate, > 22.0 severe; 10.45 s is therefore mild.

Times under 2 s are refused as implausible (``STS5_MIN_PLAUSIBLE_S``): five full stands from
sitting cannot be done that fast (healthy adults average 6.21 ± 1.92 s, Klukowska 2021), so 0
or 1 s is a typing or stopwatch error. This is a plausibility bound on the input, not a norm.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from spinecoach.domain.evidence import Evidence
from spinecoach.domain.physical_tests.base import (
    InputSpec,
    PersonContext,
    PhysicalTest,
    Sex,
    TestResult,
)
from spinecoach.domain.physical_tests.common import Values, fmt_s, number

# --- five-times sit-to-stand ------------------------------------------------------------

STS5_BANDS: tuple[tuple[float, str], ...] = (
    (10.4, "none"),
    (15.2, "mild"),
    (22.0, "moderate"),
    (math.inf, "severe"),
)
"""(inclusive upper bound in s, objective functional impairment). Klukowska 2020. [V]"""

STS5_CATEGORIES: tuple[str, ...] = tuple(label for _, label in STS5_BANDS)

BOHANNON_AGE_MEANS: tuple[tuple[int, int, float], ...] = (
    (60, 69, 11.4),
    (70, 79, 12.6),
    (80, 89, 14.8),
)
"""(age from, age to, s): slower is worse than average for that age. Bohannon 2006. [V]"""

STS5_MIN_PLAUSIBLE_S = 2.0
"""Plausibility bound, not a norm: five full sit-to-stands take well over 2 s (healthy adults
6.21 ± 1.92 s, Klukowska 2021); a shorter time is an entry error."""

STAARTJES_ULN_S = 10.35
KLUKOWSKA_HEALTHY_ULN_S = 12.39

# Sources as printed for users (clinical-facts.md §2.4 is the internal record of them).
KLUKOWSKA_2020 = "Klukowska AM et al., J Neurosurg Spine 2020 (n = 240) [V]"
BOHANNON_2006 = "Bohannon RW, Percept Mot Skills 2006;103:215-22 [V]"
STAARTJES_2018 = "Staartjes VE, Schröder ML, J Neurosurg Spine 2018;29:380-7 [V]"
KLUKOWSKA_2021 = "Klukowska AM et al., Neurospine 2021;18(4) (n = 172) [V]"


def sts5_category(seconds: float) -> str:
    """Klukowska 2020 impairment band for a 5R-STS time (half-open upper bounds)."""
    for upper, label in STS5_BANDS:
        if seconds <= upper:
            return label
    return STS5_BANDS[-1][1]  # unreachable: the last bound is infinite


def _uln_statement(seconds: float, uln: float, cohort: str) -> str:
    side = "above" if seconds > uln else "within"
    return f"Upper limit of normal {uln:g} s ({cohort}); {fmt_s(seconds)} is {side} it"


def _sts5_summary(seconds: float, category: str) -> str:
    if category == "none":
        return f"{fmt_s(seconds)}: no functional impairment (≤ {STS5_BANDS[0][0]:g} s)"
    return f"{fmt_s(seconds)}: {category} functional impairment"


def _sts5(values: Values, person: PersonContext) -> TestResult:
    seconds = number(values, "seconds")
    category = sts5_category(seconds)
    findings: list[Evidence] = []
    if category != "none":
        findings.append(
            Evidence(
                code="sts5.functional_impairment",
                statement=(
                    f"Five-times sit-to-stand {fmt_s(seconds)}: {category} objective "
                    "functional impairment"
                ),
                rule=("≤ 10.4 s none; (10.4, 15.2] mild; (15.2, 22.0] moderate; > 22.0 s severe"),
                inputs={"seconds": seconds, "category": category},
                reference=KLUKOWSKA_2020,
            )
        )
    reference = [
        Evidence(
            code="sts5.uln_lumbar",
            statement=_uln_statement(
                seconds, STAARTJES_ULN_S, "lumbar degenerative disease study, 80 volunteers"
            ),
            rule="upper limit of normal; context only",
            inputs={"uln_s": STAARTJES_ULN_S},
            reference=STAARTJES_2018,
        ),
        Evidence(
            code="sts5.uln_healthy",
            statement=_uln_statement(
                seconds, KLUKOWSKA_HEALTHY_ULN_S, "healthy adults, mean 6.21 ± 1.92 s"
            ),
            rule="upper limit of normal; context only",
            inputs={"uln_s": KLUKOWSKA_HEALTHY_ULN_S},
            reference=KLUKOWSKA_2021,
        ),
    ]
    if person.age is not None:
        for low, high, mean in BOHANNON_AGE_MEANS:
            if low <= person.age <= high and seconds > mean:
                findings.append(
                    Evidence(
                        code="sts5.slower_than_age_mean",
                        statement=(
                            f"Five-times sit-to-stand {fmt_s(seconds)}: slower than the "
                            f"average for age {low}–{high} ({mean:g} s)"
                        ),
                        rule=f"age {low}–{high} and seconds > {mean:g}",
                        inputs={"seconds": seconds, "age": person.age},
                        reference=BOHANNON_2006,
                    )
                )
    return TestResult(
        test="sts5",
        values=MappingProxyType({"seconds": seconds}),
        units=MappingProxyType({"seconds": "s"}),
        category=category,
        findings=tuple(findings),
        reference=tuple(reference),
        summary=_sts5_summary(seconds, category),
    )


STS5 = PhysicalTest(
    id="sts5",
    name="Five-times sit-to-stand",
    inputs=(
        InputSpec(
            name="seconds",
            unit="s",
            minimum=STS5_MIN_PLAUSIBLE_S,
            maximum=120.0,
            help="Time for five full stands from sitting, arms crossed "
            f"(under {STS5_MIN_PLAUSIBLE_S:g} s is refused as implausible)",
        ),
    ),
    citations=(
        "Klukowska AM et al. J Neurosurg Spine 2020 (severity bands)",
        "Staartjes VE, Schröder ML. J Neurosurg Spine 2018;29:380-7",
        "Klukowska AM et al. Neurospine 2021;18(4) (healthy adults)",
        "Bohannon RW. Percept Mot Skills 2006;103:215-22 (age 60–89)",
    ),
    evaluator=_sts5,
)

# --- 30-second chair stand -------------------------------------------------------------

CHAIR_STAND_NORMS: dict[Sex, tuple[tuple[int, int, int, int], ...]] = {
    Sex.FEMALE: (
        (60, 64, 12, 17),
        (65, 69, 11, 16),
        (70, 74, 10, 15),
        (75, 79, 10, 15),
        (80, 84, 9, 14),
        (85, 89, 8, 13),
        (90, 94, 4, 11),
    ),
    Sex.MALE: (
        (60, 64, 14, 19),
        (65, 69, 12, 18),  # one secondary copy gives 13–18; we keep the table's 12–18
        (70, 74, 12, 17),
        (75, 79, 11, 17),
        (80, 84, 10, 15),
        (85, 89, 8, 14),
        (90, 94, 7, 12),
    ),
}
"""(age from, age to, 25th percentile, 75th percentile) stands. Rikli & Jones 1999. [V2]"""

CHAIR_STAND_LOW_FUNCTION_BELOW = 8
RIKLI_JONES = "Rikli RE, Jones CJ 1999 (30-s chair stand norms) [V2]"

BELOW_RANGE = "below normal range"
WITHIN_RANGE = "within normal range"
ABOVE_RANGE = "above normal range"


def chair_stand_norm(age: int | None, sex: Sex | None) -> tuple[int, int] | None:
    """The 25th–75th percentile range for this age and sex, or None outside 60–94 or
    when sex is not recorded as male or female."""
    if age is None or sex not in CHAIR_STAND_NORMS:
        return None
    for low_age, high_age, low, high in CHAIR_STAND_NORMS[sex]:
        if low_age <= age <= high_age:
            return low, high
    return None


def _chair_stand(values: Values, person: PersonContext) -> TestResult:
    stands = int(number(values, "stands"))
    derived: dict[str, float | bool | str] = {"stands": stands}
    units = {"stands": "stands"}
    findings: list[Evidence] = []
    reference: list[Evidence] = []
    category: str | None = None
    norm = chair_stand_norm(person.age, person.sex)
    counted = f"{stands} stand{'' if stands == 1 else 's'} in 30 s"
    summary = f"{counted} (no age/sex norm)"
    if norm is not None and person.sex is not None:
        low, high = norm
        derived |= {"norm_low": low, "norm_high": high}
        units |= {"norm_low": "stands", "norm_high": "stands"}
        group = "women" if person.sex is Sex.FEMALE else "men"
        if stands < low:
            category = BELOW_RANGE
        elif stands > high:
            category = ABOVE_RANGE
        else:
            category = WITHIN_RANGE
        summary = f"{counted}: {category} for {group} aged {person.age} ({low}–{high})"
        reference.append(
            Evidence(
                code="chair_stand_30s.norm",
                statement=(
                    f"Normal range for {group} aged {person.age}: {low}–{high} stands "
                    "(25th–75th percentile)"
                ),
                rule="Rikli & Jones age/sex 25th–75th percentile range",
                inputs={"age": person.age, "sex": person.sex.value, "low": low, "high": high},
                reference=RIKLI_JONES,
            )
        )
        if category == BELOW_RANGE:
            findings.append(
                Evidence(
                    code="chair_stand_30s.below_normal_range",
                    statement=(
                        f"30-s chair stand {stands} stands: below the normal range for {group} "
                        f"aged {person.age} ({low}–{high})"
                    ),
                    rule=f"stands < {low} (25th percentile for age and sex)",
                    inputs={"stands": stands, "age": person.age, "sex": person.sex.value},
                    reference=RIKLI_JONES,
                )
            )
    else:
        reference.append(
            Evidence(
                code="chair_stand_30s.norm_unavailable",
                statement=(
                    "No age/sex norm applied: the Rikli & Jones ranges cover men and women "
                    "aged 60–94 only"
                ),
                rule="norm needs age 60–94 and sex recorded as male or female",
                inputs={
                    "age": person.age,
                    "sex": person.sex.value if person.sex else None,
                },
                reference=RIKLI_JONES,
            )
        )
    if stands < CHAIR_STAND_LOW_FUNCTION_BELOW:
        summary += f"; fewer than {CHAIR_STAND_LOW_FUNCTION_BELOW} (lower functional ability)"
        findings.append(
            Evidence(
                code="chair_stand_30s.fewer_than_8",
                statement=(
                    f"30-s chair stand {stands} stands (< {CHAIR_STAND_LOW_FUNCTION_BELOW}): "
                    "associated with lower functional ability (criterion from older adults)"
                ),
                rule=f"stands < {CHAIR_STAND_LOW_FUNCTION_BELOW}",
                inputs={"stands": stands},
                reference=RIKLI_JONES,
            )
        )
    return TestResult(
        test="chair_stand_30s",
        values=MappingProxyType(derived),
        units=MappingProxyType(units),
        category=category,
        findings=tuple(findings),
        reference=tuple(reference),
        summary=summary,
    )


CHAIR_STAND_30S = PhysicalTest(
    id="chair_stand_30s",
    name="30-second chair stand",
    inputs=(
        InputSpec(
            name="stands",
            unit="stands",
            minimum=0,
            maximum=60,
            kind="integer",
            help="Full stands in 30 s from a 43 cm chair, arms crossed; "
            "more than halfway up at 30 s counts",
        ),
    ),
    citations=("Rikli RE, Jones CJ 1999 (30-s chair stand norms, ages 60–94)",),
    evaluator=_chair_stand,
)
