"""``spinecoach score`` and ``spinecoach test``: score one administration without storing it."""

from __future__ import annotations

import typer

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.registry import INSTRUMENTS, get_instrument
from spinecoach.domain.physical_tests.base import PersonContext, Sex
from spinecoach.domain.physical_tests.registry import PHYSICAL_TESTS, get_physical_test
from spinecoach.services.clinic import ClinicService, answers_from_text

from .common import JSON_OPTION, print_json, user_errors
from .render import show_score, show_test

INSTRUMENT_IDS = " ".join(INSTRUMENTS)


def score(
    instrument: str = typer.Argument(..., help=f"One of: {INSTRUMENT_IDS}"),
    answers: str = typer.Option(
        ...,
        "--answers",
        "-a",
        help="Answers in item order, comma-separated; '-' for a missing answer "
        "(write --answers=-,1,2 when the first is missing).",
    ),
    max_missing: int | None = typer.Option(
        None, help="Override the instrument's missing-item limit (see docs/instruments.md)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Score one questionnaire administration (nothing is stored)."""
    with user_errors():
        result = ClinicService.score_questionnaire(
            instrument, answers_from_text(answers), max_missing=max_missing
        )
        if as_json:
            print_json(result.as_dict())
        else:
            show_score(get_instrument(instrument), result)


test_app = typer.Typer(help="Score one physical test (nothing is stored).", no_args_is_help=True)


def _person(age: int | None, sex: str | None) -> PersonContext:
    if age is not None and not 16 <= age <= 110:
        raise InvalidInput("age", f"must be 16–110 years, got {age}")
    if sex is None:
        return PersonContext(age=age)
    try:
        return PersonContext(age=age, sex=Sex(sex))
    except ValueError:
        raise InvalidInput("sex", f"must be female, male or other, got {sex!r}") from None


def _run_test(
    test_id: str, values: dict[str, object], person: PersonContext, as_json: bool
) -> None:
    result = ClinicService.evaluate_test(test_id, values, person=person)
    if as_json:
        print_json(result.as_dict())
    else:
        show_test(PHYSICAL_TESTS[test_id], result)


AGE = typer.Option(None, "--age", help="Age in years (for age-banded norms).")
SEX = typer.Option(None, "--sex", help="female, male or other (for sex-specific norms).")


@test_app.command("mcgill")
def mcgill(
    flexor: float = typer.Option(..., help="Flexor endurance hold (s)."),
    extensor: float = typer.Option(..., help="Biering-Sørensen extensor hold (s)."),
    side_left: float = typer.Option(..., help="Left side bridge hold (s)."),
    side_right: float = typer.Option(..., help="Right side bridge hold (s)."),
    age: int | None = AGE,
    sex: str | None = SEX,
    as_json: bool = JSON_OPTION,
) -> None:
    """McGill torso endurance battery: holds, ratios and imbalance flags."""
    with user_errors():
        values: dict[str, object] = {
            "flexor": flexor,
            "extensor": extensor,
            "side_left": side_left,
            "side_right": side_right,
        }
        _run_test("mcgill", values, _person(age, sex), as_json)


@test_app.command("sts5")
def sts5(
    seconds: float = typer.Option(..., help="Time for five sit-to-stands (s)."),
    age: int | None = AGE,
    sex: str | None = SEX,
    as_json: bool = JSON_OPTION,
) -> None:
    """Five-times sit-to-stand: functional impairment band and age norms."""
    with user_errors():
        _run_test("sts5", {"seconds": seconds}, _person(age, sex), as_json)


def _inputs_help() -> str:
    lines = []
    for test in PHYSICAL_TESTS.values():
        names = ", ".join(f"{spec.name}" + ("" if spec.required else "?") for spec in test.inputs)
        lines.append(f"{test.id}: {names}")
    return "Inputs (? = optional; details in docs/physical-tests.md):\n\n" + "\n\n".join(lines)


@test_app.command("run", epilog=_inputs_help())
def run_any(
    test_id: str = typer.Argument(..., help=f"One of: {' '.join(PHYSICAL_TESTS)}"),
    inputs: list[str] = typer.Argument(None, help="name=value pairs, e.g. seconds=95"),
    age: int | None = AGE,
    sex: str | None = SEX,
    as_json: bool = JSON_OPTION,
) -> None:
    """Any physical test by id, with its inputs as name=value pairs."""
    with user_errors():
        test = get_physical_test(test_id)
        _run_test(test.id, _parse_pairs(inputs or []), _person(age, sex), as_json)


def _parse_pairs(pairs: list[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise InvalidInput("inputs", f"expected name=value, got {pair!r}")
        if name in values:
            raise InvalidInput(name, "given twice")
        values[name] = _literal(raw)
    return values


def _literal(raw: str) -> object:
    lowered = raw.strip().lower()
    if lowered in {"true", "yes"}:
        return True
    if lowered in {"false", "no"}:
        return False
    try:
        return float(raw)
    except ValueError:
        return raw.strip()
