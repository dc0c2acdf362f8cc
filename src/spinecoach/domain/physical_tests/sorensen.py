"""Biering-Sørensen extensor endurance test on its own (clinical-facts.md §2.2).

Prognosis applies to men only (Biering-Sørensen 1984 via SRALab RehabMeasures, [V2]):
< 176 s predicted low back pain within the next year, > 198 s predicted its absence; the
test has no predictive validity in women, so no prognostic flag is raised for women (or when
sex is not recorded as male). 176–198 s is left as "indeterminate". The test stops at 240 s.
SEM 11.6 s in people with current LBP (Latimer et al., Spine 1999, [V]) is given as reference:
a time within about one SEM of a cut-off should not be over-read.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.evidence import Evidence
from spinecoach.domain.physical_tests.base import PersonContext, PhysicalTest, Sex, TestResult
from spinecoach.domain.physical_tests.common import Values, fmt_s, hold, number

CEILING_S = 240.0
MEN_RISK_BELOW_S = 176.0
MEN_PROTECTIVE_ABOVE_S = 198.0
SEM_CURRENT_LBP_S = 11.6

# Sources as printed for users (clinical-facts.md §2.2 is the internal record of them).
PROGNOSIS_SOURCE = "Biering-Sørensen F, Spine 1984 (via SRALab RehabMeasures, [V2])"
SEM_SOURCE = "Latimer J et al., Spine 1999 (63 subjects) [V]"

CATEGORY_RISK = "higher risk"
CATEGORY_INDETERMINATE = "indeterminate"
CATEGORY_LOWER_RISK = "lower risk"


def _summary(seconds: float, category: str | None, sex: Sex | None) -> str:
    held = fmt_s(seconds) + (" (test ceiling)" if seconds >= CEILING_S else "")
    if category == CATEGORY_RISK:
        return f"{held}: higher risk of low back pain within a year (men < {MEN_RISK_BELOW_S:g} s)"
    if category == CATEGORY_LOWER_RISK:
        return (
            f"{held}: lower risk of low back pain within a year "
            f"(men > {MEN_PROTECTIVE_ABOVE_S:g} s)"
        )
    if category == CATEGORY_INDETERMINATE:
        return f"{held}: indeterminate (men {MEN_RISK_BELOW_S:g}–{MEN_PROTECTIVE_ABOVE_S:g} s)"
    who = "not predictive in women" if sex is Sex.FEMALE else "cut-offs apply to men only"
    return f"{held}: no prognostic reading ({who})"


def _evaluate(values: Values, person: PersonContext) -> TestResult:
    seconds = number(values, "seconds")
    findings: list[Evidence] = []
    reference: list[Evidence] = [
        Evidence(
            code="sorensen.sem",
            statement=(
                f"Measurement error: SEM {SEM_CURRENT_LBP_S:g} s (ICC 0.88) in people with "
                "current LBP; SEM 17.5 s with previous LBP, 17.4 s when asymptomatic"
            ),
            rule="standard error of measurement; context only",
            inputs={"sem_s": SEM_CURRENT_LBP_S},
            reference=SEM_SOURCE,
        )
    ]
    category: str | None = None
    if person.sex is Sex.MALE:
        if seconds < MEN_RISK_BELOW_S:
            category = CATEGORY_RISK
            findings.append(
                Evidence(
                    code="sorensen.men_below_176",
                    statement=(
                        f"Extensor endurance {fmt_s(seconds)} (< {MEN_RISK_BELOW_S:g} s): in men "
                        "this predicted low back pain within the next year"
                    ),
                    rule=f"sex male and seconds < {MEN_RISK_BELOW_S:g}",
                    inputs={"seconds": seconds, "sex": "male"},
                    reference=PROGNOSIS_SOURCE,
                )
            )
        elif seconds > MEN_PROTECTIVE_ABOVE_S:
            category = CATEGORY_LOWER_RISK
            findings.append(
                Evidence(
                    code="sorensen.men_above_198",
                    statement=(
                        f"Extensor endurance {fmt_s(seconds)} (> {MEN_PROTECTIVE_ABOVE_S:g} s): "
                        "in men this predicted absence of low back pain within the next year"
                    ),
                    rule=f"sex male and seconds > {MEN_PROTECTIVE_ABOVE_S:g}",
                    inputs={"seconds": seconds, "sex": "male"},
                    reference=PROGNOSIS_SOURCE,
                )
            )
        else:
            category = CATEGORY_INDETERMINATE
    else:
        why = (
            "the test has no predictive validity in women"
            if person.sex is Sex.FEMALE
            else "sex is not recorded as male"
        )
        reference.append(
            Evidence(
                code="sorensen.no_prediction",
                statement=(
                    f"No prognostic flag: the {MEN_RISK_BELOW_S:g} s / "
                    f"{MEN_PROTECTIVE_ABOVE_S:g} s cut-offs predict low back pain in men only; "
                    f"{why}"
                ),
                rule="prognostic cut-offs apply to men only",
                inputs={"sex": person.sex.value if person.sex else None},
                reference=PROGNOSIS_SOURCE,
            )
        )
    return TestResult(
        test="sorensen",
        values=MappingProxyType({"seconds": seconds, "reached_ceiling": seconds >= CEILING_S}),
        units=MappingProxyType({"seconds": "s"}),
        category=category,
        findings=tuple(findings),
        reference=tuple(reference),
        summary=_summary(seconds, category, person.sex),
    )


SORENSEN = PhysicalTest(
    id="sorensen",
    name="Biering-Sørensen extensor endurance test",
    inputs=(
        hold(
            "seconds",
            "Horizontal trunk hold, prone, iliac crests at the table edge; stop at 240 s",
            maximum=CEILING_S,
        ),
    ),
    citations=(
        "Biering-Sørensen F. Spine 1984 (via SRALab RehabMeasures)",
        "Latimer J et al. Spine 1999 (reliability, SEM)",
        "Demoulin C et al. Joint Bone Spine 2006 (review of confounders; PMID 16461206)",
    ),
    evaluator=_evaluate,
)
