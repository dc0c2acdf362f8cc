"""``spinecoach simulate``: run synthetic patients through the engine."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress
from rich.table import Table

from spinecoach.bootstrap import (
    PLOTTED_PATIENTS_MAX,
    SetupError,
    check_plot_path,
    load_content,
    write_simulation_plot,
)
from spinecoach.domain.engine.simulator import ARCHETYPES
from spinecoach.services.simulation import check_cohort, simulate_cohort, summarise

from .common import JSON_OPTION, console, errors, fail, print_json, user_errors

PROGRESS_FROM = 5  # patients; fewer finish before a bar would be worth drawing


def simulate(
    weeks: int = typer.Option(12, "--weeks", help="Weeks to simulate (1–104)."),
    seed: int = typer.Option(
        1, "--seed", help="Seed of the first patient (0 or more); the rest follow."
    ),
    patients: int = typer.Option(1, "--patients", help="How many synthetic patients (1–10000)."),
    archetype: str | None = typer.Option(
        None, "--archetype", help="One kind of patient: " + ", ".join(sorted(ARCHETYPES)) + "."
    ),
    plot: Path | None = typer.Option(None, "--plot", help="Write trajectories to this image."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Synthetic patients practising for weeks: phases, routine minutes, pain, flares and
    decisions."""
    with user_errors():
        check_cohort(patients=patients, weeks=weeks, seed=seed, archetype=archetype)
    try:
        if plot is not None:
            check_plot_path(plot)
        library = load_content()
    except SetupError as error:
        fail(str(error))
    with user_errors():
        if patients < PROGRESS_FROM:
            sims = simulate_cohort(
                library, patients=patients, weeks=weeks, seed=seed, archetype=archetype
            )
        else:
            # On stderr, so that --json keeps stdout a pure JSON document.
            with Progress(console=errors, transient=True) as bar:
                task = bar.add_task("simulating", total=patients)
                sims = simulate_cohort(
                    library,
                    patients=patients,
                    weeks=weeks,
                    seed=seed,
                    archetype=archetype,
                    progress=lambda done: bar.update(task, completed=done),
                )
    summary = summarise(sims)
    written = None
    if plot is not None:
        try:
            written = write_simulation_plot(sims, plot)
        except SetupError as error:
            fail(str(error))
    plot_note = ""
    if written and len(sims) > PLOTTED_PATIENTS_MAX:
        plot_note = f"The plot shows the first {PLOTTED_PATIENTS_MAX} of {len(sims)} patients."
    if as_json:
        if plot_note:
            errors.print(plot_note, highlight=False)
        print_json(
            {
                "summary": summary.as_dict(),
                "patients": [
                    {
                        "seed": s.seed,
                        "archetype": s.archetype,
                        "final_phase": s.plan.program.phase.value,
                        "status": s.plan.program.status.value,
                        "weekly": [
                            {
                                "week": w + 1,
                                "phase": s.days[min(len(s.days) - 1, w * 7 + 6)].phase.value,
                                "mean_pain": round(
                                    sum(d.pain for d in s.days[w * 7 : w * 7 + 7]) / 7, 2
                                ),
                                "practice_days": sum(
                                    d.practised for d in s.days[w * 7 : w * 7 + 7]
                                ),
                            }
                            for w in range(len(s.days) // 7)
                        ],
                    }
                    for s in sims
                ],
                "plot": str(written) if written else None,
            }
        )
        return
    table = Table(title=f"{patients} synthetic patient(s), {weeks} weeks")
    for column in ("Seed", "Kind", "Final phase", "Status", "Pain wk 1 → last", "Practice days"):
        table.add_column(column)
    for s in sims[:20]:
        first = sum(d.pain for d in s.days[:7]) / 7
        last = sum(d.pain for d in s.days[-7:]) / 7
        table.add_row(
            str(s.seed),
            s.archetype,
            s.plan.program.phase.title,
            s.plan.program.status.value,
            f"{first:.1f} → {last:.1f}",
            str(sum(d.practised for d in s.days)),
        )
    console.print(table)
    console.print(
        "Final phases: "
        + ", ".join(f"{phase} {count}" for phase, count in sorted(summary.final_phases.items()))
        + f"; mean pain {summary.mean_pain_first_week:.1f} → "
        f"{summary.mean_pain_last_week:.1f}; {summary.flare_days_share:.1%} of days in a flare; "
        f"{summary.stopped} stopped for safety.",
        highlight=False,
    )
    if written:
        console.print(f"Plot written to {written}. {plot_note}".rstrip(), highlight=False)
