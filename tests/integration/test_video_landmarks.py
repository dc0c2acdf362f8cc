"""Video -> landmarks with MediaPipe: a real KERAAL video, an empty scene, bad inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinecoach.adapters.sensors.models import bundle_path
from spinecoach.adapters.sensors.video import read
from spinecoach.domain.errors import InvalidInput
from tests.conftest import SHARED_DATA

VIDEO = SHARED_DATA / "keraal/VideosAnon/cacheTete/sub01_trial01/VideoColor_Correct0.avi"
needs_model = pytest.mark.skipif(
    not bundle_path("full").is_file(), reason="pose models not built (make setup builds them)"
)


@needs_model
@pytest.mark.shared_data
@pytest.mark.skipif(not VIDEO.is_file(), reason="../shared/data (KERAAL videos) is not here")
def test_the_person_in_a_keraal_video_is_found_and_tracked() -> None:
    seen: list[int] = []
    series = read(VIDEO, max_frames=30, progress=lambda done, total: seen.append(done))
    assert series.frames == 30
    assert seen[-1] == 30
    assert series.rate_hz == pytest.approx(20.0)
    assert series.unit == "image_height"
    assert np.mean(series.visibility("left_shoulder") > 0.5) > 0.9
    shoulders = series.midpoint("left_shoulder", "right_shoulder")[:, 1]
    hips = series.midpoint("left_hip", "right_hip")[:, 1]
    assert np.nanmedian(shoulders - hips) > 0.1  # shoulders above hips (y up)
    assert np.nanmedian(series.point("head")[:, 1] - shoulders) > 0


@needs_model
def test_a_video_without_a_person_gives_no_landmarks(tmp_path: Path) -> None:
    cv2 = pytest.importorskip("cv2")
    path = tmp_path / "empty.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (160, 120))
    for _ in range(5):
        writer.write(np.full((120, 160, 3), 40, dtype=np.uint8))
    writer.release()
    series = read(path)
    assert series.frames == 5
    assert (series.confidence == 0).all()
    assert np.isnan(series.positions).all()


@needs_model
def test_an_unreadable_video_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.mp4"
    path.write_bytes(b"not a video at all")
    with pytest.raises(InvalidInput, match="not a video"):
        read(path)


def test_an_unknown_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="--model"):
        read(tmp_path / "any.mp4", model="giant")
