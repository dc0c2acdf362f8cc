"""``spinecoach patient add|list|show``."""

from __future__ import annotations

from typing import TypeVar

import typer
from rich.table import Table

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import format_number
from spinecoach.domain.physical_tests.base import Sex
from spinecoach.domain.record import ActivityLevel, Consent, Patient, PhysicalDemand

from .common import JSON_OPTION, actor, console, print_json, services, user_errors
from .payloads import patient_payload, scored_payload

app = typer.Typer(help="Register, list and show patients.", no_args_is_help=True)


E = TypeVar("E", Sex, PhysicalDemand, ActivityLevel)


def _choice(kind: type[E], field: str, value: str | None) -> E | None:
    if value is None:
        return None
    try:
        return kind(value.lower())
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInput(field, f"must be one of {allowed}, got {value!r}") from None


@app.command("add")
def add(
    pseudonym: str = typer.Argument(..., help="The clinic's pseudonymous code, e.g. P-0042."),
    age: int = typer.Option(..., help="Age in years."),
    sex: str = typer.Option(..., help="female, male or other."),
    height_cm: float | None = typer.Option(None, "--height", help="Height (cm)."),
    weight_kg: float | None = typer.Option(None, "--weight", help="Weight (kg)."),
    occupation: str = typer.Option("", help="Occupation, in the patient's words."),
    demand: str | None = typer.Option(
        None, help="Physical demand of the job: sedentary, light, medium, heavy, very_heavy."
    ),
    activity: str | None = typer.Option(
        None, help="Activity level: sedentary, light, moderate, vigorous."
    ),
    consent_exercise: bool = typer.Option(False, help="Consents to a home exercise program."),
    consent_camera: bool = typer.Option(False, help="Consents to on-device camera analysis."),
    consent_research: bool = typer.Option(False, help="Consents to research use of the record."),
    reason: str = typer.Option("", help="Reason for referral / this episode of care."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Register a patient (pseudonymous: no names are stored) and open an episode of care."""
    with user_errors():
        parsed_sex = _choice(Sex, "sex", sex)
        assert parsed_sex is not None
        patient = Patient(
            pseudonym=pseudonym,
            age=age,
            sex=parsed_sex,
            height_cm=height_cm,
            weight_kg=weight_kg,
            occupation=occupation,
            occupation_demand=_choice(PhysicalDemand, "demand", demand),
            activity_level=_choice(ActivityLevel, "activity", activity),
            consent=Consent(
                exercise_program=consent_exercise,
                camera_analysis=consent_camera,
                research_use=consent_research,
            ),
        )
        with services() as built:
            stored = built.clinic.add_patient(actor=actor(), patient=patient, reason=reason)
        if as_json:
            print_json(patient_payload(stored))
        else:
            console.print(f"Registered [bold]{stored.pseudonym}[/bold] and opened an episode.")


@app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """List patients."""
    with user_errors(), services() as built:
        patients = built.clinic.list_patients(actor=actor())
    if as_json:
        print_json([patient_payload(p) for p in patients])
        return
    table = Table(title=f"{len(patients)} patient{'' if len(patients) == 1 else 's'}")
    for column in ("Pseudonym", "Age", "Sex", "Occupation", "Registered"):
        table.add_column(column)
    for p in patients:
        registered = p.created_at.date().isoformat() if p.created_at else ""
        table.add_row(p.pseudonym, str(p.age), p.sex.value, p.occupation, registered)
    console.print(table)


@app.command("show")
def show(
    pseudonym: str = typer.Argument(...),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a patient with their assessments and scores."""
    with user_errors(), services() as built:
        record = built.clinic.patient_record(actor=actor(), pseudonym=pseudonym)
    if as_json:
        print_json(
            {
                "patient": patient_payload(record.patient),
                "assessments": [scored_payload(a) for a in record.assessments],
            }
        )
        return
    p = record.patient
    bmi = f", BMI {format_number(p.bmi)}" if p.bmi else ""
    console.print(f"[bold]{p.pseudonym}[/bold] — {p.age} y, {p.sex.value}{bmi}")
    if p.occupation:
        demand = f" ({p.occupation_demand.value} demand)" if p.occupation_demand else ""
        console.print(f"Occupation: {p.occupation}{demand}")
    table = Table(title="Assessments (current versions)")
    for column in ("Id", "Date", "Kind", "Version", "Scores", "Tests"):
        table.add_column(column)
    for scored in record.assessments:
        a = scored.assessment
        scores = ", ".join(
            f"{k} {format_number(v.score)}" for k, v in scored.questionnaires.items()
        )
        table.add_row(
            str(a.id),
            a.assessed_at.date().isoformat(),
            a.kind.value,
            str(a.version),
            scores,
            ", ".join(scored.tests),
        )
    console.print(table)
