"""The ``spinecoach`` command: the Typer app and its error boundary."""

from __future__ import annotations

import os

import typer

from . import assess, demo, patients, reports, textpacks
from .common import fail
from .score import score, test_app

app = typer.Typer(
    name="spinecoach",
    help="Motor control retraining for chronic low back pain: the clinical record, "
    "questionnaires, physical tests and clinical profile.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(patients.app, name="patient")
app.command("assess")(assess.assess)
app.command("profile")(reports.profile)
app.command("compare")(reports.compare)
app.command("score")(score)
app.add_typer(test_app, name="test")
app.command("demo")(demo.demo)
app.add_typer(textpacks.app, name="textpack")
app.add_typer(demo.db_app, name="db")


def run() -> None:
    """Entry point: never show a traceback for a user's mistake or a broken set-up."""
    try:
        app()
    except KeyboardInterrupt:
        fail("interrupted; nothing was stored", code=130)
    except Exception as error:
        if os.environ.get("SPINECOACH_DEBUG"):
            raise
        fail(
            f"internal error ({type(error).__name__}: {error}); nothing was stored. "
            "Run again with SPINECOACH_DEBUG=1 for details and please report it.",
            code=1,
        )
