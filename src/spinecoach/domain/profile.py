"""The clinical profile: an explainable summary that everything downstream builds on.

Every statement is an :class:`Evidence` with the rule that produced it, the values it used and
its source. Statements backed by unverified ([U]) thresholds are shown but never switch on a
focus area by themselves: a focus area needs at least one verified trigger.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Generic, TypeVar

from spinecoach.domain.evidence import Evidence, format_number
from spinecoach.domain.instruments.base import ScoreResult
from spinecoach.domain.instruments.registry import get_instrument
from spinecoach.domain.physical_tests.base import TestResult
from spinecoach.domain.physical_tests.registry import get_physical_test
from spinecoach.domain.record import Intake, Patient
from spinecoach.domain.red_flags import RedFlagOutcome, RedFlagState, red_flag_history
from spinecoach.domain.scoring import ScoredAssessment

T = TypeVar("T")

DESIGN = "spinecoach design rule (docs/profile.md)"

SECTION_INSTRUMENTS: Mapping[str, tuple[str, ...]] = {
    "Pain and disability": ("nprs", "odi", "rmdq", "psfs"),
    "Risk, fear and beliefs": ("sbst", "ompsq", "tsk17", "tsk11", "pcs", "fabq", "pseq"),
}
SECTION_TESTS: Mapping[str, tuple[str, ...]] = {
    "Endurance, strength and function": (
        "mcgill",
        "sorensen",
        "plank",
        "bridge",
        "sts5",
        "chair_stand_30s",
        "muscle_grades",
    ),
    "Movement control": ("luomajoki", "aslr", "pit", "single_leg_stance"),
    "Muscle timing and relaxation (EMG)": ("feedforward_timing", "flexion_relaxation"),
}


@dataclass(frozen=True)
class Measured(Generic[T]):
    """The latest value of one measure and when it was taken."""

    value: T
    assessed_at: datetime
    assessment_id: int | None


@dataclass(frozen=True)
class ProfileSection:
    """A titled group of statements."""

    title: str
    statements: tuple[Evidence, ...]


@dataclass(frozen=True)
class FocusArea:
    """A suggested focus with the evidence that switched it on (and what merely supports it)."""

    code: str
    title: str
    rule: str
    triggers: tuple[Evidence, ...]
    supporting: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ClinicalProfile:
    """Everything a clinician needs at a glance, each claim traceable."""

    pseudonym: str
    summary: str
    as_of: datetime | None
    red_flags: RedFlagOutcome
    consented_to_exercise: bool
    intake: Intake | None
    sections: tuple[ProfileSection, ...]
    focus_areas: tuple[FocusArea, ...]
    scores: Mapping[str, Measured[ScoreResult]]
    tests: Mapping[str, Measured[TestResult]]

    @property
    def exercise_allowed(self) -> bool:
        """Exercise needs a clear (or cleared) red-flag screen and the patient's consent."""
        return self.red_flags.state.exercise_allowed and self.consented_to_exercise

    @property
    def findings(self) -> tuple[Evidence, ...]:
        """Every statement of every section."""
        return tuple(s for section in self.sections for s in section.statements)


