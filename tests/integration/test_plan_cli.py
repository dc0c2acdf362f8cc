"""``spinecoach library``, ``plan`` and ``simulate`` as a user meets them."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from rich.console import Console

from spinecoach.adapters.catalog import CONTENT_ROOT, load_library
from spinecoach.adapters.plots.trajectories import trajectories_figure
from spinecoach.cli import simulate as simulate_cli
from spinecoach.cli.main import app
from spinecoach.domain.engine.simulator import ARCHETYPES, Script, simulate_patient
from spinecoach.domain.library import Phase
from tests.cli_helpers import fails, ok, runner

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE_LOG = DOCS / "examples" / "plan-log.json"


@pytest.fixture(autouse=True)
def _isolated(isolated_data_dir: Path) -> Path:
    return isolated_data_dir


def test_library_validate_list_and_show() -> None:
    assert "library valid" in ok("library", "validate")
    exercises = json.loads(ok("library", "list", "--json"))
    assert len(exercises) >= 60
    assert {"id", "name", "track", "phases", "level", "dosage_text"} <= set(exercises[0])
    tasks = json.loads(ok("library", "list", "--tasks", "--json"))
    assert len(tasks) >= 13
    modules = json.loads(ok("library", "list", "--education", "--json"))
    assert {m["topic"] for m in modules} >= {"pain", "sleep", "mindful_pauses"}
    shown = json.loads(ok("library", "show", "adim_crook_lying", "--json"))
    assert shown["cues"]["full"]
    assert shown["criteria"][0]["metric"]
    text = ok("library", "show", "adim_crook_lying")
    assert "Abdominal drawing-in" in text
    assert "Quality criteria" in text
    assert "no exercise, task or education module 'nope'" in fails("library", "show", "nope")
    assert "motor_control" in ok("library", "list", "--phase", "loading")


def test_validate_reports_every_problem_of_a_broken_copy(tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(str(CONTENT_ROOT), copy)
    target = copy / "exercises" / "activation.yaml"
    target.write_text(
        target.read_text().replace("metric: neutral_hold_s", "metric: neutral_hold_time"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["library", "validate", str(copy)])
    assert result.exit_code == 2
    assert "unknown metric 'neutral_hold_time'" in result.stdout
    assert "problem(s)" in result.stderr


def test_validate_names_the_file_and_field_of_a_schema_error(tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(str(CONTENT_ROOT), copy)
    target = copy / "exercises" / "activation.yaml"
    target.write_text(target.read_text().replace("reps: 10,", "repz: 10,", 1), encoding="utf-8")
    line = fails("library", "validate", str(copy))
    assert "exercises/activation.yaml" in line
    assert "adim_crook_lying" in line


def test_plan_from_profile_json_and_log(tmp_path: Path) -> None:
    ok("demo")
    profile = tmp_path / "profile.json"
    profile.write_text(ok("profile", "DEMO-001", "--json"), encoding="utf-8")
    data = json.loads(
        ok(
            "plan",
            "--profile",
            str(profile),
            "--log",
            str(EXAMPLE_LOG),
            "--today",
            "2026-02-10",
            "--json",
        )
    )
    assert data["status"] == "active"
    assert data["routine"]["minutes"] <= 20
    assert data["routine"]["items"]
    assert data["decisions"][0]["kind"] == "start"
    overrides = [d for d in data["decisions"] if d["kind"] == "override"]
    assert overrides
    assert overrides[0]["by"] == "physio.jones"
    assert data["exposure_ladder"]["steps"][0]["activity"] == "bending"
    assert {g["kind"] for g in data["goals"]} >= {"motor_control", "patient", "adherence"}
    assert data["other_places"][0]["place"] == "work"
    handout = ok(
        "plan", "--profile", str(profile), "--log", str(EXAMPLE_LOG), "--today", "2026-02-10"
    )
    assert "Your routine today" in handout
    assert "For the clinician" in handout


def test_plan_for_a_stored_patient_and_a_red_flag_patient() -> None:
    ok("demo")
    today = (date.today() + timedelta(days=3)).isoformat()
    data = json.loads(ok("plan", "DEMO-002", "--today", today, "--json"))
    assert data["status"] == "active"
    assert data["exposure_ladder"] is not None
    stopped = json.loads(ok("plan", "DEMO-003", "--today", today, "--json"))
    assert stopped["status"] == "stopped"
    assert stopped["routine"] is None
    assert any(d["kind"] == "stop" for d in stopped["decisions"])


def test_plan_errors_are_one_line(tmp_path: Path) -> None:
    log = tmp_path / "log.json"
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps({"pseudonym": "X", "exercise_allowed": True, "red_flag_state": "clear"}),
        encoding="utf-8",
    )
    log.write_text(
        json.dumps(
            {
                "started_on": "2026-01-05",
                "sessions": [
                    {
                        "day": "2026-01-06",
                        "exercises": [{"exercise_id": "adim_crook_lying", "pain_during": 12}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    line = fails("plan", "--profile", str(profile), "--log", str(log), "--today", "2026-01-10")
    assert "pain_during" in line
    assert "0–10" in line
    log.write_text(json.dumps({"constraints": {"minutes_per_dya": 10}}), encoding="utf-8")
    assert "minutes_per_dya" in fails("plan", "--profile", str(profile), "--log", str(log))
    log.write_text("{", encoding="utf-8")
    assert "not valid JSON" in fails("plan", "--profile", str(profile), "--log", str(log))
    assert "one of the two" in fails("plan")
    assert "--today" in fails("plan", "--profile", str(profile), "--today", "10/01/2026")
    assert "DEMO-404" in fails("plan", "DEMO-404")
    profile.write_text(json.dumps({"pseudonym": "X", "exercise_allowed": True}), encoding="utf-8")
    assert "profile.red_flag_state" in fails("plan", "--profile", str(profile))


def test_simulate_prints_and_plots(tmp_path: Path) -> None:
    data = json.loads(ok("simulate", "--weeks", "3", "--seed", "2", "--patients", "2", "--json"))
    assert data["summary"]["patients"] == 2
    assert len(data["patients"][0]["weekly"]) == 3
    out = tmp_path / "sim.png"
    text = ok("simulate", "--weeks", "2", "--seed", "1", "--plot", str(out))
    assert out.exists()
    assert out.stat().st_size > 10_000
    assert "Plot written" in text
    assert "weeks" in fails("simulate", "--weeks", "0")
    assert ".png" in fails("simulate", "--weeks", "1", "--plot", str(tmp_path / "x.txt"))


# -- non-UTF-8 files -------------------------------------------------------------------------


def _minimal_profile(tmp_path: Path, **changes: object) -> Path:
    path = tmp_path / "profile.json"
    data: dict[str, object] = {
        "pseudonym": "X",
        "exercise_allowed": True,
        "red_flag_state": "clear",
    }
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_files_that_are_not_utf8_are_one_line_errors_naming_the_file(tmp_path: Path) -> None:
    picture = tmp_path / "some.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert fails("plan", "--profile", str(picture)) == (
        f"error: --profile: {picture} is not UTF-8 text; save it as UTF-8 JSON"
    )
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"goals":[{"text":"caf\xe9"}]}')
    line = fails("plan", "--profile", str(_minimal_profile(tmp_path)), "--log", str(latin1))
    assert line == f"error: --log: {latin1} is not UTF-8 text; save it as UTF-8 JSON"
    copy = tmp_path / "content"
    shutil.copytree(str(CONTENT_ROOT), copy)
    (copy / "exercises" / "zz.yaml").write_bytes(b"exercises:\n  - id: caf\xe9\n")
    assert fails("library", "validate", str(copy)) == (
        "error: exercises/zz.yaml: is not UTF-8 text; save it as UTF-8"
    )


# -- strict plan files -----------------------------------------------------------------------


def _plan_with_log(tmp_path: Path, log: object) -> str:
    path = tmp_path / "log.json"
    path.write_text(log if isinstance(log, str) else json.dumps(log), encoding="utf-8")
    profile = _minimal_profile(tmp_path)
    return fails("plan", "--profile", str(profile), "--log", str(path), "--today", "2026-01-20")


@pytest.mark.parametrize(
    ("log", "expected"),
    [
        ({"constraints": {"minutes_per_day": "20"}}, "constraints.minutes_per_day: "),
        ({"constraints": {"days_per_week": 5.0}}, "constraints.days_per_week: "),
        (
            {"started_on": "2026-01-05", "sessions": [{"day": "2026-01-06", "flare": "yes"}]},
            "sessions[1].flare: Input should be a valid boolean",
        ),
        (
            {"started_on": "2026-01-05", "sessions": [{"day": "2026-01-06", "flare": 1}]},
            "sessions[1].flare: Input should be a valid boolean",
        ),
        (
            {"started_on": "2026-01-05", "sessions": [{"day": "2026-01-06", "pain_before": True}]},
            "sessions[1].pain_before: Input should be a valid integer",
        ),
        (
            {"fears": [{"activity": "lifting", "fear": "70"}]},
            "fears[1].fear: Input should be a valid integer",
        ),
    ],
)
def test_log_values_must_have_their_json_type(
    tmp_path: Path, log: dict[str, object], expected: str
) -> None:
    assert expected in _plan_with_log(tmp_path, log)


def test_log_error_locations_count_from_one(tmp_path: Path) -> None:
    log = {
        "started_on": "2026-01-05",
        "sessions": [
            {"day": "2026-01-05"},
            {"day": "2026-01-06", "exercises": [{"exercise_id": "adim_crook_lying", "colour": 1}]},
        ],
    }
    line = _plan_with_log(tmp_path, log)
    assert line.startswith("error: sessions[2].exercises[1].colour: Extra inputs are not permitted")


def test_repeated_keys_are_refused_in_both_files(tmp_path: Path) -> None:
    line = _plan_with_log(tmp_path, '{"goals": [], "pain_model": "strict", "goals": []}')
    assert line == "error: log: key 'goals' appears twice in the same JSON object"
    profile = tmp_path / "twice.json"
    profile.write_text(
        '{"pseudonym": "X", "exercise_allowed": true, "red_flag_state": "clear",'
        ' "exercise_allowed": false}',
        encoding="utf-8",
    )
    assert fails("plan", "--profile", str(profile)) == (
        "error: profile: key 'exercise_allowed' appears twice in the same JSON object"
    )


def test_a_profile_given_as_log_and_a_log_given_as_profile_are_recognised(tmp_path: Path) -> None:
    profile = _minimal_profile(tmp_path)
    line = fails("plan", "--profile", str(profile), "--log", str(profile))
    assert line == "error: log: unknown key 'pseudonym' — is this a profile? use --profile"
    assert "is this a log? use --log" in fails("plan", "--profile", str(EXAMPLE_LOG))
    assert "unknown key 'goal'; known: started_on" in _plan_with_log(tmp_path, {"goal": []})


def test_the_example_log_is_strict_json_and_names_real_library_items(tmp_path: Path) -> None:
    example = json.loads(EXAMPLE_LOG.read_text(encoding="utf-8"))
    library = load_library()
    for override in example["overrides"]:
        assert override["target"] in library.exercises or override["target"] == "program"
    for session in example["sessions"]:
        assert {e["exercise_id"] for e in session.get("exercises", [])} <= set(library.exercises)
        assert {e["task_id"] for e in session.get("exposures", [])} <= set(library.tasks)
    profile = _minimal_profile(tmp_path, as_of="2026-01-05T09:00:00+00:00")
    data = json.loads(
        ok(
            "plan",
            "--profile",
            str(profile),
            "--log",
            str(EXAMPLE_LOG),
            "--today",
            "2026-01-20",
            "--json",
        )
    )
    assert any(d["rule_id"].startswith("override.") for d in data["decisions"])


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"red_flag_state": "fine"}, "profile.red_flag_state: Input should be 'urgent_referral'"),
        ({"exercise_allowed": "yes"}, "profile.exercise_allowed: Input should be a valid boolean"),
        ({"exercise_allowed": 1}, "profile.exercise_allowed: Input should be a valid boolean"),
        (
            {"scores": {"nprs": {"score": 15}}},
            "profile.scores.nprs.score: must be 0–10 for nprs, got 15",
        ),
        ({"scores": {"odi": {"score": -1}}}, "profile.scores.odi.score: must be 0–100 for odi"),
        (
            {"scores": {"nprs": {"score": True}}},
            "profile.scores.nprs.score: Input should be a valid number",
        ),
        (
            {"intake": {"pain_duration_weeks": 20, "pain_pattern": "sometimes"}},
            "profile.intake.pain_pattern: Input should be 'constant'",
        ),
        (
            {"intake": {"pain_duration_weeks": "20", "pain_pattern": "constant"}},
            "profile.intake.pain_duration_weeks: Input should be a valid integer",
        ),
        (
            {"intake": {"pain_duration_weeks": -1, "pain_pattern": "constant"}},
            "profile.intake.pain_duration_weeks: must be 0–4160 weeks",
        ),
        ({"focus_areas": [{"title": "no code"}]}, "profile.focus_areas[1].code: Field required"),
        ({"as_of": "last week"}, "profile.as_of: must be an ISO date"),
    ],
)
def test_profile_values_are_checked(
    tmp_path: Path, changes: dict[str, object], expected: str
) -> None:
    line = fails("plan", "--profile", str(_minimal_profile(tmp_path, **changes)))
    assert line.startswith(f"error: {expected}")


def test_a_valid_minimal_profile_with_scores_and_intake_plans(tmp_path: Path) -> None:
    profile = _minimal_profile(
        tmp_path,
        as_of="2026-01-05",
        scores={
            "nprs": {"score": 8, "category": None, "findings": []},
            "future_scale": {"score": 500},
        },
        intake={"pain_duration_weeks": 20, "pain_pattern": "constant", "aggravating": ["sitting"]},
        focus_areas=[{"code": "focus.psychosocial", "title": "extra keys are ignored"}],
    )
    data = json.loads(ok("plan", "--profile", str(profile), "--today", "2026-01-06", "--json"))
    assert data["phase"]["id"] == "calm"  # NPRS 8 starts in calm and understand


# -- library list, show, validate ------------------------------------------------------------


def test_library_list_picks_tasks_or_modules_by_track_and_filters_by_phase() -> None:
    library = load_library()
    by_track = json.loads(ok("library", "list", "--track", "education", "--json"))
    assert {m["id"] for m in by_track} == set(library.education)
    calm_modules = json.loads(ok("library", "list", "--education", "--phase", "calm", "--json"))
    expected = {m.id for m in library.education.values() if Phase.CALM in m.phases}
    assert {m["id"] for m in calm_modules} == expected
    assert expected < set(library.education)  # the filter really removed something
    tasks = json.loads(
        ok("library", "list", "--track", "exposure", "--phase", "functional", "--json")
    )
    assert {t["id"] for t in tasks} == {
        t.id for t in library.tasks.values() if Phase.FUNCTIONAL in t.phases
    }
    assert json.loads(ok("library", "list", "--tasks", "--track", "exposure", "--json")) == (
        json.loads(ok("library", "list", "--tasks", "--json"))
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--tasks", "--education"), "--tasks and --education"),
        (("--tasks", "--track", "mobility"), "not to --track mobility"),
        (("--education", "--track", "exposure"), "not to --track exposure"),
    ],
)
def test_library_list_refuses_contradictory_options(args: tuple[str, ...], expected: str) -> None:
    assert expected in fails("library", "list", *args)


def test_library_show_takes_several_ids() -> None:
    shown = json.loads(
        ok("library", "show", "adim_crook_lying", "stairs", "pain_is_a_protector", "--json")
    )
    assert [item["id"] for item in shown] == ["adim_crook_lying", "stairs", "pain_is_a_protector"]
    text = ok("library", "show", "adim_crook_lying", "stairs")
    assert "Abdominal drawing-in" in text
    assert "Stairs" in text or "stairs" in text
    assert "'nope'" in fails("library", "show", "adim_crook_lying", "nope")


def test_library_validate_json(tmp_path: Path) -> None:
    valid = json.loads(ok("library", "validate", "--json"))
    assert valid["valid"] is True
    assert valid["problems"] == []
    assert valid["counts"]["exercises"] >= 60
    assert set(valid["counts"]) == {"exercises", "tasks", "education"}
    copy = tmp_path / "content"
    shutil.copytree(str(CONTENT_ROOT), copy)
    target = copy / "tasks" / "daily_living.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("activities: [", "activities: [juggling, ", 1),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["library", "validate", str(copy), "--json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["counts"]["tasks"] == valid["counts"]["tasks"]
    [problem] = report["problems"]
    assert problem["where"].endswith(".activities")
    assert problem["problem"].startswith("unknown activity 'juggling'")
    assert len(result.stderr.strip().splitlines()) == 1
    # A file that cannot be read at all is the one problem.
    (copy / "education" / "zz.yaml").write_bytes(b"modules:\n  - id: caf\xe9\n")
    result = runner.invoke(app, ["library", "validate", str(copy), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["problems"] == [
        {"where": "education/zz.yaml", "problem": "is not UTF-8 text; save it as UTF-8"}
    ]


def test_library_validate_needs_a_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    assert fails("library", "validate", str(missing)) == f"error: {missing}: no such folder"
    a_file = tmp_path / "some_file"
    a_file.write_text("x", encoding="utf-8")
    assert fails("library", "validate", str(a_file)) == f"error: {a_file}: not a folder"


# -- simulate --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--seed", "-1"), "error: seed: must be 0 or more, got -1"),
        (("--patients", "10001"), "error: patients: must be 1–10000, got 10001"),
        (("--patients", "0"), "error: patients: must be 1–10000, got 0"),
    ],
)
def test_simulate_refuses_impossible_runs(args: tuple[str, ...], expected: str) -> None:
    assert fails("simulate", "--weeks", "1", *args) == expected


def test_simulate_shows_progress_on_stderr_even_with_json(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(
        simulate_cli, "errors", Console(file=screen, force_terminal=True, width=100)
    )
    data = json.loads(ok("simulate", "--weeks", "1", "--patients", "5", "--json"))
    assert data["summary"]["patients"] == 5
    assert "simulating" in screen.getvalue()
    screen.seek(0)
    screen.truncate()
    ok("simulate", "--weeks", "1", "--patients", "4", "--json")
    assert "simulating" not in screen.getvalue()


def test_simulate_says_when_the_plot_leaves_patients_out(tmp_path: Path) -> None:
    out = tmp_path / "many.png"
    result = runner.invoke(
        app, ["simulate", "--weeks", "1", "--patients", "9", "--plot", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["plot"] == str(out)
    assert "first 8 of 9 patients" in result.stderr
    assert "first 8 of 9 patients" in ok(
        "simulate", "--weeks", "1", "--patients", "9", "--plot", str(out)
    )
    assert "first 8" not in ok("simulate", "--weeks", "1", "--patients", "8", "--plot", str(out))


def test_simulate_never_creates_the_plot_folder(tmp_path: Path) -> None:
    out = tmp_path / "no_such_folder" / "sim.png"
    line = fails("simulate", "--weeks", "1", "--plot", str(out))
    assert line == f"error: --plot: folder {out.parent} does not exist"
    assert not out.parent.exists()


def test_the_plot_legend_sits_beside_the_panels_and_marks_flares_per_patient() -> None:
    library = load_library()
    stopped = simulate_patient(
        library, seed=11, weeks=6, archetype=ARCHETYPES["typical"], script=Script(red_flag_day=17)
    )
    flaring = simulate_patient(
        library,
        seed=13,
        weeks=6,
        archetype=ARCHETYPES["typical"],
        script=Script(flare_days=frozenset({10})),
    )
    figure = trajectories_figure([stopped, flaring])
    try:
        figure.canvas.draw()
        [legend] = figure.legends
        box = legend.get_window_extent()
        for axes in figure.axes:
            assert not box.overlaps(axes.get_window_extent()), "the legend covers a panel"
        labels = [text.get_text() for text in legend.get_texts()]
        assert {"flare day", "stopped for safety"} <= set(labels)
        pain_axes = figure.axes[2]
        assert not pain_axes.patches, "no pooled shading: markers belong to one patient"
        colours = [line.get_color() for line in figure.axes[0].get_lines()]  # one per patient
        for sim, colour in zip((stopped, flaring), colours, strict=True):
            for marker, status in (("^", "flare"), ("X", "stopped")):
                marked = sum(
                    np.asarray(line.get_xdata()).size
                    for line in pain_axes.get_lines()
                    if line.get_marker() == marker and line.get_color() == colour
                )
                assert marked == sum(d.status.value == status for d in sim.days)
        assert any(d.status.value == "stopped" for d in stopped.days)
        assert any(d.status.value == "flare" for d in flaring.days)
    finally:
        plt.close(figure)


def test_a_partial_set_dosage_keeps_the_exercise_s_own_tempo_and_sides(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps({"pseudonym": "X", "exercise_allowed": True, "red_flag_state": "clear"}),
        encoding="utf-8",
    )
    log = tmp_path / "log.json"
    log.write_text(
        json.dumps(
            {
                "started_on": "2026-01-05",
                "overrides": [
                    {
                        "on": "2026-01-05",
                        "by": "Dr A",
                        "kind": "prescribe",
                        "target": "heel_slides",
                        "reason": "x",
                    },
                    {
                        "on": "2026-01-06",
                        "by": "Dr A",
                        "kind": "set_dosage",
                        "target": "heel_slides",
                        "reason": "fewer",
                        "dosage": {"sets": 1, "reps": 6},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    data = json.loads(
        ok("plan", "--profile", str(profile), "--log", str(log), "--today", "2026-01-07", "--json")
    )
    heel = next(p for p in data["program"] if p["exercise"] == "heel_slides")
    assert heel["dosage"].startswith("1 × 6 at tempo")
    assert heel["dosage"].endswith("each side")
