"""``spinecoach analyze`` and ``spinecoach landmarks``: judge a recording, extract landmarks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.panel import Panel
from rich.progress import Progress
from rich.table import Table

from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.bootstrap import (
    SetupError,
    check_landmarks_path,
    check_plot_path,
    load_analyzer_specs,
    load_content,
    read_recording,
    write_analysis_plot,
    write_landmarks,
)
from spinecoach.services.movement import (
    analyze_recording,
    analyzer_spec,
    fault_descriptions,
    report_document,
)

from .common import JSON_OPTION, console, errors, fail, print_json, user_errors

FORMATS = (
    "auto",
    "blazepose-json",
    "kinect-keraal",
    "vicon-keraal",
    "openpose-json",
    "uiprmd-kinect",
    "c3d",
    "landmarks-csv",
    "video",
)
MODELS = ("lite", "full", "heavy")


def _check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        fail(f"{option}: expected one of {', '.join(choices)}, got {value!r}")


@contextmanager
def _video_progress(path: Path) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for the frames of a video (stdout stays clean for --json)."""
    with Progress(console=errors, transient=True) as bar:
        task = bar.add_task(f"landmarks from {path.name}", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update


MIRRORED_HELP = "The video is a mirror image (selfie preview, Kinect v2 colour): swap sides."


def _read(path: Path, fmt: str, model: str, mirrored: bool) -> LandmarkSeries:
    with _video_progress(path) as progress, user_errors():
        return read_recording(path, format=fmt, model=model, progress=progress, mirrored=mirrored)


def analyze(
    file: Path = typer.Argument(..., help="Landmark file, skeleton file or video."),
    exercise: str = typer.Option(..., "--exercise", help="Analyzer id (see --list)."),
    fmt: str = typer.Option("auto", "--format", help="File format: " + ", ".join(FORMATS) + "."),
    model: str = typer.Option("full", "--model", help="Pose model for videos: lite, full, heavy."),
    plot: Path | None = typer.Option(None, "--plot", help="Write a plot of the analysis here."),
    mirrored: bool = typer.Option(False, "--mirrored", help=MIRRORED_HELP),
    as_json: bool = JSON_OPTION,
) -> None:
    """Judge a recording of one exercise: repetitions, quality, faults and metrics."""
    _check_choice("--format", fmt, FORMATS)
    _check_choice("--model", model, MODELS)
    try:
        if plot is not None:
            check_plot_path(plot)
        analyzers = load_analyzer_specs()
        library = load_content()
    except SetupError as error:
        fail(str(error))
    with user_errors():
        spec = analyzer_spec(exercise, library=library, analyzers=analyzers)
    series = _read(file, fmt, model, mirrored)
    with user_errors():
        report = analyze_recording(series, spec)
    written = None
    if plot is not None:
        try:
            written = write_analysis_plot(series, report, plot)
        except SetupError as error:
            fail(str(error))
    if as_json:
        document = report_document(report)
        document["plot"] = str(written) if written else None
        print_json(document)
        return
    _render(report_document(report), fault_descriptions(spec, library))
    if written:
        console.print(f"Plot written to {written}.", highlight=False)


def _verdict(correct: bool | None) -> str:
    return {True: "[green]correct[/]", False: "[red]needs work[/]", None: "not judged"}[correct]


def _render(report: dict[str, object], faults: dict[str, str]) -> None:
    quality = report["quality"]
    shown = "not measurable" if quality is None else f"{float(str(quality)):.0%}"
    verdict = _verdict(bool(report["correct"]) if quality is not None else None)
    console.print(
        Panel(
            f"{report['exercise_name']} ({report['exercise']}) — {report['frames']} frames, "
            f"{report['duration_s']} s, camera view: {report['view']}\n"
            f"Quality {shown}: {verdict}",
            title="Movement analysis",
        )
    )
    reps = report["reps"]
    assert isinstance(reps, list)
    table = Table(title=f"{len(reps)} repetition(s)")
    for column in ("Rep", "Time (s)", "Quality", "Verdict", "Faults"):
        table.add_column(column)
    for rep in reps:
        q = rep["quality"]
        table.add_row(
            str(rep["index"]),
            f"{rep['start_s']:.1f}–{rep['end_s']:.1f}",
            "–" if q is None else f"{q:.0%}",
            _verdict(rep["correct"] if q is not None else None),
            ", ".join(rep["faults"]) or "none",
        )
    console.print(table)
    criteria = Table(title="Criteria (worst repetition)")
    for column in ("Metric", "Value", "Standard", "Result"):
        criteria.add_column(column)
    worst = min(
        (rep for rep in reps if rep["quality"] is not None),
        key=lambda rep: rep["quality"],
        default=None,
    )
    if worst is not None:
        for c in worst["criteria"]:
            bound = f"≤ {c['at_most']:g}" if c["at_most"] is not None else f"≥ {c['at_least']:g}"
            value = "not visible" if c["value"] is None else f"{c['value']:.1f} {c['unit']}"
            result = {True: "pass", False: "[red]fail[/]", None: "not judged"}[c["passed"]]
            criteria.add_row(c["metric"], value, f"{bound} {c['unit']}", result)
        console.print(criteria)
    seen = {fault for rep in reps for fault in rep["faults"]}
    for fault in sorted(seen):
        console.print(f"• {faults.get(fault, fault)}", highlight=False)
    notes = report["notes"]
    assert isinstance(notes, list)
    for note in notes:
        console.print(f"[yellow]Note:[/] {note}", highlight=False)


def landmarks(
    video: Path = typer.Argument(..., help="A video file (AVI, MP4, MOV, MKV, WebM)."),
    output: Path = typer.Option(..., "-o", "--output", help="Landmarks CSV to write."),
    model: str = typer.Option("full", "--model", help="Pose model: lite, full, heavy."),
    mirrored: bool = typer.Option(False, "--mirrored", help=MIRRORED_HELP),
) -> None:
    """Extract pose landmarks from a video with MediaPipe, on this computer (nothing is sent)."""
    _check_choice("--model", model, MODELS)
    try:
        check_landmarks_path(output)
    except SetupError as error:
        fail(str(error))
    series = _read(video, "video", model, mirrored)
    try:
        written = write_landmarks(series, output)
    except SetupError as error:
        fail(str(error))
    seen = int((series.confidence.max(axis=1) >= 0.5).sum()) if series.frames else 0
    console.print(
        f"{series.frames} frames ({seen} with a person found) written to {written}.",
        highlight=False,
    )
