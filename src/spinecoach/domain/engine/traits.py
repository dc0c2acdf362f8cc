"""Patient features the engine plans around, each with the evidence that switched it on.

These are spinecoach design rules (docs/engine.md), not validated classifications: they decide
which exercises are ruled out for now and where a program starts, and a clinician can change
either with an override or by stating intolerances in the constraints.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecoach.domain.engine.exposure import activity_tags
from spinecoach.domain.engine.inputs import Constraints, PatientPicture
from spinecoach.domain.evidence import Evidence
from spinecoach.domain.library import Contraindication
from spinecoach.domain.record import PainDistribution

DESIGN = "spinecoach design rule (docs/engine.md)"

# Activities (tags read from the intake's aggravating list) and words that point at a
# direction intolerance.
FLEXION_TAGS = frozenset({"bending", "lifting", "sitting", "driving"})
FLEXION_WORDS = ("flex", "slump")
EXTENSION_TAGS = frozenset({"standing", "walking"})
EXTENSION_WORDS = ("extens", "extend", "arch", "lean back", "overhead", "prone")

# Severe pain: NPRS ≥ 7 is our threshold for high irritability (calm-and-understand first).
HIGH_IRRITABILITY_NPRS = 7
# Fear findings that open a graded-exposure ladder: high STarT Back risk, high kinesiophobia,
# high FABQ physical-activity beliefs, clinically relevant catastrophizing, Örebro risk.
FEAR_FINDINGS = ("sbst.high_risk", "tsk17.", "tsk11.", "fabq.pa_high", "pcs.", "ompsq.")


@dataclass(frozen=True)
class Traits:
    """Contraindications in force, fear status and irritability, with their evidence."""

    contraindications: frozenset[Contraindication]
    high_fear: bool
    high_irritability: bool
    evidence: tuple[Evidence, ...]


def derive_traits(picture: PatientPicture, constraints: Constraints) -> Traits:
    """Contraindications from the intake, pain level, findings and the clinician's list."""
    found: dict[Contraindication, Evidence] = {}
    intake = picture.intake
    aggravating = tuple(a.lower() for a in intake.aggravating) if intake else ()
    for kind, tags, words in (
        (Contraindication.FLEXION_INTOLERANCE, FLEXION_TAGS, FLEXION_WORDS),
        (Contraindication.EXTENSION_INTOLERANCE, EXTENSION_TAGS, EXTENSION_WORDS),
    ):
        hits = [
            a for a in aggravating if tags & set(activity_tags(a)) or any(w in a for w in words)
        ]
        if hits:
            found[kind] = Evidence(
                code=f"trait.{kind.value}",
                statement=f"Treated as {kind.value.replace('_', ' ')}: aggravated by "
                + ", ".join(hits)
                + ".",
                rule="an aggravating activity at intake loads this direction",
                inputs={"aggravating": "; ".join(hits)},
                reference=DESIGN,
            )
    nprs = picture.scores.get("nprs")
    if nprs is not None and nprs.score >= HIGH_IRRITABILITY_NPRS:
        found[Contraindication.HIGH_IRRITABILITY] = Evidence(
            code="trait.high_irritability",
            statement=f"High irritability: pain {nprs.score:g}/10.",
            rule=f"NPRS ≥ {HIGH_IRRITABILITY_NPRS}",
            inputs={"nprs": nprs.score},
            reference=DESIGN,
        )
    if intake is not None and intake.pain_distribution is PainDistribution.BELOW_KNEE:
        found[Contraindication.LEG_PAIN_BELOW_KNEE] = Evidence(
            code="trait.leg_pain_below_knee",
            statement="Pain reaches below the knee: positions that tension the nerve are avoided.",
            rule="pain distribution below the knee",
            inputs={"pain_distribution": intake.pain_distribution.value},
            reference=DESIGN,
        )
    balance = [f for f in picture.findings if f.code.startswith("single_leg_stance.")]
    if balance:
        found[Contraindication.POOR_BALANCE] = Evidence(
            code="trait.poor_balance",
            statement="Balance below its reference: unstable-surface work is postponed.",
            rule="a single-leg stance finding",
            inputs={"finding": balance[0].code},
            reference=DESIGN,
        )
    for kind in constraints.intolerances:
        found.setdefault(
            kind,
            Evidence(
                code=f"trait.{kind.value}",
                statement=f"{kind.value.replace('_', ' ').capitalize()} stated by the clinician.",
                rule="clinician-stated intolerance in the constraints",
                inputs={"intolerance": kind.value},
                reference=DESIGN,
            ),
        )
    fear = [f for f in picture.findings if f.verified and f.code.startswith(FEAR_FINDINGS)]
    evidence = list(found.values())
    if fear:
        evidence.append(
            Evidence(
                code="trait.high_fear",
                statement="Fear and avoidance call for a graded-exposure ladder: "
                + ", ".join(sorted({f.code for f in fear}))
                + ".",
                rule="a verified fear finding (" + ", ".join(FEAR_FINDINGS) + ")",
                inputs={"findings": "; ".join(sorted({f.code for f in fear}))},
                reference="graded exposure in vivo for fear of movement (clinical-facts §4.2)",
            )
        )
    return Traits(
        contraindications=frozenset(found),
        high_fear=bool(fear),
        high_irritability=Contraindication.HIGH_IRRITABILITY in found,
        evidence=tuple(evidence),
    )
