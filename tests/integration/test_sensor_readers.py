"""The recording registry: detection of every format, dispatch, and one-line errors for every
kind of bad file (empty, truncated, non-numeric, missing, a folder)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from spinecoach.adapters.sensors import FORMATS, detect_format, read_recording
from spinecoach.adapters.sensors.landmarks_csv import write_landmarks_csv
from spinecoach.analysis.simulate import simulate_motion
from spinecoach.analysis.skeleton import BLAZEPOSE_NAMES
from spinecoach.domain.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]

# Small valid files of each format, shared by the test_reader_*.py files.

# One BlazePose frame as KERAAL writes it (capitalised names): landmark i at
# x = 0.3 + 0.01 i, y = 0.2 + 0.015 i, z = -0.1.
BLAZEPOSE_FRAME = {
    name.capitalize(): [0.3 + 0.01 * i, 0.2 + 0.015 * i, -0.1]
    for i, name in enumerate(BLAZEPOSE_NAMES)
}


def kinect_joints(frames: int) -> np.ndarray:
    """(frames, 25, 7): joint j at x = 0.1 + 0.01 j, y = 0.5 - 0.04 j, z = 2 + 0.01 frame."""
    joints = np.zeros((frames, 25, 7))
    joints[..., 0] = 0.1 + 0.01 * np.arange(25)
    joints[..., 1] = 0.5 - 0.04 * np.arange(25)
    joints[..., 2] = 2.0 + 0.01 * np.arange(frames)[:, None]
    joints[..., 6] = 1.0
    return joints


def table_text(values: np.ndarray) -> str:
    rows = values.reshape(values.shape[0], -1)
    return "".join(" ".join(f"{v:.6f}" for v in row) + "\n" for row in rows)


def kinect_text(frames: int) -> str:
    return table_text(kinect_joints(frames))


def vicon_targets(frames: int) -> np.ndarray:
    """(frames, 17, 7): target t at x = 500 + t, y = 200 - 10 t, z = 900 + frame (mm)."""
    targets = np.zeros((frames, 17, 7))
    targets[..., 0] = 500.0 + np.arange(17)
    targets[..., 1] = 200.0 - 10.0 * np.arange(17)
    targets[..., 2] = 900.0 + np.arange(frames)[:, None]
    targets[..., 6] = 1.0
    return targets


def vicon_text(frames: int) -> str:
    return table_text(vicon_targets(frames))


def openpose_keraal(frames: int) -> str:
    """KERAAL's OpenPose layout: frame keys "1.0", ...; lWrist at (0.6, 0.3), rWrist at
    (0.4, 0.35), the other keypoints at (0.5, 0.5)."""
    names = ["Head", "mShoulder", "lShoulder", "rShoulder", "lElbow", "rElbow", "lWrist"]
    names += ["rWrist", "lHip", "rHip", "lKnee", "rKnee", "lAnkle", "rAnkle"]
    frame: dict[str, list[float]] = {name: [0.5, 0.5] for name in names}
    frame["lWrist"] = [0.6, 0.3]
    frame["rWrist"] = [0.4, 0.35]
    return json.dumps({"positions": {f"{i + 1}.0": frame for i in range(frames)}})


def openpose_people(count: int = 25, scale: float = 1.0) -> dict[str, object]:
    """One OpenPose output frame with one person: keypoint k at (100 + k, 200 + 2 k), seen
    with confidence 0.8 (``scale`` multiplies the confidences)."""
    keypoints = np.zeros((count, 3))
    keypoints[:, 0] = 100.0 + np.arange(count)
    keypoints[:, 1] = 200.0 + 2.0 * np.arange(count)
    keypoints[:, 2] = 0.8 * scale
    return {"version": 1.3, "people": [{"pose_keypoints_2d": keypoints.ravel().tolist()}]}


def write_c3d(
    path: Path,
    markers: dict[str, np.ndarray] | None = None,
    *,
    rate: float = 100.0,
    unit: str = "mm",
    frames: int = 5,
    extra: dict[str, list[str]] | None = None,
) -> None:
    """A C3D file of ``markers`` (name -> (3,) or (frames, 3) lab positions, NaN = missing)."""
    import ezc3d

    if markers is None:
        markers = {"LASI": np.array([100.0, 120.0, 950.0]), "Jo:RSHO": np.zeros(3) + 5.0}
    c3d = ezc3d.c3d()
    c3d["parameters"]["POINT"]["RATE"]["value"] = [rate]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = list(markers)
    c3d["parameters"]["POINT"]["UNITS"]["value"] = [unit]
    for name, entry in (extra or {}).items():
        c3d.add_parameter("POINT", name, entry)
    points = np.ones((4, len(markers), frames))
    for column, track in enumerate(markers.values()):
        points[:3, column, :] = np.broadcast_to(track, (frames, 3)).T
    c3d["data"]["points"] = points
    c3d.write(str(path))


def _csv(path: Path) -> None:
    write_landmarks_csv(simulate_motion(duration_s=0.3), path)


def _blazepose(path: Path) -> None:
    path.write_text(json.dumps({"positions": {"1": BLAZEPOSE_FRAME, "2": BLAZEPOSE_FRAME}}))


def _people_folder(path: Path) -> None:
    path.mkdir()
    for i in range(3):
        (path / f"clip_{i:012d}_keypoints.json").write_text(json.dumps(openpose_people()))


def _uiprmd(path: Path) -> None:
    row = ",".join(["0.5"] * 66) + "\n"
    (path.parent.parent / "Angles").mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(row * 3)


# --format name -> (file name, writer of a small valid file of that format)
SAMPLES: dict[str, tuple[str, Callable[[Path], object]]] = {
    "landmarks-csv": ("motion.csv", _csv),
    "blazepose-json": ("pose.txt", _blazepose),
    "kinect-keraal": ("kinect.txt", lambda p: p.write_text(kinect_text(3))),
    "vicon-keraal": ("vicon.txt", lambda p: p.write_text(vicon_text(3))),
    "openpose-json": ("keraal_openpose.txt", lambda p: p.write_text(openpose_keraal(3))),
    "c3d": ("trial.c3d", write_c3d),
    "uiprmd-kinect": ("Positions/m01_s01_e01_positions.txt", _uiprmd),
    "video": ("clip.mp4", lambda p: p.write_bytes(b"\x00\x00\x00\x18ftypmp42")),
}


def test_the_registry_has_every_format_the_command_line_offers() -> None:
    from spinecoach.cli.analyze import FORMATS as CLI_FORMATS

    assert set(FORMATS) == set(CLI_FORMATS) - {"auto"}
    assert set(SAMPLES) == set(FORMATS)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_each_format_is_detected_from_its_content(tmp_path: Path, name: str) -> None:
    file_name, write = SAMPLES[name]
    path = tmp_path / file_name
    write(path)
    assert detect_format(path) == name


@pytest.mark.parametrize("name", ["kinect-keraal", "blazepose-json", "landmarks-csv"])
def test_gzipped_files_are_read_as_they_are(tmp_path: Path, name: str) -> None:
    file_name, write = SAMPLES[name]
    plain = tmp_path / file_name
    write(plain)
    packed = tmp_path / (file_name + ".gz")
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert detect_format(packed) == name
    first, second = read_recording(plain), read_recording(packed)
    np.testing.assert_array_equal(first.positions, second.positions)
    np.testing.assert_array_equal(first.time, second.time)


def test_a_folder_of_openpose_frames_is_detected(tmp_path: Path) -> None:
    folder = tmp_path / "frames"
    _people_folder(folder)
    assert detect_format(folder) == "openpose-json"
    assert read_recording(folder).frames == 3


def test_a_c3d_file_is_known_by_its_header_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "trial.c3d"
    write_c3d(path)
    renamed = path.rename(tmp_path / "trial.dat")
    assert detect_format(renamed) == "c3d"
    text = tmp_path / "apples.dat"
    text.write_text("APPLES 1 2\n")  # "AP" is not a C3D header
    with pytest.raises(InvalidInput, match="unknown recording format"):
        detect_format(text)


def test_file_suffix_does_not_decide_for_text(tmp_path: Path) -> None:
    """A Kinect table named .json, a BlazePose file named .csv: the content decides."""
    kinect = tmp_path / "odd.json"
    kinect.write_text(kinect_text(2))
    pose = tmp_path / "odd.csv"
    _blazepose(pose)
    assert detect_format(kinect) == "kinect-keraal"
    assert detect_format(pose) == "blazepose-json"


def test_the_keraal_folder_names_the_format_when_the_content_cannot(tmp_path: Path) -> None:
    folder = tmp_path / "Skeleton_Kinect" / "cacheTete" / "sub01_trial01"
    folder.mkdir(parents=True)
    path = folder / "VideoColor_Correct0.txt"
    path.write_text(" ".join(["0.1"] * 150) + "\n")
    assert detect_format(path) == "kinect-keraal"
    with pytest.raises(InvalidInput, match=r"row 1 has 150 values, expected 175"):
        read_recording(path)


def test_an_unknown_file_lists_the_formats_it_could_be_named(tmp_path: Path) -> None:
    path = tmp_path / "numbers.txt"
    path.write_text("1 2 3\n4 5 6\n")
    with pytest.raises(InvalidInput) as error:
        read_recording(path)
    message = str(error.value)
    assert "whitespace-separated rows of 3 numbers" in message
    assert all(name in message for name in FORMATS)
    assert "\n" not in message


def test_unknown_format_name_and_options_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "kinect.txt"
    path.write_text(kinect_text(2))
    with pytest.raises(InvalidInput, match="--format: expected auto or one of"):
        read_recording(path, format="kinect-v1")
    with pytest.raises(InvalidInput, match="aspect_ratio: is not an option of format kinect"):
        read_recording(path, aspect_ratio=2.0)
    with pytest.raises(InvalidInput, match="rate_hz: must be a positive"):
        read_recording(path, rate_hz=0.0)
    assert read_recording(path, rate_hz=30.0).rate_hz == pytest.approx(30.0)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00")
    with pytest.raises(InvalidInput, match="rate_hz: is not an option of format video"):
        read_recording(video, rate_hz=30.0)


def test_video_options_are_ignored_for_files(tmp_path: Path) -> None:
    path = tmp_path / "kinect.txt"
    path.write_text(kinect_text(2))
    series = read_recording(path, model="lite", progress=None, mirrored=True)
    assert series.frames == 2


def test_reading_files_never_loads_mediapipe_or_ezc3d(tmp_path: Path) -> None:
    """Video goes through a lazy import: a CSV or Kinect user never pays for MediaPipe."""
    csv_path, kinect_path = tmp_path / "a.csv", tmp_path / "k.txt"
    _csv(csv_path)
    kinect_path.write_text(kinect_text(2))
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from spinecoach.adapters.sensors import read_recording\n"
        f"read_recording(Path({str(csv_path)!r}))\nread_recording(Path({str(kinect_path)!r}))\n"
        "loaded = [m for m in ('mediapipe', 'cv2', 'ezc3d') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


# Bad files: (format, file name, content) -> the problem the one-line error names.
BAD_TEXT = [
    ("kinect-keraal", "k.txt", "", "is empty"),
    ("kinect-keraal", "k.txt", kinect_text(2) + " ".join(["0"] * 150), "row 3 has 150 values"),
    ("kinect-keraal", "k.txt", "abc " + kinect_text(1).split(" ", 1)[1], "'abc' is not a number"),
    ("vicon-keraal", "v.txt", "  \n\n", "is empty"),
    ("vicon-keraal", "v.txt", vicon_text(1) + "1 2 3\n", "row 2 has 3 values, expected 119"),
    ("vicon-keraal", "v.txt", vicon_text(2) + "x " * 118 + "x", "row 3, value 1: 'x' is not"),
    ("blazepose-json", "b.json", "", "is empty"),
    ("blazepose-json", "b.json", '{"positions": {"1": {"Nose": [0.1, 0.2', "not valid JSON"),
    ("blazepose-json", "b.json", '{"positions": {"1": {"Nose": [0.1, "a", 0]}}}', "frame 1, Nose"),
    ("blazepose-json", "b.json", '{"positions": {"1": {"Nose": [0.1, 0.2]}}}', "frame 1, Nose"),
    ("blazepose-json", "b.json", '{"positions": {}}', "holds no frames"),
    ("blazepose-json", "b.json", '{"positions": {"x": {"Nose": [0, 0, 0]}}}', "frame key 'x'"),
    ("blazepose-json", "b.json", '{"frames": []}', 'no "positions" object'),
    ("openpose-json", "o.json", "", "is empty"),
    ("openpose-json", "o.json", '{"positions": {"1.0": {"lWrist": [0.1]}}}', "frame 1, lWrist"),
    ("openpose-json", "o.json", '{"people": [{"pose_keypoints_2d": [1, 2, 3]}]}', "18 (COCO)"),
    ("openpose-json", "o.json", '{"people": []}', "no person in any frame"),
    ("landmarks-csv", "l.csv", "", "is empty"),
    ("landmarks-csv", "l.csv", "time_s,head_x,head_y\n0,1,2\n0.1,1\n", "row 3 has 2 values"),
    ("landmarks-csv", "l.csv", "time_s,head_x,head_y\n0,1,two\n", "'two' is not a number"),
    ("c3d", "c.c3d", "", "not a readable C3D file"),
    ("c3d", "c.c3d", "not a c3d file at all", "not a readable C3D file"),
]


@pytest.mark.parametrize(("name", "file_name", "content", "problem"), BAD_TEXT)
def test_bad_files_get_one_line_naming_the_file(
    tmp_path: Path, name: str, file_name: str, content: str, problem: str
) -> None:
    path = tmp_path / file_name
    path.write_text(content)
    with pytest.raises(InvalidInput) as error:
        read_recording(path, format=name)
    message = str(error.value)
    assert problem in message
    assert error.value.field == str(path)
    assert "\n" not in message


def test_a_truncated_c3d_file_gets_one_line(tmp_path: Path) -> None:
    whole = tmp_path / "whole.c3d"
    write_c3d(whole)
    cut = tmp_path / "cut.c3d"
    cut.write_bytes(whole.read_bytes()[:1500])
    with pytest.raises(InvalidInput, match="not a readable C3D file") as error:
        read_recording(cut)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("name", [*FORMATS, "auto"])
def test_missing_files_and_folders(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput, match="no such file") as error:
        read_recording(tmp_path / "nothing.txt", format=name)
    assert error.value.field == str(tmp_path / "nothing.txt")
    with pytest.raises(InvalidInput, match="folder") as error:
        read_recording(tmp_path, format=name)
    assert error.value.field == str(tmp_path)


@pytest.mark.parametrize("content", [b"", b"  \n\n", gzip.compress(b"\n")])
def test_an_empty_file_of_unknown_kind_is_called_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "nothing.txt"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match="is empty"):
        read_recording(path)


def test_a_binary_file_is_not_taken_for_text(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InvalidInput, match="binary data"):
        detect_format(path)
    with pytest.raises(InvalidInput, match="is not a text file"):
        read_recording(path, format="kinect-keraal")


def test_a_broken_gzip_file_gets_one_line(tmp_path: Path) -> None:
    path = tmp_path / "k.txt.gz"
    path.write_bytes(gzip.compress(kinect_text(3).encode())[:40])
    with pytest.raises(InvalidInput, match="cannot be read") as error:
        read_recording(path, format="kinect-keraal")
    assert "\n" not in str(error.value)
