"""``spinecoach library``: list, show and validate the exercise library."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from spinecoach.bootstrap import SetupError, check_content, load_content
from spinecoach.domain.library import (
    EducationModule,
    Exercise,
    FunctionalTask,
    Library,
    Phase,
    Track,
)

from .common import JSON_OPTION, console, fail, print_json
from .payloads import education_payload, exercise_payload, task_payload
from .render_plan import show_library_item

app = typer.Typer(help="The exercise library, functional tasks and education modules.")


def _library() -> Library:
    try:
        return load_content()
    except SetupError as error:
        fail(str(error))


@app.command("list")
def list_(
    track: Track | None = typer.Option(None, "--track", help="Only this track."),
    phase: Phase | None = typer.Option(None, "--phase", help="Only this phase."),
    tasks: bool = typer.Option(False, "--tasks", help="List functional tasks instead."),
    education: bool = typer.Option(False, "--education", help="List education modules instead."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Exercises (or tasks, or education modules), easiest first."""
    library = _library()
    if tasks:
        chosen_tasks = [
            t
            for t in sorted(library.tasks.values(), key=lambda t: (t.difficulty, t.id))
            if phase is None or phase in t.phases
        ]
        if as_json:
            print_json([task_payload(t) for t in chosen_tasks])
            return
        table = Table(title=f"Functional tasks ({len(chosen_tasks)})")
        for column in ("Id", "Task", "Category", "Difficulty", "Steps", "Activities"):
            table.add_column(column, overflow="fold")
        for t in chosen_tasks:
            table.add_row(
                t.id,
                t.name,
                t.category.value,
                str(t.difficulty),
                str(len(t.steps)),
                ", ".join(t.activities),
            )
        console.print(table)
        return
    if education:
        modules = sorted(library.education.values(), key=lambda m: (m.topic.value, m.id))
        if as_json:
            print_json([education_payload(m, full=False) for m in modules])
            return
        table = Table(title=f"Education modules ({len(modules)})")
        for column in ("Id", "Title", "Topic", "Minutes"):
            table.add_column(column, overflow="fold")
        for m in modules:
            table.add_row(m.id, m.title, m.topic.value, str(m.minutes))
        console.print(table)
        return
    chosen = [
        e
        for e in sorted(
            library.exercises.values(),
            key=lambda e: (e.track.value, min(p.order for p in e.phases), e.level, e.id),
        )
        if (track is None or e.track is track) and (phase is None or phase in e.phases)
    ]
    if as_json:
        print_json([exercise_payload(e, full=False) for e in chosen])
        return
    for track_value in sorted({e.track.value for e in chosen}):
        members = [e for e in chosen if e.track.value == track_value]
        table = Table(title=f"{track_value} track: {len(members)} exercises")
        for column in ("Id", "Exercise", "Phases", "Lvl", "Position / equipment"):
            table.add_column(column, overflow="fold")  # wrap, never cut an id or a name
        for e in members:
            table.add_row(
                e.id,
                e.name,
                ", ".join(p.value for p in e.phases),
                str(e.level),
                ", ".join([e.position.value, *(q.value for q in e.equipment)]),
            )
        console.print(table)


@app.command("show")
def show(
    ident: str = typer.Argument(..., help="An exercise, task or education module id."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Everything about one exercise, task or education module."""
    library = _library()
    item: Exercise | FunctionalTask | EducationModule | None = (
        library.exercises.get(ident) or library.tasks.get(ident) or library.education.get(ident)
    )
    if item is None:
        fail(f"id: no exercise, task or education module {ident!r} (see `spinecoach library list`)")
    if isinstance(item, Exercise):
        payload = exercise_payload(item, full=True)
    elif isinstance(item, FunctionalTask):
        payload = task_payload(item)
    else:
        payload = education_payload(item, full=True)
    if as_json:
        print_json(payload)
        return
    show_library_item(item, library)


@app.command("validate")
def validate(
    path: Path | None = typer.Argument(
        None, help="A content folder (exercises/, tasks/, education/); default: the packaged one."
    ),
) -> None:
    """Check schema, links, metric names, graph shape, phase reachability and coverage."""
    try:
        library, problems = check_content(path)
    except SetupError as error:
        fail(str(error))
    for problem in problems:
        console.print(f"[red]✗[/red] {problem}", highlight=False)
    summary = (
        f"{len(library.exercises)} exercises, {len(library.tasks)} functional tasks, "
        f"{len(library.education)} education modules"
    )
    if problems:
        fail(f"{len(problems)} problem(s) in {summary}")
    console.print(f"[green]✓[/green] library valid: {summary}", highlight=False)
