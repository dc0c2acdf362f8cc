"""Red-flag screen: CES → urgent referral; general flags → clinician review."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.red_flags import (
    CAUDA_EQUINA_SIGNS,
    GENERAL_RED_FLAGS,
    RedFlagScreen,
    RedFlagState,
    evaluate_red_flags,
    red_flag_history,
)


def test_no_screen_does_not_allow_exercise() -> None:
    outcome = evaluate_red_flags(None)
    assert outcome.state is RedFlagState.NOT_SCREENED
    assert not outcome.state.exercise_allowed


def test_clear_screen_allows_exercise() -> None:
    outcome = evaluate_red_flags(RedFlagScreen(present=frozenset()))
    assert outcome.state is RedFlagState.CLEAR
    assert outcome.state.exercise_allowed
    assert outcome.findings == ()


@pytest.mark.parametrize("sign", sorted(CAUDA_EQUINA_SIGNS))
def test_each_ces_sign_means_urgent_referral(sign: str) -> None:
    outcome = evaluate_red_flags(RedFlagScreen(present=frozenset({sign})))
    assert outcome.state is RedFlagState.URGENT_REFERRAL
    assert "No exercise" in outcome.message
    assert outcome.findings[0].code == f"red_flag.ces.{sign}"


@pytest.mark.parametrize("flag", sorted(GENERAL_RED_FLAGS))
def test_each_general_flag_needs_clinician_review(flag: str) -> None:
    outcome = evaluate_red_flags(RedFlagScreen(present=frozenset({flag})))
    assert outcome.state is RedFlagState.CLINICIAN_REVIEW
    assert not outcome.state.progression_allowed


def test_clinician_can_clear_general_flags_with_a_reason() -> None:
    screen = RedFlagScreen(
        present=frozenset({"thoracic_pain"}), clinician_cleared=True, clinician_note="old, stable"
    )
    outcome = evaluate_red_flags(screen)
    assert outcome.state is RedFlagState.CLEARED_BY_CLINICIAN
    assert outcome.state.exercise_allowed
    assert "old, stable" in outcome.message


def test_clearing_without_a_reason_is_refused() -> None:
    with pytest.raises(InvalidInput, match="clinician_note"):
        RedFlagScreen(present=frozenset({"thoracic_pain"}), clinician_cleared=True)


def test_unknown_sign_is_named() -> None:
    with pytest.raises(InvalidInput, match=r"red_flags\.headache"):
        RedFlagScreen(present=frozenset({"headache"}))


@given(
    ces=st.sets(st.sampled_from(sorted(CAUDA_EQUINA_SIGNS)), min_size=1),
    general=st.sets(st.sampled_from(sorted(GENERAL_RED_FLAGS))),
)
def test_any_ces_sign_means_urgent_referral_whatever_else(ces: set[str], general: set[str]) -> None:
    screen = RedFlagScreen(present=frozenset(ces | general))
    outcome = evaluate_red_flags(screen)
    assert outcome.state is RedFlagState.URGENT_REFERRAL
    assert not outcome.state.exercise_allowed


def _at(day: int) -> datetime:
    return datetime(2026, 11, day, 9, 0, tzinfo=UTC)


def test_an_urgent_referral_is_not_ended_by_omission() -> None:
    ces = RedFlagScreen(present=frozenset({"saddle_anaesthesia"}))
    silent = RedFlagScreen(present=frozenset())
    outcome = red_flag_history([(_at(1), ces), (_at(8), silent)])
    assert outcome.state is RedFlagState.URGENT_REFERRAL
    assert "2026-11-01" in outcome.message
    assert "red_flag.ces.unresolved" in {f.code for f in outcome.findings}


def test_a_recorded_exclusion_ends_the_referral() -> None:
    ces = RedFlagScreen(present=frozenset({"saddle_anaesthesia"}))
    excluded = RedFlagScreen(
        present=frozenset(), clinician_cleared=True, clinician_note="MRI 2 Nov: no compression"
    )
    outcome = red_flag_history([(_at(1), ces), (_at(8), excluded)])
    assert outcome.state is RedFlagState.CLEARED_BY_CLINICIAN
    assert outcome.state.exercise_allowed
    assert "MRI 2 Nov: no compression" in outcome.message
    # ...and the next screen is judged on its own again.
    later = red_flag_history([(_at(1), ces), (_at(8), excluded), (_at(9), ces)])
    assert later.state is RedFlagState.URGENT_REFERRAL


def test_history_without_screens_is_not_screened() -> None:
    assert red_flag_history([]).state is RedFlagState.NOT_SCREENED


def test_a_ces_sign_cannot_be_marked_cleared() -> None:
    with pytest.raises(InvalidInput, match="clinician_cleared"):
        RedFlagScreen(
            present=frozenset({"bowel_disturbance"}), clinician_cleared=True, clinician_note="x"
        )


def test_clearing_another_flag_does_not_end_an_urgent_referral() -> None:
    ces = RedFlagScreen(present=frozenset({"saddle_anaesthesia"}))
    other_cleared = RedFlagScreen(
        present=frozenset({"thoracic_pain"}), clinician_cleared=True, clinician_note="benign"
    )
    outcome = red_flag_history([(_at(1), ces), (_at(8), other_cleared)])
    assert outcome.state is RedFlagState.URGENT_REFERRAL
