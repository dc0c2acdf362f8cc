"""UI-PRMD: does ``quality`` separate correct from incorrect repetitions, and is ``correct`` right?

Usage (from the repository root, after ``make setup``)::

    .venv/bin/python -m evaluations.uiprmd            # leave-subject-out table
    .venv/bin/python -m evaluations.uiprmd --write    # refit the shipped criteria on all subjects

Every file of UI-PRMD's segmented Kinect data is one repetition, labelled correct or incorrect
(Vakanski et al. 2018). For each movement and each subject, criteria are fitted on the other
subjects (evaluations/fitting.py) and the held-out subject's recordings are judged by
:func:`spinecoach.analysis.exercise.analyze` with them: ROC AUC of ``quality`` and accuracy of
``correct`` over all held-out recordings. The shipped analyzers
(src/spinecoach/content/analyzers/uiprmd.yaml) carry criteria fitted on all development
subjects; their in-sample figures are printed too, labelled as such.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from rich.console import Console
from rich.progress import track
from rich.table import Table

from evaluations.fitting import candidate_metrics, features, fit_criteria, roc_auc, with_criteria
from spinecoach.adapters.catalog import load_analyzers
from spinecoach.adapters.sensors.uiprmd import read
from spinecoach.analysis.exercise import (
    AnalyzerSpec,
    Criterion,
    analyze,
    prepare_signals,
    repetition_spans,
)
from spinecoach.analysis.timeseries import LandmarkSeries

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "uiprmd"
SPECS = ROOT / "src" / "spinecoach" / "content" / "analyzers" / "uiprmd.yaml"
MOVEMENTS = {
    "m01": "deep_squat",
    "m02": "hurdle_step",
    "m03": "inline_lunge",
    "m04": "side_lunge",
    "m05": "sit_to_stand",
    "m06": "standing_leg_raise",
    "m07": "standing_shoulder_abduction",
    "m08": "standing_shoulder_extension",
    "m09": "standing_shoulder_rotation",
    "m10": "standing_shoulder_scaption",
}
_NAME = re.compile(r"(m\d\d)_(s\d\d)_e\d\d_positions")


@dataclass
class Recording:
    movement: str
    subject: str
    correct: bool
    series: LandmarkSeries
    features: np.ndarray


def load(specs: dict[str, AnalyzerSpec], names: list[str]) -> list[Recording]:
    files = [
        (path, folder == "Segmented Movements")
        for folder in ("Segmented Movements", "Incorrect Segmented Movements")
        for path in sorted((DATA / folder / "Kinect" / "Positions").glob("*.txt.gz"))
    ]
    recordings = []
    for path, correct in track(files, description="reading UI-PRMD", console=Console(stderr=True)):
        match = _NAME.search(path.name)
        assert match is not None
        movement, subject = match.groups()
        series = read(path)
        spec = specs[MOVEMENTS[movement]]
        spans, _ = repetition_spans(with_criteria(spec, ()), prepare_signals(series))
        longest = max(spans, key=lambda span: span.end - span.start)
        recordings.append(Recording(movement, subject, correct, series, features(longest, names)))
    return recordings


def evaluate(recordings: list[Recording], spec: AnalyzerSpec, names: list[str]) -> dict[str, float]:
    """Leave-subject-out AUC and accuracy for one movement, and the criteria chosen per fold."""
    subjects = sorted({r.subject for r in recordings})
    qualities, verdicts, labels = [], [], []
    for held_out in subjects:
        train = [r for r in recordings if r.subject != held_out]
        table = np.array([r.features for r in train])
        criteria = fit_criteria(table, np.array([r.correct for r in train]), names)
        fitted = with_criteria(spec, criteria)
        for r in recordings:
            if r.subject == held_out:
                report = analyze(r.series, fitted)
                qualities.append(report.quality if np.isfinite(report.quality) else 0.0)
                verdicts.append(report.correct)
                labels.append(r.correct)
    labels_array = np.array(labels)
    return {
        "auc": roc_auc(np.array(qualities), labels_array),
        "accuracy": float(np.mean(np.array(verdicts) == labels_array)),
        "n": float(len(labels)),
    }


def in_sample(recordings: list[Recording], spec: AnalyzerSpec) -> dict[str, float]:
    reports = [analyze(r.series, spec) for r in recordings]
    labels = np.array([r.correct for r in recordings])
    quality = np.array([rep.quality if np.isfinite(rep.quality) else 0.0 for rep in reports])
    verdict = np.array([rep.correct for rep in reports])
    return {"auc": roc_auc(quality, labels), "accuracy": float(np.mean(verdict == labels))}


def write_specs(recordings: list[Recording], names: list[str]) -> None:
    """Refit every movement's criteria on all subjects and write them into uiprmd.yaml."""
    document = yaml.safe_load(SPECS.read_text(encoding="utf-8"))
    for entry in document["analyzers"]:
        movement = next(m for m, ident in MOVEMENTS.items() if ident == entry["id"])
        chosen = [r for r in recordings if r.movement == movement]
        criteria = fit_criteria(
            np.array([r.features for r in chosen]), np.array([r.correct for r in chosen]), names
        )
        entry["criteria"] = [
            {"metric": c.metric}
            | ({"at_most": round(c.at_most, 3)} if c.at_most is not None else {})
            | ({"at_least": round(c.at_least, 3)} if c.at_least is not None else {})
            for c in criteria
        ]
    header = (
        "# UI-PRMD movements (Vakanski et al. 2018). Criteria are fitted on the development\n"
        "# split (subjects s01-s05) by `python -m evaluations.uiprmd --write`; see\n"
        "# docs/evaluation.md for how well they generalise to unseen subjects.\n"
    )
    SPECS.write_text(header + yaml.safe_dump(document, sort_keys=False, width=100), "utf-8")


