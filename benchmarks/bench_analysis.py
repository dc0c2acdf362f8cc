"""Benchmark movement analysis on landmark files and on video.

Run: ``make bench-analysis`` (or ``.venv/bin/python benchmarks/bench_analysis.py``).

Prints, in one run:
- the full analyzer (signals, filtering, repetitions, every criterion) on a long landmark
  series: frames per second on one core (aim ≥ 50,000), and the same for the kinematic signals
  alone, against a per-frame baseline (the signals computed one frame at a time, as a naive
  loop would) as a ratio;
- streaming: the live analyzer's time per frame, median and p99 in microseconds (aim p99 under
  1 ms), against re-running the offline analyzer on the last 2 s for every frame (baseline);
Video is measured by ``benchmarks/bench_video.py`` (``make bench-analysis`` runs both).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from spinecoach.adapters.catalog import load_analyzers
from spinecoach.analysis.exercise import analyze
from spinecoach.analysis.pose.signals import kinematic_signals
from spinecoach.analysis.simulate import repetition_course, simulate_motion


def best_of(repeats: int, work: object) -> float:
    """Fastest of several runs, in seconds (the least disturbed by other processes)."""
    assert callable(work)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def files(console: Console, frames: int) -> None:
    duration = frames / 30.0
    series = simulate_motion(
        duration_s=duration,
        arm_elevation_left_deg=lambda t: repetition_course(t, amplitude=150.0, reps=10**6),
        trunk_sagittal_deg=lambda t: repetition_course(t, amplitude=6.0, reps=10**6),
        noise_m=0.003,
        gap_fraction=0.01,
    )
    spec = load_analyzers()["standing_arm_raise"]
    analyzer_s = best_of(3, lambda: analyze(series, spec))
    signals_s = best_of(3, lambda: kinematic_signals(series))
    sample = series.between(0.0, 200 / 30.0)
    per_frame_s = best_of(
        1, lambda: [kinematic_signals(sample.between(t, t)) for t in sample.time]
    ) * (series.frames / sample.frames)
    reps = len(analyze(series, spec).reps)
    table = Table(title=f"Landmark file: {series.frames:,} frames ({reps} repetitions), one core")
    for column in ("Work", "Seconds", "Frames/s"):
        table.add_column(column)
    table.add_row(
        "full analyzer (standing_arm_raise)",
        f"{analyzer_s:.3f}",
        f"{series.frames / analyzer_s:,.0f}",
    )
    table.add_row(
        "kinematic signals, vectorised", f"{signals_s:.3f}", f"{series.frames / signals_s:,.0f}"
    )
    table.add_row(
        "kinematic signals, frame by frame (baseline)",
        f"{per_frame_s:.1f}",
        f"{series.frames / per_frame_s:,.0f}",
    )
    console.print(table)
    console.print(f"Vectorised signals vs frame-by-frame baseline: {per_frame_s / signals_s:,.0f}×")


def streaming(console: Console, frames: int) -> None:
    from spinecoach.analysis.feedback import Frame, StreamingAnalyzer
    from spinecoach.analysis.simulate import camera_view_of

    series = camera_view_of(
        simulate_motion(
            duration_s=frames / 30.0,
            arm_elevation_left_deg=lambda t: repetition_course(t, amplitude=150.0, reps=10**6),
            trunk_frontal_deg=lambda t: repetition_course(t, amplitude=6.0, reps=10**6),
            noise_m=0.003,
        ),
        "front",
    )
    spec = load_analyzers()["standing_shoulder_abduction"]
    live = StreamingAnalyzer(spec, names=series.names, unit=series.unit)
    times = np.empty(series.frames)
    for i in range(series.frames):
        frame = Frame(float(series.time[i]), series.positions[i], series.confidence[i])
        started = time.perf_counter()
        live.update(frame)
        times[i] = time.perf_counter() - started
    window = []
    for i in range(60, 260):
        started = time.perf_counter()
        analyze(series.between(series.time[i] - 2.0, series.time[i]), spec)
        window.append(time.perf_counter() - started)
    median, p99 = np.percentile(times, [50, 99]) * 1e6
    baseline = float(np.median(window)) * 1e6
    table = Table(title=f"Streaming: {series.frames:,} live frames, front camera")
    for column in ("Work", "Median (µs/frame)", "p99 (µs/frame)"):
        table.add_column(column)
    table.add_row("streaming analyzer", f"{median:.0f}", f"{p99:.0f}")
    table.add_row(
        "offline analyzer on the last 2 s (baseline)",
        f"{baseline:.0f}",
        f"{np.percentile(window, 99) * 1e6:.0f}",
    )
    console.print(table)
    console.print(f"Streaming vs sliding-window baseline (median): {baseline / median:.1f}× faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000, help="landmark frames")
    parser.add_argument("--stream-frames", type=int, default=10_000)
    args = parser.parse_args()
    console = Console()
    files(console, args.frames)
    streaming(console, args.stream_frames)


if __name__ == "__main__":
    main()