def derive_profile(patient: Patient, assessments: Sequence[ScoredAssessment]) -> ClinicalProfile:
    """Build the profile from the current version of every assessment, oldest first.

    For each questionnaire and test the latest administration counts; the red-flag state and
    the intake come from the latest assessment that recorded them.
    """
    ordered = sorted(assessments, key=lambda s: (s.assessment.assessed_at, s.assessment.id or 0))
    scores: dict[str, Measured[ScoreResult]] = {}
    tests: dict[str, Measured[TestResult]] = {}
    screens = []
    intake: Intake | None = None
    for scored in ordered:
        a = scored.assessment
        for key, result in scored.questionnaires.items():
            scores[key] = Measured(result, a.assessed_at, a.id)
        for key, test_result in scored.tests.items():
            tests[key] = Measured(test_result, a.assessed_at, a.id)
        if a.red_flags is not None:
            screens.append((a.assessed_at, a.red_flags))
        if a.intake is not None:
            intake = a.intake

    red_flags = red_flag_history(screens)
    as_of = ordered[-1].assessment.assessed_at if ordered else None
    sections = [_safety_section(red_flags, patient)]
    if intake is not None:
        sections.append(_history_section(intake))
    for title, ids in SECTION_INSTRUMENTS.items():
        statements = [s for i in ids if i in scores for s in _score_statements(scores[i], as_of)]
        if statements:
            sections.append(ProfileSection(title, tuple(statements)))
    for title, ids in SECTION_TESTS.items():
        statements = [s for i in ids if i in tests for s in _test_statements(tests[i], as_of)]
        if statements:
            sections.append(ProfileSection(title, tuple(statements)))
    asymmetries = [
        f
        for m in tests.values()
        for f in m.value.findings
        if _matches(f.code, ("*asymmetry", "*_side_difference"))
    ]
    if asymmetries:
        sections.append(ProfileSection("Asymmetries", tuple(asymmetries)))

    return ClinicalProfile(
        pseudonym=patient.pseudonym,
        summary=_summary(patient),
        as_of=as_of,
        red_flags=red_flags,
        consented_to_exercise=patient.consent.exercise_program,
        intake=intake,
        sections=tuple(sections),
        focus_areas=suggest_focus(red_flags, scores, tests, intake),
        scores=scores,
        tests=tests,
    )


def _summary(patient: Patient) -> str:
    parts = [f"{patient.age}-year-old {patient.sex.value}"]
    if patient.occupation:
        demand = (
            f" ({patient.occupation_demand.value.replace('_', ' ')} physical demand)"
            if patient.occupation_demand
            else ""
        )
        parts.append(f"{patient.occupation}{demand}")
    if patient.activity_level:
        parts.append(f"{patient.activity_level.value} activity level")
    if patient.bmi is not None:
        parts.append(f"BMI {patient.bmi:.1f}")
    return ", ".join(parts)


def _safety_section(red_flags: RedFlagOutcome, patient: Patient) -> ProfileSection:
    state = Evidence(
        code=f"red_flags.{red_flags.state.value}",
        statement=red_flags.message,
        rule="CES sign → urgent referral until a clinician records its exclusion; general red "
        "flag → clinician review; none → clear",
        inputs={"state": red_flags.state.value},
        reference="BMJ Best Practice (CES); Hull/York neurosurgery red-flag list",
    )
    statements = [state, *red_flags.findings]
    if not patient.consent.exercise_program:
        statements.append(
            Evidence(
                code="consent.exercise_missing",
                statement="No consent to a home exercise program recorded: ask before prescribing.",
                rule="exercise is prescribed only with the patient's recorded consent",
                inputs={"consent_exercise_program": False},
                reference=DESIGN,
            )
        )
    return ProfileSection("Safety", tuple(statements))


def _history_section(intake: Intake) -> ProfileSection:
    chronic = "chronic (> 12 weeks)" if intake.is_chronic else "not yet chronic (≤ 12 weeks)"
    statements = [
        Evidence(
            code="history.duration",
            statement=f"Low back pain for {intake.pain_duration_weeks} weeks: {chronic}; "
            f"{intake.pain_pattern.value}, {intake.pain_distribution.value.replace('_', ' ')}.",
            rule="chronic when pain has lasted more than 12 weeks",
            inputs={"pain_duration_weeks": intake.pain_duration_weeks},
            reference="Costa et al., Phys Ther 2009;89(12):1275-86 (inclusion criterion)",
        )
    ]
    for code, label, values in (
        ("history.aggravating", "Aggravated by", intake.aggravating),
        ("history.easing", "Eased by", intake.easing),
        ("history.prior", "Prior injuries or surgery", intake.prior_injuries + intake.surgery),
        ("history.goals", "Goals", intake.patient_goals + intake.work_goals + intake.sport_goals),
    ):
        if values:
            statements.append(
                Evidence(
                    code=code,
                    statement=f"{label}: {'; '.join(values)}.",
                    rule="as reported by the patient at intake",
                )
            )
    return ProfileSection("History", tuple(statements))


