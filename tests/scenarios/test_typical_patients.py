"""Typical patients run through 12 simulated weeks on the packaged library."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from spinecoach.adapters.catalog import load_library
from spinecoach.domain.engine import DecisionKind, Status
from spinecoach.domain.engine.simulator import (
    ARCHETYPES,
    SIMULATION_START,
    Script,
    Simulation,
    simulate_patient,
)
from spinecoach.domain.library import Contraindication, Phase

LIBRARY = load_library()
PROGRESSING = (DecisionKind.CHANGE_DOSAGE, DecisionKind.PROGRESS, DecisionKind.ADVANCE_PHASE)


def week_of(sim: Simulation, kind: DecisionKind, rule_prefix: str = "") -> list[int]:
    return [
        (d.on - SIMULATION_START).days // 7 + 1
        for d in sim.plan.decisions
        if d.kind is kind and d.rule_id.startswith(rule_prefix)
    ]


def test_high_fear_and_high_start_back_risk_gets_a_rated_ladder_that_climbs() -> None:
    sim = simulate_patient(LIBRARY, seed=3, weeks=12, archetype=ARCHETYPES["fearful"])
    ladder = sim.plan.program.ladder
    assert ladder is not None
    assert ladder.steps
    fears = [s.initial_fear or 0 for s in ladder.steps]
    assert fears == sorted(fears)  # least feared first
    assert all(f >= 30 for f in fears)
    assert any(s.done_on for s in ladder.steps), "no step completed in 12 weeks"
    assert sim.plan.program.decisions[0].evidence.inputs["high_fear"] is True
    assert any(g.kind == "exposure" for g in sim.plan.goals) or ladder.active is None


def test_low_irritability_athlete_starts_late_and_reaches_loading() -> None:
    sim = simulate_patient(LIBRARY, seed=5, weeks=12, archetype=ARCHETYPES["athlete"])
    assert sim.days[0].phase is Phase.STATIC
    assert sim.plan.program.phase.order >= Phase.FUNCTIONAL.order
    assert week_of(sim, DecisionKind.ADVANCE_PHASE)


def test_flexion_intolerant_office_worker_never_gets_flexion_loaded_work() -> None:
    sim = simulate_patient(LIBRARY, seed=7, weeks=12, archetype=ARCHETYPES["office_flexion"])
    assert Contraindication.FLEXION_INTOLERANCE in sim.plan.traits.contraindications
    for session in sim.sessions:
        for log in session.exercises:
            exercise = LIBRARY.exercises[log.exercise_id]
            assert Contraindication.FLEXION_INTOLERANCE not in exercise.contraindications
    assert sim.plan.routine is not None
    assert sim.plan.routine.seconds <= 15 * 60


def test_red_flag_at_week_three_stops_and_nothing_progresses_after() -> None:
    script = Script(red_flag_day=17)
    sim = simulate_patient(
        LIBRARY, seed=11, weeks=12, archetype=ARCHETYPES["typical"], script=script
    )
    # Reported in the evening diary of day 17: the next morning's review stops the program.
    stop_day = SIMULATION_START + timedelta(days=18)
    stops = [d for d in sim.plan.decisions if d.kind is DecisionKind.STOP]
    assert stops
    assert stops[0].on == stop_day
    assert not [d for d in sim.plan.decisions if d.kind in PROGRESSING and d.on >= stop_day]
    assert sim.plan.program.status is Status.STOPPED
    assert sim.plan.routine is None
    assert not any(day.practised for day in sim.days[19:])


def test_flare_at_week_five_regresses_and_pauses_progression() -> None:
    script = Script(flare_days=frozenset({30}))
    kind = replace(ARCHETYPES["typical"], flare_rate=0.0)
    sim = simulate_patient(LIBRARY, seed=13, weeks=12, archetype=kind, script=script)
    flares = [d for d in sim.plan.decisions if d.kind is DecisionKind.FLARE_PLAN]
    assert flares
    assert (flares[0].on - SIMULATION_START).days in (31, 32)
    assert any(d.kind is DecisionKind.REGRESS and d.on == flares[0].on for d in sim.plan.decisions)
    resumed = [d.on for d in sim.plan.decisions if d.rule_id == "pain.flare_settled"]
    assert resumed
    quiet = [
        d
        for d in sim.plan.decisions
        if d.kind in PROGRESSING and flares[0].on <= d.on < resumed[0] + timedelta(days=7)
    ]
    assert not quiet


@pytest.mark.parametrize("seed", [17, 19])
def test_non_adherent_weeks_get_a_check_in_and_no_progression(seed: int) -> None:
    missed = frozenset(range(21, 42))  # weeks 4–6
    kind = replace(ARCHETYPES["typical"], adherence=0.95, flare_rate=0.0)
    sim = simulate_patient(
        LIBRARY, seed=seed, weeks=12, archetype=kind, script=Script(missed_days=missed)
    )
    check_ins = [d for d in sim.plan.decisions if d.rule_id == "adherence.low"]
    assert check_ins
    assert all(28 <= (d.on - SIMULATION_START).days <= 56 for d in check_ins)
    progressing_in_gap = [
        d
        for d in sim.plan.decisions
        if d.kind in PROGRESSING and 35 <= (d.on - SIMULATION_START).days <= 42
    ]
    assert not progressing_in_gap
