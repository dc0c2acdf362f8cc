"""The packaged content: valid, complete, and rich enough for the engine to always find work."""

from __future__ import annotations

import pytest

from spinecoach.adapters.catalog import load_library
from spinecoach.domain.engine import Constraints
from spinecoach.domain.engine.selection import starting_set
from spinecoach.domain.library import (
    EXERCISE_TRACKS,
    REQUIRED_TASK_IDS,
    Contraindication,
    Phase,
    Place,
    Position,
    Track,
    validate_library,
)

LIBRARY = load_library()


def test_the_packaged_library_has_no_problems() -> None:
    assert [str(p) for p in validate_library(LIBRARY)] == []


def test_sizes() -> None:
    assert len(LIBRARY.exercises) >= 60
    assert len(LIBRARY.tasks) >= 13
    assert set(REQUIRED_TASK_IDS) <= set(LIBRARY.tasks)
    assert len([t for t in LIBRARY.tasks.values() if t.category.value in ("work", "leisure")]) >= 4


@pytest.mark.parametrize("ident", sorted(LIBRARY.exercises))
def test_every_exercise_is_complete(ident: str) -> None:
    exercise = LIBRARY.exercises[ident]
    assert len(exercise.cues.full) >= 2
    assert exercise.cues.brief
    assert all(f.feels and f.where and f.correction for f in exercise.faults)
    assert exercise.breathing.strip()
    assert len(exercise.purpose) >= 20


def test_tasks_have_timed_micro_steps_with_cues() -> None:
    for task in LIBRARY.tasks.values():
        assert len(task.steps) >= 3, task.id
        assert all(s.cue.strip() and s.timing.strip() for s in task.steps), task.id


def test_education_modules_are_short_and_plain() -> None:
    for module in LIBRARY.education.values():
        words = len(module.body.split())
        assert 100 <= words <= 450, (module.id, words)
        assert 1 <= module.minutes <= 10


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("position", [None, *Position])
def test_every_phase_has_work_at_home_without_equipment(
    phase: Phase, position: Position | None
) -> None:
    """Whatever single position a patient cannot take, every phase still has an exercise."""
    constraints = Constraints(
        places=frozenset({Place.HOME}),
        unavailable_positions=frozenset({position}) if position else frozenset(),
    )
    chosen = starting_set(LIBRARY, Track.MOTOR_CONTROL, phase, constraints, frozenset())
    assert chosen, f"no {phase.value} exercise without {position}"


@pytest.mark.parametrize("contraindication", list(Contraindication))
def test_every_phase_has_work_for_each_contraindication(contraindication: Contraindication) -> None:
    constraints = Constraints(places=frozenset({Place.HOME}))
    for phase in Phase:
        chosen = starting_set(LIBRARY, Track.MOTOR_CONTROL, phase, constraints, {contraindication})
        assert chosen, f"no {phase.value} exercise for {contraindication.value}"


def test_parallel_tracks_have_level_one_entries() -> None:
    for track in EXERCISE_TRACKS:
        assert any(e.level == 1 for e in LIBRARY.exercises_in(track)), track


def test_education_rotates_and_always_shows_the_flare_up_plan_early() -> None:
    from datetime import date, timedelta

    from spinecoach.domain.engine import PlanRequest, make_plan
    from spinecoach.domain.engine.plan import FLARE_MODULE
    from tests.library_factory import picture

    assert FLARE_MODULE in LIBRARY.education
    start = date(2026, 1, 5)
    request = PlanRequest(started_on=start, practice_logged=False)
    first = make_plan(picture(), request, LIBRARY, start)
    assert first.education[0].id == FLARE_MODULE
    seen = {
        m.id
        for week in range(2, 12)
        for m in make_plan(picture(), request, LIBRARY, start + timedelta(weeks=week)).education
    }
    in_phase = {m.id for m in LIBRARY.education.values() if first.program.phase in m.phases}
    assert in_phase - {FLARE_MODULE} <= seen


def test_free_text_reader_knows_exactly_the_library_activity_tags() -> None:
    from spinecoach.domain.engine.exposure import ACTIVITY_WORDS
    from spinecoach.domain.library import ACTIVITY_TAGS

    assert set(ACTIVITY_WORDS) == set(ACTIVITY_TAGS)
