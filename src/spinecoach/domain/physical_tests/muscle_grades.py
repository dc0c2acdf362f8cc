"""Resisted muscle tests graded 0–5 (MRC-style) for the lumbopelvic muscles.

Muscles: gluteus medius, hip flexors and hip extensors (left and right) and the abdominals
(one grade). Not covered by clinical-facts.md: the two findings are spinecoach design rules
following the usual clinical reading of the MRC scale:

* any grade < 4 (cannot hold against more than gravity-level, minimal resistance) → weakness;
* a left/right difference ≥ 1 grade → side difference.

They carry ``verified=True`` with the reference "design rule (spinecoach)" because they restate
the grading convention rather than a numeric norm. Every input is optional (a clinic grades
what it tested) but at least one grade is required.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence
from spinecoach.domain.physical_tests.base import InputSpec, PersonContext, PhysicalTest, TestResult
from spinecoach.domain.physical_tests.common import Values, optional_number
from spinecoach.domain.physical_tests.symmetry import symmetry_index, weaker_side

PAIRED_MUSCLES: tuple[tuple[str, str], ...] = (
    ("gluteus_medius", "gluteus medius"),
    ("hip_flexors", "hip flexors"),
    ("hip_extensors", "hip extensors"),
)
SINGLE_MUSCLES: tuple[tuple[str, str], ...] = (("abdominals", "abdominals"),)

WEAK_BELOW = 4
SIDE_DIFFERENCE_FROM = 1
DESIGN_SOURCE = "design rule (spinecoach): MRC grading convention, not a published cut-off"


def _names() -> list[tuple[str, str]]:
    names = [
        (f"{muscle}_{side}", f"{label}, {side}")
        for muscle, label in PAIRED_MUSCLES
        for side in ("left", "right")
    ]
    return names + list(SINGLE_MUSCLES)


def _summary(grades: dict[str, int]) -> str:
    """Grades as charted: ``Gluteus medius L 4 / R 3, abdominals 4`` (only what was tested)."""
    parts: list[str] = []
    for muscle, label in PAIRED_MUSCLES:
        sides = [
            f"{letter} {grades[f'{muscle}_{side}']}"
            for letter, side in (("L", "left"), ("R", "right"))
            if f"{muscle}_{side}" in grades
        ]
        if sides:
            parts.append(f"{label} {' / '.join(sides)}")
    parts.extend(f"{label} {grades[name]}" for name, label in SINGLE_MUSCLES if name in grades)
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def _evaluate(values: Values, _person: PersonContext) -> TestResult:
    grades = {
        name: int(grade)
        for name, _ in _names()
        if (grade := optional_number(values, name)) is not None
    }
    if not grades:
        raise InvalidInput("muscle_grades", "at least one muscle grade (0–5) is required")
    derived: dict[str, float | bool | str] = dict(grades)
    units = dict.fromkeys(grades, "grade")
    findings: list[Evidence] = []
    for name, label in _names():
        grade = grades.get(name)
        if grade is not None and grade < WEAK_BELOW:
            findings.append(
                Evidence(
                    code=f"muscle_grades.{name}_weak",
                    statement=f"Weakness: {label} grade {grade}/5 (< {WEAK_BELOW})",
                    rule=f"grade < {WEAK_BELOW}",
                    inputs={name: grade},
                    reference=DESIGN_SOURCE,
                )
            )
    for muscle, label in PAIRED_MUSCLES:
        left = grades.get(f"{muscle}_left")
        right = grades.get(f"{muscle}_right")
        if left is None or right is None:
            continue
        difference = abs(left - right)
        derived[f"{muscle}_side_difference"] = difference
        derived[f"{muscle}_symmetry_index"] = symmetry_index(left, right)
        units[f"{muscle}_side_difference"] = "grade"
        units[f"{muscle}_symmetry_index"] = "%"
        if difference >= SIDE_DIFFERENCE_FROM:
            findings.append(
                Evidence(
                    code=f"muscle_grades.{muscle}_side_difference",
                    statement=(
                        f"{label.capitalize()}: left {left}/5, right {right}/5; "
                        f"{weaker_side(left, right)} side weaker by {difference} grade"
                        + ("s" if difference > 1 else "")
                    ),
                    rule=f"|left − right| ≥ {SIDE_DIFFERENCE_FROM} grade",
                    inputs={f"{muscle}_left": left, f"{muscle}_right": right},
                    reference=DESIGN_SOURCE,
                )
            )
    return TestResult(
        test="muscle_grades",
        values=MappingProxyType(derived),
        units=MappingProxyType(units),
        findings=tuple(findings),
        summary=_summary(grades),
    )


MUSCLE_GRADES = PhysicalTest(
    id="muscle_grades",
    name="Resisted muscle tests (MRC grade 0–5)",
    inputs=tuple(
        InputSpec(
            name=name,
            unit="grade",
            minimum=0,
            maximum=5,
            kind="integer",
            required=False,
            help=f"{label.capitalize()}: MRC grade 0 (no contraction) to 5 (normal)",
        )
        for name, label in _names()
    ),
    citations=("Medical Research Council muscle grading scale (0–5); thresholds: design rule",),
    evaluator=_evaluate,
)
