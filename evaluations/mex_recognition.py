"""MEx: which of seven low-back-pain exercises is this, from one thigh accelerometer?

Usage (from the repository root, after ``make setup``)::

    .venv/bin/python -m evaluations.mex_recognition            # tables + docs/imu-mex-confusion.png
    .venv/bin/python -m evaluations.mex_recognition --sensor acw

Every MEx recording (``../shared/data/mex/<sensor>/<subject>/<exercise>_<sensor>_<k>.csv``,
Wijekoon et al. 2019) is read by :mod:`spinecoach.adapters.sensors.mex` (resampled to 100 Hz)
and labelled with its exercise (clam's two files, one per side, are both exercise 04). For
each subject, :class:`~spinecoach.analysis.imu.ExerciseRecogniser` is fitted on the other
subjects and tested on that one (leave-one-subject-out): accuracy of its 5 s windows and of
the majority vote per recording. Published accuracies on MEx's accelerometers are about
80–90 % (Wijekoon et al. 2019). Then :func:`spinecoach.analysis.imu.process` runs end to end on
every file, unchanged, and its repetition counts are summarised per exercise (a smoke test:
MEx has no repetition labels).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from spinecoach.adapters.sensors.mex import EXERCISES, exercise_label, read
from spinecoach.analysis.imu import Recording, leave_subject_out, process

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mex"
FIGURE = ROOT / "docs" / "imu-mex-confusion.png"


def load(sensor: str) -> tuple[list[Recording], list[Path]]:
    paths = sorted((DATA / sensor).glob("*/*.csv"))
    recordings = []
    for path in track(paths, description=f"reading MEx {sensor}", console=Console(stderr=True)):
        subject, exercise, _ = exercise_label(path)
        series = read(path)
        recordings.append(Recording(subject, exercise, series.values, series.uniform_rate_hz()))
    return recordings, paths


def save_confusion(matrix: np.ndarray, labels: list[str], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    figure, axes = plt.subplots(figsize=(6.4, 5.4))
    image = axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    for i in range(len(labels)):
        for j in range(len(labels)):
            colour = "white" if shares[i, j] > 0.5 else "black"
            axes.text(
                j, i, f"{shares[i, j]:.0%}", ha="center", va="center", color=colour, fontsize=8
            )
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title, fontsize=10)
    figure.colorbar(image, ax=axes, fraction=0.046, label="share of true-label windows")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sensor", choices=("act", "acw"), default="act")
    parser.add_argument("--no-figure", action="store_true", help="do not write the PNG")
    args = parser.parse_args(argv)
    console = Console()
    if not (DATA / args.sensor).is_dir():
        console.print(f"MEx data not found at {DATA}; nothing to evaluate.")
        return 1
    recordings, paths = load(args.sensor)
    result = leave_subject_out(recordings)
    names = [f"{code} {EXERCISES[code]}" for code in result.labels]

    folds = Table(title=f"MEx {args.sensor}: leave-one-subject-out exercise recognition")
    for column in ("held-out subject", "windows", "window acc.", "recordings", "recording acc."):
        folds.add_column(column, justify="right")
    for fold in result.folds:
        folds.add_row(
            fold.subject,
            str(fold.windows),
            f"{fold.window_accuracy:.1%}",
            str(fold.recordings),
            f"{fold.recording_accuracy:.1%}",
        )
    folds.add_row(
        "all",
        str(int(result.window_confusion.sum())),
        f"{result.window_accuracy:.1%}",
        str(int(result.recording_confusion.sum())),
        f"{result.recording_accuracy:.1%}",
    )
    console.print(folds)
    console.print(result.method_text, highlight=False)

    for title, matrix in (
        ("windows", result.window_confusion),
        ("recordings", result.recording_confusion),
    ):
        table = Table(title=f"Confusion matrix, {title} (rows true, columns predicted)")
        table.add_column("true \\ predicted")
        for code in result.labels:
            table.add_column(code, justify="right")
        table.add_column("recall", justify="right")
        for i, name in enumerate(names):
            total = int(matrix[i].sum())
            recall = matrix[i, i] / total if total else float("nan")
            table.add_row(name, *(str(int(v)) for v in matrix[i]), f"{recall:.0%}")
        console.print(table)
    if not args.no_figure:
        save_confusion(
            result.window_confusion,
            names,
            f"MEx {args.sensor}, leave-one-subject-out, windows "
            f"(accuracy {result.window_accuracy:.1%})",
            FIGURE,
        )
        console.print(f"Confusion matrix figure: {FIGURE.relative_to(ROOT)}")

    counts: dict[str, list[int]] = defaultdict(list)
    holds: dict[str, list[int]] = defaultdict(list)
    ranges: dict[str, list[float]] = defaultdict(list)
    failures = []
    for path, recording in track(
        list(zip(paths, recordings, strict=True)),
        description="process() on every file",
        console=Console(stderr=True),
    ):
        try:
            report = process(read(path))
        except ValueError as error:  # AnalysisError is a ValueError
            failures.append(f"{path.relative_to(DATA)}: {error}")
            continue
        counts[recording.label].append(report.repetitions.count)
        holds[recording.label].append(len(report.holds))
        ranges[recording.label].append(report.inclination_range_deg)
    smoke = Table(title=f"process() on every MEx {args.sensor} file (no repetition labels in MEx)")
    for column in (
        "exercise",
        "files",
        "reps median",
        "reps min–max",
        "holds median",
        "incl. range deg",
    ):
        smoke.add_column(column, justify="right")
    for code in sorted(counts):
        reps = np.array(counts[code])
        smoke.add_row(
            f"{code} {EXERCISES[code]}",
            str(reps.size),
            f"{np.median(reps):.0f}",
            f"{reps.min()}–{reps.max()}",
            f"{np.median(holds[code]):.0f}",
            f"{np.median(ranges[code]):.0f}",
        )
    console.print(smoke)
    console.print(f"process() failed on {len(failures)} of {len(paths)} files", highlight=False)
    for line in failures:
        console.print(f"  {line}", highlight=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
