"""McGill torso endurance battery: flexor, extensor (Biering-Sørensen position) and both side
bridges, their ratios and McGill's imbalance flags (clinical-facts.md §2.1).

Thresholds (McGill, *Low Back Disorders*; ACE manual) are tagged [V2] (matassessment.com
states the "good" direction) and [C] (a public ``score_mcgill``), so their findings carry
``verified=True``; the primary McGill text was not seen. We use the strict ">" wording of the
cited text, so a ratio of exactly 1.0 (or 0.75) is *not* flagged; the [C] code uses "≥".

Side asymmetry is |R − L| / max(R, L) > 0.05 (clinical-facts' recommended reading of
"differing by more than 0.05"): it gives the same answer whichever side is named first.
The raw R/L ratio is stored too. Note that R/L = 1.0526 (R 100, L 95) lies outside
0.95–1.05 but gives |R − L| / max = 0.05 exactly, which is not flagged.

The mean hold times per sex (McGill, Childs & Liebenson 1999 table as commonly reproduced)
are tagged [U]: shown as reference values (unverified), never used for a flag.

When the denominator hold is 0 s a ratio is undefined: its key is left out of ``values``.
The flag is then decided without dividing (any positive numerator exceeds k × 0), so a
patient who cannot hold the extensor position at all is still flagged.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.evidence import Evidence, format_number
from spinecoach.domain.physical_tests.base import PersonContext, PhysicalTest, Sex, TestResult
from spinecoach.domain.physical_tests.common import Values, fmt_s, hold, number
from spinecoach.domain.physical_tests.symmetry import relative_difference, weaker_side

FLEXOR_EXTENSOR_MAX = 1.0
SIDE_DIFFERENCE_MAX = 0.05
SIDE_EXTENSOR_MAX = 0.75

THRESHOLD_SOURCE = (  # clinical-facts.md §2.1
    "McGill, Low Back Disorders; ACE manual (via matassessment.com [V2]; public score_mcgill [C])"
)
NORM_SOURCE = (
    "McGill, Childs & Liebenson, Arch Phys Med Rehabil 1999;80(8):941-4 (PMID 10453772), "
    "table as commonly reproduced [U]: primary table not seen"
)

# Mean hold times (s) and ratios, men n = 31, women n = 44, young healthy adults. [U]
NORM_MEANS: dict[Sex, dict[str, float]] = {
    Sex.MALE: {
        "extensor": 161,
        "flexor": 136,
        "side_right": 95,
        "side_left": 99,
        "flexor_extensor": 0.84,
        "right_left": 0.96,
        "side_right_extensor": 0.58,
        "side_left_extensor": 0.61,
    },
    Sex.FEMALE: {
        "extensor": 185,
        "flexor": 134,
        "side_right": 75,
        "side_left": 78,
        "flexor_extensor": 0.72,
        "right_left": 0.96,
        "side_right_extensor": 0.40,
        "side_left_extensor": 0.42,
    },
}


def _exceeds(numerator: float, denominator: float, threshold: float) -> bool:
    """numerator / denominator > threshold, defined also for a 0 s denominator."""
    if denominator > 0:
        return numerator / denominator > threshold
    return numerator > 0


def _ratio_text(numerator: float, denominator: float) -> str:
    if denominator > 0:
        return f"{numerator / denominator:.2f}"
    return "undefined"


def _summary(flexor: float, extensor: float, left: float, right: float) -> str:
    """The chart line: holds as measured, ratios to 2 decimals, side difference in %."""
    holds = (
        f"Flexor {fmt_s(flexor)}, extensor {fmt_s(extensor)}, "
        f"side bridge L {fmt_s(left)} / R {fmt_s(right)}"
    )
    if extensor > 0:
        ratios = (
            f"flexor/extensor {flexor / extensor:.2f}, "
            f"side bridge/extensor L {left / extensor:.2f} / R {right / extensor:.2f}"
        )
    else:
        ratios = "ratios to extensor undefined (extensor 0 s)"
    weaker = weaker_side(left, right)
    side = f"side difference {format_number(relative_difference(left, right) * 100.0, 1)} %"
    if weaker != "equal":
        side += f" ({weaker} weaker)"
    return f"{holds}; {ratios}, {side}"


def _evaluate(values: Values, person: PersonContext) -> TestResult:
    flexor = number(values, "flexor")
    extensor = number(values, "extensor")
    left = number(values, "side_left")
    right = number(values, "side_right")

    derived: dict[str, float | bool | str] = {
        "flexor": flexor,
        "extensor": extensor,
        "side_left": left,
        "side_right": right,
    }
    units = {"flexor": "s", "extensor": "s", "side_left": "s", "side_right": "s"}
    if extensor > 0:
        derived["flexor_extensor"] = flexor / extensor
        derived["side_right_extensor"] = right / extensor
        derived["side_left_extensor"] = left / extensor
    if left > 0:
        derived["right_left"] = right / left
    asymmetry = relative_difference(left, right)
    derived["side_asymmetry"] = asymmetry
    derived["side_symmetry_index"] = asymmetry * 100.0
    derived["weaker_side"] = weaker_side(left, right)
    units |= {
        "flexor_extensor": "ratio",
        "side_right_extensor": "ratio",
        "side_left_extensor": "ratio",
        "right_left": "ratio",
        "side_asymmetry": "fraction",
        "side_symmetry_index": "%",
    }

    findings: list[Evidence] = []
    if _exceeds(flexor, extensor, FLEXOR_EXTENSOR_MAX):
        findings.append(
            Evidence(
                code="mcgill.flexor_extensor_high",
                statement=(
                    f"Flexor/extensor endurance ratio {_ratio_text(flexor, extensor)} "
                    f"({fmt_s(flexor)} / {fmt_s(extensor)}; > {FLEXOR_EXTENSOR_MAX:.1f}): "
                    "flexors outlast extensors"
                ),
                rule=f"flexor / extensor > {FLEXOR_EXTENSOR_MAX:.1f}",
                inputs={"flexor": flexor, "extensor": extensor},
                reference=THRESHOLD_SOURCE,
            )
        )
    if asymmetry > SIDE_DIFFERENCE_MAX:
        findings.append(
            Evidence(
                code="mcgill.side_asymmetry",
                statement=(
                    f"Side bridges differ by {asymmetry:.3f} of the longer hold "
                    f"(right {fmt_s(right)}, left {fmt_s(left)}; > {SIDE_DIFFERENCE_MAX:g}): "
                    f"{weaker_side(left, right)} side bridge shorter"
                ),
                rule=f"|right − left| / max(right, left) > {SIDE_DIFFERENCE_MAX:g}",
                inputs={"side_right": right, "side_left": left},
                reference=THRESHOLD_SOURCE,
            )
        )
    for side, held in (("right", right), ("left", left)):
        if _exceeds(held, extensor, SIDE_EXTENSOR_MAX):
            findings.append(
                Evidence(
                    code=f"mcgill.side_{side}_extensor_high",
                    statement=(
                        f"{side.capitalize()} side bridge/extensor ratio "
                        f"{_ratio_text(held, extensor)} ({fmt_s(held)} / {fmt_s(extensor)}; "
                        f"> {SIDE_EXTENSOR_MAX:g}): extensor endurance low relative to "
                        "lateral endurance"
                    ),
                    rule=f"side_{side} / extensor > {SIDE_EXTENSOR_MAX:g}",
                    inputs={f"side_{side}": held, "extensor": extensor},
                    reference=THRESHOLD_SOURCE,
                )
            )

    reference: list[Evidence] = []
    if person.sex in NORM_MEANS:
        means = NORM_MEANS[person.sex]
        group = "men (n = 31)" if person.sex is Sex.MALE else "women (n = 44)"
        reference.append(
            Evidence(
                code=f"mcgill.norm_{person.sex.value}",
                statement=(
                    f"Reference values (unverified), young healthy {group}: extensor "
                    f"{means['extensor']:g} s, flexor {means['flexor']:g} s, right side bridge "
                    f"{means['side_right']:g} s, left {means['side_left']:g} s; flex/ext "
                    f"{means['flexor_extensor']:g}, R/L {means['right_left']:g}, R SB/ext "
                    f"{means['side_right_extensor']:g}, L SB/ext {means['side_left_extensor']:g}"
                ),
                rule="mean hold times of a young healthy cohort; context only, no flag",
                inputs=dict(means),
                reference=NORM_SOURCE,
                verified=False,
            )
        )
    return TestResult(
        test="mcgill",
        values=MappingProxyType(derived),
        units=MappingProxyType(units),
        findings=tuple(findings),
        reference=tuple(reference),
        summary=_summary(flexor, extensor, left, right),
    )


MCGILL = PhysicalTest(
    id="mcgill",
    name="McGill torso endurance battery",
    inputs=(
        hold("flexor", "Flexor endurance: 60° trunk flexion hold until the back drops below 60°"),
        hold("extensor", "Extensor endurance (Biering-Sørensen position) hold"),
        hold("side_left", "Left side bridge hold (on the left elbow)"),
        hold("side_right", "Right side bridge hold (on the right elbow)"),
    ),
    citations=(
        "McGill SM, Childs A, Liebenson C. Arch Phys Med Rehabil 1999;80(8):941-4 (PMID 10453772)",
        "McGill SM. Low Back Disorders (ratio thresholds, via secondary sources)",
    ),
    evaluator=_evaluate,
)
