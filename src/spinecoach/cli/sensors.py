"""``spinecoach emg`` and ``spinecoach imu``: sensor recordings measured, explained and,
with ``--patient``, stored in the record as physical-test results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from spinecoach.bootstrap import (
    SetupError,
    check_plot_path,
    read_signals,
    write_emg_plot,
    write_imu_plot,
)
from spinecoach.domain.physical_tests.feedforward import MOVEMENTS, SPEEDS
from spinecoach.services.sensors import (
    ONSET_METHODS,
    EmgAnalysis,
    EmgOptions,
    ImuAnalysis,
    OnsetMethod,
    analyse_emg,
    analyse_imu,
)

from .common import JSON_OPTION, actor, console, fail, print_json, services, user_errors

PLOT_OPTION = typer.Option(None, "--plot", help="Write a plot here (.png, .svg or .pdf).")
PATIENT_OPTION = typer.Option(
    None, "--patient", help="Store the results in this patient's record (a re-check assessment)."
)


def _checked_plot(plot: Path | None) -> None:
    if plot is not None:
        try:
            check_plot_path(plot)
        except SetupError as error:
            fail(str(error))


def emg(
    file: Path = typer.Argument(..., help="EDF/BDF, C3D, OpenSignals HDF5 or CSV recording."),
    prime_mover: str | None = typer.Option(
        None, "--prime-mover", help="Channel of the limb's prime mover (e.g. deltoid EMG)."
    ),
    muscle: str | None = typer.Option(
        None,
        "--muscle",
        help="Trunk channel to store as the feed-forward test (default: the first named "
        "after a trunk muscle, e.g. TrA, IO, MF).",
    ),
    speed: str = typer.Option("fast", "--speed", help="Limb speed: " + ", ".join(SPEEDS) + "."),
    movement: str = typer.Option(
        "arm_flexion", "--movement", help="Limb task: " + ", ".join(MOVEMENTS) + "."
    ),
    method: str = typer.Option("sd", "--method", help="Onset method: sd, tkeo or double."),
    notch: float = typer.Option(50.0, "--notch", help="Mains notch in Hz (0: none)."),
    angle: str | None = typer.Option(
        None, "--angle", help="Trunk-angle channel: measure flexion–relaxation (FRR, ERR)."
    ),
    paraspinal: str | None = typer.Option(
        None, "--paraspinal", help="Channel whose FRR is stored (default: first paraspinal)."
    ),
    phases: str | None = typer.Option(
        None,
        "--phases",
        help="Flexion phases by hand instead of --angle: flexion start, full flexion start, "
        "full flexion end, extension end (s), e.g. 0.5,3,5,7.5.",
    ),
    fatigue: bool = typer.Option(
        False, "--fatigue", help="Median-frequency slope per channel (endurance holds)."
    ),
    cocontraction: str | None = typer.Option(
        None, "--cocontraction", help="Co-contraction index of two channels, e.g. TrA,EO."
    ),
    patient: str | None = PATIENT_OPTION,
    plot: Path | None = PLOT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Muscle onsets per channel, anticipatory timing against the prime mover, and the
    flexion–relaxation ratios: the deep-stabiliser timing a camera cannot see."""
    _checked_plot(plot)
    with user_errors():
        options = EmgOptions(
            prime_mover=prime_mover,
            muscle_channel=muscle,
            speed=speed,
            movement=movement,
            method=_method(method),
            notch_hz=notch or None,
            angle_channel=angle,
            paraspinal_channel=paraspinal,
            phases_s=_phases(phases) if phases else None,
            fatigue=fatigue,
            cocontraction=_pair(cocontraction) if cocontraction else None,
        )
        analysis = analyse_emg(read_signals(file), source=file.name, options=options)
    written = _plot(plot, lambda path: write_emg_plot(analysis, path))
    stored = _store(patient, analysis) if patient else None
    if as_json:
        document = analysis.as_dict()
        document["plot"] = str(written) if written else None
        document["stored_assessment"] = stored
        print_json(document)
        return
    _render_emg(analysis)
    _footer(written, stored, patient)


