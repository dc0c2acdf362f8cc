"""Rich renderings of library items and plans: a handout a physiotherapist would give."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinecoach.domain.engine import Plan, Status
from spinecoach.domain.engine.routine import Routine
from spinecoach.domain.library import EducationModule, Exercise, FunctionalTask, Library

from .common import console
from .render import evidence_lines

# Decisions shown without --explain: the most recent ones (the JSON always has all).
RECENT_DECISIONS = 12


def show_library_item(item: Exercise | FunctionalTask | EducationModule, library: Library) -> None:
    """One exercise, task or module as a panel."""
    if isinstance(item, Exercise):
        console.print(_exercise_panel(item, library))
    elif isinstance(item, FunctionalTask):
        console.print(_task_panel(item))
    else:
        body = Group(
            Text(item.summary, style="italic"),
            Text(""),
            Text(item.body.strip()),
            Text(""),
            Text("Key points", style="bold"),
            *[Text(f"• {p}") for p in item.key_points],
            Text(""),
            Text(f"Try this: {item.try_this}", style="bold"),
        )
        console.print(Panel(body, title=f"{item.title}  ({item.minutes} min · {item.topic.value})"))


def _exercise_panel(e: Exercise, library: Library) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_row("Purpose", e.purpose.strip())
    grid.add_row("Track / phases", f"{e.track.value} · " + ", ".join(p.title for p in e.phases))
    grid.add_row("Level", str(e.level))
    grid.add_row("Start position", e.position.value.replace("_", " "))
    grid.add_row("Equipment", ", ".join(q.value for q in e.equipment) or "none")
    grid.add_row("Where", ", ".join(p.value for p in e.places))
    grid.add_row("Targets", ", ".join(e.targets))
    grid.add_row("Dosage", e.dosage.describe())
    limits = e.limits
    grid.add_row(
        "Allowed range",
        f"sets {limits.sets.low}–{limits.sets.high}, reps {limits.reps.low}–{limits.reps.high}, "
        f"hold {limits.hold_s.low}–{limits.hold_s.high} s, rest {limits.rest_s.low}–"
        f"{limits.rest_s.high} s",
    )
    grid.add_row("Breathing", e.breathing.strip())
    grid.add_row("Cues (full)", "\n".join(f"• {c}" for c in e.cues.full))
    grid.add_row("Cues (brief)", "\n".join(f"• {c}" for c in e.cues.brief))
    for fault in e.faults:
        grid.add_row(
            f"Fault: {fault.name}",
            f"feels: {fault.feels}\nwhere: {fault.where}\nfix: {fault.correction}",
        )
    grid.add_row(
        "Quality criteria",
        "\n".join(f"• {c.describe()} (camera: {c.view.value})" for c in e.criteria),
    )
    names = library.exercises
    grid.add_row("Easier", ", ".join(names[i].name for i in e.regressions if i in names) or "-")
    grid.add_row("Harder", ", ".join(names[i].name for i in e.progressions if i in names) or "-")
    if e.contraindications:
        grid.add_row("Not for now if", ", ".join(c.value for c in e.contraindications))
    return Panel(grid, title=f"{e.name}  [{e.id}]")


def _task_panel(t: FunctionalTask) -> Panel:
    steps = Table(show_header=True, box=None, padding=(0, 1))
    for column in ("#", "Do", "Cue", "When"):
        steps.add_column(column)
    for number, step in enumerate(t.steps, start=1):
        when = step.timing + (f" ({step.seconds:g} s)" if step.seconds else "")
        steps.add_row(str(number), step.action, step.cue, when)
    head = Text(f"{t.purpose.strip()}\nDifficulty {t.difficulty}/5 · activities: ")
    head.append(", ".join(t.activities))
    return Panel(Group(head, Text(""), steps), title=f"{t.name}  [{t.id}]")


def routine_block(routine: Routine, title: str, library: Library) -> Group:
    """A routine as numbered blocks: name and dose, cues at the patient's level, breathing."""
    minutes = f"{routine.seconds / 60:.0f} of {routine.budget_s / 60:.0f} min"
    lines: list[Text] = [Text(f"{title} ({minutes})", style="bold underline")]
    for number, item in enumerate(routine.items, start=1):
        head = Text(f"{number}. ", style="bold")
        head.append(item.exercise.name, style="bold")
        head.append(f" — {item.dosage.describe()}")
        if item.substitute_for:
            original = library.exercises.get(item.substitute_for)
            replaced = original.name if original else item.substitute_for
            head.append(f" (instead of {replaced})", style="dim")
        lines.append(head)
        cues = item.exercise.cues_at(item.cue_level)
        lines += [Text(f"   • {c}") for c in cues] or [
            Text("   (no cues now: you know this one)", style="dim")
        ]
        lines.append(Text(f"   Breathing: {item.exercise.breathing.strip()}", style="italic"))
    for ident, reason in routine.left_out:
        name = library.exercises[ident].name if ident in library.exercises else ident
        lines.append(Text(f"   left out today: {name} ({reason})", style="dim"))
    lines.append(Text(""))
    return Group(*lines)


