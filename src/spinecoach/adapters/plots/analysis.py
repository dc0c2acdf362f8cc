"""An exercise analysis as a picture: trunk angles and limb signals over time, repetitions
shaded by verdict, faults marked where they happened."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never open a window

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from spinecoach.analysis.exercise import prepare_signals
from spinecoach.analysis.report import ExerciseReport
from spinecoach.analysis.timeseries import LandmarkSeries

TRUNK_CHANNELS = ("trunk_sagittal_deg", "trunk_frontal_deg", "trunk_rotation_deg")
LIMB_CHANNELS = (
    "hip_flexion_left_deg",
    "hip_flexion_right_deg",
    "knee_flexion_left_deg",
    "knee_flexion_right_deg",
    "arm_elevation_left_deg",
    "arm_elevation_right_deg",
)
GOOD, POOR = "#2e7d32", "#c62828"


def plot_analysis(series: LandmarkSeries, report: ExerciseReport, path: Path) -> Path:
    """Write the analysis figure to ``path`` (PNG, SVG or PDF by its suffix)."""
    fig = analysis_figure(series, report)
    try:
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)
    return path


def analysis_figure(series: LandmarkSeries, report: ExerciseReport) -> Figure:
    """Two panels sharing the time axis: the trunk (what should stay still) above, the limbs
    (what moves) below; each repetition shaded green (correct) or red (needs work)."""
    signals = prepare_signals(series)
    fig, (ax_trunk, ax_limbs) = plt.subplots(
        2, 1, figsize=(11, 6.5), sharex=True, layout="constrained"
    )
    for ax, channels, title in (
        (ax_trunk, TRUNK_CHANNELS, "Trunk (deg)"),
        (ax_limbs, LIMB_CHANNELS, "Hips, knees and arms (deg)"),
    ):
        drawn = 0
        for channel in channels:
            if channel not in signals.channels:
                continue
            values = signals.channel(channel)
            if not np.isfinite(values).any():
                continue
            label = channel.removesuffix("_deg").replace("_", " ")
            ax.plot(signals.time, values, label=label, linewidth=1.4)
            drawn += 1
        ax.set_ylabel(title)
        ax.grid(alpha=0.3)
        if drawn:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        else:
            ax.text(0.5, 0.5, "not visible from this source", transform=ax.transAxes, ha="center")
        for rep in report.reps:
            colour = GOOD if rep.correct else POOR
            ax.axvspan(rep.start_s, rep.end_s, color=colour, alpha=0.12, linewidth=0)
    for rep in report.reps:
        q = "–" if not np.isfinite(rep.quality) else f"{rep.quality:.0%}"
        ax_trunk.annotate(
            f"{rep.index}: {q}",
            xy=(rep.start_s, 1.0),
            xycoords=("data", "axes fraction"),
            fontsize=8,
            va="bottom",
        )
    for fault in report.faults:
        ax_limbs.annotate(
            fault.id.replace("_", " "),
            xy=(0.5 * (fault.start_s + fault.end_s), 0.0),
            xycoords=("data", "axes fraction"),
            fontsize=7,
            color=POOR,
            ha="center",
            va="bottom",
        )
    ax_limbs.set_xlabel("time (s)")
    verdict = "correct" if report.correct else "needs work"
    quality = "not measurable" if not np.isfinite(report.quality) else f"{report.quality:.0%}"
    fig.suptitle(f"{report.exercise_name}: quality {quality}, {verdict} ({report.view} view)")
    return fig
