"""Red-flag screen: signs that stop exercise or need a clinician before it goes on.

Cauda equina syndrome (CES) signs of recent onset (< 14 days) or worsening mean an emergency:
immediate hospital referral, MRI within 4 h (BMJ Best Practice, CES diagnosis approach;
clinical-facts.md §4.3 [V]). Any CES sign puts the record in ``URGENT_REFERRAL`` — no exercise —
and every later step (profile, program, home practice) must respect it.

The general spinal red flags (Hull/York neurosurgery referral list, clinical-facts.md §4.3 [V2])
put the record in ``CLINICIAN_REVIEW``: exercise may not progress until a clinician has reviewed
and cleared them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence

CES_SOURCE = "BMJ Best Practice: cauda equina syndrome, diagnosis approach [V]"
GENERAL_SOURCE = "Hull/York neurosurgery red-flag referral list [V2]"

CAUDA_EQUINA_SIGNS: Mapping[str, str] = {
    "bladder_disturbance": "new or worsening bladder disturbance (retention, incontinence, "
    "altered sensation)",
    "bowel_disturbance": "new or worsening bowel disturbance (incontinence, altered sensation)",
    "saddle_anaesthesia": "altered saddle sensation (perianal, perineal, genital)",
    "bilateral_leg_neurology": "weakness or other neurological deficit in both legs",
    "sexual_dysfunction": "new sexual dysfunction",
}
"""CES signs, each asked as 'recent onset (< 14 days) or worsening' together with back/leg pain."""

GENERAL_RED_FLAGS: Mapping[str, str] = {
    "onset_age_under_20_or_over_55": "new back pain before age 20 or after 55",
    "significant_trauma": "significant trauma",
    "thoracic_pain": "thoracic pain",
    "history_of_malignancy": "history of cancer",
    "systemic_steroids": "systemic steroid use",
    "immunocompromise_or_iv_drug_use": "immunocompromise or intravenous drug use",
    "systemically_unwell": "systemically unwell, septic or raised ESR",
    "unexplained_weight_loss": "unexplained weight loss",
    "severe_flexion_restriction": "persistent severe restriction of lumbar flexion",
    "inflammatory_disease": "known inflammatory disease",
    "widespread_neurology": "widespread neurological signs",
    "structural_deformity": "structural deformity",
    "unremitting_night_pain": "unremitting night pain",
}


class RedFlagState(Enum):
    """What the screen allows. Ordered from most to least restrictive."""

    URGENT_REFERRAL = "urgent_referral"
    CLINICIAN_REVIEW = "clinician_review"
    CLEARED_BY_CLINICIAN = "cleared_by_clinician"
    CLEAR = "clear"
    NOT_SCREENED = "not_screened"

    @property
    def exercise_allowed(self) -> bool:
        """Home exercise may start only after a screen that is clear or cleared."""
        return self in (RedFlagState.CLEAR, RedFlagState.CLEARED_BY_CLINICIAN)

    @property
    def progression_allowed(self) -> bool:
        """Same rule as exercise: nothing progresses past an open red flag."""
        return self.exercise_allowed


@dataclass(frozen=True)
class RedFlagScreen:
    """Answers to the screen: the keys of the signs that are present.

    ``clinician_cleared`` records that a clinician reviewed the *general* flags and judged
    exercise safe (with ``clinician_note``). It can never clear a CES sign: that needs a new
    screen without the sign, after referral.
    """

    present: frozenset[str]
    clinician_cleared: bool = False
    clinician_note: str = ""

    def __post_init__(self) -> None:
        known = set(CAUDA_EQUINA_SIGNS) | set(GENERAL_RED_FLAGS)
        for key in sorted(self.present):
            if key not in known:
                raise InvalidInput(
                    f"red_flags.{key}",
                    "unknown sign; known: " + ", ".join(sorted(known)),
                )
        if self.clinician_cleared and not self.clinician_note.strip():
            raise InvalidInput(
                "red_flags.clinician_note", "a clinician clearing red flags must say why"
            )
        if self.clinician_cleared and self.present & set(CAUDA_EQUINA_SIGNS):
            raise InvalidInput(
                "red_flags.clinician_cleared",
                "a cauda equina sign cannot be cleared: refer urgently, then record a new "
                "screen without the sign once it has been excluded",
            )


@dataclass(frozen=True)
class RedFlagOutcome:
    """The state a screen leads to, with the evidence for it."""

    state: RedFlagState
    message: str
    findings: tuple[Evidence, ...]


def evaluate_red_flags(screen: RedFlagScreen | None) -> RedFlagOutcome:
    """Turn a screen into a state. No screen means ``NOT_SCREENED`` (exercise not allowed)."""
    if screen is None:
        return RedFlagOutcome(
            RedFlagState.NOT_SCREENED,
            "Red flags not screened yet: screen before any exercise.",
            (),
        )
    ces = sorted(k for k in screen.present if k in CAUDA_EQUINA_SIGNS)
    general = sorted(k for k in screen.present if k in GENERAL_RED_FLAGS)
    findings = [
        Evidence(
            code=f"red_flag.ces.{key}",
            statement=f"Possible cauda equina syndrome: {CAUDA_EQUINA_SIGNS[key]}.",
            rule="any CES sign of recent onset or worsening → immediate hospital referral, "
            "no exercise",
            inputs={key: True},
            reference=CES_SOURCE,
        )
        for key in ces
    ] + [
        Evidence(
            code=f"red_flag.general.{key}",
            statement=f"Red flag: {GENERAL_RED_FLAGS[key]}.",
            rule="any general spinal red flag → clinician review before exercise progresses",
            inputs={key: True},
            reference=GENERAL_SOURCE,
        )
        for key in general
    ]
    if ces:
        return RedFlagOutcome(
            RedFlagState.URGENT_REFERRAL,
            "URGENT REFERRAL — possible cauda equina syndrome. No exercise. Send to hospital "
            "emergency care today (MRI within 4 hours of request).",
            tuple(findings),
        )
    if general and screen.clinician_cleared:
        return RedFlagOutcome(
            RedFlagState.CLEARED_BY_CLINICIAN,
            f"Red flags reviewed and cleared by the clinician: {screen.clinician_note.strip()}",
            tuple(findings),
        )
    if general:
        return RedFlagOutcome(
            RedFlagState.CLINICIAN_REVIEW,
            "Clinician review required before exercise starts or progresses.",
            tuple(findings),
        )
    return RedFlagOutcome(RedFlagState.CLEAR, "No red flags reported.", ())


def red_flag_history(screens: Sequence[tuple[datetime, RedFlagScreen]]) -> RedFlagOutcome:
    """The state after a series of screens, oldest first.

    The newest screen decides, with one exception that keeps an emergency from vanishing by
    omission: after an urgent referral, only a clean screen (no sign present) that a clinician
    cleared with a note ends it — the recorded exclusion of the syndrome. Clearing some other
    flag does not. Until then the urgent referral stands.
    """
    outcome = evaluate_red_flags(None)
    referred_at: datetime | None = None
    for screened_at, screen in screens:
        latest = evaluate_red_flags(screen)
        if latest.state is RedFlagState.URGENT_REFERRAL:
            referred_at = referred_at or screened_at
            outcome = latest
        elif referred_at is not None and not (screen.clinician_cleared and not screen.present):
            outcome = RedFlagOutcome(
                RedFlagState.URGENT_REFERRAL,
                f"URGENT REFERRAL of {referred_at:%Y-%m-%d} still open: no exercise until a "
                "clinician records that cauda equina syndrome has been excluded "
                "(a screen with clinician_cleared and a note).",
                (
                    *outcome.findings,
                    Evidence(
                        code="red_flag.ces.unresolved",
                        statement="A later screen without cauda equina signs, but nobody "
                        "recorded that the syndrome was excluded.",
                        rule="an urgent referral ends only with a clinician's recorded exclusion",
                        inputs={"referred_at": referred_at.isoformat()},
                        reference=CES_SOURCE,
                    ),
                ),
            )
        elif referred_at is not None:
            outcome = RedFlagOutcome(
                RedFlagState.CLEARED_BY_CLINICIAN,
                f"Urgent referral of {referred_at:%Y-%m-%d} closed: cauda equina syndrome "
                f"excluded ({screen.clinician_note.strip()}).",
                latest.findings,
            )
            referred_at = None
        else:
            outcome = latest
    return outcome
