"""Video -> pose landmarks with MediaPipe's PoseLandmarker on the CPU, on this computer.

The video is decoded frame by frame (OpenCV) and never stored, copied or sent anywhere; only
the landmarks leave this module. The landmarker runs in VIDEO mode, which tracks the person
from frame to frame and runs the person detector only when tracking is lost. Models are the
``.task`` bundles built at install time (:mod:`spinecoach.adapters.sensors.models`); nothing is
downloaded here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.models import MODELS, Model, bundle_path
from spinecoach.analysis.skeleton import (
    BLAZEPOSE_COMMON_NAMES,
    blazepose_series,
    blazepose_to_common,
)
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries
from spinecoach.domain.errors import InvalidInput

SUFFIXES = (".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv")
# MediaPipe's native code logs set-up chatter (delegate created, feedback tensors) straight to
# the process's stderr during start-up and its first frames; a user should see our progress
# bar and one-line errors, not that.
QUIET_FRAMES = 3
PREALLOCATED_FRAMES = 100_000  # about 1 h at 30 frames/s, 80 MB of landmarks


@contextmanager
def native_logs_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for a moment (native code ignores sys.stderr)."""
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
    """Whether ``path`` looks like a video: a video suffix, or a known container signature."""
    if path.suffix.lower() in SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    return (
        (head[:4] == b"RIFF" and head[8:12] == b"AVI ")  # AVI
        or head[4:8] == b"ftyp"  # MP4, MOV, M4V (ISO base media)
        or head[:4] == b"\x1a\x45\xdf\xa3"  # Matroska, WebM (EBML)
        or head[:4] == b"\x00\x00\x01\xba"  # MPEG program stream
    )


def model_file(model: str, folder: Path | None = None) -> Path:
    """The installed bundle for ``model``; one line naming the install step when missing."""
    if model not in MODELS:
        raise InvalidInput("--model", f"expected one of {', '.join(MODELS)}, got {model!r}")
    path = bundle_path(model, folder)
    if not path.is_file():
        raise InvalidInput(
            "--model", f"pose model {model!r} is not installed ({path}): run `make setup`"
        )
    return path


def read(
    path: Path,
    *,
    model: Model = "full",
    progress: Callable[[int, int], None] | None = None,
    max_frames: int | None = None,
    mirrored: bool = False,
    world: bool = False,
    models_dir: Path | None = None,
) -> LandmarkSeries:
    """Landmarks of the person in a video, one row per frame (NaN, confidence 0, where no
    person was found); confidence is MediaPipe's visibility.

    By default the image landmarks, in image-height units (y up), the camera's view. With
    ``world=True`` MediaPipe's world landmarks instead: metres, origin between the hips, y up,
    the network's own 3-D estimate (no absolute position). ``mirrored`` says the video is a
    mirror image (a selfie preview, a Kinect v2 colour stream), so that left and right are
    the person's own. ``progress(done, total)`` is called after every frame (``total`` is the
    container's frame count, 0 when it does not say). ``models_dir`` overrides where the
    installed bundles are looked for.
    """
    bundle = model_file(model, models_dir)
    if max_frames is not None and max_frames < 1:
        raise InvalidInput("max_frames", f"must be at least 1, got {max_frames}")
    if not path.is_file():
        raise InvalidInput(str(path), "no such file" if not path.exists() else "is not a file")
    os.environ.setdefault("GLOG_minloglevel", "2")
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    capture = cv2.VideoCapture(str(path))
    try:
        fps = float(capture.get(cv2.CAP_PROP_FPS)) if capture.isOpened() else 0.0
        if not 0.0 < fps < 10_000.0:
            raise InvalidInput(str(path), "not a video this computer can decode")
        total = max(int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
        if max_frames is not None:
            total = min(total, max_frames) if total else max_frames
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(bundle)),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=1,
        )
        # Room for the frames the container announces (grown when it under-reports; capped so
        # that a bogus count in a damaged header cannot ask for terabytes).
        rows = min(max(total, 1), PREALLOCATED_FRAMES)
        landmarks = np.full((rows, 33, 3), np.nan)
        visibility = np.zeros((rows, 33))
        width = height = 0
        frames = 0
        last_stamp = -1
        try:
            with native_logs_silenced():
                landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:  # a damaged or truncated bundle
            problem = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise InvalidInput(
                "--model",
                f"pose model {model!r} cannot be loaded ({problem}): rebuild it with "
                "`python -m spinecoach.adapters.sensors.models`",
            ) from None
        with landmarker:
            while max_frames is None or frames < max_frames:
                ok, frame = capture.read()
                if not ok:
                    break
                if frames == landmarks.shape[0]:  # the container under-reported its length
                    landmarks = np.concatenate([landmarks, np.full_like(landmarks, np.nan)])
                    visibility = np.concatenate([visibility, np.zeros_like(visibility)])
                height, width = frame.shape[:2]
                image = mp.Image(
                    image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
                )
                # Milliseconds from the frame rate; strictly increasing, as MediaPipe requires.
                last_stamp = max(round(frames * 1000.0 / fps), last_stamp + 1)
                if frames < QUIET_FRAMES:
                    with native_logs_silenced():
                        result = landmarker.detect_for_video(image, last_stamp)
                else:
                    result = landmarker.detect_for_video(image, last_stamp)
                if result.pose_landmarks:
                    found = (result.pose_world_landmarks if world else result.pose_landmarks)[0]
                    landmarks[frames] = [(p.x, p.y, p.z) for p in found]
                    visibility[frames] = [p.visibility or 0.0 for p in result.pose_landmarks[0]]
                frames += 1
                if progress is not None:
                    progress(frames, total)
    finally:
        capture.release()
    if frames == 0:
        raise InvalidInput(str(path), "holds no video frames this computer can decode")
    time = np.arange(frames) / fps
    source = f"video {path.name} (MediaPipe pose {model}{', world' if world else ''})"
    if not world:
        return blazepose_series(
            time,
            landmarks[:frames],
            visibility[:frames],
            aspect_ratio=width / height,
            source=source,
            swap_sides=mirrored,
        )
    return _world_series(time, landmarks[:frames], visibility[:frames], source, mirrored)


def _world_series(
    time: FloatArray, world: FloatArray, visibility: FloatArray, source: str, mirrored: bool
) -> LandmarkSeries:
    """World landmarks (metres; x right, y down, z away from the camera, origin between the
    hips) in the common convention: the image conversion with unit scale flips y and z and
    adds 1 to y, which is taken off again."""
    positions, confidence = blazepose_to_common(
        world, visibility, aspect_ratio=1.0, swap_sides=mirrored
    )
    positions[..., 1] -= 1.0
    return LandmarkSeries(
        time=time,
        positions=positions,
        confidence=confidence,
        names=BLAZEPOSE_COMMON_NAMES,
        unit="m",
        source=source,
    )
