"""``spinecoach assess``: record an assessment from a JSON file or by guided prompts."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import ValidationError
from rich.prompt import Confirm, IntPrompt, Prompt

from spinecoach.domain.errors import DomainError, InvalidInput
from spinecoach.domain.instruments.base import Instrument
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.physical_tests.base import InputSpec, PhysicalTest
from spinecoach.domain.physical_tests.registry import PHYSICAL_TESTS
from spinecoach.domain.red_flags import CAUDA_EQUINA_SIGNS, GENERAL_RED_FLAGS
from spinecoach.domain.text_packs import TextPack, TextPackCatalog, item_prompt, item_responses
from spinecoach.services.schemas import (
    EARLIEST_YEAR,
    AssessmentIn,
    first_error,
    parse_assessment_json,
)

from .common import JSON_OPTION, actor, console, print_json, services, user_errors
from .payloads import scored_payload
from .render import show_scored_assessment

T = TypeVar("T")


def assess(
    pseudonym: str = typer.Argument(..., help="The patient's pseudonym."),
    file: Path | None = typer.Option(
        None, "--file", "-f", help="Assessment JSON (see docs/assessment-file.md); '-' = stdin."
    ),
    correct: int | None = typer.Option(
        None, help="Id of an assessment this one corrects (the original is kept)."
    ),
    reason: str = typer.Option("", help="What was wrong with the original (with --correct)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record an assessment: red flags, intake, questionnaires and physical tests.

    Without --file the command asks for each part in turn. Everything is validated and scored
    before anything is stored: one bad answer stores nothing.
    """
    with user_errors():
        if correct is not None and not reason.strip():
            raise InvalidInput("reason", "--correct needs --reason saying what was wrong")
        if correct is None and reason.strip():
            raise InvalidInput("reason", "--reason goes with --correct ID; nothing was stored")
        with services() as built:
            if file is not None:
                submission = _from_file(file)
            else:
                submission = _interactive(built.text_packs, built.settings.language)
            if correct is None:
                scored = built.clinic.record_assessment(
                    actor=actor(), pseudonym=pseudonym, submission=submission
                )
            else:
                scored = built.clinic.correct_assessment(
                    actor=actor(),
                    pseudonym=pseudonym,
                    assessment_id=correct,
                    submission=submission,
                    reason=reason,
                )
            # The state of the whole record, not just this screen: an earlier urgent
            # referral stays open until a clinician records its exclusion.
            standing = built.clinic.profile(actor=actor(), pseudonym=pseudonym).red_flags
    if as_json:
        print_json(scored_payload(scored))
    else:
        show_scored_assessment(scored, standing=standing)


