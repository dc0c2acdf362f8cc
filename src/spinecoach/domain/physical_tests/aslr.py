"""Active straight leg raise (ASLR; Mens et al. 2001), clinical-facts.md §2.5.

The patient rates each side 0 (not difficult at all) to 5 (unable); the sides are summed
(0–10) and a total ≥ 1 is positive ([V2], best sensitivity/specificity balance). The test was
designed for pelvic girdle pain; its use as a lumbopelvic control test in chronic low back
pain is an extrapolation, and every statement says so.

The symmetry index of the two ordinal scores is reported for completeness, but no asymmetry
flag is raised: on a 0–5 difficulty scale a 10 % rule is meaningless (0 vs 1 is 100 %).
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.evidence import Evidence
from spinecoach.domain.physical_tests.base import InputSpec, PersonContext, PhysicalTest, TestResult
from spinecoach.domain.physical_tests.common import Values, number
from spinecoach.domain.physical_tests.symmetry import symmetry_index

POSITIVE_FROM_TOTAL = 1
ASLR_SOURCE = "Mens et al. 2001 (scoring, cut-off) via evidenceinphysicaltherapy wiki [V2]"
PGP_CAVEAT = "designed for pelvic girdle pain; in chronic low back pain an extrapolation"


def _side(name: str, side: str) -> InputSpec:
    return InputSpec(
        name=name,
        unit="score",
        minimum=0,
        maximum=5,
        kind="integer",
        help=f"Patient-rated difficulty raising the {side} straight leg 20 cm: 0 none … 5 unable",
    )


def _evaluate(values: Values, _person: PersonContext) -> TestResult:
    left = int(number(values, "left"))
    right = int(number(values, "right"))
    total = left + right
    positive = total >= POSITIVE_FROM_TOTAL
    findings: tuple[Evidence, ...] = ()
    if positive:
        findings = (
            Evidence(
                code="aslr.positive",
                statement=(
                    f"ASLR positive: total {total}/10 (left {left}, right {right}); {PGP_CAVEAT}"
                ),
                rule=f"left + right ≥ {POSITIVE_FROM_TOTAL}",
                inputs={"left": left, "right": right, "total": total},
                reference=ASLR_SOURCE,
            ),
        )
    return TestResult(
        test="aslr",
        values=MappingProxyType(
            {
                "left": left,
                "right": right,
                "total": total,
                "positive": positive,
                "symmetry_index": symmetry_index(left, right),
            }
        ),
        units=MappingProxyType(
            {"left": "score", "right": "score", "total": "score", "symmetry_index": "%"}
        ),
        category="positive" if positive else "negative",
        summary=(
            f"Left {left}, right {right} (total {total}/10): "
            + ("positive" if positive else "negative")
        ),
        findings=findings,
        reference=(
            Evidence(
                code="aslr.accuracy",
                statement=(
                    "Test–retest r 0.87, ICC 0.83 (Mens 2001); inter-rater κ 0.87, "
                    f"sensitivity 71 %, specificity 91 % (Kwong 2013); {PGP_CAVEAT}"
                ),
                rule="psychometrics; context only",
                reference="Mens 2001; Kwong 2013, J Rehabil Med 45 [V]",
            ),
        ),
    )


ASLR = PhysicalTest(
    id="aslr",
    name="Active straight leg raise",
    inputs=(_side("left", "left"), _side("right", "right")),
    citations=(
        "Mens et al. 2001 (ASLR scoring)",
        "Kwong et al. J Rehabil Med 2013;45 (reliability, accuracy)",
        "Mens et al. Spine 2010;35:336 (validity; PMID 20075777)",
    ),
    evaluator=_evaluate,
)
