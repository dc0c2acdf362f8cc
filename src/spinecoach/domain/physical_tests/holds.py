"""Single timed holds without a validated cut-off: prone forearm plank and bridge
(clinical-facts.md §2.3).

Plank: Strand et al., J Hum Kinet 2014;40:93-102 (471 college students, [V]) give men
124 ± 72 s and women 83 ± 63 s. We report the z-score against the sex-specific mean and
flag "below norm" when z < −1. That cut-off is our design, not Strand's: the norms describe
young students, and SDs this wide relative to the mean suggest a skewed distribution, so the
finding carries ``verified=False`` and never drives a decision alone.

Bridge: no norm was found (bird-dog and bridge norms: none, §2.3), so only the value is kept.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.evidence import Evidence
from spinecoach.domain.physical_tests.base import PersonContext, PhysicalTest, Sex, TestResult
from spinecoach.domain.physical_tests.common import Values, fmt_s, hold, number
from spinecoach.domain.physical_tests.symmetry import DESIGN_RULE_REFERENCE

PLANK_NORMS: dict[Sex, tuple[float, float]] = {
    Sex.MALE: (124.0, 72.0),
    Sex.FEMALE: (83.0, 63.0),
}
"""Mean and SD (s) of the prone forearm plank, Strand 2014. [V]"""

PLANK_BELOW_NORM_Z = -1.0
PLANK_SOURCE = "Strand SL et al., J Hum Kinet 2014;40:93-102 [V]"  # clinical-facts.md §2.3


def _plank(values: Values, person: PersonContext) -> TestResult:
    seconds = number(values, "seconds")
    derived: dict[str, float | bool | str] = {"seconds": seconds}
    units = {"seconds": "s"}
    findings: list[Evidence] = []
    reference: list[Evidence] = []
    norm = PLANK_NORMS.get(person.sex) if person.sex else None
    summary = f"{fmt_s(seconds)} (no sex-specific norm)"
    if person.sex is not None and norm is not None:
        mean, sd = norm
        group = "men" if person.sex is Sex.MALE else "women"
        z = (seconds - mean) / sd
        derived["z_score"] = z
        summary = f"{fmt_s(seconds)}: z = {z:+.2f} vs norm for {group} ({mean:g} ± {sd:g} s)"
        if z < PLANK_BELOW_NORM_Z:
            summary += ", more than 1 SD below the mean"
        units["z_score"] = "SD"
        reference.append(
            Evidence(
                code=f"plank.norm_{person.sex.value}",
                statement=(
                    f"Norm, college-aged {group}: {mean:g} ± {sd:g} s; this hold is z = {z:+.2f}"
                ),
                rule="sex-specific mean ± SD; z = (seconds − mean) / SD",
                inputs={"mean_s": mean, "sd_s": sd},
                reference=PLANK_SOURCE,
            )
        )
        if z < PLANK_BELOW_NORM_Z:
            findings.append(
                Evidence(
                    code="plank.below_norm",
                    statement=(
                        f"Plank {fmt_s(seconds)}: more than 1 SD below the mean for {group} "
                        f"({mean:g} ± {sd:g} s; z = {z:+.2f})"
                    ),
                    rule=f"z < {PLANK_BELOW_NORM_Z:g} against Strand 2014 (design cut-off)",
                    inputs={"seconds": seconds, "mean_s": mean, "sd_s": sd, "z_score": z},
                    reference=f"{DESIGN_RULE_REFERENCE}; norm: {PLANK_SOURCE}",
                    verified=False,
                )
            )
    else:
        reference.append(
            Evidence(
                code="plank.norm_unavailable",
                statement="No z-score: the plank norms are published for men and women only",
                rule="norm needs sex recorded as male or female",
                inputs={"sex": person.sex.value if person.sex else None},
                reference=PLANK_SOURCE,
            )
        )
    return TestResult(
        test="plank",
        values=MappingProxyType(derived),
        units=MappingProxyType(units),
        findings=tuple(findings),
        reference=tuple(reference),
        summary=summary,
    )


def _bridge(values: Values, _person: PersonContext) -> TestResult:
    seconds = number(values, "seconds")
    return TestResult(
        test="bridge",
        values=MappingProxyType({"seconds": seconds}),
        units=MappingProxyType({"seconds": "s"}),
        summary=f"{fmt_s(seconds)} (no published norm; for follow-up comparison)",
        reference=(
            Evidence(
                code="bridge.no_norm",
                statement=(
                    "No published norm in the clinical reference: the hold is recorded "
                    "for follow-up comparison only, without a flag"
                ),
                rule="no norm, no flag",
                reference="no published bridge or bird-dog hold norm found (spinecoach "
                "literature review)",
                verified=False,
            ),
        ),
    )


PLANK = PhysicalTest(
    id="plank",
    name="Prone forearm plank hold",
    inputs=(hold("seconds", "Prone forearm plank held with a neutral spine"),),
    citations=("Strand SL et al. J Hum Kinet 2014;40:93-102 (norms)",),
    evaluator=_plank,
)

BRIDGE = PhysicalTest(
    id="bridge",
    name="Bridge hold",
    inputs=(hold("seconds", "Supine bridge hold, hips extended, pelvis level"),),
    citations=("No published bridge hold norm found (spinecoach literature review)",),
    evaluator=_bridge,
)
