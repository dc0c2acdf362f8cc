"""Trajectories of simulated patients: phase, routine time and pain over the weeks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never open a window

import matplotlib.pyplot as plt

from spinecoach.domain.engine.simulator import Simulation
from spinecoach.domain.library import Phase

MAX_LINES = 8


def plot_simulations(simulations: Sequence[Simulation], path: Path) -> Path:
    """Three stacked panels sharing the week axis; flares and stops are shaded."""
    shown = list(simulations)[:MAX_LINES]
    fig, (ax_phase, ax_dose, ax_pain) = plt.subplots(
        3, 1, figsize=(10, 8), sharex=True, constrained_layout=True
    )
    for index, sim in enumerate(shown):
        weeks = [i / 7 for i in range(len(sim.days))]
        label = f"seed {sim.seed} ({sim.archetype})"
        # A small offset per patient keeps equal phases from hiding each other.
        offset = (index - (len(shown) - 1) / 2) * 0.06
        (line,) = ax_phase.step(
            weeks, [d.phase.order + offset for d in sim.days], where="post", label=label
        )
        practised = [
            (w, d.routine_minutes) for w, d in zip(weeks, sim.days, strict=True) if d.practised
        ]
        ax_dose.plot(
            [w for w, _ in practised], [m for _, m in practised], ".", ms=3, color=line.get_color()
        )
        ax_pain.plot(weeks, [d.pain for d in sim.days], color=line.get_color(), lw=1)
        for i, d in enumerate(sim.days):
            if d.status.value != "active":
                colour = "red" if d.status.value == "stopped" else "orange"
                ax_pain.axvspan(i / 7, (i + 1) / 7, color=colour, alpha=0.08, lw=0)
    ax_phase.set_yticks([p.order for p in Phase], [p.title for p in Phase], fontsize=8)
    ax_phase.set_title("Phase (motor control track)")
    ax_dose.set_ylabel("routine minutes")
    ax_dose.set_title("Minutes of the routine on each day practised")
    ax_pain.set_ylabel("pain 0–10")
    ax_pain.set_ylim(0, 10)
    ax_pain.set_xlabel("weeks since start")
    ax_pain.set_title("Pain (shaded: orange = flare, red = stopped for safety)")
    ax_phase.legend(fontsize=7, loc="lower right")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
