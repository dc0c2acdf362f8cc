"""What every command shares: settings, services, the actor, output and clean errors."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from spinecoach.bootstrap import Services, SetupError, build
from spinecoach.config import get_settings
from spinecoach.domain.errors import DomainError

console = Console()
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON document instead of text.")
errors = Console(stderr=True)


def actor() -> str:
    """Who is acting, for the audit log: the operating-system user at the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit (2 = the user's input was not acceptable)."""
    errors.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise SystemExit(code)


@contextmanager
def services() -> Iterator[Services]:
    """Build the services for one command; turn user errors into one line and exit 2."""
    try:
        built = build(get_settings())
    except SetupError as error:
        fail(str(error))
    except ValidationError as error:  # a setting that does not parse
        detail = error.errors()[0]
        name = "SPINECOACH_" + "_".join(str(part) for part in detail["loc"]).upper()
        fail(f"{name}: {detail['msg']}")
    try:
        yield built
    finally:
        built.close()


@contextmanager
def user_errors() -> Iterator[None]:
    """Report domain errors (bad input) as one line on stderr with exit code 2."""
    try:
        yield
    except DomainError as error:
        fail(str(error))


def print_json(data: Any) -> None:
    """Machine-readable output: one JSON document on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
