"""The command line as a user meets it: outputs, JSON shapes, one-line errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import fails, ok


@pytest.fixture(autouse=True)
def _isolated(isolated_data_dir: Path) -> Path:
    return isolated_data_dir


def test_score_json_has_the_promised_keys() -> None:
    data = json.loads(ok("score", "odi", "--answers", "2,1,3,2,3,2,1,-,1,1", "--json"))
    assert data["instrument"] == "odi"
    assert data["score"] == pytest.approx(35.5556, abs=1e-4)
    assert data["subscales"] == {}
    assert data["category"] == "moderate disability"
    assert data["answered"] == 9


def test_score_with_a_leading_missing_answer() -> None:
    data = json.loads(ok("score", "odi", "--answers=-,1,3,2,3,2,1,0,1,1", "--json"))
    assert data["answered"] == 9


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ("1,2,3", "answers: odi takes 10 answers, got 3"),
        ("2,1,3,2,3,2,1,0,1,6", "answers[10]"),
        ("2,1,-,-,3,2,1,0,1,1", "2 item(s) missing"),
        ("2,1,x,2,3,2,1,0,1,1", "answers[3]"),
    ],
)
def test_score_bad_input_is_one_line_exit_2(answers: str, expected: str) -> None:
    assert expected in fails("score", "odi", "--answers", answers)


def test_unknown_instrument() -> None:
    assert "unknown id 'odx'" in fails("score", "odx", "--answers", "1")


def test_mcgill_and_sts5_json() -> None:
    data = json.loads(
        ok(
            "test", "mcgill", "--flexor", "120", "--extensor", "100",
            "--side-left", "60", "--side-right", "70", "--json",
        )
    )  # fmt: skip
    assert data["values"]["flexor_extensor"] == pytest.approx(1.2)
    codes = {f["code"] for f in data["findings"]}
    assert "mcgill.flexor_extensor_high" in codes
    sts = json.loads(ok("test", "sts5", "--seconds", "10.5", "--json"))
    assert sts["category"] == "mild"
    assert "sts5.seconds" in fails("test", "sts5", "--seconds", "-1")


def test_full_assessment_flow(tmp_path: Path) -> None:
    ok(
        "patient", "add", "P-0100", "--age", "52", "--sex", "female",
        "--occupation", "nurse", "--consent-exercise",
    )  # fmt: skip
    assert "P-0100" in ok("patient", "list")
    document = {
        "kind": "baseline",
        "red_flags": {"present": []},
        "intake": {"pain_duration_weeks": 30, "pain_pattern": "intermittent"},
        "questionnaires": {"nprs": [6], "odi": [2, 1, 3, 2, 3, 2, 1, 0, 1, 1]},
        "tests": {"sts5": {"seconds": 13.0}},
    }
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(document))
    stored = json.loads(ok("assess", "P-0100", "--file", str(path), "--json"))
    assert stored["scores"]["odi"]["score"] == pytest.approx(32.0)
    profile = json.loads(ok("profile", "P-0100", "--json"))
    assert profile["red_flag_state"] == "clear"
    assert profile["exercise_allowed"] is True
    statements = [s["code"] for sec in profile["sections"] for s in sec["statements"]]
    assert "odi.score" in statements
    text = ok("profile", "P-0100")
    assert "Oswestry" in text
    assert "Suggested focus" in text
    shown = json.loads(ok("patient", "show", "P-0100", "--json"))
    assert len(shown["assessments"]) == 1


def test_bad_assessment_file_stores_nothing(tmp_path: Path) -> None:
    ok("patient", "add", "P-0101", "--age", "40", "--sex", "male")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"questionnaires": {"odi": [2, 1, 3, 2, 3, 2, 1, 0, 1, 7]}}))
    assert "questionnaires.odi[10]" in fails("assess", "P-0101", "--file", str(path))
    assert json.loads(ok("patient", "show", "P-0101", "--json"))["assessments"] == []
    assert "cannot read" in fails("assess", "P-0101", "--file", str(tmp_path / "none.json"))


def test_patient_add_errors_name_the_field() -> None:
    assert fails("patient", "add", "P-1", "--age", "12", "--sex", "male").startswith("error: age:")
    assert "sex" in fails("patient", "add", "P-1", "--age", "40", "--sex", "robot")
    assert "no patient" in fails("profile", "NOPE")


def test_demo_seeds_once_and_prints_a_profile() -> None:
    first = ok("demo")
    assert "demo clinic seeded" in first
    assert "DEMO-001" in first
    second = ok("demo")
    assert "seeded" not in second
    urgent = json.loads(ok("profile", "DEMO-003", "--json"))
    assert urgent["exercise_allowed"] is False


def test_entry_point_never_prints_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "SPINECOACH_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"}
    result = subprocess.run(
        [sys.executable, "-c", "from spinecoach.cli.main import run; run()", "patient", "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: database: cannot open")
    assert "nobody" in result.stderr


def test_no_consent_means_no_exercise_yet(tmp_path: Path) -> None:
    ok("patient", "add", "P-0102", "--age", "44", "--sex", "male")
    path = tmp_path / "screen.json"
    path.write_text(json.dumps({"red_flags": {"present": []}}))
    ok("assess", "P-0102", "--file", str(path))
    profile = json.loads(ok("profile", "P-0102", "--json"))
    assert profile["red_flag_state"] == "clear"
    assert profile["exercise_allowed"] is False
    codes = [s["code"] for sec in profile["sections"] for s in sec["statements"]]
    assert "consent.exercise_missing" in codes


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"questionnaires": {"nprs": [True]}}, "questionnaires.nprs[1]: Input should be a valid"),
        ({"questionnaires": {"nprs": [3.0]}}, "questionnaires.nprs[1]"),
        ({}, "holds nothing to record"),
        ({"assessed_at": "1900-01-01T00:00:00Z"}, "assessed_at"),
        ({"questionnaires": {"xyz": [1]}}, "questionnaires.xyz: unknown id"),
        ({"tests": {"abc": {"seconds": 1}}}, "tests.abc: unknown id"),
        (
            {"red_flags": {"present": ["saddle_anaesthesia"], "clinician_cleared": True,
                           "clinician_note": "seen"}},
            "red_flags.clinician_cleared: a cauda equina sign cannot be cleared",
        ),
    ],
)  # fmt: skip
def test_assessment_file_refusals(
    tmp_path: Path, document: dict[str, object], expected: str
) -> None:
    ok("patient", "add", "P-0103", "--age", "44", "--sex", "male")
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(document))
    assert expected in fails("assess", "P-0103", "--file", str(path))
    assert json.loads(ok("patient", "show", "P-0103", "--json"))["assessments"] == []


def test_duplicate_json_keys_are_refused(tmp_path: Path) -> None:
    ok("patient", "add", "P-0104", "--age", "44", "--sex", "male")
    path = tmp_path / "visit.json"
    path.write_text('{"questionnaires": {"nprs": [3], "nprs": [9]}}')
    assert "nprs: appears twice" in fails("assess", "P-0104", "--file", str(path))


def test_reason_without_correct_is_refused(tmp_path: Path) -> None:
    ok("patient", "add", "P-0105", "--age", "44", "--sex", "male")
    path = tmp_path / "visit.json"
    path.write_text(json.dumps({"questionnaires": {"nprs": [3]}}))
    assert "--reason goes with --correct" in fails(
        "assess", "P-0105", "--file", str(path), "--reason", "typo"
    )


def test_pseudonyms_are_unique_regardless_of_case() -> None:
    ok("patient", "add", "P-1", "--age", "44", "--sex", "male")
    assert "'P-1' is already registered" in fails(
        "patient", "add", "p-1", "--age", "44", "--sex", "male"
    )


def test_demo_with_patients_already_there() -> None:
    ok("patient", "add", "P-0200", "--age", "44", "--sex", "male")
    output = ok("demo")
    assert "seeded only into an empty database" in output
    assert "P-0200" in output


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SPINECOACH_DATABASE_URL", "foo://bar", "SPINECOACH_DATABASE_URL: not a usable"),
        ("SPINECOACH_DATABASE_URL", "mysql://u@localhost/db", "no driver for mysql"),
        ("SPINECOACH_DATABASE_URL", "sqlite:////nonexistent/x/y.db", "does not exist"),
        ("SPINECOACH_LANGUAGE", "xx_YY", "SPINECOACH_LANGUAGE: Value error"),
        ("SPINECOACH_TEXT_PACKS", "/nonexistent/packs", "SPINECOACH_TEXT_PACKS:"),
    ],
)
def test_bad_settings_are_one_line(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert expected in fails("patient", "list")


def test_data_dir_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SPINECOACH_DATA_DIR", str(blocker))
    assert "SPINECOACH_DATA_DIR: cannot create" in fails("patient", "list")


@pytest.mark.parametrize(
    "args",
    [["patient", "add", "X1", "--age", "abc", "--sex", "male"], ["bogus"], ["score"]],
)
def test_usage_errors_are_one_line(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from spinecoach.cli.main import run; run()", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: spinecoach")


def test_test_command_checks_age_and_repeated_inputs() -> None:
    assert "age: must be 16–110" in fails("test", "sts5", "--seconds", "9", "--age", "200")
    assert "seconds: given twice" in fails("test", "run", "sorensen", "seconds=3", "seconds=4")
    data = json.loads(ok("test", "run", "MCGILL", "flexor=90", "extensor=150",
                          "side_left=92", "side_right=88", "--json"))  # fmt: skip
    assert data["test"] == "mcgill"
