"""Single-leg stance time, left and right (no age norms in clinical-facts.md, so no norm flag).

Reports both times, the symmetry index (|L − R| / max × 100) and the shorter side; an index
above 10 % is flagged as a design finding (``verified=False``, see :mod:`.symmetry`).
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.evidence import Evidence, format_number
from spinecoach.domain.physical_tests.base import PersonContext, PhysicalTest, TestResult
from spinecoach.domain.physical_tests.common import Values, fmt_s, hold, number
from spinecoach.domain.physical_tests.symmetry import (
    symmetry_index,
    timed_hold_asymmetry,
    weaker_side,
)


def _summary(left: float, right: float) -> str:
    shorter = weaker_side(left, right)
    side = f"side difference {format_number(symmetry_index(left, right), 1)} %"
    if shorter != "equal":
        side += f" ({shorter} shorter)"
    return f"Left {fmt_s(left)}, right {fmt_s(right)}; {side}"


def _evaluate(values: Values, _person: PersonContext) -> TestResult:
    left = number(values, "left_seconds")
    right = number(values, "right_seconds")
    asymmetry = timed_hold_asymmetry("single_leg_stance", left, right)
    return TestResult(
        test="single_leg_stance",
        values=MappingProxyType(
            {
                "left_seconds": left,
                "right_seconds": right,
                "symmetry_index": symmetry_index(left, right),
                "weaker_side": weaker_side(left, right),
            }
        ),
        units=MappingProxyType({"left_seconds": "s", "right_seconds": "s", "symmetry_index": "%"}),
        findings=(asymmetry,) if asymmetry else (),
        summary=_summary(left, right),
        reference=(
            Evidence(
                code="single_leg_stance.no_norm",
                statement="No age norm in the clinical reference: times are not compared to a norm",
                rule="no norm, no norm flag",
                reference="no single-leg stance age norm adopted (spinecoach literature review)",
                verified=False,
            ),
        ),
    )


SINGLE_LEG_STANCE = PhysicalTest(
    id="single_leg_stance",
    name="Single-leg stance time",
    inputs=(
        hold("left_seconds", "Standing on the left leg, eyes open", maximum=120.0),
        hold("right_seconds", "Standing on the right leg, eyes open", maximum=120.0),
    ),
    citations=("Symmetry index and 10 % threshold: design rule (spinecoach)",),
    evaluator=_evaluate,
)
