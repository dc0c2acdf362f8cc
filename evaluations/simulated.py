"""Simulated motions with known answers: how far are the metrics from the truth?

Usage: ``.venv/bin/python -m evaluations.simulated``

A grid of synthetic movements (analysis/simulate.py) with known trunk angles, repetition counts,
tempo and holds, seen by a lab system (3-D) and by a 2-D camera from the front and the side,
without and with 3 mm of landmark noise. For each quantity: mean and worst absolute error.
"""

from __future__ import annotations

import numpy as np
from rich.console import Console
from rich.table import Table

from spinecoach.analysis.exercise import AnalyzerSpec, Criterion, Segmentation, analyze
from spinecoach.analysis.simulate import camera_view_of, repetition_course, simulate_motion
from spinecoach.analysis.timeseries import LandmarkSeries

REPS = Segmentation(signals=("arm_elevation_left_deg", "arm_elevation_right_deg"), direction="rise")


def spec(*criteria: Criterion, tempo: tuple[float, float, float] | None = None) -> AnalyzerSpec:
    return AnalyzerSpec(
        id="sim",
        name="simulated",
        kind="repetitions",
        segmentation=REPS,
        criteria=criteria,
        tempo_s=tempo,
    )


def views(frontal: LandmarkSeries, sagittal: LandmarkSeries) -> dict[str, LandmarkSeries]:
    """The movement as each source sees it; the side camera watches an arm raised forwards
    (in the plane it sees), the others an arm raised sideways."""
    return {
        "3-D": frontal,
        "front camera": camera_view_of(frontal, "front"),
        "side camera": camera_view_of(sagittal, "side"),
    }


def metric(report_reps: tuple[object, ...], name: str) -> list[float]:
    return [m.value for rep in report_reps for m in rep.metrics if m.name == name]  # type: ignore[attr-defined]


def main() -> int:
    errors: dict[tuple[str, str, str], list[float]] = {}

    def add(quantity: str, view: str, noise: str, error: float) -> None:
        errors.setdefault((quantity, view, noise), []).append(abs(error))

    for noise_m in (0.0, 0.003):
        noise = "no noise" if noise_m == 0 else "3 mm noise"
        for seed, (lean, bend, reps, out_s) in enumerate(
            [
                (5.0, 0.0, 3, 1.5),
                (10.0, 0.0, 5, 2.0),
                (0.0, 8.0, 4, 1.0),
                (15.0, 0.0, 6, 2.5),
                (0.0, 12.0, 2, 1.5),
            ]
        ):
            motion = dict(
                duration_s=reps * (out_s * 2 + 3.0) + 3,
                arm_elevation_left_deg=lambda t, r=reps, o=out_s: repetition_course(
                    t, amplitude=140.0, reps=r, out_s=o, hold_s=1.0, back_s=o, rest_s=2.0
                ),
                trunk_sagittal_deg=lambda t, r=reps, o=out_s, a=lean: repetition_course(
                    t, amplitude=a, reps=r, out_s=o, hold_s=1.0, back_s=o, rest_s=2.0
                ),
                trunk_frontal_deg=lambda t, r=reps, o=out_s, a=bend: repetition_course(
                    t, amplitude=a, reps=r, out_s=o, hold_s=1.0, back_s=o, rest_s=2.0
                ),
                noise_m=noise_m,
                seed=seed,
            )
            frontal = simulate_motion(**motion)  # type: ignore[arg-type]
            sagittal = simulate_motion(arm_plane="sagittal", **motion)  # type: ignore[arg-type]
            judge = spec(
                Criterion("trunk_sagittal_excursion_deg", at_most=5.0),
                Criterion("trunk_frontal_excursion_deg", at_most=5.0),
                Criterion("range_of_motion_deg", at_least=100.0),
                Criterion("tempo_deviation_s", at_most=1.0),
                tempo=(out_s, 1.0, out_s),
            )
            for view, seen in views(frontal, sagittal).items():
                report = analyze(seen, judge)
                add("repetitions counted", view, noise, len(report.reps) - reps)
                if view != "front camera":
                    for value in metric(report.reps, "trunk_sagittal_excursion_deg"):
                        add("trunk sagittal excursion (deg)", view, noise, value - lean)
                if view != "side camera":
                    for value in metric(report.reps, "trunk_frontal_excursion_deg"):
                        add("trunk frontal excursion (deg)", view, noise, value - bend)
                for value in metric(report.reps, "range_of_motion_deg"):
                    add("arm range of motion (deg)", view, noise, value - 140.0)
                for value in metric(report.reps, "tempo_deviation_s"):
                    add("tempo phases (s)", view, noise, value)
        hold = AnalyzerSpec(
            id="hold",
            name="hold",
            kind="hold",
            criteria=(Criterion("neutral_hold_s", at_least=1.0),),
        )
        for seconds in (10.0, 20.0, 30.0):
            still = simulate_motion(duration_s=seconds + 1 / 30, noise_m=noise_m, seed=int(seconds))
            for view, seen in views(still, still).items():
                add(
                    "neutral hold (s)",
                    view,
                    noise,
                    metric(analyze(seen, hold).reps, "neutral_hold_s")[0] - seconds,
                )

    table = Table(title="Simulated motions: absolute error against the known answer")
    for column in ("Quantity", "Source", "Noise", "Cases", "Mean |error|", "Worst |error|"):
        table.add_column(column)
    for (quantity, view, noise), values in sorted(errors.items()):
        table.add_row(
            quantity,
            view,
            noise,
            str(len(values)),
            f"{np.mean(values):.2f}",
            f"{np.max(values):.2f}",
        )
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
