"""Trajectories of simulated patients: phase, routine time and pain over the weeks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never open a window

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D

from spinecoach.domain.engine.simulator import Simulation
from spinecoach.domain.library import Phase

MAX_LINES = 8  # more patients than this make the panels unreadable
FLARE_MARKER = "^"
STOPPED_MARKER = "X"
CAPTION = (
    "Each colour is one patient. Markers on a patient's pain line: ▲ a day in a flare, "
    "✖ a day stopped for safety. Routine minutes are drawn only on days practised. "
    "Phase lines are offset slightly so that equal phases stay visible."
)


def plot_simulations(simulations: Sequence[Simulation], path: Path) -> Path:
    """Write the trajectories figure to ``path``; its folder must exist (never created here)."""
    fig = trajectories_figure(simulations)
    try:
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)
    return path


def trajectories_figure(simulations: Sequence[Simulation]) -> Figure:
    """Three stacked panels sharing the week axis, the legend beside them (never over a line).

    Flares and safety stops are marked per patient on that patient's own pain line: shading
    pooled over patients could not say whose flare it was.
    """
    shown = list(simulations)[:MAX_LINES]
    fig, (ax_phase, ax_minutes, ax_pain) = plt.subplots(
        3,
        1,
        figsize=(12, 8.5),
        sharex=True,
        # The bottom strip is left free for the caption.
        layout=ConstrainedLayoutEngine(rect=(0, 0.04, 1, 0.96)),
    )
    patient_handles: list[Line2D] = []
    for index, sim in enumerate(shown):
        weeks = [i / 7 for i in range(len(sim.days))]
        # A small offset per patient keeps equal phases from hiding each other.
        offset = (index - (len(shown) - 1) / 2) * 0.06
        (line,) = ax_phase.step(
            weeks,
            [d.phase.order + offset for d in sim.days],
            where="post",
            label=f"seed {sim.seed} ({sim.archetype})",
        )
        patient_handles.append(line)
        colour = line.get_color()
        practised = [
            (w, d.routine_minutes) for w, d in zip(weeks, sim.days, strict=True) if d.practised
        ]
        ax_minutes.plot(
            [w for w, _ in practised], [m for _, m in practised], ".", ms=3, color=colour
        )
        pain = [d.pain for d in sim.days]
        ax_pain.plot(weeks, pain, color=colour, lw=1)
        for status, marker, size in (("flare", FLARE_MARKER, 5), ("stopped", STOPPED_MARKER, 6)):
            marked = [i for i, d in enumerate(sim.days) if d.status.value == status]
            ax_pain.plot(
                [weeks[i] for i in marked],
                [pain[i] for i in marked],
                marker,
                ms=size,
                color=colour,
                markeredgecolor="black",
                markeredgewidth=0.4,
                linestyle="none",
            )
    ax_phase.set_yticks([p.order for p in Phase], [p.title for p in Phase], fontsize=8)
    ax_phase.set_title("Phase (motor control track)")
    ax_minutes.set_ylabel("routine minutes")
    ax_minutes.set_title("Minutes of the routine on each day practised")
    ax_pain.set_ylabel("pain 0–10")
    ax_pain.set_ylim(-0.3, 10.3)
    ax_pain.set_xlabel("weeks since start")
    ax_pain.set_title("Pain (▲ flare day, ✖ stopped for safety)")
    marker_handles = [
        Line2D([], [], marker=FLARE_MARKER, color="grey", linestyle="none", label="flare day"),
        Line2D(
            [],
            [],
            marker=STOPPED_MARKER,
            color="grey",
            linestyle="none",
            label="stopped for safety",
        ),
    ]
    title = (
        "Patients"
        if len(simulations) <= MAX_LINES
        else (f"First {MAX_LINES} of {len(simulations)} patients")
    )
    fig.legend(
        handles=[*patient_handles, *marker_handles],
        loc="outside right upper",
        fontsize=8,
        title=title,
        title_fontsize=8,
    )
    fig.text(0.01, 0.005, CAPTION, fontsize=7.5, ha="left", va="bottom", wrap=True)
    return fig
