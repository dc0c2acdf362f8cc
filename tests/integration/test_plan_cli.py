"""``spinecoach library``, ``plan`` and ``simulate`` as a user meets them."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from spinecoach.adapters.catalog import CONTENT_ROOT
from spinecoach.cli.main import app
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
