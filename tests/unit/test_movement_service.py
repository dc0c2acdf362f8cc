"""The movement services: every packaged analyzer resolves to criteria, library criteria and
faults flow into analyzers, and fault words are readable."""

from __future__ import annotations

import pytest

from spinecoach.adapters.catalog import load_analyzers, load_library
from spinecoach.domain.errors import InvalidInput
from spinecoach.services.movement import analyzer_spec, cue_book, fault_descriptions

ISSUE_IDS = {
    "deep_squat",
    "hurdle_step",
    "inline_lunge",
    "side_lunge",
    "sit_to_stand",
    "standing_leg_raise",
    "standing_shoulder_abduction",
    "standing_shoulder_extension",
    "standing_shoulder_rotation",
    "standing_shoulder_scaption",
    "hiding_face",
    "flank_stretch",
    "trunk_rotation",
    "bird_dog",
    "dead_bug",
    "bridge",
    "single_leg_bridge",
    "front_plank",
    "side_plank",
    "wall_hip_hinge",
    "quadruped_rocking",
    "standing_arm_raise",
    "lift_from_floor",
}


def test_every_packaged_analyzer_has_criteria_to_judge() -> None:
    library, analyzers = load_library(), load_analyzers()
    assert set(analyzers) >= ISSUE_IDS
    for ident in analyzers:
        spec = analyzer_spec(ident, library=library, analyzers=analyzers)
        assert spec.criteria, ident


def test_a_library_exercise_brings_its_thresholds_and_fault_ids() -> None:
    library, analyzers = load_library(), load_analyzers()
    spec = analyzer_spec("bird_dog", library=library, analyzers=analyzers)
    expected = {c.metric: c.at_most for c in library.exercises["bird_dog"].criteria}
    assert {c.metric: c.at_most for c in spec.criteria} == expected


def test_a_task_lends_its_criteria_to_an_analyzer() -> None:
    library, analyzers = load_library(), load_analyzers()
    spec = analyzer_spec("lift_from_floor", library=library, analyzers=analyzers)
    task = library.tasks["lift_light_object_from_floor"]
    assert [c.metric for c in spec.criteria] == [c.metric for c in task.criteria]


def test_fault_words_come_from_the_library_or_the_metric() -> None:
    library, analyzers = load_library(), load_analyzers()
    bridge = analyzer_spec("bridge", library=library, analyzers=analyzers)
    words = fault_descriptions(bridge, library)
    assert any(":" in text for text in words.values())
    squat = analyzer_spec("deep_squat", library=library, analyzers=analyzers)
    assert all("Standard:" in text for text in fault_descriptions(squat, library).values())


def test_cue_book_uses_the_library_corrections() -> None:
    library, analyzers = load_library(), load_analyzers()
    spec = analyzer_spec("bird_dog", library=library, analyzers=analyzers)
    book = cue_book(spec, library)
    fault = library.exercises["bird_dog"].faults[0]
    assert book.correction(fault.id, fault.metric, "full") == fault.correction


def test_an_unknown_analyzer_is_a_user_error() -> None:
    with pytest.raises(InvalidInput, match="no analyzer"):
        analyzer_spec("juggling", library=load_library(), analyzers=load_analyzers())
