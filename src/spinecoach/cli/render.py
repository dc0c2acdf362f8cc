"""Rich renderings: what a physiotherapist would put in a chart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinecoach.domain.evidence import Evidence, format_number
from spinecoach.domain.instruments.base import Instrument, ScoreResult
from spinecoach.domain.instruments.registry import get_instrument
from spinecoach.domain.physical_tests.base import PhysicalTest, TestResult
from spinecoach.domain.physical_tests.registry import PHYSICAL_TESTS
from spinecoach.domain.profile import ClinicalProfile
from spinecoach.domain.red_flags import RedFlagOutcome
from spinecoach.domain.scoring import ScoredAssessment
from spinecoach.services.clinic import InstrumentChange

from .common import console


def evidence_lines(items: Iterable[Evidence], *, explain: bool = True) -> list[Text]:
    """One line per statement; unverified ones say so; with ``explain``, rule and source."""
    lines: list[Text] = []
    for item in items:
        line = Text("• ")
        line.append(item.statement)
        if not item.verified:
            line.append("  (unverified reference value)", style="yellow")
        lines.append(line)
        if explain:
            inputs = ", ".join(f"{k}={_fmt(v)}" for k, v in item.inputs.items())
            detail = Text(f"    rule: {item.rule}", style="dim")
            if inputs:
                detail.append(f"; inputs: {inputs}", style="dim")
            if item.reference:
                detail.append(f"; source: {item.reference}", style="dim")
            lines.append(detail)
    return lines


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def show_score(instrument: Instrument, result: ScoreResult) -> None:
    """A scored questionnaire as a small panel."""
    low, high = (format_number(v) for v in instrument.score_range)
    table = Table.grid(padding=(0, 2))
    table.add_row("Score", f"{format_number(result.score)}  ({low}–{high})")
    if result.category:
        unverified = "" if instrument.bands_verified else "  (cut-off unverified)"
        table.add_row("Category", result.category + unverified)
    for name, value in result.subscales.items():
        table.add_row(f"  {name}", format_number(value))
    table.add_row("Answered", f"{result.answered} of {result.answered + result.missing}")
    parts: list[Table | Text] = [table, *evidence_lines(result.findings)]
    console.print(Panel(Group(*parts), title=instrument.name, expand=False))


def show_test(test: PhysicalTest, result: TestResult) -> None:
    """A scored physical test as a small panel: its chart line, flags and reference values."""
    parts: list[Text] = [Text(result.summary, style="bold"), *evidence_lines(result.findings)]
    if result.reference:
        parts.append(Text("Reference values:"))
        parts.extend(evidence_lines(result.reference, explain=False))
    console.print(Panel(Group(*parts), title=test.name, expand=False))


def show_scored_assessment(scored: ScoredAssessment, *, standing: RedFlagOutcome) -> None:
    """What was stored, what it scored, and the red-flag state of the whole record."""
    a = scored.assessment
    version = f", version {a.version} (corrects {a.supersedes})" if a.supersedes else ""
    console.print(
        f"Stored assessment [bold]{a.id}[/bold] ({a.kind.value}, "
        f"{a.assessed_at.strftime('%Y-%m-%d %H:%M UTC')}{version})."
    )
    style = "bold red" if not standing.state.exercise_allowed else "green"
    console.print(Text(standing.message, style=style))
    for instrument_id, result in scored.questionnaires.items():
        show_score(get_instrument(instrument_id), result)
    for test_id, test_result in scored.tests.items():
        show_test(PHYSICAL_TESTS[test_id], test_result)


def show_profile(profile: ClinicalProfile, *, explain: bool) -> None:
    """The clinical profile as a chart entry."""
    as_of = (
        f"Record as of {profile.as_of:%Y-%m-%d}."
        if profile.as_of
        else "No assessment recorded yet."
    )
    header = Text(f"{profile.pseudonym}", style="bold")
    header.append(f" — {profile.summary}. {as_of}", style="")
    console.print(Panel(header, title="Clinical profile", expand=True))
    if not profile.red_flags.state.exercise_allowed:
        console.print(
            Panel(Text(profile.red_flags.message, style="bold"), style="red", expand=True)
        )
    elif not profile.consented_to_exercise:
        console.print(
            Panel(
                Text("No consent to a home exercise program recorded: none is prescribed yet."),
                style="yellow",
                expand=True,
            )
        )
    for section in profile.sections:
        console.rule(f"[bold]{section.title}")
        for line in evidence_lines(section.statements, explain=explain):
            console.print(line)
    console.rule("[bold]Suggested focus")
    if not profile.focus_areas:
        console.print("No specific focus suggested by the recorded measures.")
    for number, area in enumerate(profile.focus_areas, start=1):
        console.print(Text(f"{number}. {area.title}", style="bold"))
        console.print(Text(f"   because: {area.rule}", style="dim"))
        for line in evidence_lines(area.triggers, explain=False):
            console.print(Text("   ") + line)
        for line in evidence_lines(area.supporting, explain=False):
            console.print(Text("   ") + line)
    if not explain:
        console.print(
            Text("\nRun with --explain to see every rule, input and source.", style="dim")
        )


def show_changes(pseudonym: str, changes: Sequence[InstrumentChange]) -> None:
    """First vs latest administration of each questionnaire, compact enough for 80 columns."""
    if not changes:
        console.print(f"{pseudonym}: no questionnaire has been given twice yet.")
        return
    spans = sorted({(c.first_at.date(), c.latest_at.date()) for c in changes})
    caption = "; ".join(f"{first} → {latest}" for first, latest in spans)
    table = Table(title=f"{pseudonym}: change since the first administration", caption=caption)
    for column in ("Measure", "First", "Latest", "Δ", "MCID", "MCID %", "MDC", "Recov."):
        table.add_column(column, no_wrap=True)
    table.add_column("Verdict", min_width=9)
    for item in changes:
        c = item.change
        table.add_row(
            get_instrument(item.instrument).label,
            format_number(c.before.score),
            format_number(c.after.score),
            f"{c.delta:+.1f}",
            _yes_no(c.meets_mcid_points),
            _yes_no(c.meets_mcid_percent),
            _yes_no(c.beyond_mdc),
            _yes_no(c.recovered),
            "no threshold" if c.direction_label == "no published threshold" else c.direction_label,
        )
    console.print(table)
    for item in changes:
        findings = [*item.change.findings, *(i.finding for i in item.item_changes)]
        for line in evidence_lines(findings, explain=False):
            console.print(line)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "–"
    return "yes" if value else "no"
