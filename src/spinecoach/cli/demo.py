"""``spinecoach demo`` (the main job of ``make run`` for now) and ``spinecoach db``."""

from __future__ import annotations

import typer

from spinecoach.bootstrap import load_content
from spinecoach.services.demo import FEATURED, seed_demo
from spinecoach.services.planning import plan_for_patient

from .common import actor, console, services, user_errors
from .render import show_changes, show_profile
from .render_plan import routine_block

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


def demo() -> None:
    """Seed the demo clinic (DEMO-001 improving, DEMO-002 high fear, DEMO-003 red flag) into
    an empty database and print DEMO-001's profile and progress."""
    with user_errors(), services() as built:
        url = built.settings.resolved_database_url
        seeded = seed_demo(built.clinic, built.clinic.now())
        patients = built.clinic.list_patients(actor=actor())
        shown = next((p.pseudonym for p in patients if p.pseudonym == FEATURED), None)
        if shown is None and patients:
            shown = patients[0].pseudonym
        profile = built.clinic.profile(actor=actor(), pseudonym=shown) if shown else None
        changes = built.clinic.compare(actor=actor(), pseudonym=shown) if shown else []
        plan = (
            plan_for_patient(
                built.clinic,
                actor=actor(),
                pseudonym=shown,
                log_text=None,
                library=load_content(),
                today=built.clinic.now().date(),
            )
            if shown
            else None
        )
    note = " (demo clinic seeded)" if seeded else ""
    console.print(f"Database: {url}{note} — {len(patients)} patient(s).")
    if shown != FEATURED:
        console.print(
            "The demo clinic is seeded only into an empty database, and this one already holds "
            "patients; showing one of them instead."
        )
    if profile is not None and shown is not None:
        show_profile(profile, explain=False)
        show_changes(shown, changes)
    if plan is not None and plan.routine is not None:
        console.print(
            f"\n[bold]{shown}: phase '{plan.program.phase.title}'[/bold] — the starting program "
            "(`spinecoach plan` shows goals, ladder and decisions)."
        )
        console.print(routine_block(plan.routine, "Today's routine", plan.library))
    console.print(
        "\nNext: [bold]spinecoach plan DEMO-001[/bold] (program, goals, decisions), "
        "[bold]spinecoach profile DEMO-002 --explain[/bold] (high fear-avoidance), "
        "[bold]spinecoach plan DEMO-003[/bold] (red flag: no exercise), "
        "[bold]spinecoach simulate --patients 6 --plot sim.png[/bold], "
        "[bold]spinecoach --help[/bold]."
    )


@db_app.command("upgrade")
def upgrade() -> None:
    """Bring the database schema up to date (every command also does this on start)."""
    with services() as built:
        state = "upgraded" if built.migrated else "already up to date"
        console.print(f"{built.settings.resolved_database_url}: {state}.")
