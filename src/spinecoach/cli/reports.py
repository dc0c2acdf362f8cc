"""``spinecoach profile`` and ``spinecoach compare``."""

from __future__ import annotations

import typer

from .common import JSON_OPTION, actor, print_json, services, user_errors
from .payloads import change_payload, profile_payload
from .render import show_changes, show_profile


def profile(
    pseudonym: str = typer.Argument(..., help="The patient's pseudonym."),
    explain: bool = typer.Option(False, "--explain", help="Show every rule, input and source."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The clinical profile: severity, risk, fear, endurance, control, red flags and focus."""
    with user_errors(), services() as built:
        result = built.clinic.profile(actor=actor(), pseudonym=pseudonym)
    if as_json:
        print_json(profile_payload(result))
    else:
        show_profile(result, explain=explain)


def compare(
    pseudonym: str = typer.Argument(..., help="The patient's pseudonym."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Change in every questionnaire since its first administration (MCID, MDC, recovery)."""
    with user_errors(), services() as built:
        changes = built.clinic.compare(actor=actor(), pseudonym=pseudonym)
    if as_json:
        print_json([change_payload(c) for c in changes])
    else:
        show_changes(pseudonym, changes)
