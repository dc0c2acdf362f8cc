"""``spinecoach assess``: record an assessment from a JSON file or by guided prompts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.prompt import Confirm, IntPrompt, Prompt

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.domain.physical_tests.base import InputSpec
from spinecoach.domain.physical_tests.registry import PHYSICAL_TESTS
from spinecoach.domain.red_flags import CAUDA_EQUINA_SIGNS, GENERAL_RED_FLAGS
from spinecoach.domain.text_packs import TextPackCatalog, item_prompt, item_responses
from spinecoach.services.schemas import AssessmentIn, parse_assessment_json

from .common import actor, console, print_json, services, user_errors
from .payloads import scored_payload
from .render import show_scored_assessment


def assess(
    pseudonym: str = typer.Argument(..., help="The patient's pseudonym."),
    file: Path | None = typer.Option(
        None, "--file", "-f", help="Assessment JSON (see docs/assessment-file.md); '-' = stdin."
    ),
    correct: int | None = typer.Option(
        None, help="Id of an assessment this one corrects (the original is kept)."
    ),
    reason: str = typer.Option("", help="What was wrong with the original (with --correct)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Record an assessment: red flags, intake, questionnaires and physical tests.

    Without --file the command asks for each part in turn. Everything is validated and scored
    before anything is stored: one bad answer stores nothing.
    """
    with user_errors():
        if correct is not None and not reason.strip():
            raise InvalidInput("reason", "--correct needs --reason saying what was wrong")
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
    if as_json:
        print_json(scored_payload(scored))
    else:
        show_scored_assessment(scored)


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
    if not sys.stdin.isatty():
        raise InvalidInput("file", "no terminal to ask questions in: give --file")
    console.print("[bold]New assessment[/bold] (Ctrl-C at any time stores nothing)")
    data: dict[str, Any] = {
        "kind": Prompt.ask("Kind", choices=["baseline", "recheck", "discharge"], default="baseline")
    }
    console.print(
        "\n[bold]Red-flag screen[/bold] — cauda equina signs of recent onset (< 14 days) "
        "or worsening:"
    )
    present = [key for key, text in CAUDA_EQUINA_SIGNS.items() if Confirm.ask(f"  {text}?")]
    console.print("General spinal red flags:")
    present += [key for key, text in GENERAL_RED_FLAGS.items() if Confirm.ask(f"  {text}?")]
    data["red_flags"] = {"present": present}
    if Confirm.ask("\nRecord the intake history now?", default=data["kind"] == "baseline"):
        data["intake"] = _ask_intake()
    data["questionnaires"] = {}
    chosen = Prompt.ask(
        f"\nQuestionnaires to enter ({' '.join(INSTRUMENTS)}), space-separated", default=""
    )
    for instrument_id in chosen.split():
        instrument = INSTRUMENTS.get(instrument_id.lower())
        if instrument is None:
            raise InvalidInput("questionnaires", f"unknown id {instrument_id!r}")
        pack = packs.pack_for(instrument, language)
        console.print(f"[bold]{pack.title}[/bold] (enter '-' for a missing answer)")
        if pack.instructions:
            console.print(pack.instructions)
        answers: list[int | None] = []
        for item in instrument.items:
            options = "  ".join(
                f"{v}={label}" for v, label in item_responses(pack, instrument, item.number)
            )
            raw = Prompt.ask(f"  {item_prompt(pack, instrument, item.number)}\n    [{options}]")
            if raw.strip() == "" and instrument.variable_length and answers:
                break
            answers.append(None if raw.strip() == "-" else _int(raw, f"answers[{item.number}]"))
        data["questionnaires"][instrument.id] = answers
    data["tests"] = {}
    chosen = Prompt.ask(
        f"\nPhysical tests to enter ({' '.join(PHYSICAL_TESTS)}), space-separated", default=""
    )
    for test_id in chosen.split():
        test = PHYSICAL_TESTS.get(test_id.lower())
        if test is None:
            raise InvalidInput("tests", f"unknown id {test_id!r}")
        console.print(f"[bold]{test.name}[/bold]")
        data["tests"][test.id] = {
            spec.name: value for spec in test.inputs if (value := _ask_input(spec)) is not None
        }
    data["notes"] = Prompt.ask("\nNotes", default="")
    return AssessmentIn.model_validate(data)


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
    raw = Prompt.ask(f"{label} ({spec.unit}){suffix}", default="") or ""
    if not raw.strip() and not spec.required:
        return None
    if spec.kind == "text":
        return raw.strip()
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(spec.name, f"must be a number, got {raw!r}") from None


def _int(raw: str, field: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise InvalidInput(field, f"must be a whole number or '-', got {raw!r}") from None
