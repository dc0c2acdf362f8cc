"""``spinecoach library``: list, show and validate the exercise library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from spinecoach.bootstrap import ContentUnreadable, SetupError, check_content, load_content
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


def _listing(track: Track | None, tasks: bool, education: bool) -> str:
    """What ``list`` shows: exercises, tasks or modules; the exposure and education tracks are
    served by tasks and modules, so ``--track`` picks those too."""
    if tasks and education:
        fail("library list: --tasks and --education list different things; give one of them")
    if track is not None and tasks and track is not Track.EXPOSURE:
        fail(f"library list: tasks belong to the exposure track, not to --track {track.value}")
    if track is not None and education and track is not Track.EDUCATION:
        fail(f"library list: modules belong to the education track, not to --track {track.value}")
    if tasks or track is Track.EXPOSURE:
        return "tasks"
    if education or track is Track.EDUCATION:
        return "education"
    return "exercises"


@app.command("list")
def list_(
    track: Track | None = typer.Option(
        None, "--track", help="Only this track (education: modules; exposure: tasks)."
    ),
    phase: Phase | None = typer.Option(None, "--phase", help="Only this phase."),
    tasks: bool = typer.Option(False, "--tasks", help="List functional tasks instead."),
    education: bool = typer.Option(False, "--education", help="List education modules instead."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Exercises (or tasks, or education modules), easiest first."""
    listing = _listing(track, tasks, education)
    library = _library()
    if listing == "tasks":
        _list_tasks(library, phase, as_json=as_json)
    elif listing == "education":
        _list_education(library, phase, as_json=as_json)
    else:
        _list_exercises(library, track, phase, as_json=as_json)


def _list_tasks(library: Library, phase: Phase | None, *, as_json: bool) -> None:
    chosen = [
        t
        for t in sorted(library.tasks.values(), key=lambda t: (t.difficulty, t.id))
        if phase is None or phase in t.phases
    ]
    if as_json:
        print_json([task_payload(t) for t in chosen])
        return
    table = Table(title=f"Functional tasks ({len(chosen)})")
    for column in ("Id", "Task", "Category", "Difficulty", "Steps", "Activities"):
        table.add_column(column, overflow="fold")
    for t in chosen:
        table.add_row(
            t.id,
            t.name,
            t.category.value,
            str(t.difficulty),
            str(len(t.steps)),
            ", ".join(t.activities),
        )
    console.print(table)


def _list_education(library: Library, phase: Phase | None, *, as_json: bool) -> None:
    chosen = [
        m
        for m in sorted(library.education.values(), key=lambda m: (m.topic.value, m.id))
        if phase is None or phase in m.phases
    ]
    if as_json:
        print_json([education_payload(m, full=False) for m in chosen])
        return
    table = Table(title=f"Education modules ({len(chosen)})")
    for column in ("Id", "Title", "Topic", "Minutes"):
        table.add_column(column, overflow="fold")
    for m in chosen:
        table.add_row(m.id, m.title, m.topic.value, str(m.minutes))
    console.print(table)


def _list_exercises(
    library: Library, track: Track | None, phase: Phase | None, *, as_json: bool
) -> None:
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
    idents: list[str] = typer.Argument(
        ..., help="One or more exercise, task or education module ids."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Everything about exercises, tasks or education modules (one JSON object for one id, a
    list for several)."""
    library = _library()
    items: list[Exercise | FunctionalTask | EducationModule] = []
    for ident in idents:
        item = (
            library.exercises.get(ident) or library.tasks.get(ident) or library.education.get(ident)
        )
        if item is None:
            fail(
                f"id: no exercise, task or education module {ident!r} "
                "(see `spinecoach library list`)"
            )
        items.append(item)
    if as_json:
        payloads = [_payload(item) for item in items]
        print_json(payloads[0] if len(payloads) == 1 else payloads)
        return
    for item in items:
        show_library_item(item, library)


def _payload(item: Exercise | FunctionalTask | EducationModule) -> dict[str, Any]:
    if isinstance(item, Exercise):
        return exercise_payload(item, full=True)
    if isinstance(item, FunctionalTask):
        return task_payload(item)
    return education_payload(item, full=True)


@app.command("validate")
def validate(
    path: Path | None = typer.Argument(
        None, help="A content folder (exercises/, tasks/, education/); default: the packaged one."
    ),
    as_json: bool = typer.Option(
        False, "--json", help='Print {"valid", "counts", "problems"} as JSON (exit 2 if invalid).'
    ),
) -> None:
    """Check schema, links, metric names, graph shape, phase reachability and coverage."""
    try:
        library, problems = check_content(path)
    except ContentUnreadable as error:
        if not as_json:
            fail(str(error))
        library, problems = Library(exercises={}, tasks={}, education={}), (error.problem,)
    except SetupError as error:
        fail(str(error))
    summary = (
        f"{len(library.exercises)} exercises, {len(library.tasks)} functional tasks, "
        f"{len(library.education)} education modules"
    )
    if as_json:
        print_json(
            {
                "valid": not problems,
                "counts": {
                    "exercises": len(library.exercises),
                    "tasks": len(library.tasks),
                    "education": len(library.education),
                },
                "problems": [{"where": p.where, "problem": p.problem} for p in problems],
            }
        )
    else:
        for problem in problems:
            console.print(f"[red]✗[/red] {problem}", highlight=False)
    if problems:
        fail(f"{len(problems)} problem(s) in {summary}")
    if not as_json:
        console.print(f"[green]✓[/green] library valid: {summary}", highlight=False)
