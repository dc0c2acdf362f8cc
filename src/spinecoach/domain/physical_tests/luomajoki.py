"""Luomajoki movement control impairment battery, six tests (clinical-facts.md §2.7).

Each test is rated pass or fail by the physiotherapist, optionally with the fault seen; the
score is the number failed, 0–6 (Luomajoki et al., BMC Musculoskelet Disord 2008;9:170, [V]).
One-leg stance may instead (or also) be given as the side-to-side difference of the
umbilicus' lateral shift: > 2 cm fails ([V2], Finnish Health Promoting Sports Club table
citing Luomajoki). A "pass" rating contradicted by a shift > 2 cm is rejected rather than
silently resolved; a "fail" with a shift ≤ 2 cm is accepted (another fault may have been seen).

No ROC-derived cut-off exists: "≥ 2 of 6 failed" (the LBP mean is about 2.2) is only a
pragmatic screen ([U]), so its finding carries ``verified=False``.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence, Scalar
from spinecoach.domain.physical_tests.base import InputSpec, PersonContext, PhysicalTest, TestResult
from spinecoach.domain.physical_tests.common import Values, optional_number, text

MOVEMENTS: tuple[tuple[str, str], ...] = (
    ("waiters_bow", "waiter's bow"),
    ("pelvic_tilt", "pelvic tilt (posterior, standing)"),
    ("one_leg_stance", "one-leg stance"),
    ("sitting_knee_extension", "sitting knee extension"),
    ("rocking", "rocking in four-point kneeling"),
    ("prone_knee_bend", "prone active knee bend"),
)
"""(input name, plain label) in the published order."""

SHORT_NAMES: dict[str, str] = {
    "waiters_bow": "waiter's bow",
    "pelvic_tilt": "pelvic tilt",
    "one_leg_stance": "one-leg stance",
    "sitting_knee_extension": "sitting knee extension",
    "rocking": "rocking in four-point kneeling",
    "prone_knee_bend": "prone knee bend",
}
"""The names a physiotherapist writes in a chart, used in the one-line summary."""

RATINGS = ("pass", "fail")
SHIFT_INPUT = "one_leg_stance_shift_difference_cm"
SHIFT_FAIL_ABOVE_CM = 2.0
SCREEN_FROM = 2

# Sources as printed for users (clinical-facts.md §2.7 is the internal record of them).
BATTERY_SOURCE = "Luomajoki H et al., BMC Musculoskelet Disord 2008;9:170 [V]"
SHIFT_SOURCE = "Finnish Health Promoting Sports Club table citing Luomajoki [V2]"
SCREEN_SOURCE = (
    "pragmatic screen from the LBP group mean (2.21; Luomajoki H et al., BMC Musculoskelet "
    "Disord 2008;9:170), not a validated cut-off [U]"
)


def _rating(values: Values, shift_cm: float | None) -> str:
    """The one-leg stance rating after applying the 2 cm shift rule."""
    rated = text(values, "one_leg_stance")
    shift_fails = shift_cm is not None and shift_cm > SHIFT_FAIL_ABOVE_CM
    if rated is None and shift_cm is None:
        raise InvalidInput(
            "luomajoki.one_leg_stance", f"is required (pass or fail) unless {SHIFT_INPUT} is given"
        )
    if rated == "pass" and shift_fails:
        raise InvalidInput(
            "luomajoki.one_leg_stance",
            f"rated pass but {SHIFT_INPUT} = {shift_cm:g} cm is > {SHIFT_FAIL_ABOVE_CM:g} cm "
            "(fail); correct one of them",
        )
    if rated is not None:
        return rated
    return "fail" if shift_fails else "pass"


def _summary(values: Values, failed: list[str], shift_cm: float | None) -> str:
    """``1 of 6 tests failed: waiter's bow (fault seen)``, or ``0 of 6 tests failed``."""
    described: list[str] = []
    for name in failed:
        details = [fault] if (fault := text(values, f"{name}_fault")) else []
        if name == "one_leg_stance" and shift_cm is not None and shift_cm > SHIFT_FAIL_ABOVE_CM:
            details.append(f"umbilicus shift difference {shift_cm:g} cm")
        described.append(SHORT_NAMES[name] + (f" ({'; '.join(details)})" if details else ""))
    listed = f": {', '.join(described)}" if described else ""
    return f"{len(failed)} of {len(MOVEMENTS)} tests failed{listed}"


