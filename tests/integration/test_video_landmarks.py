"""Video -> landmarks with MediaPipe: the install-time model bundles, real KERAAL videos, a
scene without a person, and one-line errors for bad input."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from spinecoach.adapters.sensors import models
from spinecoach.adapters.sensors.models import bundle_path
from spinecoach.adapters.sensors.video import read, sniff
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput
from tests.conftest import SHARED_DATA

KERAAL = SHARED_DATA / "keraal/VideosAnon/cacheTete/sub01_trial01"
CORRECT = KERAAL / "VideoColor_Correct0.avi"
# The person-detector normalisation regression: with pixels scaled to [0, 1] instead of
# [-1, 1] the detector never finds the person in this video.
HARD = KERAAL / "VideoColor_Error1Bodypart3_0.avi"
NPM_PACKAGE = Path(__file__).resolve().parents[2] / models.NPM_PACKAGE
FRAMES = 30

needs_model = pytest.mark.skipif(
    not bundle_path("full").is_file(), reason="pose models not built (make setup builds them)"
)
needs_videos = pytest.mark.skipif(
    not CORRECT.is_file(), reason="../shared/data (KERAAL videos) is not here"
)
needs_npm = pytest.mark.skipif(
    not NPM_PACKAGE.is_dir(), reason="npm @mediapipe/pose not installed (make setup runs npm ci)"
)


def _write_video(path: Path, frames: int, value: int = 40) -> None:
    cv2 = pytest.importorskip("cv2")
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (160, 120))
    for _ in range(frames):
        writer.write(np.full((120, 160, 3), value, dtype=np.uint8))
    writer.release()


def _normalisation(bundle: bytes, member: str) -> tuple[float, float]:
    """(mean, std) written into the TFLite metadata of one network of a bundle."""
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta
    from mediapipe.tasks.metadata import schema_py_generated as tflite

    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        info = archive.getinfo(member)
        assert info.compress_type == zipfile.ZIP_STORED  # MediaPipe maps members uncompressed
        network = tflite.ModelT.InitFromPackedBuf(bytearray(archive.read(member)), 0)
    (entry,) = [e for e in network.metadata if e.name == b"TFLITE_METADATA"]
    metadata = meta.ModelMetadataT.InitFromPackedBuf(
        bytearray(bytes(network.buffers[entry.buffer].data)), 0
    )
    (unit,) = metadata.subgraphMetadata[0].inputTensorMetadata[0].processUnits
    return unit.options.mean[0], unit.options.std[0]


# --- install-time bundles -------------------------------------------------------------------


@needs_npm
def test_bundles_are_built_reproducibly_once_and_rebuilt_when_changed(tmp_path: Path) -> None:
    written = models.build(NPM_PACKAGE, tmp_path)
    assert [p.name for p in written] == [f"pose_landmarker_{m}.task" for m in models.MODELS]
    manifest = json.loads((tmp_path / models.MANIFEST).read_text())
    assert manifest["inputs"] == models.SHA256
    assert models.build(NPM_PACKAGE, tmp_path) == []  # idempotent
    full = bundle_path("full", tmp_path).read_bytes()
    assert _normalisation(full, "pose_detector.tflite") == (127.5, 127.5)
    assert _normalisation(full, "pose_landmarks_detector.tflite") == (0.0, 255.0)
    bundle_path("lite", tmp_path).write_bytes(b"damaged")
    assert not models.is_current(tmp_path)
    again = tmp_path / "again"
    models.build(NPM_PACKAGE, again)
    assert bundle_path("full", again).read_bytes() == full  # byte-for-byte reproducible


def test_an_input_that_does_not_match_its_checksum_is_refused(tmp_path: Path) -> None:
    (tmp_path / models.DETECTOR_FILE).write_bytes(b"not the detector")
    with pytest.raises(SystemExit, match=r"SHA-256 \w+ does not match"):
        models.build(tmp_path, tmp_path / "out")
    with pytest.raises(SystemExit, match="npm ci"):
        models.build(tmp_path / "absent", tmp_path / "out")


# --- real videos ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keraal() -> LandmarkSeries:
    return read(CORRECT, max_frames=FRAMES)


@needs_model
@needs_videos
@pytest.mark.shared_data
def test_the_person_in_a_keraal_video_is_found_and_tracked(keraal: LandmarkSeries) -> None:
    assert keraal.frames == FRAMES
    assert keraal.rate_hz == pytest.approx(20.0)  # KERAAL videos: 20 frames/s
    assert keraal.unit == "image_height"
    assert np.mean(keraal.confidence[:, keraal.names.index("left_shoulder")] > 0.9) > 0.9
    shoulders = keraal.midpoint("left_shoulder", "right_shoulder")[:, 1]
    hips = keraal.midpoint("left_hip", "right_hip")[:, 1]
    assert np.nanmedian(shoulders - hips) > 0.1  # y up
    assert np.nanmedian(keraal.point("head")[:, 1] - shoulders) > 0
    width = np.nanmax(keraal.positions[..., 0])
    assert 0 < width < 960 / 540  # x in image heights, inside the 16:9 frame


@needs_model
@needs_videos
@pytest.mark.shared_data
def test_progress_and_a_hard_start_are_handled() -> None:
    seen: list[tuple[int, int]] = []
    series = read(HARD, max_frames=FRAMES, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(done, FRAMES) for done in range(1, FRAMES + 1)]
    found = ~np.isnan(series.positions).all(axis=(1, 2))
    assert found.all()


@needs_model
@needs_videos
@pytest.mark.shared_data
def test_world_landmarks_are_metres_around_the_hips(keraal: LandmarkSeries) -> None:
    world = read(CORRECT, max_frames=FRAMES, world=True)
    assert world.unit == "m"
    np.testing.assert_allclose(world.confidence, keraal.confidence)  # same frames, same model
    hips = world.midpoint("left_hip", "right_hip")
    assert np.nanmax(np.abs(hips)) < 0.05
    shoulders = world.midpoint("left_shoulder", "right_shoulder")
    assert 0.3 < np.nanmedian(shoulders[:, 1]) < 0.7  # trunk height, adult
    across = world.point("left_shoulder") - world.point("right_shoulder")
    assert 0.25 < np.nanmedian(np.linalg.norm(across, axis=1)) < 0.5


@needs_model
@needs_videos
@pytest.mark.shared_data
def test_a_mirrored_video_is_reflected_with_its_sides_exchanged(keraal: LandmarkSeries) -> None:
    mirrored = read(CORRECT, max_frames=FRAMES, mirrored=True)
    left, right = mirrored.point("left_shoulder"), keraal.point("right_shoulder")
    width = 960 / 540  # the image's width in image heights
    np.testing.assert_allclose(left[:, 0], width - right[:, 0], atol=1e-9, equal_nan=True)
    np.testing.assert_allclose(left[:, 1:], right[:, 1:], atol=1e-9, equal_nan=True)


# --- no person, bad input -------------------------------------------------------------------


@needs_model
def test_a_video_without_a_person_gives_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.avi"
    _write_video(path, 5)
    series = read(path)
    assert series.frames == 5
    assert series.rate_hz == pytest.approx(10.0)
    assert (series.confidence == 0).all()
    assert np.isnan(series.positions).all()


@needs_model
def test_an_unreadable_video_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.mp4"
    path.write_bytes(b"not a video at all")
    with pytest.raises(InvalidInput, match="not a video") as error:
        read(path)
    assert "\n" not in str(error.value)
    with pytest.raises(InvalidInput, match="no such file"):
        read(tmp_path / "absent.mp4")
    with pytest.raises(InvalidInput, match="max_frames"):
        read(path, max_frames=0)


def test_a_missing_model_names_the_install_step(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"pose model 'heavy' is not installed.*make setup"):
        read(tmp_path / "any.mp4", model="heavy", models_dir=tmp_path)


def test_a_damaged_model_is_one_line_naming_the_rebuild(tmp_path: Path) -> None:
    video = tmp_path / "empty.avi"
    _write_video(video, 2)
    bundle_path("lite", tmp_path).write_bytes(b"PK\x03\x04 truncated download")
    with pytest.raises(InvalidInput, match=r"'lite' cannot be loaded.*sensors\.models") as error:
        read(video, model="lite", models_dir=tmp_path)
    assert "\n" not in str(error.value)


def test_an_unknown_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="--model"):
        read(tmp_path / "any.mp4", model="giant")  # type: ignore[arg-type]


def test_videos_are_recognised_by_name_or_content(tmp_path: Path) -> None:
    assert sniff(Path("clip.MP4"))
    assert sniff(Path("session.webm"))
    unnamed = tmp_path / "recording.bin"
    _write_video(unnamed.with_suffix(".avi"), 1)
    unnamed.write_bytes(unnamed.with_suffix(".avi").read_bytes())
    assert sniff(unnamed)
    text = tmp_path / "landmarks.csv"
    text.write_text("time,x\n0,1\n")
    assert not sniff(text)
    assert not sniff(tmp_path / "absent.bin")
