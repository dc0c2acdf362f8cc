"""Prone instability test (PIT), clinical-facts.md §2.6 (JOSPT 2012 CPG table, [V]).

Positive only when there is pain on posterior–anterior pressure at rest that subsides
*substantially* with the legs lifted; mild easing is not positive, and no pain at rest is
negative. The easing question is therefore required only when there is pain at rest, and
refused without it: pain that is absent cannot subside, so an answer there is a contradiction
(or a wrong ``pain_at_rest``) that we do not resolve silently.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence
from spinecoach.domain.physical_tests.base import InputSpec, PersonContext, PhysicalTest, TestResult
from spinecoach.domain.physical_tests.common import Values, text

EASING_CHOICES = ("substantially", "mildly", "no")
PIT_SOURCE = "JOSPT 2012 low back pain CPG, table 'array5' (PMC4893951) [V]"


def _summary(pain_at_rest: bool, easing: str | None, positive: bool) -> str:
    verdict = "positive" if positive else "negative"
    if not pain_at_rest:
        return f"No pain at rest: {verdict}"
    subsides = "does not subside" if easing == "no" else f"subsides {easing}"
    return f"Pain at rest, {subsides} with legs lifted: {verdict}"


def _evaluate(values: Values, _person: PersonContext) -> TestResult:
    pain_at_rest = values["pain_at_rest"] is True
    easing = text(values, "pain_subsides_with_legs_lifted")
    if pain_at_rest and easing is None:
        raise InvalidInput(
            "pit.pain_subsides_with_legs_lifted",
            f"is required when there is pain at rest (one of {', '.join(EASING_CHOICES)})",
        )
    if not pain_at_rest and easing is not None:
        raise InvalidInput(
            "pit.pain_subsides_with_legs_lifted",
            f"given as {easing!r} but pain_at_rest is false: pain that is absent cannot "
            "subside; leave it out or correct pain_at_rest",
        )
    positive = pain_at_rest and easing == "substantially"
    derived: dict[str, float | bool | str] = {"pain_at_rest": pain_at_rest, "positive": positive}
    if easing is not None:
        derived["pain_subsides_with_legs_lifted"] = easing
    findings: tuple[Evidence, ...] = ()
    if positive:
        findings = (
            Evidence(
                code="pit.positive",
                statement=(
                    "Prone instability test positive: pain on PA pressure at rest subsided "
                    "substantially with the legs lifted"
                ),
                rule="pain at rest and pain subsides substantially with legs lifted",
                inputs={"pain_at_rest": pain_at_rest, "pain_subsides_with_legs_lifted": easing},
                reference=PIT_SOURCE,
            ),
        )
    return TestResult(
        test="pit",
        values=MappingProxyType(derived),
        category="positive" if positive else "negative",
        summary=_summary(pain_at_rest, easing, positive),
        findings=findings,
        reference=(
            Evidence(
                code="pit.accuracy",
                statement=(
                    "κ 0.87; +LR 1.7 (95 % CI 1.1–2.8), −LR 0.48 (0.22–1.1); sensitivity 0.72, "
                    "specificity 0.58. One variable of the Hicks 2005 stabilization rule"
                ),
                rule="diagnostic accuracy; context only",
                inputs={"positive_lr": 1.7, "negative_lr": 0.48},
                reference=PIT_SOURCE,
            ),
        ),
    )


PIT = PhysicalTest(
    id="pit",
    name="Prone instability test",
    inputs=(
        InputSpec(
            name="pain_at_rest",
            unit="",
            kind="boolean",
            help="Pain on lumbar PA pressure with the trunk prone, feet on the floor",
        ),
        InputSpec(
            name="pain_subsides_with_legs_lifted",
            unit="",
            kind="choice",
            choices=EASING_CHOICES,
            required=False,
            help="With the legs lifted, does the pain subside substantially, mildly or not? "
            "Only when there is pain at rest",
        ),
    ),
    citations=(
        "Delitto A et al. JOSPT 2012 low back pain CPG (PIT accuracy table)",
        "Hicks GE et al. Arch Phys Med Rehabil 2005;86:1753-62",
    ),
    evaluator=_evaluate,
)
