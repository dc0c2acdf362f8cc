"""KERAAL: correct vs erroneous recordings, and our trunk angles against the Vicon trunk.

Usage (from the repository root, after ``make setup``)::

    .venv/bin/python -m evaluations.keraal

1. For each exercise (hiding face, flank stretch, trunk rotation) and each skeleton source
   (the dataset's BlazePose landmarks seen by the front camera, and the Kinect), every
   recording is judged by the shipped analyzer: ROC AUC of ``quality`` and accuracy of
   ``correct`` against the file's label. KERAAL has one performer; nothing is fitted to it.
2. Trunk inclination from camera landmarks against the Vicon trunk (hips -> chest rigid
   targets) of the same recordings: the frontal-plane angle (the plane a front camera sees),
   after resampling to a common clock and aligning in time by the lag (within ±1 s) that
   best correlates the two; RMSE in degrees after removing each recording's mean offset (the
   two systems' trunk lines start from different anatomical points), and the raw RMSE.
   Sources: the dataset's BlazePose files, the Kinect, and - when the pose models are
   installed - our own video -> landmarks pipeline on the anonymised videos.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from evaluations.fitting import roc_auc
from spinecoach.adapters.catalog import load_analyzers
from spinecoach.adapters.sensors import read_recording
from spinecoach.analysis.exercise import analyze, prepare_signals
from spinecoach.analysis.pose.geometry import inclination
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "keraal"
EXERCISES = {
    "cacheTete": "hiding_face",
    "etirementLateraux": "flank_stretch",
    "rotationTronc": "trunk_rotation",
}
MAX_LAG_S = 1.0
COMMON_RATE_HZ = 20.0


def classification(console: Console) -> None:
    specs = load_analyzers()
    table = Table(title="KERAAL: correct vs error recordings (one performer, nothing fitted)")
    for column in ("Exercise", "Source", "Recordings", "Correct/error", "AUC", "Accuracy"):
        table.add_column(column)
    for folder, ident in EXERCISES.items():
        for source in ("Blazepose", "Kinect"):
            files = sorted((DATA / f"Skeleton_{source}" / folder).glob("*/*.txt"))
            labels = np.array(["Correct" in f.name for f in files])
            reports = [analyze(read_recording(f), specs[ident]) for f in files]
            quality = np.array([r.quality if np.isfinite(r.quality) else 0.0 for r in reports])
            verdict = np.array([r.correct for r in reports])
            table.add_row(
                ident,
                source,
                str(len(files)),
                f"{labels.sum()}/{(~labels).sum()}",
                f"{roc_auc(quality, labels):.2f}",
                f"{np.mean(verdict == labels):.0%}",
            )
    console.print(table)


def frontal_trunk(series: LandmarkSeries) -> FloatArray:
    """The trunk's frontal-plane angle, as the analyzer computes it for this source."""
    return np.asarray(prepare_signals(series).channel("trunk_frontal_deg"), dtype=np.float64)


def vicon_frontal_trunk(series: LandmarkSeries) -> FloatArray:
    """Vicon trunk (hips -> chest targets) inclination in the frontal plane, using the
    shoulder targets for the left-right direction (Vicon has no hip joints here)."""
    trunk = series.point("thorax") - series.point("pelvis")
    across = series.point("left_shoulder") - series.point("right_shoulder")
    across[:, 1] = 0.0
    lateral = across / np.linalg.norm(across, axis=1, keepdims=True)
    return inclination(trunk, -lateral)


def aligned_errors(
    reference_time: FloatArray, reference: FloatArray, time: FloatArray, values: FloatArray
) -> tuple[float, float, float]:
    """(RMSE after removing the mean offset, raw RMSE, lag in s) at the best lag."""
    grid = np.arange(0.0, min(reference_time[-1], time[-1]), 1.0 / COMMON_RATE_HZ)
    ref = np.interp(
        grid, reference_time, np.nan_to_num(reference, nan=float(np.nanmean(reference)))
    )
    ours = np.interp(grid, time, np.nan_to_num(values, nan=float(np.nanmean(values))))
    max_shift = int(MAX_LAG_S * COMMON_RATE_HZ)
    best: tuple[float, int] = (-np.inf, 0)
    for shift in range(-max_shift, max_shift + 1):
        a, b = (
            (ref[shift:], ours[: ours.size - shift]) if shift >= 0 else (ref[:shift], ours[-shift:])
        )
        if a.size > 10 and np.std(a) > 0 and np.std(b) > 0:
            r = float(np.corrcoef(a, b)[0, 1])
            if r > best[0]:
                best = (r, shift)
    shift = best[1]
    a, b = (ref[shift:], ours[: ours.size - shift]) if shift >= 0 else (ref[:shift], ours[-shift:])
    difference = b - a
    centred = difference - difference.mean()
    return (
        float(np.sqrt(np.mean(centred**2))),
        float(np.sqrt(np.mean(difference**2))),
        shift / COMMON_RATE_HZ,
    )


def agreement(console: Console) -> None:
    sources: list[tuple[str, str]] = [("Blazepose", "dataset BlazePose"), ("Kinect", "Kinect")]
    video = _video_available()
    if video:
        sources.append(("video", "our video pipeline (MediaPipe full)"))
    table = Table(title="KERAAL: trunk frontal angle vs Vicon (hips -> chest), degrees")
    for column in ("Source", "Recordings", "RMSE (offset removed)", "Raw RMSE", "Median lag (s)"):
        table.add_column(column)
    for key, label in sources:
        centred, raw, lags = [], [], []
        for folder in EXERCISES:
            for vicon_file in sorted((DATA / "Skeleton_Vicon" / folder).glob("*/*.txt")):
                name = vicon_file.name.replace("SkeletonVicon_", "VideoColor_")
                if key == "video":
                    other = (
                        DATA
                        / "VideosAnon"
                        / folder
                        / vicon_file.parent.name
                        / name.replace(".txt", ".avi")
                    )
                else:
                    other = DATA / f"Skeleton_{key}" / folder / vicon_file.parent.name / name
                if not other.exists():
                    continue
                vicon = read_recording(vicon_file)
                # KERAAL's videos are the Kinect v2 colour stream, which is mirrored.
                ours = read_recording(other, mirrored=True)
                c, r, lag = aligned_errors(
                    vicon.time, vicon_frontal_trunk(vicon), ours.time, frontal_trunk(ours)
                )
                centred.append(c)
                raw.append(r)
                lags.append(lag)
        if centred:
            table.add_row(
                label,
                str(len(centred)),
                f"{np.mean(centred):.1f}",
                f"{np.mean(raw):.1f}",
                f"{np.median(lags):+.2f}",
            )
    console.print(table)
    if not video:
        console.print("Our video pipeline was not measured: the pose models are not installed.")


def _video_available() -> bool:
    import importlib.util

    if importlib.util.find_spec("spinecoach.adapters.sensors.video") is None:
        return False
    return bool((DATA / "VideosAnon").is_dir())


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not here (KERAAL lives in ../shared/data)", file=sys.stderr)
        return 0
    console = Console()
    classification(console)
    agreement(console)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
