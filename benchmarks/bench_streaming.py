"""Benchmark the live path: per-frame time of the streaming analyzer and cue policy.

Run: ``.venv/bin/python benchmarks/bench_streaming.py [--frames 10000]``.

Prints, in one run:
- per-frame time (median, p99, max) of ``StreamingAnalyzer.update`` on synthetic frames
  (simulated arm raises seen by a front camera, noise and a few lost landmarks), with the
  first and last thousand frames apart to show that the cost does not grow with the session;
- the same on real KERAAL BlazePose recordings (``../shared/data/keraal``, when present):
  each frame's 33 raw landmarks go through ``frame_from_blazepose`` (timed too), as the
  browser's frames will, and then through the analyzer of its exercise;
- the baseline in the same run: re-running the offline analyzer over the last 2 s for every
  frame (what a server without carried state would do), its median and p99, and the ratios.
Aim: p99 under 1 ms per frame.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from spinecoach.adapters.catalog import load_analyzers, load_library
from spinecoach.adapters.sensors.keraal import KERAAL_ASPECT_RATIO, VIDEO_RATE_HZ, read_blazepose
from spinecoach.analysis.exercise import AnalyzerSpec, analyze
from spinecoach.analysis.feedback import Frame, StreamingAnalyzer, frame_from_blazepose
from spinecoach.analysis.simulate import camera_view_of, repetition_course, simulate_motion
from spinecoach.analysis.skeleton import BLAZEPOSE_NAMES
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.services.movement import analyzer_spec, cue_book

KERAAL = Path(__file__).resolve().parents[2] / "shared/data/keraal/Skeleton_Blazepose"
EXERCISES = {
    "cacheTete": "hiding_face",
    "etirementLateraux": "flank_stretch",
    "rotationTronc": "trunk_rotation",
}
WINDOW_S = 2.0
BASELINE_FRAMES = 400  # synthetic frames timed for the baseline (it is slow)
BASELINE_PER_FILE = 15  # KERAAL frames timed for the baseline, per recording


def stats_us(seconds: list[float] | np.ndarray) -> tuple[float, float, float]:
    """Median, p99 and max in microseconds."""
    values = np.asarray(seconds) * 1e6
    return float(np.median(values)), float(np.percentile(values, 99)), float(values.max())


def spec_for(exercise: str) -> tuple[AnalyzerSpec, StreamingAnalyzer]:
    """The analyzer and cue words as the services layer would hand them to a live session."""
    library = load_library()
    spec = analyzer_spec(exercise, library=library, analyzers=load_analyzers())
    return spec, StreamingAnalyzer(spec, cues=cue_book(spec, library))


def time_updates(analyzer: StreamingAnalyzer, frames: list[Frame]) -> np.ndarray:
    times = np.empty(len(frames))
    clock = time.perf_counter
    for i, frame in enumerate(frames):
        started = clock()
        analyzer.update(frame)
        times[i] = clock() - started
    return times


def time_baseline(series: LandmarkSeries, spec: AnalyzerSpec, count: int) -> np.ndarray:
    """The offline analyzer on the last 2 s, for ``count`` frames spread over the series."""
    picks = np.linspace(int(WINDOW_S * series.rate_hz) + 1, series.frames - 1, count).astype(int)
    times = np.empty(picks.size)
    for k, i in enumerate(picks):
        now = float(series.time[i])
        started = time.perf_counter()
        analyze(series.between(now - WINDOW_S, now), spec)
        times[k] = time.perf_counter() - started
    return times


def synthetic(frames: int) -> tuple[LandmarkSeries, list[Frame]]:
    series = camera_view_of(
        simulate_motion(
            duration_s=frames / 30.0,
            arm_elevation_left_deg=lambda t: repetition_course(
                t, amplitude=150.0, reps=10**6, start_s=3.0
            ),
            trunk_frontal_deg=lambda t: repetition_course(
                t, amplitude=6.0, reps=10**6, start_s=3.0
            ),
            noise_m=0.003,
            gap_fraction=0.01,
        ),
        "front",
    )
    return series, [
        Frame(float(t), series.positions[i], series.confidence[i])
        for i, t in enumerate(series.time)
    ]


def raw_blazepose(path: Path) -> np.ndarray:
    """(frames, 33, 4) raw landmarks of a KERAAL file, as the browser would send them: the
    file's x, y, z by landmark name, visibility 1 where given (the files carry none)."""
    data = json.loads(path.read_text())["positions"]
    keys = sorted(data, key=float)
    raw = np.full((len(keys), 33, 4), np.nan)
    for row, key in enumerate(keys):
        for name, point in data[key].items():
            raw[row, BLAZEPOSE_NAMES.index(name.lower()), :3] = point[:3]
    raw[..., 3] = np.where(np.isfinite(raw[..., 0]), 1.0, 0.0)
    return raw