def _evaluate(values: Values, _person: PersonContext) -> TestResult:
    shift_cm = optional_number(values, SHIFT_INPUT)
    shift_fails = shift_cm is not None and shift_cm > SHIFT_FAIL_ABOVE_CM
    ratings = {
        name: _rating(values, shift_cm) if name == "one_leg_stance" else _required(values, name)
        for name, _ in MOVEMENTS
    }
    failed = [name for name, _ in MOVEMENTS if ratings[name] == "fail"]

    derived: dict[str, float | bool | str] = dict(ratings)
    derived["failed_count"] = len(failed)
    derived["failed_tests"] = ",".join(failed)
    units = {"failed_count": "of 6"}
    if shift_cm is not None:
        derived[SHIFT_INPUT] = shift_cm
        units[SHIFT_INPUT] = "cm"
    for name, _ in MOVEMENTS:
        fault = text(values, f"{name}_fault")
        if fault is not None:
            derived[f"{name}_fault"] = fault

    findings: list[Evidence] = []
    for name, label in MOVEMENTS:
        if ratings[name] != "fail":
            continue
        fault = text(values, f"{name}_fault")
        by_shift = name == "one_leg_stance" and shift_fails
        detail = f": {fault}" if fault else ""
        inputs: dict[str, Scalar] = {"rating": ratings[name], "fault": fault}
        rule = "rated fail by the examiner"
        if name == "one_leg_stance":
            inputs[SHIFT_INPUT] = shift_cm
            rule = f"rated fail, or shift difference > {SHIFT_FAIL_ABOVE_CM:g} cm"
        if by_shift:
            detail += f" (umbilicus shift differs by {shift_cm:g} cm, > {SHIFT_FAIL_ABOVE_CM:g} cm)"
        findings.append(
            Evidence(
                code=f"luomajoki.{name}_failed",
                statement=f"Movement control impaired in {label}{detail}",
                rule=rule,
                inputs=inputs,
                reference=SHIFT_SOURCE if by_shift else BATTERY_SOURCE,
            )
        )
    if len(failed) >= SCREEN_FROM:
        labels = ", ".join(label for name, label in MOVEMENTS if name in failed)
        findings.append(
            Evidence(
                code="luomajoki.screen_positive",
                statement=(
                    f"{len(failed)} of 6 movement control tests failed ({labels}); "
                    f"≥ {SCREEN_FROM} is a pragmatic screen, not a validated cut-off"
                ),
                rule=f"failed_count ≥ {SCREEN_FROM}",
                inputs={"failed_count": len(failed)},
                reference=SCREEN_SOURCE,
                verified=False,
            )
        )
    return TestResult(
        test="luomajoki",
        values=MappingProxyType(derived),
        units=MappingProxyType(units),
        findings=tuple(findings),
        summary=_summary(values, failed, shift_cm),
        reference=(
            Evidence(
                code="luomajoki.group_means",
                statement=(
                    "Failed tests, mean: non-specific LBP 2.21 (95 % CI 1.94–2.48) vs "
                    "controls 0.75 (0.55–0.95); chronic > acute and subacute"
                ),
                rule="group means; context only",
                inputs={"lbp_mean": 2.21, "control_mean": 0.75},
                reference=BATTERY_SOURCE,
            ),
        ),
    )


def _required(values: Values, name: str) -> str:
    rating = text(values, name)
    if rating is None:  # validation makes these inputs required; guard for direct calls
        raise InvalidInput(f"luomajoki.{name}", "is required (pass or fail)")
    return rating


def _inputs() -> tuple[InputSpec, ...]:
    specs: list[InputSpec] = []
    for name, label in MOVEMENTS:
        specs.append(
            InputSpec(
                name=name,
                unit="",
                kind="choice",
                choices=RATINGS,
                required=name != "one_leg_stance",
                help=f"{label.capitalize()}: pass or fail"
                + (f" (or give {SHIFT_INPUT})" if name == "one_leg_stance" else ""),
            )
        )
        specs.append(
            InputSpec(
                name=f"{name}_fault",
                unit="",
                kind="text",
                required=False,
                help=f"Fault seen in the {label}, free text (≤ 200 characters)",
            )
        )
    specs.append(
        InputSpec(
            name=SHIFT_INPUT,
            unit="cm",
            minimum=0.0,
            maximum=30.0,
            required=False,
            help="One-leg stance: side-to-side difference of the umbilicus' lateral shift",
        )
    )
    return tuple(specs)


LUOMAJOKI = PhysicalTest(
    id="luomajoki",
    name="Luomajoki movement control impairment battery",
    inputs=_inputs(),
    citations=(
        "Luomajoki H et al. BMC Musculoskelet Disord 2008;9:170",
        "Luomajoki H et al. BMC Musculoskelet Disord 2007;8:90 (reliability)",
    ),
    evaluator=_evaluate,
)