def imu(
    file: Path = typer.Argument(..., help="Accelerometer recording (MEx CSV, CSV, EDF, C3D …)."),
    thorax: str | None = typer.Option(
        None, "--thorax", help="Channel-name prefix of the thorax sensor (with --pelvis)."
    ),
    pelvis: str | None = typer.Option(
        None, "--pelvis", help="Channel-name prefix of the pelvis sensor: lumbar angles."
    ),
    forward: str = typer.Option(
        "x", "--forward", help="The pelvis sensor's axis pointing forwards: x, y, z, -x, -y, -z."
    ),
    plot: Path | None = PLOT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Trunk angle, repetitions and holds from one accelerometer (with a gyroscope if any);
    lumbar flexion, lateral bend and rotation from a thorax and a pelvis sensor."""
    _checked_plot(plot)
    with user_errors():
        analysis = analyse_imu(
            read_signals(file), source=file.name, thorax=thorax, pelvis=pelvis, forward=forward
        )
    written = _plot(plot, lambda path: write_imu_plot(analysis, path))
    if as_json:
        document = analysis.as_dict()
        document["plot"] = str(written) if written else None
        print_json(document)
        return
    _render_imu(analysis)
    _footer(written, None, None)


def _phases(text: str) -> tuple[float, float, float, float]:
    try:
        a, b, c, d = (float(part) for part in text.split(","))
    except ValueError:
        fail(f"--phases: expected four times in seconds separated by commas, got {text!r}")
    return a, b, c, d


def _pair(text: str) -> tuple[str, str]:
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(parts):
        fail(f"--cocontraction: expected two channel names separated by a comma, got {text!r}")
    return parts[0], parts[1]


def _method(value: str) -> OnsetMethod:
    if value not in ONSET_METHODS:
        fail(f"--method: must be sd, tkeo or double, got {value!r}")
    return ONSET_METHODS[value]


def _plot(plot: Path | None, write: Any) -> Path | None:
    if plot is None:
        return None
    try:
        written: Path = write(plot)
    except SetupError as error:
        fail(str(error))
    return written


def _store(pseudonym: str, analysis: EmgAnalysis) -> int | None:
    if not analysis.tests:
        fail(
            "--patient: the recording gave no test result to store (give --prime-mover "
            "for feed-forward timing or --angle for flexion–relaxation)"
        )
    from spinecoach.services.schemas import AssessmentIn

    with services() as built, user_errors():
        scored = built.clinic.record_assessment(
            actor=actor(),
            pseudonym=pseudonym,
            submission=AssessmentIn(
                kind="recheck",
                tests={k: dict(v) for k, v in analysis.tests.items()},
                notes=f"From sensor recording {analysis.source}",
            ),
        )
    return scored.assessment.id


def _footer(written: Path | None, stored: int | None, patient: str | None) -> None:
    if written:
        console.print(f"Plot written to {written}.", highlight=False)
    if stored is not None:
        console.print(f"Stored as assessment {stored} of {patient}.", highlight=False)


def _render_emg(analysis: EmgAnalysis) -> None:
    report = analysis.report
    console.print(
        f"[bold]{analysis.source}[/]: {len(report.channels)} EMG channels at {report.rate_hz:g} Hz",
        highlight=False,
    )
    table = Table("Channel", "Onsets (s)", title="Muscle onsets")
    for channel in report.channels:
        bursts = report.onsets.bursts.get(channel, ())
        shown = ", ".join(f"{b.onset_s:.3f}" for b in bursts[:8])
        more = f" … ({len(bursts)} in all)" if len(bursts) > 8 else ""
        table.add_row(channel, (shown + more) or "none")
    console.print(table)
    if report.timing is not None:
        timing = Table(
            "Muscle",
            "Trials",
            "Feed-forward",
            "Median (ms)",
            "IQR (ms)",
            title="Onset relative to the prime mover (− = before)",
        )
        for muscle in report.timing.muscles:
            timing.add_row(
                muscle.muscle,
                str(muscle.trials),
                f"{muscle.feedforward_trials}/{muscle.trials}",
                _ms(muscle.median_ms),
                f"{_ms(muscle.q1_ms)} … {_ms(muscle.q3_ms)}",
            )
        console.print(timing)
    if analysis.flexion is not None:
        flex = Table("Channel", "FRR", "ERR", title="Flexion–relaxation (larger = more relaxed)")
        for channel, frr in analysis.flexion.frr.items():
            flex.add_row(channel, f"{frr:.2f}", f"{analysis.flexion.err.get(channel, 0.0):.2f}")
        console.print(flex)
    if analysis.fatigue:
        tired = Table("Channel", "Median frequency at start (Hz)", "Slope (%/s)", title="Fatigue")
        for channel, values in analysis.fatigue.items():
            tired.add_row(
                channel, f"{values['initial_hz']:.0f}", f"{values['slope_pct_per_s']:+.2f}"
            )
        console.print(tired)
    if analysis.cocontraction:
        first, second = analysis.cocontraction["channels"]
        console.print(
            f"Co-contraction {first}/{second}: {analysis.cocontraction['index_pct']:.0f} %",
            highlight=False,
        )
    for line in analysis.statements:
        console.print(f"• {line}", highlight=False)
    console.print(f"[dim]{report.method_text}[/]", highlight=False)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:+.0f}"


def _render_imu(analysis: ImuAnalysis) -> None:
    report = analysis.report
    table = Table(
        "Measure",
        "Value",
        title=f"{analysis.source}: "
        + ("thorax sensor and lumbar angles" if analysis.lumbar is not None else "one sensor"),
    )
    table.add_row("Duration", f"{report.duration_s:.1f} s at {report.rate_hz:g} Hz")
    table.add_row(
        "Inclination",
        f"{report.inclination_min_deg:.1f}–{report.inclination_max_deg:.1f}° "
        f"(range {report.inclination_range_deg:.1f}°)",
    )
    reps = report.repetitions
    period = f", every {reps.period_s:.1f} s" if reps.count > 1 else ""
    table.add_row("Repetitions", f"{reps.count}{period}")
    held = sum(h.end_s - h.start_s for h in report.holds)
    table.add_row("Holds", f"{len(report.holds)} ({held:.0f} s still in all)")
    table.add_row("Gyroscope", "used" if report.used_gyroscope else "none")
    if analysis.lumbar is not None:
        for name, values in zip(analysis.lumbar.channels, analysis.lumbar.values.T, strict=True):
            low, high = float(values.min()), float(values.max())
            table.add_row(
                f"Lumbar {name.replace('_', ' ')}",
                f"{low:.1f}–{high:.1f}° (range {high - low:.1f}°)",
            )
    console.print(table)
    console.print(f"[dim]{report.method_text}[/]", highlight=False)
