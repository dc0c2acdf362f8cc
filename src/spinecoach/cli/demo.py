"""``spinecoach demo`` (the main job of ``make run`` for now) and ``spinecoach db``."""

from __future__ import annotations

import typer

from spinecoach.services.demo import FEATURED, seed_demo

from .common import console, services, user_errors
from .render import show_changes, show_profile

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


def demo() -> None:
    """Migrate, seed the demo clinic when the database is empty, and print a demo profile."""
    with user_errors(), services() as built:
        url = built.settings.resolved_database_url
        seeded = seed_demo(built.clinic, built.clinic.now())
        actor = "demo"
        profile = built.clinic.profile(actor=actor, pseudonym=FEATURED)
        changes = built.clinic.compare(actor=actor, pseudonym=FEATURED)
    console.print(f"Database: {url}" + (" (demo clinic seeded)" if seeded else ""))
    show_profile(profile, explain=False)
    show_changes(FEATURED, changes)
    console.print(
        "\nNext: [bold]spinecoach profile DEMO-002 --explain[/bold] (high fear-avoidance), "
        "[bold]spinecoach profile DEMO-003[/bold] (red flag), "
        "[bold]spinecoach --help[/bold]."
    )


@db_app.command("upgrade")
def upgrade() -> None:
    """Bring the database schema up to date (every command also does this on start)."""
    with services() as built:
        state = "upgraded" if built.migrated else "already up to date"
        console.print(f"{built.settings.resolved_database_url}: {state}.")
