"""Flexion–relaxation of the lumbar paraspinals (surface EMG), clinical-facts.md §5.

Convention (Alschuler et al. 2009; Neblett 2013): **FRR** = maximum EMG during flexion ÷ mean
EMG at full flexion; **ERR** = maximum EMG during re-extension ÷ mean EMG at full flexion.
Larger means more relaxation, i.e. more normal. dorsaVi's inverted ratio (full flexion ÷ the
moving phases, higher = worse) is a different quantity and is never accepted here.

No diagnostic cut-off is verified, so the test compares with two facts only: a ratio ≤ 1
means no drop at all at full flexion (by definition of the ratio), and the pooled mean of
people with non-specific chronic LBP (FRR 2.96, ERR 4.07; Gouteron et al. 2022, [V]). Between
sessions the measurement error is about half the mean FRR ([V]), so one low value is
support for a movement-control focus, never a trigger on its own (see profile.FOCUS_RULES).
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.evidence import Evidence, format_number
from spinecoach.domain.physical_tests.base import InputSpec, PersonContext, PhysicalTest, TestResult
from spinecoach.domain.physical_tests.common import Values, number, optional_number, text

CLBP_MEAN_FRR = 2.96  # Gouteron et al. 2022, Eur Spine J, meta-analysis [V]
CLBP_MEAN_ERR = 4.07  # same source [V]
NO_RELAXATION_AT_OR_BELOW = 1.0  # ratio ≤ 1: full-flexion EMG not below the flexion peak
POOLED_SOURCE = "Gouteron et al. 2022, Eur Spine J (27 studies, pooled CLBP means) [V]"
CONVENTION_SOURCE = "Alschuler et al. 2009, Clin J Pain 25:760; Neblett 2013 [V]"
SIDES = ("left", "right", "bilateral")
MAX_RATIO = 1000.0


def _evaluate(values: Values, _person: PersonContext) -> TestResult:
    frr = number(values, "frr")
    err = optional_number(values, "err")
    side = text(values, "side") or "bilateral"
    site = text(values, "site")
    where = f"{side} paraspinals" + (f" ({site})" if site else "")
    inputs = {"frr": frr, "err": err, "side": side}
    findings: list[Evidence] = []
    if frr <= NO_RELAXATION_AT_OR_BELOW:
        findings.append(
            Evidence(
                code="flexion_relaxation.absent",
                statement=f"FRR {format_number(frr)} at the {where}: no drop in activity at "
                "full flexion (flexion–relaxation absent)",
                rule=f"FRR ≤ {format_number(NO_RELAXATION_AT_OR_BELOW)} "
                "(full-flexion EMG not below the flexion peak)",
                inputs=inputs,
                reference=CONVENTION_SOURCE,
            )
        )
    elif frr <= CLBP_MEAN_FRR:
        findings.append(
            Evidence(
                code="flexion_relaxation.reduced",
                statement=f"FRR {format_number(frr)} at the {where}: at or below the pooled "
                f"mean of people with chronic LBP ({format_number(CLBP_MEAN_FRR)})",
                rule=f"FRR ≤ {format_number(CLBP_MEAN_FRR)} (pooled CLBP mean; not a cut-off)",
                inputs=inputs,
                reference=POOLED_SOURCE,
            )
        )
    result_values: dict[str, float | bool | str] = {"frr": frr, "side": side}
    units = {"frr": "ratio"}
    if err is not None:
        result_values["err"] = err
        units["err"] = "ratio"
    if site:
        result_values["site"] = site
    if method := text(values, "method"):
        result_values["method"] = method
    category = (
        "absent"
        if frr <= NO_RELAXATION_AT_OR_BELOW
        else "reduced"
        if frr <= CLBP_MEAN_FRR
        else "present"
    )
    summary = f"FRR {format_number(frr, 1)}" + (
        f", ERR {format_number(err, 1)}" if err is not None else ""
    )
    return TestResult(
        test="flexion_relaxation",
        values=MappingProxyType(result_values),
        units=MappingProxyType(units),
        category=category,
        findings=tuple(findings),
        summary=f"{summary} ({where}): relaxation {category}",
        reference=(
            Evidence(
                code="flexion_relaxation.pooled",
                statement=f"Pooled means in non-specific chronic LBP: FRR "
                f"{format_number(CLBP_MEAN_FRR)}, ERR {format_number(CLBP_MEAN_ERR)}; larger "
                "ratios mean more relaxation. Between-session measurement error ≈ 49 % of the "
                "mean FRR: compare sessions only with the same electrodes, filters and phases",
                rule="context only",
                reference=f"{POOLED_SOURCE}; between-session G coefficients 0.38–0.54 [V]",
            ),
        ),
    )


def _ratio(name: str, help_text: str, *, required: bool) -> InputSpec:
    return InputSpec(
        name, "ratio", minimum=0.0, maximum=MAX_RATIO, required=required, help=help_text
    )


FLEXION_RELAXATION = PhysicalTest(
    id="flexion_relaxation",
    name="Flexion–relaxation ratio (paraspinal EMG)",
    inputs=(
        _ratio("frr", "Max EMG during flexion ÷ mean EMG at full flexion", required=True),
        _ratio("err", "Max EMG during re-extension ÷ mean EMG at full flexion", required=False),
        InputSpec("side", "", kind="choice", choices=SIDES, required=False, help="Which side"),
        InputSpec("site", "text", kind="text", required=False, help="Electrode site, e.g. L3"),
        InputSpec(
            "method", "text", kind="text", required=False, help="How phases and EMG were found"
        ),
    ),
    citations=(
        "Alschuler et al., Clin J Pain 2009;25:760 (FRR/ERR convention)",
        "Neblett et al., Clin J Pain 2013;29:334",
        "Gouteron et al., Eur Spine J 2022 (meta-analysis)",
    ),
    evaluator=_evaluate,
)
