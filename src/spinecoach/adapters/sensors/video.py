"""Video -> pose landmarks with MediaPipe's PoseLandmarker on the CPU, on this computer.

The video is decoded frame by frame (OpenCV) and never stored or sent anywhere; only the
landmarks leave this function. The landmarker runs in VIDEO mode, which tracks the person
from frame to frame and runs the person detector only when tracking is lost. Models are the
``.task`` bundles built at install time (:mod:`spinecoach.adapters.sensors.models`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.models import MODELS, bundle_path
from spinecoach.analysis.skeleton import blazepose_series
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput

SUFFIXES = (".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v")


# MediaPipe's native code logs set-up chatter (delegate created, buffer alignment, feedback
# tensors) straight to the process's stderr during start-up and its first frames; a user should
# see our progress bar and one-line errors, not that.
QUIET_FRAMES = 3


@contextmanager
def native_logs_silenced() -> Iterator[None]:
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def sniff(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def model_file(model: str) -> Path:
    """The installed bundle for ``model``; one line naming the install step when missing."""
    if model not in MODELS:
        raise InvalidInput("--model", f"expected one of {', '.join(MODELS)}, got {model!r}")
    path = bundle_path(model)
    if not path.is_file():
        raise InvalidInput(
            "--model", f"pose model {model!r} is not installed ({path}): run `make setup`"
        )
    return path


def read(
    path: Path,
    *,
    model: str = "full",
    progress: Callable[[int, int], None] | None = None,
    max_frames: int | None = None,
    mirrored: bool = False,
) -> LandmarkSeries:
    """Landmarks of the person in a video, one row per frame (NaN, confidence 0, where no
    person was found). ``mirrored`` says the video is a mirror image (a selfie preview, or a
    Kinect v2 colour stream), so that left and right are the person's own."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    bundle = model_file(model)
    if not path.is_file():
        raise InvalidInput(str(path), "no such file")
    capture = cv2.VideoCapture(str(path))
    try:
        fps = float(capture.get(cv2.CAP_PROP_FPS))
        total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        if not capture.isOpened() or not fps > 0:
            raise InvalidInput(str(path), "not a video this computer can decode")
        limit = total if max_frames is None else min(total, max_frames)
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(bundle)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=1,
        )
        landmarks = np.full((max(limit, 0), 33, 3), np.nan)
        visibility = np.zeros((max(limit, 0), 33))
        width = height = 0
        frames = 0
        with native_logs_silenced():
            landmarker = vision.PoseLandmarker.create_from_options(options)
        with landmarker:
            while max_frames is None or frames < max_frames:
                ok, frame = capture.read()
                if not ok:
                    break
                if frames >= landmarks.shape[0]:  # the container under-reported its length
                    landmarks = np.concatenate([landmarks, np.full_like(landmarks, np.nan)])
                    visibility = np.concatenate([visibility, np.zeros_like(visibility)])
                height, width = frame.shape[:2]
                image = mp.Image(
                    image_format=mp.ImageFormat.SRGB,
                    data=cv2.cvtColor(frame, cv2.COLOR_BGR2RGB),
                )
                stamp = round(frames * 1000 / fps)
                if frames < QUIET_FRAMES:
                    with native_logs_silenced():
                        result = landmarker.detect_for_video(image, stamp)
                else:
                    result = landmarker.detect_for_video(image, stamp)
                if result.pose_landmarks:
                    points = result.pose_landmarks[0]
                    landmarks[frames] = [(p.x, p.y, p.z) for p in points]
                    visibility[frames] = [p.visibility or 0.0 for p in points]
                frames += 1
                if progress is not None:
                    progress(frames, limit)
    finally:
        capture.release()
    if frames == 0:
        raise InvalidInput(str(path), "holds no video frames")
    return blazepose_series(
        np.arange(frames) / fps,
        landmarks[:frames],
        visibility[:frames],
        aspect_ratio=width / height,
        source=f"video {path.name} (MediaPipe pose {model})",
        swap_sides=mirrored,
    )