def _dated(
    statement: str, measured: Measured[ScoreResult] | Measured[TestResult], as_of: datetime | None
) -> str:
    """Say when a value is older than the newest assessment, so stale is seen as stale."""
    if as_of is None or measured.assessed_at.date() == as_of.date():
        return statement
    return f"{statement} [measured {measured.assessed_at:%Y-%m-%d}]"


def _score_statements(measured: Measured[ScoreResult], as_of: datetime | None) -> list[Evidence]:
    result = measured.value
    instrument = get_instrument(result.instrument)
    low, high = (format_number(v) for v in instrument.score_range)
    subscales = ", ".join(f"{name} {format_number(v)}" for name, v in result.subscales.items())
    band = f" — {result.category}" if result.category else ""
    extra = f" ({subscales})" if subscales else ""
    missing = f"; {result.missing} item(s) missing" if result.missing else ""
    summary = Evidence(
        code=f"{instrument.id}.score",
        statement=_dated(
            f"{instrument.name}: {format_number(result.score)} ({low}–{high}){band}{extra}"
            f"{missing}",
            measured,
            as_of,
        ),
        rule=instrument.missing.rule if result.missing else "published scoring rule",
        inputs={"score": result.score, "answered": result.answered},
        reference=instrument.bands_source or instrument.citations[0],
        # A band resting on an unverified cut-off is shown as such, like its finding.
        verified=instrument.bands_verified or result.category is None,
    )
    return [summary, *result.findings]


def _test_statements(measured: Measured[TestResult], as_of: datetime | None) -> list[Evidence]:
    result = measured.value
    test = get_physical_test(result.test)
    summary = Evidence(
        code=f"{test.id}.result",
        statement=_dated(f"{test.name} — {result.summary}", measured, as_of),
        rule="measured values and derived ratios",
        inputs=dict(result.values),
        reference=test.citations[0],
    )
    return [summary, *result.findings]


# -- focus areas -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _FocusRule:
    code: str
    title: str
    rule: str
    patterns: tuple[str, ...]  # shell-style patterns over finding codes
    # Findings that may support the focus but never switch it on, e.g. prognostic cut-offs
    # validated in another population.
    support_only: tuple[str, ...] = ()


FOCUS_RULES: tuple[_FocusRule, ...] = (
    _FocusRule(
        "focus.psychosocial",
        "Fear, worry and beliefs: pain education, goal setting and graded exposure",
        "high-risk STarT Back group, high kinesiophobia, high fear-avoidance beliefs, "
        "clinically relevant catastrophizing or Örebro risk",
        ("sbst.high_risk", "tsk17.*", "tsk11.*", "fabq.pa_high", "pcs.*", "ompsq.*"),
        # FABQ-W cut-offs are prognostic in acute occupational LBP (George 2008): support only.
        # FABQ-PA > 14 did not predict outcome (George 2008): not used at all.
        support_only=("fabq.w_*",),
    ),
    _FocusRule(
        "focus.self_efficacy",
        "Self-efficacy: small, certain successes and graded activity",
        "PSEQ in the severe or moderate band",
        ("pseq.*",),
    ),
    _FocusRule(
        "focus.endurance",
        "Trunk endurance and its balance (flexors, extensors, side bridges)",
        "a McGill ratio beyond its threshold, or extensor/plank endurance below the reference",
        ("mcgill.flexor_extensor_high", "mcgill.side_*_extensor_high", "plank.below_norm"),
        # Sørensen < 176 s predicts *new* LBP in healthy men (Biering-Sørensen 1984): support only.
        support_only=("sorensen.men_below_176",),
    ),
    _FocusRule(
        "focus.symmetry",
        "Left/right balance",
        "a side-to-side difference beyond its threshold",
        ("*asymmetry", "muscle_grades.*_side_difference"),
    ),
    _FocusRule(
        "focus.movement_control",
        "Movement control of the provoking movements (dissociate hips from spine)",
        "one or more failed movement-control tests",
        ("luomajoki.*",),
        # No verified FRR cut-off and a between-session error of ~49 % of the mean (§5):
        # a low flexion-relaxation ratio supports this focus but never switches it on.
        support_only=("flexion_relaxation.*",),
    ),
    _FocusRule(
        "focus.load_transfer",
        "Deep stabiliser activation and load transfer through the pelvis",
        "positive active straight leg raise or prone instability test, or feed-forward "
        "timing of a deep trunk muscle absent in fast limb movements",
        ("aslr.positive", "pit.positive", "feedforward_timing.absent"),
    ),
    _FocusRule(
        "focus.function",
        "Functional strength: sit-to-stand and lower-limb loading",
        "sit-to-stand slower than its norm, or weakness on muscle testing",
        ("sts5.*", "chair_stand_30s.*", "muscle_grades.*_weak"),
    ),
)


