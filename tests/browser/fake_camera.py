"""A real recording as Chromium's fake webcam, so browser tests see a person, not a test card.

Chromium's ``--use-file-for-fake-video-capture`` plays a raw Y4M file (4:2:0, one ``FRAME``
per picture) in a loop. The file is made at test time from a KERAAL video with OpenCV, because
the dataset lives outside the project and a multi-megabyte binary does not belong in git.
"""

from __future__ import annotations

from pathlib import Path

import cv2

MAX_WIDTH = 640
MAX_SECONDS = 20.0


def _even(value: float) -> int:
    """4:2:0 chroma planes are half size, so Y4M frame sides must be even."""
    return max(2, round(value / 2) * 2)


def video_to_y4m(
    source: Path,
    target: Path,
    *,
    max_width: int = MAX_WIDTH,
    max_seconds: float = MAX_SECONDS,
) -> tuple[int, int, int]:
    """Write ``source`` as a Y4M file Chromium can loop; return (width, height, frames).

    The frame rate is the source's own (whole frames per second), so the person moves at
    real speed and time-based analyzers see realistic timing.
    """
    capture = cv2.VideoCapture(str(source))
    if not capture.isOpened():
        raise ValueError(f"source: expected a video OpenCV can read, got {source}")
    try:
        fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
        rate = max(1, round(fps))
        limit = int(max_seconds * rate)
        frames = 0
        width = height = 0
        with target.open("wb") as out:
            while frames < limit:
                ok, image = capture.read()
                if not ok:
                    break
                if frames == 0:
                    scale = min(1.0, max_width / image.shape[1])
                    width = _even(image.shape[1] * scale)
                    height = _even(image.shape[0] * scale)
                    # C420jpeg is a 4:2:0 layout Chromium's Y4M reader accepts; Ip is
                    # progressive, A1:1 square pixels.
                    out.write(f"YUV4MPEG2 W{width} H{height} F{rate}:1 Ip A1:1 C420jpeg\n".encode())
                if image.shape[1] != width or image.shape[0] != height:
                    image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
                planes = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420)  # Y, then U, then V
                out.write(b"FRAME\n")
                out.write(planes.tobytes())
                frames += 1
    finally:
        capture.release()
    if frames == 0:
        raise ValueError(f"source: expected at least one frame, got none from {source}")
    return width, height, frames
