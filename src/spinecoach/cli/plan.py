"""``spinecoach plan``: the program, routine, goals, exposure ladder and decisions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from spinecoach.bootstrap import SetupError, load_content
from spinecoach.services.planning import plan_for_patient, plan_from_files

from .common import JSON_OPTION, actor, fail, print_json, services, user_errors
from .render_plan import show_plan


def _read_text(path: Path, option: str) -> str:
    """A file's text; unreadable or non-UTF-8 files are the user's error, naming the file."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"{option}: cannot read {path} ({error.strerror or error})")
    except UnicodeDecodeError:
        fail(f"{option}: {path} is not UTF-8 text; save it as UTF-8 JSON")


def _today(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--today: expected YYYY-MM-DD, got {text!r}")


def plan(
    pseudonym: str | None = typer.Argument(
        None, help="A stored patient (or give --profile instead)."
    ),
    profile: Path | None = typer.Option(
        None, "--profile", help="A profile JSON file as printed by `spinecoach profile --json`."
    ),
    log: Path | None = typer.Option(
        None, "--log", help="Constraints, goals, fears, practice log and overrides (JSON)."
    ),
    today: str | None = typer.Option(None, "--today", help="Plan for this day (YYYY-MM-DD)."),
    explain: bool = typer.Option(False, "--explain", help="Every decision with rule and inputs."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Plan the program: phase, exercises and dosage, today's routine, goals and decisions."""
    if (pseudonym is None) == (profile is None):
        fail("plan: give a stored patient's pseudonym or --profile FILE (one of the two)")
    day = _today(today)
    log_text = _read_text(log, "--log") if log is not None else None
    profile_text = _read_text(profile, "--profile") if profile is not None else None
    try:
        library = load_content()
    except SetupError as error:
        fail(str(error))
    with user_errors():
        if profile_text is not None:
            result = plan_from_files(profile_text, log_text, library, day)
        else:
            assert pseudonym is not None
            with services() as built:
                result = plan_for_patient(
                    built.clinic,
                    actor=actor(),
                    pseudonym=pseudonym,
                    log_text=log_text,
                    library=library,
                    today=day,
                )
    if as_json:
        print_json(result.as_dict())
    else:
        show_plan(result, explain=explain)