# Every focus-area code a profile can suggest: education modules name the ones they serve.
FOCUS_CODES: tuple[str, ...] = (
    "focus.urgent_referral",
    "focus.red_flag_review",
    *(rule.code for rule in FOCUS_RULES),
    "focus.goals",
)


def suggest_focus(
    red_flags: RedFlagOutcome,
    scores: Mapping[str, Measured[ScoreResult]],
    tests: Mapping[str, Measured[TestResult]],
    intake: Intake | None,
) -> tuple[FocusArea, ...]:
    """Suggested focus areas, most urgent first. A clinician may accept or overrule each.

    An urgent referral replaces every other suggestion: nothing else matters until the patient
    has been seen in emergency care.
    """
    if red_flags.state is RedFlagState.URGENT_REFERRAL:
        return (
            FocusArea(
                code="focus.urgent_referral",
                title="Urgent referral — no exercise until cauda equina syndrome is excluded",
                rule="any cauda equina sign → immediate referral (BMJ Best Practice)",
                triggers=red_flags.findings,
            ),
        )
    areas: list[FocusArea] = []
    if red_flags.state in (RedFlagState.CLINICIAN_REVIEW, RedFlagState.NOT_SCREENED):
        areas.append(
            FocusArea(
                code="focus.red_flag_review",
                title="Screen red flags / clinician review before exercise starts",
                rule="exercise only after a clear or clinician-cleared red-flag screen",
                triggers=red_flags.findings
                or (
                    Evidence(
                        code="red_flags.not_screened",
                        statement=red_flags.message,
                        rule="no red-flag screen recorded",
                    ),
                ),
            )
        )
    findings = [f for m in scores.values() for f in m.value.findings] + [
        f for m in tests.values() for f in m.value.findings
    ]
    for rule in FOCUS_RULES:
        matched = [f for f in findings if _matches(f.code, rule.patterns)]
        triggers = tuple(f for f in matched if f.verified)
        if triggers:
            supporting = tuple(f for f in matched if not f.verified) + tuple(
                f for f in findings if _matches(f.code, rule.support_only)
            )
            areas.append(FocusArea(rule.code, rule.title, rule.rule, triggers, supporting))
    if intake is not None and (intake.patient_goals or intake.work_goals or intake.sport_goals):
        goals = intake.patient_goals + intake.work_goals + intake.sport_goals
        areas.append(
            FocusArea(
                code="focus.goals",
                title="Work towards the patient's goals: " + "; ".join(goals),
                rule="patient goals set the functional tasks to rehearse",
                triggers=(
                    Evidence(
                        code="history.goals",
                        statement="Goals stated at intake.",
                        rule="as reported by the patient",
                        inputs={"goals": "; ".join(goals)},
                        reference=DESIGN,
                    ),
                ),
            )
        )
    return tuple(areas)


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(code, pattern) for pattern in patterns)