def describe(criterion: Criterion) -> str:
    if criterion.at_most is not None:
        return f"{criterion.metric} ≤ {criterion.at_most:g}"
    return f"{criterion.metric} ≥ {criterion.at_least:g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="refit and write shipped criteria")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not here (UI-PRMD lives in ../shared/data)", file=sys.stderr)
        return 0
    specs = load_analyzers()
    names = candidate_metrics()
    recordings = load(specs, names)
    if args.write:
        write_specs(recordings, names)
        specs = load_analyzers()
    console = Console()
    table = Table(title="UI-PRMD: correct vs incorrect repetitions (Kinect, subjects s01-s05)")
    for column in (
        "Movement",
        "Analyzer",
        "Recordings",
        "LOSO AUC",
        "LOSO accuracy",
        "Shipped AUC (in-sample)",
        "Shipped accuracy (in-sample)",
    ):
        table.add_column(column)
    criteria_lines = []
    aucs, accuracies = [], []
    for movement, ident in MOVEMENTS.items():
        chosen = [r for r in recordings if r.movement == movement]
        result = evaluate(chosen, specs[ident], names)
        shipped = in_sample(chosen, specs[ident])
        aucs.append(result["auc"])
        accuracies.append(result["accuracy"])
        table.add_row(
            movement,
            ident,
            str(len(chosen)),
            f"{result['auc']:.2f}",
            f"{result['accuracy']:.0%}",
            f"{shipped['auc']:.2f}",
            f"{shipped['accuracy']:.0%}",
        )
        criteria_lines.append(f"{ident}: " + "; ".join(describe(c) for c in specs[ident].criteria))
    table.add_row(
        "all", "", str(len(recordings)), f"{np.mean(aucs):.2f}", f"{np.mean(accuracies):.0%}"
    )
    console.print(table)
    console.print("Shipped criteria (fitted on all development subjects):", highlight=False)
    for line in criteria_lines:
        console.print(f"  {line}", highlight=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
