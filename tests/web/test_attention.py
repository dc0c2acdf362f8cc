"""The caseload's attention rules, each triggered on purpose with known data."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI

from spinecoach.bootstrap import Services
from spinecoach.domain.accounts import Principal
from spinecoach.services.schemas import AssessmentIn
from tests.fakes import FixedClock

from .conftest import CLINICIAN, IMPROVING, principal_for, seeded_app, signed_in

Web = tuple[FastAPI, Services]


def _staff(services: Services) -> Principal:
    return principal_for(services, CLINICIAN)


def _reasons(services: Services, pseudonym: str) -> dict[str, str]:
    entry = next(e for e in services.care.caseload(_staff(services)) if e.pseudonym == pseudonym)
    return {r.code: r.message for r in entry.reasons}


def test_improving_patient_needs_nothing(web: Web) -> None:
    assert _reasons(web[1], "DEMO-001") == {}


def test_camera_quality_falling_is_flagged(web: Web) -> None:
    _, services = web
    me = services.accounts.sign_in(username=IMPROVING[0], password=IMPROVING[1], client="t")
    today = services.care.today()
    for back in range(6, -1, -1):
        services.care.log_exercise(
            me.principal,
            "DEMO-001",
            today - timedelta(days=back),
            {"exercise_id": "heel_slides", "quality": 0.4, "quality_source": "camera"},
        )
    found = re.match(
        r"Movement quality fell from (\d+)% to (\d+)% of good repetitions",
        _reasons(services, "DEMO-001")["quality_decline"],
    )
    assert found
    before, now = int(found.group(1)), int(found.group(2))
    assert before - now > 15  # the rule: more than 15 points down (docs/web.md)


def test_outcome_worse_beyond_mdc_is_flagged(web: Web) -> None:
    _, services = web
    worse = AssessmentIn.model_validate({"kind": "recheck", "questionnaires": {"nprs": [9]}})
    services.care.record_assessment(_staff(services), "DEMO-001", worse)
    reasons = _reasons(services, "DEMO-001")
    assert reasons["outcome_decline"].startswith("NPRS worse by 3 points (6 → 9)")


def test_diary_flare_is_flagged_and_stops_progression(web: Web) -> None:
    app, services = web
    me = services.accounts.sign_in(username=IMPROVING[0], password=IMPROVING[1], client="t")
    today = services.care.today()
    services.care.save_diary(
        me.principal, "DEMO-001", {"day": today.isoformat(), "pain": 8, "flare": True}
    )
    assert "flare" in _reasons(services, "DEMO-001")
    page = signed_in(app, IMPROVING).get("/today").text
    assert "You noted a flare-up today" in page
    assert "Short day: the essentials only" in page
    # The engine's morning review reads what was logged before the day: yesterday's flare.
    services.care.save_diary(
        me.principal,
        "DEMO-001",
        {"day": (today - timedelta(days=1)).isoformat(), "pain": 8, "flare": True},
    )
    plan = services.care.plan(_staff(services), "DEMO-001")
    assert plan.program.status.value == "flare"


def test_no_practice_for_a_week_is_falling_adherence(tmp_path: Path) -> None:
    clock = FixedClock(datetime.now(UTC))
    _, services = seeded_app(tmp_path, clock=clock)
    assert "adherence_falling" not in _reasons(services, "DEMO-001")
    clock.advance(days=8)  # a week with no practice at all
    reasons = _reasons(services, "DEMO-001")
    assert reasons["adherence_falling"].startswith("Practised 0 of 5 planned days this week")
    services.close()


def test_plan_is_replayed_once_per_input_and_again_after_any_change(web: Web) -> None:
    _, services = web
    staff = _staff(services)
    first = services.care.plan(staff, "DEMO-001")
    assert services.care.snapshot(staff, "DEMO-001").plan is first  # same inputs: no replay
    me = services.accounts.sign_in(username=IMPROVING[0], password=IMPROVING[1], client="t")
    yesterday = (services.care.today() - timedelta(days=1)).isoformat()
    services.care.save_diary(me.principal, "DEMO-001", {"day": yesterday, "pain": 9, "flare": True})
    after = services.care.plan(staff, "DEMO-001")
    assert after is not first
    assert after.program.status.value == "flare"


def test_a_check_in_held_answers_the_engines_request(web: Web) -> None:
    _, services = web
    staff = _staff(services)
    assert "check_in_due" in _reasons(services, "DEMO-002")  # the engine's date has passed
    today = services.care.today().isoformat()
    key = services.care.schedule_check_in(staff, "DEMO-002", {"on": today})
    # Scheduled for today and not yet held: still due, now by the clinician's own date.
    assert _reasons(services, "DEMO-002")["check_in_due"] == f"Check-in due ({today})"
    services.care.complete_check_in(staff, "DEMO-002", key, "Talked it through; carrying on.")
    assert "check_in_due" not in _reasons(services, "DEMO-002")


def test_a_check_in_held_long_before_the_engines_date_does_not_answer_it(tmp_path: Path) -> None:
    clock = FixedClock(datetime.now(UTC))
    _, services = seeded_app(tmp_path, clock=clock)
    staff = _staff(services)
    key = services.care.schedule_check_in(
        staff, "DEMO-001", {"on": services.care.today().isoformat()}
    )
    services.care.complete_check_in(staff, "DEMO-001", key, "")
    clock.advance(days=30)  # the engine asks again well after that check-in
    assert "check_in_due" in _reasons(services, "DEMO-001")
    services.close()
