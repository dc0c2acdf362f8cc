"""The ``spinecoach`` command: the Typer app and its error boundary."""

from __future__ import annotations

import os
import sys

import typer

# Typer ships its own copy of Click; its exceptions are what a command line raises here.
from typer._click import exceptions as click_errors

from . import (
    analyze,
    assess,
    demo,
    library,
    patients,
    plan,
    reports,
    sensors,
    serve,
    simulate,
    textpacks,
)
from .common import fail
from .score import score, test_app

app = typer.Typer(
    name="spinecoach",
    help="Motor control retraining for chronic low back pain: the clinical record, "
    "questionnaires, physical tests, clinical profile, exercise library and program engine.",
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
app.add_typer(library.app, name="library")
app.command("plan")(plan.plan)
app.command("simulate")(simulate.simulate)
app.command("analyze")(analyze.analyze)
app.command("landmarks")(analyze.landmarks)
app.command("emg")(sensors.emg)
app.command("imu")(sensors.imu)
app.command("serve")(serve.serve)
app.add_typer(serve.users_app, name="user")


def run() -> None:
    """Entry point: never show a traceback or a boxed usage error for a user's mistake."""
    try:
        code = app(standalone_mode=False, prog_name="spinecoach")
    except click_errors.NoArgsIsHelpError as error:
        typer.echo(error.ctx.get_help() if error.ctx else str(error))
        code = 0
    except click_errors.UsageError as error:  # bad option values, unknown commands
        command = f"{error.ctx.command_path}: " if error.ctx else ""
        fail(f"{command}{error.format_message()}", code=error.exit_code)
    except click_errors.ClickException as error:
        fail(error.format_message(), code=error.exit_code)
    except typer.Abort:
        fail("interrupted; nothing was stored", code=130)
    except KeyboardInterrupt:
        fail("interrupted; nothing was stored", code=130)
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours or the user's.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except Exception as error:  # the last line of defence at the edge
        if os.environ.get("SPINECOACH_DEBUG"):
            raise
        fail(
            f"internal error ({type(error).__name__}: {error}); nothing was stored. "
            "Run again with SPINECOACH_DEBUG=1 for details and please report it.",
            code=1,
        )
    raise SystemExit(code if isinstance(code, int) else 0)
