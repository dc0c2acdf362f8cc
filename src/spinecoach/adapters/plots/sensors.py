"""Sensor recordings as pictures: EMG envelopes with their onsets and the prime mover's
trials, flexion–relaxation phases; an accelerometer's inclination with repetitions and holds."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never open a window

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from spinecoach.analysis import emg, imu
from spinecoach.analysis.timeseries import TimeSeries

PRIME, ONSET, PHASES = "#1565c0", "#c62828", ("#fff3e0", "#e8f5e9", "#e3f2fd")
MAX_PANELS = 8  # more channels would be unreadable on one page; the rest are listed


def emg_figure(
    report: emg.EmgReport,
    *,
    source: str,
    prime_mover: str | None = None,
    prime_onsets_s: tuple[float, ...] = (),
    flexion: emg.FlexionRelaxation | None = None,
) -> Figure:
    """One panel per channel (at most eight): the envelope, each onset as a red line, each
    prime-mover onset as a blue band across all panels, flexion phases shaded."""
    envelope = report.envelope
    channels = envelope.channels[:MAX_PANELS]
    timed = report.timing is not None and bool(report.timing.muscles)
    fig = plt.figure(figsize=(11, 1.4 + 1.3 * len(channels) + (2.0 if timed else 0.0)))
    fig.set_layout_engine("constrained")
    grid = fig.add_gridspec(len(channels) + (1 if timed else 0), 1)
    first = fig.add_subplot(grid[0, 0])
    panels = [first] + [fig.add_subplot(grid[i, 0], sharex=first) for i in range(1, len(channels))]
    axes = np.array(panels, dtype=object)[:, None]
    prime_onsets = list(prime_onsets_s)
    for ax, channel in zip(axes[:, 0], channels, strict=True):
        ax.plot(envelope.time, envelope.channel(channel), color="#424242", linewidth=0.8)
        for burst in report.onsets.bursts.get(channel, ()):
            colour = PRIME if channel == prime_mover else ONSET
            ax.axvline(burst.onset_s, color=colour, linewidth=1.0)
        for onset in prime_onsets:
            ax.axvspan(onset - 0.1, onset + 0.05, color=PRIME, alpha=0.12, linewidth=0)
        if flexion is not None:
            phases = flexion.phases
            spans = (phases.flexion, phases.full_flexion, phases.extension)
            for (start, end), colour in zip(spans, PHASES, strict=True):
                ax.axvspan(start, end, color=colour, zorder=0, linewidth=0)
        unit = envelope.unit_of(channel)
        ax.set_ylabel(f"{channel}\n({unit})" if unit else channel, fontsize=8)
    axes[-1, 0].set_xlabel("time (s)")
    if timed and report.timing is not None:
        _latency_panel(fig.add_subplot(grid[len(channels), 0]), report.timing)
    title = f"{source}: EMG envelopes, onsets (red)"
    if prime_onsets:
        title += f"; prime mover {prime_mover} (blue, band = −100…+50 ms window)"
    if len(envelope.channels) > MAX_PANELS:
        title += f"; {len(envelope.channels) - MAX_PANELS} more channels not drawn"
    fig.suptitle(title, fontsize=10)
    return fig


def _latency_panel(ax: Axes, timing: emg.AnticipatoryTiming) -> None:
    """Each trial's latency per trunk muscle against the feed-forward window (shaded)."""
    low, high = timing.window_ms
    ax.axvspan(low, high, color="#e8f5e9", linewidth=0, label="feed-forward window")
    ax.axvline(0, color=PRIME, linewidth=1.0)
    for row, muscle in enumerate(timing.muscles):
        latencies = [v for v in muscle.latencies_ms if v is not None]
        ax.scatter(latencies, [row] * len(latencies), color=ONSET, s=18, zorder=3)
        ax.text(
            1.01,
            row,
            f"{muscle.feedforward_trials}/{muscle.trials}",
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(timing.muscles)), [m.muscle for m in timing.muscles], fontsize=8)
    ax.set_ylim(-0.7, len(timing.muscles) - 0.3)
    ax.set_xlabel("onset relative to the prime mover (ms; − = before, blue line = prime mover)")


def imu_figure(report: imu.ImuReport, *, source: str, lumbar: TimeSeries | None = None) -> Figure:
    """The inclination over time, repetitions marked, holds shaded; below it the lumbar
    angles when there are two sensors."""
    if lumbar is not None:
        fig, (ax, ax_lumbar) = plt.subplots(
            2, 1, figsize=(11, 7), sharex=True, layout="constrained"
        )
        for name, values in zip(lumbar.channels, lumbar.values.T, strict=True):
            ax_lumbar.plot(lumbar.time, values, linewidth=0.9, label=name.replace("_", " "))
        ax_lumbar.set_ylabel("lumbar angle (deg)")
        ax_lumbar.legend(loc="upper right", fontsize=8)
    else:
        fig, ax = plt.subplots(figsize=(11, 4), layout="constrained")
    trace = report.inclination
    ax.plot(trace.time, trace.values[:, 0], color="#424242", linewidth=0.9)
    for hold in report.holds:
        ax.axvspan(hold.start_s, hold.end_s, color="#e8f5e9", zorder=0, linewidth=0)
    for at in report.repetitions.times_s:
        ax.axvline(at, color=PRIME, linewidth=0.8, alpha=0.7)
    fig.axes[-1].set_xlabel("time (s)")
    ax.set_ylabel("inclination (deg)")
    ax.set_title(
        f"{source}: {report.repetitions.count} repetitions (blue), "
        f"{len(report.holds)} holds (green)",
        fontsize=10,
    )
    return fig


def _save(fig: Figure, target: Path | io.BytesIO, fmt: str | None = None) -> None:
    try:
        fig.savefig(target, dpi=110, format=fmt)
    finally:
        plt.close(fig)


def write_figure(fig: Figure, path: Path) -> Path:
    """Write a figure to ``path`` (PNG, SVG or PDF by its suffix) and close it."""
    _save(fig, path)
    return path


def figure_png(fig: Figure) -> bytes:
    """A figure as PNG bytes (for the web page), closed afterwards."""
    buffer = io.BytesIO()
    _save(fig, buffer, "png")
    return buffer.getvalue()