def keraal(frames: int, console: Console) -> dict[str, np.ndarray] | None:
    """Per-frame times on real recordings: conversion, update, and the sliding baseline."""
    if not KERAAL.is_dir():
        console.print(f"KERAAL BlazePose files not found at {KERAAL}: real-data rows skipped.")
        return None
    convert: list[float] = []
    update: list[float] = []
    baseline: list[float] = []
    per_exercise = frames // len(EXERCISES)
    for folder, exercise in EXERCISES.items():
        files = sorted((KERAAL / folder).glob("*/*.txt"))
        spec, analyzer = spec_for(exercise)
        offset, done, first_pass = 0.0, 0, True
        while done < per_exercise and files:
            for path in files:
                raw = raw_blazepose(path)
                series = read_blazepose(path)  # the file reader, for the same frames
                step = 1.0 / VIDEO_RATE_HZ
                for i in range(raw.shape[0]):
                    started = time.perf_counter()
                    frame = frame_from_blazepose(
                        raw[i],
                        time_s=offset + i * step,
                        aspect_ratio=KERAAL_ASPECT_RATIO,
                        mirrored=True,
                    )
                    convert.append(time.perf_counter() - started)
                    # The live conversion gives the reader's points (checked on every frame).
                    assert np.allclose(frame.positions, series.positions[i], equal_nan=True)
                    started = time.perf_counter()
                    analyzer.update(frame)
                    update.append(time.perf_counter() - started)
                offset += raw.shape[0] * step + 1.0
                done += raw.shape[0]
                if first_pass:
                    baseline.extend(time_baseline(series, spec, BASELINE_PER_FILE))
                if done >= per_exercise:
                    break
            first_pass = False
    return {
        "convert": np.array(convert),
        "update": np.array(update),
        "baseline": np.array(baseline),
    }


def row(table: Table, label: str, times: np.ndarray | list[float]) -> None:
    median, p99, largest = stats_us(times)
    table.add_row(label, f"{len(times):,}", f"{median:,.0f}", f"{p99:,.0f}", f"{largest:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10_000)
    args = parser.parse_args()
    console = Console()

    series, frames = synthetic(args.frames)
    time_updates(spec_for("standing_arm_raise")[1], frames[:300])  # warm up
    spec, analyzer = spec_for("standing_arm_raise")
    updates = time_updates(analyzer, frames)
    baseline = time_baseline(series, spec, BASELINE_FRAMES)
    real = keraal(args.frames, console)

    table = Table(title="Live feedback: time per frame (µs), one core")
    for column in ("Work", "Frames", "Median", "p99", "Max"):
        table.add_column(column, justify="right" if column != "Work" else "left")
    row(table, f"synthetic: update ({spec.id}, front camera)", updates)
    row(table, "  first 1,000 frames", updates[:1000])
    row(table, "  last 1,000 frames", updates[-1000:])
    row(table, "synthetic: offline analyzer on the last 2 s (baseline)", baseline)
    if real is not None:
        row(table, "KERAAL: frame_from_blazepose (33 raw landmarks)", real["convert"])
        row(table, "KERAAL: update (hiding_face, flank_stretch, trunk_rotation)", real["update"])
        row(table, "KERAAL: conversion + update", real["convert"] + real["update"])
        row(table, "KERAAL: offline analyzer on the last 2 s (baseline)", real["baseline"])
    console.print(table)
    median, p99, _ = stats_us(updates)
    base_median, base_p99, _ = stats_us(baseline)
    console.print(
        f"Synthetic: streaming vs sliding-window baseline: {base_median / median:.1f}× faster "
        f"(median), {base_p99 / p99:.1f}× (p99); p99 {p99:,.0f} µs "
        f"({'meets' if p99 < 1000 else 'misses'} the 1 ms aim)"
    )
    if real is not None:
        total = real["convert"] + real["update"]
        median, p99, _ = stats_us(total)
        base_median, base_p99, _ = stats_us(real["baseline"])
        console.print(
            f"KERAAL: streaming (with conversion) vs baseline: {base_median / median:.1f}× "
            f"faster (median), {base_p99 / p99:.1f}× (p99); p99 {p99:,.0f} µs "
            f"({'meets' if p99 < 1000 else 'misses'} the 1 ms aim)"
        )


if __name__ == "__main__":
    main()
