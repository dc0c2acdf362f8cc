"""Invariants of the engine over random profiles, constraints and practice logs (Hypothesis).

Run on the hand-made mini library (every rule reachable in a few weeks) and on the packaged
library (what patients really get).
"""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinecoach.adapters.catalog import load_library
from spinecoach.domain.engine import (
    Constraints,
    DecisionKind,
    ExerciseLog,
    PainModel,
    Plan,
    PlanRequest,
    Score,
    SessionLog,
    Status,
    make_plan,
)
from spinecoach.domain.engine.pain import pain_response
from spinecoach.domain.engine.selection import unavailable_reason
from spinecoach.domain.library import Contraindication, Equipment, Library, Place, Position
from spinecoach.domain.record import Intake, PainDistribution, PainPattern
from tests.library_factory import START, mini_library, picture

LIBRARIES = {"mini": mini_library(), "packaged": load_library()}
PROGRESSING = (DecisionKind.CHANGE_DOSAGE, DecisionKind.PROGRESS, DecisionKind.ADVANCE_PHASE)
DAYS = 56

ratings = st.integers(min_value=0, max_value=10)


@st.composite
def exercise_logs(draw: st.DrawFn, ids: list[str]) -> ExerciseLog:
    return ExerciseLog(
        exercise_id=draw(st.sampled_from(ids)),
        quality=draw(st.one_of(st.none(), st.sampled_from([0.3, 0.6, 0.79, 0.8, 0.9, 1.0]))),
        pain_during=draw(st.one_of(st.none(), ratings)),
    )


@st.composite
def logs(draw: st.DrawFn, library: Library) -> tuple[SessionLog, ...]:
    early = sorted(e.id for e in library.exercises.values() if min(p.order for p in e.phases) <= 3)
    days = draw(st.sets(st.integers(min_value=0, max_value=DAYS - 1), max_size=DAYS))
    sessions = []
    calm = draw(st.booleans())  # a calm patient: little pain noise, many good sessions
    for day in sorted(days):
        before = draw(st.integers(0, 3) if calm else ratings)
        morning = draw(
            st.one_of(st.none(), st.integers(before, min(10, before + 1)) if calm else ratings)
        )
        sessions.append(
            SessionLog(
                day=START + timedelta(days=day),
                pain_before=before,
                pain_next_morning=morning,
                flare=draw(st.booleans()) if not calm and draw(st.integers(0, 20)) == 0 else False,
                exercises=tuple(draw(st.lists(exercise_logs(early), max_size=5))),
            )
        )
    return tuple(sessions)


constraints = st.builds(
    Constraints,
    minutes_per_day=st.integers(5, 120),
    days_per_week=st.integers(1, 7),
    equipment=st.frozensets(st.sampled_from(list(Equipment))),
    places=st.frozensets(st.sampled_from(list(Place)), min_size=1),
    unavailable_positions=st.frozensets(st.sampled_from(list(Position)), max_size=4),
    intolerances=st.frozensets(st.sampled_from(list(Contraindication))),
)

pictures = st.builds(
    lambda nprs, allowed, distribution, aggravating: picture(
        exercise_allowed=allowed,
        red_flag_state="clear" if allowed else "clinician_review",
        scores=MappingProxyType({"nprs": Score(float(nprs))}),
        intake=Intake(20, PainPattern.INTERMITTENT, distribution, aggravating=aggravating),
    ),
    ratings,
    st.booleans(),
    st.sampled_from(list(PainDistribution)),
    st.lists(st.sampled_from(["sitting", "standing", "bending", "walking", "lifting"]), max_size=3),
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(library: Library, data: st.DataObject) -> tuple[Plan, PlanRequest]:
    request = PlanRequest(
        started_on=START,
        constraints=data.draw(constraints),
        pain_model=data.draw(st.sampled_from([PainModel(), PainModel(during_max=3)])),
        sessions=data.draw(logs(library)),
    )
    plan = make_plan(data.draw(pictures), request, library, START + timedelta(days=DAYS))
    return plan, request


@pytest.mark.parametrize("name", sorted(LIBRARIES))
@SETTINGS
@given(data=st.data())
def test_never_progresses_through_pain_or_flare(name: str, data: st.DataObject) -> None:
    library = LIBRARIES[name]
    plan, request = run(library, data)
    ordered = sorted(request.sessions, key=lambda s: s.day)
    quiet_until = date.min
    for d in plan.decisions:
        if d.rule_id == "pain.flare_settled":
            quiet_until = d.on + timedelta(days=7)
        if d.kind in PROGRESSING:
            before = [s for s in ordered if s.day < d.on]
            response = pain_response(before, d.on, request.pain_model)
            assert response.acceptable, (d.on, d.rule_id, response.reasons)
            assert not response.flare
            assert d.on >= quiet_until, "progressed within a week of a flare settling"


@pytest.mark.parametrize("name", sorted(LIBRARIES))
@SETTINGS
@given(data=st.data())
def test_routine_fits_and_respects_constraints(name: str, data: st.DataObject) -> None:
    library = LIBRARIES[name]
    plan, request = run(library, data)
    c = request.constraints
    if plan.program.status is Status.STOPPED:
        assert plan.routine is None
        return
    assert plan.routine is not None
    assert plan.short_routine is not None
    assert plan.routine.seconds <= c.minutes_per_day * 60
    assert plan.short_routine.seconds <= max(5, c.minutes_per_day // 3) * 60
    slots = [i.exercise.slot.order for i in plan.routine.items]
    assert slots == sorted(slots)
    for p in plan.program.prescriptions:
        if not p.pinned:
            exercise = library.exercises[p.exercise_id]
            assert unavailable_reason(exercise, c, plan.traits.contraindications) is None
            assert p.dosage.sets in exercise.limits.sets
            assert p.dosage.reps in exercise.limits.reps
    for routine in (plan.routine, plan.short_routine, *plan.other_places):
        for item in routine.items:
            assert item.exercise.position not in c.unavailable_positions
            assert routine.place in item.exercise.places


@pytest.mark.parametrize("name", sorted(LIBRARIES))
@SETTINGS
@given(data=st.data())
def test_red_flags_stop_everything_and_decisions_explain(name: str, data: st.DataObject) -> None:
    library = LIBRARIES[name]
    plan, _ = run(library, data)
    for d in plan.decisions:
        assert d.rule_id
        assert d.evidence.statement
        assert d.evidence.rule
    stops = [d for d in plan.decisions if d.kind is DecisionKind.STOP]
    if stops:
        first_stop = stops[0].on
        resumed = [d.on for d in plan.decisions if d.kind is DecisionKind.RESUME]
        for d in plan.decisions:
            if d.kind in PROGRESSING and d.on >= first_stop:
                assert any(r <= d.on for r in resumed)


@SETTINGS
@given(data=st.data())
def test_same_inputs_same_plan(data: st.DataObject) -> None:
    library = LIBRARIES["mini"]
    request = PlanRequest(started_on=START, sessions=data.draw(logs(library)))
    pic = data.draw(pictures)
    today = START + timedelta(days=DAYS)
    assert (
        make_plan(pic, request, library, today).as_dict()
        == make_plan(pic, request, library, today).as_dict()
    )
