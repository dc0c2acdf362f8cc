"""``spinecoach serve``: the web app (the main job of ``make run``) and ``spinecoach user add``."""

from __future__ import annotations

import typer

from spinecoach.bootstrap import SetupError, load_content, missing_web_assets
from spinecoach.domain.accounts import Role
from spinecoach.services.demo import seed_web_demo

from .common import console, fail, services, user_errors

users_app = typer.Typer(help="Staff accounts of the web app.", no_args_is_help=True)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    demo: bool = typer.Option(
        True, "--demo/--no-demo", help="Seed the demo clinic into a database with no accounts."
    ),
) -> None:
    """Start the web app; a new database gets the demo clinic and its logins are printed."""
    missing = missing_web_assets()
    if missing:
        fail(f"web assets: {missing[0]} is missing; run `make setup` (npm packages)")
    with user_errors(), services() as built:
        url = built.settings.resolved_database_url
        logins = (
            seed_web_demo(
                built.clinic, built.care, built.accounts, load_content(), built.clinic.now()
            )
            if demo
            else None
        )
        has_accounts = built.accounts.has_accounts()
    console.print(f"Database: {url}")
    if logins is not None:
        console.print("[bold]Demo clinic seeded.[/bold] Sign in as:")
        for name, password, role in logins.staff:
            console.print(f"  {role:<28} {name:<20} password {password}")
        for pseudonym, name, password in logins.patients:
            console.print(f"  patient {pseudonym:<20} {name:<20} password {password}")
    elif not has_accounts:
        console.print(
            "No accounts yet: create one with "
            "[bold]spinecoach user add NAME --role admin[/bold], then sign in."
        )
    console.print(f"\nspinecoach is running at [bold]http://{host}:{port}[/bold] (Ctrl+C stops it)")
    import uvicorn

    from spinecoach.config import get_settings
    from spinecoach.web.app import create_app

    try:
        app = create_app(get_settings())
    except SetupError as error:
        fail(str(error))
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


@users_app.command("add")
def add_user(
    username: str = typer.Argument(..., help="Account name (lower-case letters, digits, . _ - @)."),
    role: Role = typer.Option(Role.CLINICIAN, help="clinician or admin (patients are invited)."),
    display_name: str = typer.Option("", help="Name shown in the app."),
) -> None:
    """Create a staff account; the password is asked for (never given on the command line)."""
    password = typer.prompt("Password (10+ characters)", hide_input=True, confirmation_prompt=True)
    with user_errors(), services() as built:
        built.accounts.create_user(
            principal=None,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
        )
    console.print(f"Account {username} ({role.value}) created.")
