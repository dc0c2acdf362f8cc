"""Red-flag screen: CES → urgent referral; general flags → clinician review."""

from __future__ import annotations

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
    cleared=st.booleans(),
)
def test_a_clinician_can_never_clear_a_ces_sign(
    ces: set[str], general: set[str], cleared: bool
) -> None:
    screen = RedFlagScreen(
        present=frozenset(ces | general), clinician_cleared=cleared, clinician_note="reviewed"
    )
    outcome = evaluate_red_flags(screen)
    assert outcome.state is RedFlagState.URGENT_REFERRAL
    assert not outcome.state.exercise_allowed
