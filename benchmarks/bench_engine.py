"""Benchmark the program engine: a cohort of synthetic patients over 12 weeks.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_engine.py --patients 1000``).

Prints, in one run:
- cohort throughput: patients simulated per second and daily reviews ("plans") per second;
- peak resident memory of the process (ru_maxrss);
- latency of one daily review (the decision for one patient on one day) and of a full
  12-week replay (``make_plan``, what ``spinecoach plan`` does), median and p99;
- the baseline in the same run: re-planning from scratch every day (a stateless server that
  replays the whole log for each daily decision) against the incremental review, as a ratio.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from spinecoach.adapters.catalog import load_library
from spinecoach.domain.engine import PlanRequest, make_plan
from spinecoach.domain.engine.program import Context, review
from spinecoach.domain.engine.simulator import (
    ARCHETYPES,
    SIMULATION_START,
    simulate_patient,
    synthetic_picture,
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--baseline-patients", type=int, default=10)
    args = parser.parse_args()
    console = Console()
    library = load_library()

    started = time.perf_counter()
    sims = []
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"{args.patients} patients × {args.weeks} weeks", total=args.patients)
        for seed in range(args.patients):
            sims.append(simulate_patient(library, seed=seed, weeks=args.weeks))
            bar.update(task, advance=1)
    cohort_s = time.perf_counter() - started
    reviews = args.patients * args.weeks * 7
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # One patient's 12-week log, replayed (make_plan) and reviewed for its last day.
    sample = max(sims, key=lambda s: len(s.sessions))
    kind = ARCHETYPES[sample.archetype]
    picture = synthetic_picture(kind, "BENCH")
    request = PlanRequest(started_on=SIMULATION_START, sessions=sample.sessions)
    last_day = SIMULATION_START + timedelta(days=args.weeks * 7)
    replay_ms = []
    for _ in range(100):
        t = time.perf_counter()
        make_plan(picture, request, library, last_day)
        replay_ms.append((time.perf_counter() - t) * 1000)
    ctx = Context.of(picture, request, library)
    program = sample.plan.program
    review_ms = []
    for _ in range(1000):
        t = time.perf_counter()
        review(program, ctx, last_day)
        review_ms.append((time.perf_counter() - t) * 1000)

    # Baseline: a full replay for every daily decision, for a few patients.
    base_n = min(args.baseline_patients, len(sims))
    t = time.perf_counter()
    for sim in sims[:base_n]:
        pic = synthetic_picture(ARCHETYPES[sim.archetype], "BASE")
        for day in range(1, args.weeks * 7 + 1):
            today = SIMULATION_START + timedelta(days=day)
            known = tuple(s for s in sim.sessions if s.day < today)
            req = PlanRequest(started_on=SIMULATION_START, sessions=known)
            make_plan(pic, req, library, today)
    baseline_per_patient = (time.perf_counter() - t) / base_n
    incremental_per_patient = cohort_s / args.patients

    table = Table(title=f"Program engine benchmark ({len(library.exercises)} exercises)")
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    table.add_row("patients × weeks", f"{args.patients} × {args.weeks}")
    table.add_row("cohort wall time", f"{cohort_s:.1f} s")
    table.add_row("patients per second", f"{args.patients / cohort_s:.1f}")
    table.add_row("daily reviews (plans) per second", f"{reviews / cohort_s:,.0f}")
    table.add_row("peak resident memory", f"{peak_mb:.0f} MiB")
    table.add_row(
        "one daily review, median / p99",
        f"{statistics.median(review_ms):.3f} / {percentile(review_ms, 0.99):.3f} ms",
    )
    table.add_row(
        f"full {args.weeks}-week replay (make_plan), median / p99",
        f"{statistics.median(replay_ms):.2f} / {percentile(replay_ms, 0.99):.2f} ms",
    )
    table.add_row(
        "baseline: replay from scratch every day, per patient",
        f"{baseline_per_patient:.2f} s",
    )
    table.add_row(
        "incremental simulation, per patient (incl. simulator)",
        f"{incremental_per_patient:.3f} s",
    )
    table.add_row(
        "speed-up of incremental over daily replay",
        f"{baseline_per_patient / incremental_per_patient:.0f}×",
    )
    console.print(table)


if __name__ == "__main__":
    main()