def _from_file(file: Path) -> AssessmentIn:
    if str(file) == "-":
        return parse_assessment_json(sys.stdin.read(), "stdin")
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput("file", f"cannot read {file} ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InvalidInput("file", f"{file} is not UTF-8 text") from None
    return parse_assessment_json(text, str(file))


def _interactive(packs: TextPackCatalog, language: str) -> AssessmentIn:
    """Ask for each part in turn; every answer is checked as it is given and asked again if
    it is not acceptable, so a typing slip never throws away what was already entered."""
    if not sys.stdin.isatty():
        raise InvalidInput("file", "no terminal to ask questions in: give --file")
    console.print("[bold]New assessment[/bold] (Ctrl-C at any time stores nothing)")
    data: dict[str, Any] = {
        "kind": Prompt.ask(
            "Kind", choices=["baseline", "recheck", "discharge"], default="baseline"
        ),
        "assessed_at": _ask_when(),
        "red_flags": _ask_red_flags(),
    }
    if Confirm.ask("\nRecord the intake history now?", default=data["kind"] == "baseline"):
        data["intake"] = _ask_intake()
    data["questionnaires"] = {
        instrument.id: _ask_questionnaire(instrument, packs.pack_for(instrument, language))
        for instrument in _ask_ids("Questionnaires", INSTRUMENTS)
    }
    data["tests"] = {
        test.id: _ask_test(test) for test in _ask_ids("Physical tests", PHYSICAL_TESTS)
    }
    data["notes"] = Prompt.ask("\nNotes", default="")
    try:
        return AssessmentIn.model_validate(data)
    except ValidationError as error:
        raise first_error(error) from None


def _ask_when() -> datetime:
    while True:
        raw = Prompt.ask("Date and time (YYYY-MM-DD HH:MM, local time)", default="now")
        if raw.strip().lower() == "now":
            return datetime.now().astimezone()
        try:
            when = datetime.fromisoformat(raw.strip()).astimezone()
        except ValueError:
            console.print("  [red]Expected e.g. 2026-11-20 14:30[/red]")
            continue
        if when.year < EARLIEST_YEAR or when > datetime.now().astimezone():
            console.print(f"  [red]Must be between {EARLIEST_YEAR} and now.[/red]")
            continue
        return when


def _ask_red_flags() -> dict[str, Any]:
    console.print("\n[bold]Red-flag screen[/bold]")
    present: list[str] = []
    if Confirm.ask(
        "Any cauda equina sign of recent onset (< 14 days) or worsening — bladder or bowel "
        "disturbance, saddle numbness, weakness in both legs, sexual dysfunction?"
    ):
        present += [k for k, text in CAUDA_EQUINA_SIGNS.items() if Confirm.ask(f"  {text}?")]
    if Confirm.ask(
        "Any general red flag — age at onset, trauma, cancer, steroids, immunosuppression, "
        "unwell, weight loss, night pain, deformity, widespread neurology …?"
    ):
        present += [k for k, text in GENERAL_RED_FLAGS.items() if Confirm.ask(f"  {text}?")]
    screen: dict[str, Any] = {"present": present}
    general = [k for k in present if k in GENERAL_RED_FLAGS]
    if (
        general
        and not set(present) & set(CAUDA_EQUINA_SIGNS)
        and Confirm.ask("Have you reviewed these and judged exercise safe?", default=False)
    ):
        screen["clinician_cleared"] = True
        while not (note := Prompt.ask("  Why (recorded in the chart)", default="").strip()):
            console.print("  [red]Clearing a red flag needs a reason.[/red]")
        screen["clinician_note"] = note
    return screen


def _ask_ids(what: str, known: Mapping[str, T]) -> list[T]:
    while True:
        raw = Prompt.ask(f"\n{what} to enter ({' '.join(known)}), space-separated", default="")
        unknown = [i for i in raw.split() if i.lower() not in known]
        if not unknown:
            return [known[i.lower()] for i in raw.split()]
        console.print(f"  [red]Unknown: {' '.join(unknown)}[/red]")


def _ask_questionnaire(instrument: Instrument, pack: TextPack) -> list[int | None]:
    console.print(f"\n[bold]{pack.title}[/bold]")
    if pack.instructions:
        console.print(pack.instructions)
    missing_allowed = instrument.missing.max_missing > 0
    if missing_allowed:
        console.print("(enter '-' for a missing answer)")
    while True:
        answers: list[int | None] = []
        for item in instrument.items:
            responses = item_responses(pack, instrument, item.number)
            if all(label == str(value) for value, label in responses):
                options = f"{item.minimum}–{item.maximum}"  # neutral pack: just the range
            else:
                options = "  ".join(f"{value}={label}" for value, label in responses)
            prompt = f"  {item_prompt(pack, instrument, item.number)} [{options}]"
            if instrument.variable_length and answers:
                prompt += " (Enter when done)"
            while True:
                raw = Prompt.ask(prompt, default="").strip()
                if raw == "" and instrument.variable_length and answers:
                    break
                if raw == "-" and missing_allowed:
                    answers.append(None)
                    break
                if raw.lstrip("-").isdigit() and item.minimum <= int(raw) <= item.maximum:
                    answers.append(int(raw))
                    break
                console.print(f"  [red]Enter a whole number {item.minimum}–{item.maximum}.[/red]")
            if len(answers) < item.number:
                break  # a variable-length form ended early
        try:
            instrument.score(answers)
            return answers
        except DomainError as error:
            console.print(f"  [red]{error} — please enter this questionnaire again.[/red]")


def _ask_test(test: PhysicalTest) -> dict[str, float | bool | str]:
    console.print(f"\n[bold]{test.name}[/bold]")
    while True:
        values = {
            spec.name: value for spec in test.inputs if (value := _ask_input(spec)) is not None
        }
        try:
            test.evaluate(values)
            return values
        except DomainError as error:
            console.print(f"  [red]{error} — please enter this test again.[/red]")


def _ask_intake() -> dict[str, Any]:
    weeks = IntPrompt.ask("  Pain duration (weeks)")
    pattern = Prompt.ask("  Pain pattern", choices=["constant", "intermittent", "episodic"])
    distribution = Prompt.ask(
        "  Pain reaches", choices=["back_only", "above_knee", "below_knee"], default="back_only"
    )

    def listed(label: str) -> list[str]:
        raw = Prompt.ask(f"  {label} (separate with ';')", default="")
        return [part.strip() for part in raw.split(";") if part.strip()]

    return {
        "pain_duration_weeks": weeks,
        "pain_pattern": pattern,
        "pain_distribution": distribution,
        "aggravating": listed("Aggravating activities"),
        "easing": listed("Easing activities"),
        "prior_injuries": listed("Prior injuries"),
        "surgery": listed("Surgery"),
        "work_goals": listed("Work goals"),
        "sport_goals": listed("Sport goals"),
        "patient_goals": listed("Patient's own goals"),
    }


def _ask_input(spec: InputSpec) -> float | bool | str | None:
    suffix = "" if spec.required else " (optional, Enter to skip)"
    label = f"  {spec.name.replace('_', ' ')}"
    if spec.kind == "boolean":
        return Confirm.ask(label + suffix)
    if spec.kind == "choice":
        if spec.required:
            return Prompt.ask(label, choices=list(spec.choices))
        picked = Prompt.ask(label + suffix, choices=[*spec.choices, "skip"], default="skip")
        return None if picked == "skip" else picked
    while True:
        raw = (Prompt.ask(f"{label} ({spec.unit or spec.kind}){suffix}", default="") or "").strip()
        if not raw and not spec.required:
            return None
        if spec.kind == "text":
            return raw
        try:
            number = float(raw)
        except ValueError:
            console.print(f"  [red]Enter a number ({spec.unit}).[/red]")
            continue
        if spec.minimum <= number <= spec.maximum:
            return number
        console.print(f"  [red]Must be {spec.minimum:g}–{spec.maximum:g} {spec.unit}.[/red]")
