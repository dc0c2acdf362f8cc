"""Benchmark the EMG pipeline against NeuroKit2 (speed and onset accuracy) and the live path.

Run: ``.venv/bin/python benchmarks/bench_emg.py [--seconds 60] [--channels 8]``.

Prints, in one run, on the same simulated recording (``simulate_emg``: 8 channels × 60 s at
1000 Hz, a 0.5 s burst every 3–4 s per channel, 20 dB SNR, 10 µV of 50 Hz hum):
- wall time of our offline path (``clean_for_onsets`` + ``onsets``, and ``clean`` +
  ``envelope``, all channels at once) against ``neurokit2.emg_process`` called per channel
  (its onsets are the ``EMG_Onsets`` column of the returned signals), and the ratio;
- onset accuracy of both against the simulated truth: median |detected − true| of the true
  onsets matched within 100 ms, the share found within 25 ms, and the false onsets;
- the live path: ``StreamingEmg.feed`` on 20-sample, 8-channel chunks (p50, p99, max µs),
  against the baseline of re-filtering the last second offline for every chunk.
Aims: ≥ 20× faster than NeuroKit2 with equal or better accuracy; streaming p99 < 1 ms.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import neurokit2 as nk

from spinecoach.analysis.emg import (
    StreamingEmg,
    clean,
    clean_for_onsets,
    envelope,
    onsets,
    simulate_emg,
)
from spinecoach.analysis.timeseries import TimeSeries

RATE = 1000.0
CHUNK = 20
MATCH_S = 0.1
WITHIN_S = 0.025
REPEATS = 5


def recording(seconds: float, channels: int) -> tuple[TimeSeries, dict[str, tuple[float, ...]]]:
    rng = np.random.default_rng(7)
    truth = []
    for _ in range(channels):
        times = np.cumsum(rng.uniform(3.0, 4.0, int(seconds / 3) + 1)) - 1.0
        truth.append([round(float(t), 3) for t in times if t < seconds - 1.0])
    ts, known = simulate_emg(
        truth, duration_s=seconds, burst_s=0.5, snr_db=20.0, hum_uv=10.0, ramp_s=0.01, seed=7
    )
    return ts, known.onsets_s


def ours(ts: TimeSeries) -> dict[str, np.ndarray]:
    found = onsets(clean_for_onsets(ts))
    envelope(clean(ts))
    return {name: np.asarray(found.onsets_s(name)) for name in ts.channels}


def neurokit(ts: TimeSeries) -> dict[str, np.ndarray]:
    result = {}
    for i, name in enumerate(ts.channels):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            signals, _ = nk.emg_process(ts.values[:, i], sampling_rate=int(RATE))
        index = np.flatnonzero(signals["EMG_Onsets"].to_numpy() == 1)
        result[name] = ts.time[index]
    return result


def timed(function, ts: TimeSeries, repeats: int):  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        found = function(ts)
        times.append(time.perf_counter() - started)
    return found, float(np.median(times))


def accuracy(
    found: dict[str, np.ndarray], truth: dict[str, tuple[float, ...]]
) -> tuple[float, float, int, int]:
    """Median |error| (ms) of matched onsets, share within 25 ms, false onsets, true onsets."""
    errors, total, false = [], 0, 0
    for name, onsets_s in truth.items():
        detected = found[name]
        true = np.asarray(onsets_s)
        total += true.size
        for onset in true:
            if detected.size and np.min(np.abs(detected - onset)) <= MATCH_S:
                errors.append(np.min(np.abs(detected - onset)))
        false += int(sum(np.min(np.abs(true - d)) > MATCH_S for d in detected))
    errs = np.asarray(errors)
    return (
        float(np.median(errs) * 1e3) if errs.size else np.nan,
        float(np.sum(errs <= WITHIN_S) / total),
        false,
        total,
    )


def streaming(ts: TimeSeries) -> tuple[np.ndarray, np.ndarray]:
    """Per-chunk time of the live path, and of re-filtering the last second per chunk."""
    live = StreamingEmg(len(ts.channels), RATE)
    live.calibrate(ts.values[:2000])
    live.feed(ts.values[2000 : 2000 + CHUNK])  # warm up
    starts = range(2000 + CHUNK, ts.frames - CHUNK, CHUNK)
    times = np.empty(len(starts))
    clock = time.perf_counter
    for k, start in enumerate(starts):
        chunk = ts.values[start : start + CHUNK]
        began = clock()
        live.feed(chunk)
        times[k] = clock() - began
    baseline = []
    window = int(RATE)
    for start in list(starts)[:: max(1, len(starts) // 300)]:
        part = TimeSeries(
            ts.time[start - window + CHUNK : start + CHUNK],
            ts.values[start - window + CHUNK : start + CHUNK],
            ts.channels,
            ts.units,
        )
        began = clock()
        envelope(clean(part, zero_phase=False), zero_phase=False)
        baseline.append(clock() - began)
    return times * 1e6, np.asarray(baseline) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--channels", type=int, default=8)
    args = parser.parse_args()
    console = Console()
    ts, truth = recording(args.seconds, args.channels)
    console.print(
        f"{args.channels} channels × {args.seconds:g} s at {RATE:g} Hz, "
        f"{sum(len(t) for t in truth.values())} true onsets"
    )
    our_found, our_s = timed(ours, ts, REPEATS)
    nk_found, nk_s = timed(neurokit, ts, 1)
    ratio = nk_s / our_s
    our_acc = accuracy(our_found, truth)
    nk_acc = accuracy(nk_found, truth)

    table = Table(title="Offline: clean + envelope + onsets, all channels")
    for name in ("pipeline", "wall ms", "× faster", "median |err| ms", "≤ 25 ms", "false"):
        table.add_column(name, justify="left" if name == "pipeline" else "right")
    table.add_row(
        "spinecoach (sd)",
        f"{our_s * 1e3:.1f}",
        f"{ratio:.1f}",
        f"{our_acc[0]:.1f}",
        f"{our_acc[1]:.1%}",
        str(our_acc[2]),
    )
    table.add_row(
        "neurokit2.emg_process",
        f"{nk_s * 1e3:.1f}",
        "1.0",
        f"{nk_acc[0]:.1f}",
        f"{nk_acc[1]:.1%}",
        str(nk_acc[2]),
    )
    console.print(table)

    live, baseline = streaming(ts)
    table = Table(title=f"Live: StreamingEmg.feed, {CHUNK}-sample × {args.channels}-channel chunks")
    for name in ("path", "p50 µs", "p99 µs", "max µs", "chunks"):
        table.add_column(name, justify="left" if name == "path" else "right")
    table.add_row(
        "StreamingEmg.feed (carried state)",
        f"{np.median(live):.0f}",
        f"{np.percentile(live, 99):.0f}",
        f"{live.max():.0f}",
        str(live.size),
    )
    table.add_row(
        "baseline: re-filter last 1 s offline",
        f"{np.median(baseline):.0f}",
        f"{np.percentile(baseline, 99):.0f}",
        f"{baseline.max():.0f}",
        str(baseline.size),
    )
    console.print(table)
    console.print(
        f"live p50 is {np.median(baseline) / np.median(live):.1f}× faster than the baseline"
    )

    accurate = our_acc[0] <= nk_acc[0] + 1.0 and our_acc[1] >= nk_acc[1]
    aims = [
        ("≥ 20× faster than NeuroKit2", ratio >= 20, f"{ratio:.1f}×"),
        (
            "accuracy equal or better (median within 1 ms, ≥ share within 25 ms)",
            accurate,
            f"{our_acc[0]:.1f} vs {nk_acc[0]:.1f} ms, {our_acc[1]:.0%} vs {nk_acc[1]:.0%}",
        ),
        (
            "streaming p99 < 1 ms",
            np.percentile(live, 99) < 1000,
            f"{np.percentile(live, 99):.0f} µs",
        ),
    ]
    for aim, met, value in aims:
        console.print(f"{aim}: {value} — {'[green]met' if met else '[red]NOT met'}")


if __name__ == "__main__":
    main()