def show_plan(plan: Plan, *, explain: bool = False) -> None:
    """The plan as a patient handout, followed by the clinician's decision log."""
    p = plan.program
    head = Table.grid(padding=(0, 2))
    head.add_row("Patient", plan.pseudonym)
    head.add_row("Date", plan.today.isoformat())
    head.add_row("Phase", f"{p.phase.title} (since {p.phase_since.isoformat()})")
    head.add_row("Status", p.status.value)
    if p.status is not Status.STOPPED:
        head.add_row("Next re-check", p.next_recheck.isoformat())
    if p.next_check_in and p.next_check_in >= plan.today:
        head.add_row("Next check-in", p.next_check_in.isoformat())
    if not plan.practice_logged:
        head.add_row("Practice log", "none given: this is the starting program (--log adds one)")
    console.print(Panel(head, title="spinecoach plan"))
    if p.status is Status.STOPPED:
        stop = next(d for d in reversed(p.decisions) if d.kind.value == "stop")
        console.print(
            Panel(Text(stop.evidence.statement, style="bold red"), title="No exercise for now")
        )
    else:
        if p.status is Status.FLARE:
            console.print(
                Panel(
                    "Flare-up plan: keep moving gently with this lighter routine, use what "
                    "eases your pain, read the flare-up module. Contact your clinician if pain "
                    "is not settling within a few days.",
                    title="Flare",
                    style="yellow",
                )
            )
        for routine, title in (
            (plan.routine, "Your routine today"),
            (plan.short_routine, "Short day"),
            *[
                (r, f"At {r.place.value}" if r.place.value != "outdoors" else "Outdoors")
                for r in plan.other_places
            ],
        ):
            if routine is not None:
                console.print(routine_block(routine, title, plan.library))
    if plan.goals:
        goals = Table(title="Goals", title_justify="left")
        for column in ("Goal", "Measure", "By"):
            goals.add_column(column)
        for g in plan.goals:
            goals.add_row(g.text, g.measure, g.by.isoformat())
        console.print(goals)
    if p.ladder is not None and p.ladder.steps:
        ladder = Table(title="Graded exposure ladder", title_justify="left")
        for column in ("Step", "Activity", "Task", "Fear then → now", "Done"):
            ladder.add_column(column, overflow="fold")
        for number, step in enumerate(p.ladder.steps, start=1):
            fear = (
                "not rated yet"
                if step.initial_fear is None
                else f"{step.initial_fear} → {step.latest_fear}"
            )
            done = step.done_on.isoformat() if step.done_on else ""
            marker = " ◀ now" if step is p.ladder.active else ""
            task = plan.library.tasks.get(step.task_id)
            ladder.add_row(
                f"{number}{marker}", step.activity, task.name if task else step.task_id, fear, done
            )
        console.print(ladder)
    if plan.education:
        console.print(Text("To read", style="bold"))
        for m in plan.education:
            console.print(f"  • {m.title} ({m.minutes} min) — {m.summary.strip()}")
    if plan.maintenance is not None:
        console.print(Text("What helps you (from your own ratings)", style="bold"))
        for r in plan.maintenance.personal_library or ():
            console.print(
                f"  • {r.ident}: eased pain in {r.relieved_share:.0%} of {r.samples} practices"
            )
        if not plan.maintenance.personal_library:
            console.print("  (not enough rated practices yet)")
        console.print(Text("Warning signs", style="bold"))
        for sign in plan.maintenance.warning_signs:
            console.print(f"  • {sign}")
    decisions = p.decisions if explain else p.decisions[-RECENT_DECISIONS:]
    console.print(
        Text(
            f"For the clinician: decisions ({len(decisions)} of {len(p.decisions)}"
            + ("" if explain else "; --explain shows all with rules and inputs")
            + ")",
            style="bold",
        )
    )
    for d in decisions:
        console.print(
            Text(f"{d.on.isoformat()}  {d.kind.value:<21} {d.target}", style="bold"),
        )
        for line in evidence_lines([d.evidence], explain=explain):
            console.print(line)
