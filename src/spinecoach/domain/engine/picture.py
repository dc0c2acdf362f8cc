"""From the clinical profile to the engine's patient picture."""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.engine.inputs import PatientPicture, Score
from spinecoach.domain.profile import ClinicalProfile


def picture_from_profile(profile: ClinicalProfile) -> PatientPicture:
    """Keep what planning needs: safety, focus codes, findings, scores and the intake."""
    findings = tuple(f for m in profile.scores.values() for f in m.value.findings) + tuple(
        f for m in profile.tests.values() for f in m.value.findings
    )
    return PatientPicture(
        pseudonym=profile.pseudonym,
        exercise_allowed=profile.exercise_allowed,
        red_flag_state=profile.red_flags.state.value,
        red_flag_message=profile.red_flags.message,
        focus=tuple(f.code for f in profile.focus_areas),
        findings=findings,
        scores=MappingProxyType(
            {k: Score(m.value.score, m.value.category) for k, m in profile.scores.items()}
        ),
        intake=profile.intake,
        as_of=profile.as_of.date() if profile.as_of else None,
    )
