"""The cue policy on its own: timing, precedence, praise, fading, and the words it picks."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import Criterion
from spinecoach.analysis.feedback import Cue, CueBook, CueKind, CuePolicy, CueScheduler
from spinecoach.analysis.feedback.cues import (
    DEFAULT_CORRECTIONS,
    DEFAULT_SETUP,
    FEET_NOT_VISIBLE,
    default_correction,
)
from spinecoach.analysis.feedback.policy import CueGate, Observation, Outcome
from spinecoach.analysis.quality import quality_metrics

LEAN = Criterion("trunk_frontal_excursion_deg", at_most=5.0, fault="trunk_leans")
ARCH = Criterion("trunk_sagittal_excursion_deg", at_most=5.0, fault="back_arches")
GOOD = Outcome(correct=True)


def bad(*criteria: Criterion) -> Outcome:
    return Outcome(faults=criteria, correct=False)


def run(scheduler: CueScheduler, events: list[Observation]) -> list[Cue | None]:
    return [scheduler.decide(event) for event in events]


def every(step_s: float, outcomes: list[Outcome]) -> list[Observation]:
    """One finished repetition every ``step_s`` seconds."""
    return [Observation(step_s * (i + 1), finished=o) for i, o in enumerate(outcomes)]


# -- the gate ------------------------------------------------------------------------------


def test_the_gate_keeps_the_minimum_interval_and_blocks_back_to_back_repeats() -> None:
    gate = CueGate(CuePolicy(min_interval_s=4.0, repeat_interval_s=12.0))
    a = Cue(CueKind.CORRECTION, "a", "A")
    b = Cue(CueKind.CORRECTION, "b", "B")
    assert gate.offer(a, 0.0) is a
    assert gate.offer(b, 3.9) is None  # too soon after anything
    assert gate.offer(a, 5.0) is None  # the same cue again, within 12 s
    assert gate.offer(b, 5.0) is b  # another cue is fine after 4 s
    assert gate.offer(a, 9.0) is a  # not back to back any more
    assert gate.offer(a, 20.9) is None
    assert gate.offer(a, 21.0) is a  # back to back, but 12 s later


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0.0, 3.0),
            st.sampled_from(["setup", "broken", "good", "bad", "bad2", "target", "safety", ""]),
        ),
        max_size=150,
    ),
    st.sampled_from(["full", "brief", "none"]),
)
def test_never_two_cues_within_the_interval_and_no_quality_cue_during_set_up(
    steps: list[tuple[float, str]], level: str
) -> None:
    """Any sequence of events: at most one cue per frame (by construction), never two cues
    within the minimum interval (but for safety messages, said at once), never the same cue
    back to back within the repeat interval, only the set-up (or safety) cue while the set-up
    is wrong, no correction at the faded level unless the fault repeated."""
    policy = CuePolicy(level=level, min_interval_s=4.0, repeat_interval_s=12.0)  # type: ignore[arg-type]
    scheduler = CueScheduler(policy, CueBook())
    events = {
        "setup": lambda t: Observation(t, setup=FEET_NOT_VISIBLE),
        "broken": lambda t: Observation(t, broken=LEAN),
        "good": lambda t: Observation(t, finished=GOOD),
        "bad": lambda t: Observation(t, finished=bad(LEAN)),
        "bad2": lambda t: Observation(t, finished=bad(ARCH, LEAN)),
        "target": lambda t: Observation(t, target_reached=True),
        "safety": lambda t: Observation(t, safety=Cue(CueKind.SAFETY, "stop", "Stop and rest.")),
        "": lambda t: Observation(t),
    }
    now = 0.0
    said: list[tuple[float, Cue]] = []
    previous_faults: frozenset[str] = frozenset()
    for step, name in steps:
        now += step
        level_before = scheduler.level
        cue = scheduler.decide(events[name](now))
        if name in ("bad", "bad2", "good"):
            faults = {"bad": {"trunk_leans"}, "bad2": {"back_arches", "trunk_leans"}}
            current = frozenset(faults.get(name, set()))
        if cue is None:
            if name in ("bad", "bad2", "good"):
                previous_faults = current
            continue
        said.append((now, cue))
        if name == "setup":
            assert cue.kind is CueKind.SETUP
        elif name == "safety":
            assert cue.kind is CueKind.SAFETY
        else:
            assert cue.kind in (CueKind.CORRECTION, CueKind.PRAISE)
        if cue.kind is CueKind.CORRECTION and level_before == "none":
            assert cue.key in previous_faults  # named at "none" only when it repeats
            assert cue.level == "brief"
        if name in ("bad", "bad2", "good"):
            previous_faults = current
    for (t1, c1), (t2, c2) in itertools.pairwise(said):
        if c2.kind is CueKind.SAFETY:
            continue  # said at once, whatever the timing
        assert t2 - t1 >= 4.0
        if (c1.kind, c1.key) == (c2.kind, c2.key):
            assert t2 - t1 >= 12.0


# -- precedence and set-up -----------------------------------------------------------------


def test_set_up_comes_before_everything_but_safety() -> None:
    scheduler = CueScheduler(CuePolicy(), CueBook())
    cue = scheduler.decide(Observation(0.0, setup=FEET_NOT_VISIBLE, broken=LEAN))
    assert cue is not None
    assert cue.kind is CueKind.SETUP
    assert cue.text == "Step back so your feet are visible."
    stop = Cue(CueKind.SAFETY, "stop", "Stop and rest.")
    assert scheduler.decide(Observation(1.0, safety=stop, setup=FEET_NOT_VISIBLE)) is stop
    assert scheduler.decide(Observation(4.0, setup=FEET_NOT_VISIBLE)) is None  # waits from it


def test_set_up_is_said_in_full_even_at_the_faded_level() -> None:
    scheduler = CueScheduler(CuePolicy(level="none"), CueBook())
    cue = scheduler.decide(Observation(0.0, setup="turn_side_on"))
    assert cue is not None
    assert cue.text == "Turn side-on to the camera."


# -- corrections, praise and fading ----------------------------------------------------------


def test_a_live_correction_names_the_broken_criterion_in_the_words_of_the_level() -> None:
    full = CueScheduler(CuePolicy(), CueBook()).decide(Observation(1.0, broken=LEAN))
    brief = CueScheduler(CuePolicy(level="brief"), CueBook()).decide(Observation(1.0, broken=LEAN))
    assert full is not None
    assert brief is not None
    assert (full.kind, full.key) == (CueKind.CORRECTION, "trunk_leans")
    assert full.text == "Stay upright - don't lean to the side."
    assert brief.text == "Stay upright."


def test_the_worst_fault_of_a_finished_repetition_is_named() -> None:
    scheduler = CueScheduler(CuePolicy(), CueBook())
    cue = scheduler.decide(Observation(5.0, finished=bad(ARCH, LEAN)))
    assert cue is not None
    assert cue.key == "back_arches"


def test_praise_after_the_first_good_repetition_then_every_third() -> None:
    scheduler = CueScheduler(CuePolicy(fade_after_good=None), CueBook())
    cues = run(scheduler, every(20.0, [GOOD] * 8))
    praised = [i + 1 for i, cue in enumerate(cues) if cue is not None]
    assert praised == [1, 4, 7]
    assert all(c.kind is CueKind.PRAISE for c in cues if c is not None)


def test_praise_when_a_named_fault_is_put_right() -> None:
    scheduler = CueScheduler(CuePolicy(fade_after_good=None), CueBook())
    cues = run(scheduler, every(20.0, [GOOD, GOOD, bad(LEAN), GOOD]))
    assert cues[1] is None
    assert cues[2] is not None
    assert cues[2].kind is CueKind.CORRECTION
    assert cues[3] is not None
    assert (cues[3].kind, cues[3].key) == (CueKind.PRAISE, "corrected")
    assert cues[3].text.startswith("Better")


def test_no_praise_for_a_repetition_where_nothing_could_be_measured() -> None:
    scheduler = CueScheduler(CuePolicy(), CueBook())
    assert scheduler.decide(Observation(5.0, finished=Outcome())) is None


def test_the_level_fades_after_good_runs_and_comes_back_when_a_fault_repeats() -> None:
    scheduler = CueScheduler(CuePolicy(fade_after_good=3), CueBook())
    levels = []
    for event in every(20.0, [GOOD] * 6):
        scheduler.decide(event)
        levels.append(scheduler.level)
    assert levels == ["full", "full", "brief", "brief", "brief", "none"]
    # At "none" a single fault goes unnamed; the same fault again is named, briefly, and the
    # level rises one step.
    first = scheduler.decide(Observation(200.0, finished=bad(LEAN)))
    again = scheduler.decide(Observation(220.0, finished=bad(LEAN)))
    assert first is None
    assert again is not None
    assert again.text == "Stay upright."
    assert scheduler.level == "brief"


def test_at_the_faded_level_a_live_correction_needs_the_fault_in_the_last_repetition() -> None:
    scheduler = CueScheduler(CuePolicy(level="none", fade_after_good=None), CueBook())
    assert scheduler.decide(Observation(1.0, broken=LEAN)) is None
    scheduler.decide(Observation(5.0, finished=bad(LEAN)))
    cue = scheduler.decide(Observation(30.0, broken=LEAN))
    assert cue is not None
    assert cue.level == "brief"
    assert scheduler.decide(Observation(60.0, finished=GOOD)) is not None  # put right: praised
    assert scheduler.decide(Observation(90.0, finished=GOOD)) is None  # faded: no praise


def test_a_hold_is_praised_once_on_reaching_its_target() -> None:
    scheduler = CueScheduler(CuePolicy(), CueBook())
    reached = scheduler.decide(Observation(10.0, target_reached=True))
    assert reached is not None
    assert reached.key == "held"
    assert scheduler.decide(Observation(30.0, target_reached=True)) is None
    assert scheduler.decide(Observation(40.0, finished=Outcome(correct=True, hold=True))) is None


# -- words -----------------------------------------------------------------------------------


def test_the_library_words_come_first_then_ours() -> None:
    book = CueBook(
        corrections={"trunk_leans": ("Library full.", "Lib.")},
        setup={FEET_NOT_VISIBLE: "Library set-up."},
        praise={"good": ("Library praise.", "Yes.")},
    )
    assert book.correction_for(LEAN, "full") == "Library full."
    assert book.correction_for(LEAN, "brief") == "Lib."
    assert book.correction_for(ARCH, "full") == "Keep your back still while you move."
    assert book.correction("trunk_leans", LEAN.metric, "brief") == "Lib."
    assert book.correction("", "excursion:trunk_sagittal_deg", "brief") == "Still back."
    assert book.setup_text(FEET_NOT_VISIBLE) == "Library set-up."
    assert book.setup_text("low_light") == DEFAULT_SETUP["low_light"]
    assert book.praise_text("good", "brief") == "Yes."


def test_every_metric_of_the_vocabulary_has_default_words() -> None:
    missing = set(quality_metrics()) - set(DEFAULT_CORRECTIONS)
    assert not missing
    for full, brief in DEFAULT_CORRECTIONS.values():
        assert full.endswith(".")
        assert len(brief.split()) <= 4


def test_signal_metrics_get_words_by_what_they_measure() -> None:
    assert default_correction(Criterion("excursion:trunk_sagittal_deg", at_most=5))[1] == (
        "Still back."
    )
    assert default_correction(Criterion("range:knee_flexion_left_deg", at_least=90))[1] == (
        "A bit further."
    )
    assert default_correction(Criterion("max:arm_elevation_left_deg", at_most=150))[1] == (
        "Not so far."
    )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("policy.min_interval_s", {"min_interval_s": 0.0}),
        ("policy.repeat_interval_s", {"min_interval_s": 5.0, "repeat_interval_s": 4.0}),
        ("policy.praise_every", {"praise_every": 0}),
        ("policy.fade_after_good", {"fade_after_good": 0}),
        ("policy.level", {"level": "loud"}),
    ],
)
def test_a_bad_policy_is_refused_naming_the_field(field: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(AnalysisError) as error:
        CuePolicy(**kwargs)  # type: ignore[arg-type]
    assert error.value.field == field


def test_a_repetition_still_counts_when_a_safety_message_takes_its_turn() -> None:
    scheduler = CueScheduler(CuePolicy(level="none", fade_after_good=None), CueBook())
    stop = Cue(CueKind.SAFETY, "stop", "Stop and rest.")
    assert scheduler.decide(Observation(5.0, safety=stop, finished=bad(LEAN))) is stop
    again = scheduler.decide(Observation(30.0, finished=bad(LEAN)))
    assert again is not None
    assert again.key == "trunk_leans"  # the fault repeated: named at the faded level
