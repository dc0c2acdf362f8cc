"""Benchmark video -> landmarks: our pipeline against MediaPipe alone on the same frames.

Run: ``.venv/bin/python benchmarks/bench_video.py`` (after ``make setup``; needs the KERAAL
videos in ../shared/data or ``--video PATH``).

Prints, in one run and for each pose model (lite, full, heavy):
- MediaPipe alone ("Alone"): decode (OpenCV) + colour conversion + PoseLandmarker in VIDEO
  mode, frames per second - the floor no wrapper can beat;
- our pipeline, ``spinecoach.adapters.sensors.video.read`` (the same work plus copying the
  landmarks out, the conversion to a LandmarkSeries and the checks), frames per second and
  milliseconds per frame;
- the ratio ours / alone (aim: at least 0.9), and for the full model the same with world
  landmarks.
Both include creating the landmarker, as a user's run does. The two are run alternately and
the best of ``--repeats`` runs is kept, which is the least disturbed by other processes. By
default the process is pinned to one CPU core, so figures are per core and comparable between
machines; ``--all-cores`` lets MediaPipe use every core.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from spinecoach.adapters.sensors.models import MODELS, Model, bundle_path
from spinecoach.adapters.sensors.video import QUIET_FRAMES, native_logs_silenced, read

VIDEO = (
    Path(__file__).resolve().parents[2]
    / "shared/data/keraal/VideosAnon/cacheTete/sub01_trial01/VideoColor_Correct0.avi"
)


def mediapipe_alone(video: Path, model: Model, frames: int) -> int:
    """Decode and run the landmarker on ``frames`` frames, keeping nothing: the floor."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    capture = cv2.VideoCapture(str(video))
    fps = capture.get(cv2.CAP_PROP_FPS)
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(bundle_path(model))),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
    )
    with native_logs_silenced():
        landmarker = vision.PoseLandmarker.create_from_options(options)
    done = 0
    with landmarker:
        while done < frames:
            ok, frame = capture.read()
            if not ok:
                break
            image = mp.Image(
                image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            )
            if done < QUIET_FRAMES:  # as ours does: MediaPipe's start-up chatter silenced
                with native_logs_silenced():
                    landmarker.detect_for_video(image, round(done * 1000 / fps))
            else:
                landmarker.detect_for_video(image, round(done * 1000 / fps))
            done += 1
    capture.release()
    return done


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def compare(
    video: Path, model: Model, frames: int, repeats: int, world: bool = False
) -> tuple[float, float]:
    """Best (alone, ours) seconds over ``repeats`` alternating runs."""
    alone, ours = [], []
    for _ in range(repeats):
        alone.append(seconds(lambda: mediapipe_alone(video, model, frames)))
        ours.append(seconds(lambda: read(video, model=model, max_frames=frames, world=world)))
    return min(alone), min(ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=VIDEO)
    parser.add_argument("--frames", type=int, default=150, help="frames per run")
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs per figure")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated models")
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    args = parser.parse_args()
    console = Console()
    missing = [m for m in MODELS if not bundle_path(m).is_file()]
    if missing or not args.video.is_file():
        console.print(f"Skipped: video {args.video} or pose models {missing} not present.")
        return
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    frames = mediapipe_alone(args.video, "lite", args.frames)  # also warms caches up
    import cv2

    capture = cv2.VideoCapture(str(args.video))
    width, height = (
        int(capture.get(p)) for p in (cv2.CAP_PROP_FRAME_WIDTH, cv2.CAP_PROP_FRAME_HEIGHT)
    )
    size = f"{width}×{height}"
    capture.release()
    table = Table(
        title=f"Video → landmarks: {frames} frames of {args.video.name} ({size}), "
        f"{cores} core{'s' if cores != 1 else ''}, best of {args.repeats}"
    )
    for column in ("Model", "Alone, frames/s", "Ours, frames/s", "Ours / alone", "Ours, ms/frame"):
        table.add_column(column, justify="right" if column != "Model" else "left")
    runs: list[tuple[str, Model, bool]] = [
        (model, model, False) for model in args.models.split(",") if model in MODELS
    ]
    if any(model == "full" for _, model, _ in runs):
        runs.append(("full + world", "full", True))
    for label, model, world in runs:
        alone, ours = compare(args.video, model, frames, args.repeats, world)
        table.add_row(
            label,
            f"{frames / alone:.1f}",
            f"{frames / ours:.1f}",
            f"{alone / ours:.3f}",
            f"{1000 * ours / frames:.1f}",
        )
    console.print(table)
    console.print("Aim: ours / alone ≥ 0.9 (the wrapper costs at most a tenth of the time).")


if __name__ == "__main__":
    main()
