"""UI-PRMD Kinect reader: the rebuilt skeleton is anatomical on real recordings; bad files give
one-line errors naming the file."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from spinecoach.adapters.sensors import detect_format
from spinecoach.adapters.sensors.uiprmd import EULER_ORDER, PARENTS, read, sniff
from spinecoach.analysis.kinematics import forward_kinematics
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput
from tests.conftest import SHARED_DATA

UIPRMD = SHARED_DATA / "uiprmd"
needs_uiprmd = pytest.mark.skipif(
    not UIPRMD.is_dir(), reason=f"UI-PRMD recordings not found at {UIPRMD}"
)


def _file(name: str, *, kind: str = "Positions", incorrect: bool = False) -> Path:
    folder = "Incorrect Segmented Movements" if incorrect else "Segmented Movements"
    suffix = "_inc" if incorrect else ""
    return UIPRMD / folder / "Kinect" / kind / f"{name}_{kind.lower()}{suffix}.txt.gz"


def _bone(series: LandmarkSeries, first: str, second: str) -> float:
    return float(np.median(np.linalg.norm(series.point(first) - series.point(second), axis=1)))


def _lowest_foot(series: LandmarkSeries) -> np.ndarray:
    feet = [
        series.point(f"{side}_{part}")[:, 1]
        for side in ("left", "right")
        for part in ("ankle", "foot")
    ]
    return np.asarray(np.min(feet, axis=0))


@pytest.mark.shared_data
@needs_uiprmd
@pytest.mark.parametrize(
    ("name", "incorrect"),
    [("m01_s01_e01", False), ("m01_s03_e02", True), ("m05_s02_e01", False), ("m07_s03_e01", False)],
)
def test_the_skeleton_is_anatomical(name: str, incorrect: bool) -> None:
    series = read(_file(name, incorrect=incorrect))
    assert series.unit == "m"
    assert series.rate_hz == pytest.approx(30.0)
    for joint, parent in (
        ("elbow", "shoulder"),
        ("wrist", "elbow"),
        ("knee", "hip"),
        ("ankle", "knee"),
        ("foot", "ankle"),
    ):
        left = _bone(series, f"left_{joint}", f"left_{parent}")
        right = _bone(series, f"right_{joint}", f"right_{parent}")
        assert 0.08 < left < 0.5, (joint, left)
        assert abs(left - right) < 0.05, (joint, left, right)
    first = {name: series.point(name)[0] for name in series.names}
    assert first["head"][1] > first["neck"][1] > first["thorax"][1] > first["pelvis"][1]
    height = first["head"][1] - _lowest_foot(series)[0]
    assert 1.35 < height < 1.9  # Kinect's head joint is the head's centre, below the vertex
    assert -0.05 < _lowest_foot(series)[0] < 0.15  # standing on a floor at y ≈ 0
    assert first["left_hip"][0] > first["right_hip"][0]  # facing +z, left is +x
    toes = first["left_foot"] - first["left_ankle"]
    assert toes[2] > abs(toes[0])  # the feet point towards the sensor (+z)


@pytest.mark.shared_data
@needs_uiprmd
def test_deep_squat_pelvis_descends_and_returns_with_the_feet_on_the_floor() -> None:
    series = read(_file("m01_s01_e01"))
    pelvis = series.point("pelvis")[:, 1]
    assert pelvis[0] - pelvis.min() > 0.4
    assert abs(pelvis[-1] - pelvis[0]) < 0.05
    assert 5 < int(np.argmin(pelvis)) < series.frames - 5
    feet = _lowest_foot(series)
    assert np.ptp(feet) < 0.15


@pytest.mark.shared_data
@needs_uiprmd
def test_shoulder_abduction_raises_the_wrist_sideways_above_the_shoulder() -> None:
    series = read(_file("m07_s03_e01"))
    rise = series.point("right_wrist")[:, 1] - series.point("right_shoulder")[:, 1]
    assert rise[0] < -0.35
    assert rise.max() > 0.3
    level = np.abs(rise) < 0.05  # on the way up, at shoulder height
    assert level.any()
    outward = series.point("right_shoulder")[level, 0] - series.point("right_wrist")[level, 0]
    forward = series.point("right_wrist")[level, 2] - series.point("right_shoulder")[level, 2]
    assert np.median(outward) > 0.35  # to the right side (-x) by about an arm's length
    assert abs(np.median(forward)) < 0.15  # in the frontal plane
    other = series.point("left_wrist")[:, 1] - series.point("left_shoulder")[:, 1]
    assert other.max() < -0.35  # the other arm hangs


@pytest.mark.shared_data
@needs_uiprmd
def test_sit_to_stand_pelvis_rises_from_the_chair() -> None:
    series = read(_file("m05_s02_e01"))
    pelvis = series.point("pelvis")[:, 1]
    lowest = int(np.argmin(pelvis))
    assert 0.3 < pelvis[lowest] < 0.55  # seated: pelvis at about chair height
    assert pelvis[lowest:].max() - pelvis[lowest] > 0.4


@pytest.mark.shared_data
@needs_uiprmd
def test_the_angles_file_reads_the_same_recording_and_is_detected() -> None:
    positions = _file("m07_s04_e02", incorrect=True)
    angles = _file("m07_s04_e02", kind="Angles", incorrect=True)
    from_positions, from_angles = read(positions), read(angles)
    np.testing.assert_array_equal(from_positions.positions, from_angles.positions)
    assert from_angles.source == from_positions.source == f"UI-PRMD Kinect {positions.name}"
    assert sniff(positions)
    assert sniff(angles)
    assert detect_format(positions) == "uiprmd-kinect"
    assert read(positions, rate_hz=15.0).duration_s == pytest.approx(
        (from_positions.frames - 1) / 15
    )


def _foot_travel(name: str, order: str) -> float:
    """Largest vertical range (cm) of an ankle or toe joint over the recording."""
    tables = [
        np.loadtxt(_file(name, kind=kind), delimiter=",").reshape(-1, 22, 3)
        for kind in ("Positions", "Angles")
    ]
    world = forward_kinematics(tables[0][:, 0], *tables, parents=PARENTS, order=order)
    return float(np.ptp(world[:, [16, 17, 20, 21], 1], axis=0).max())


@pytest.mark.shared_data
@needs_uiprmd
@pytest.mark.parametrize("name", ["m01_s01_e01", "m01_s04_e01"])
def test_only_the_chosen_euler_order_keeps_the_feet_down_in_a_deep_squat(name: str) -> None:
    travel = {
        order: _foot_travel(name, order) for order in ("xyz", "xzy", "yxz", "yzx", "zxy", "zyx")
    }
    assert travel[EULER_ORDER] < 20, travel
    assert min(cm for order, cm in travel.items() if order != EULER_ORDER) > 40, travel


def _write(path: Path, rows: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(rows) + "\n").encode()))
    return path


def _row(value: str = "1.0") -> str:
    return ",".join([value] * 66)


def _pair(tmp_path: Path, positions: list[str], angles: list[str]) -> Path:
    _write(tmp_path / "Angles" / "m01_s01_e01_angles.txt.gz", angles)
    return _write(tmp_path / "Positions" / "m01_s01_e01_positions.txt.gz", positions)


def test_a_synthetic_pair_at_rest_adds_up_the_offsets(tmp_path: Path) -> None:
    series = read(_pair(tmp_path, [_row("100.0")] * 3, [_row("0")] * 3))
    # Every offset is (1, 1, 1) m with no rotation: spine, chest, collar, shoulder, elbow and
    # wrist are six offsets above the waist; hip, knee, ankle and toes four.
    np.testing.assert_allclose(series.point("pelvis")[0], [1, 1, 1])
    np.testing.assert_allclose(series.point("left_wrist")[0], [7, 7, 7])
    np.testing.assert_allclose(series.point("right_foot")[0], [5, 5, 5])
    assert series.frames == 3


def test_the_sibling_may_sit_in_the_same_folder(tmp_path: Path) -> None:
    _write(tmp_path / "m02_s01_e01_angles_inc.txt", [_row("0")])
    series = read(_write(tmp_path / "m02_s01_e01_positions_inc.txt", [_row("0")]))
    assert series.frames == 1


@pytest.mark.parametrize(
    ("positions", "angles", "message"),
    [
        ([_row()], None, r"no matching angles file: .*Angles/m01_s01_e01_angles\.txt\.gz"),
        ([_row()[:-4]], [_row()], "row 1 has 65 values, expected 66"),
        ([_row(), _row("abc")], [_row(), _row()], r"row 2\b.*is not a number"),
        ([_row("nan")], [_row()], "row 1 holds a value that is not a finite number"),
        ([_row()] * 3, [_row()] * 2, "has 3 frames but m01_s01_e01_angles.txt.gz has 2"),
    ],
)
def test_bad_files_give_one_line_naming_the_file(
    tmp_path: Path, positions: list[str], angles: list[str] | None, message: str
) -> None:
    path = _write(tmp_path / "Positions" / "m01_s01_e01_positions.txt.gz", positions)
    if angles is not None:
        _write(tmp_path / "Angles" / "m01_s01_e01_angles.txt.gz", angles)
    with pytest.raises(InvalidInput, match=message) as error:
        read(path)
    assert "m01_s01_e01" in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_positions_sibling_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "Angles" / "m01_s01_e01_angles.txt.gz", [_row()])
    with pytest.raises(InvalidInput, match=r"no matching positions file: .*Positions"):
        read(path)


def test_a_name_without_the_pattern_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "skeleton.txt.gz", [_row()])
    assert sniff(path)  # 66 numbers per row look like UI-PRMD ...
    with pytest.raises(InvalidInput, match="expected a UI-PRMD file name"):
        read(path)  # ... but without the name there is no way to find the angles


def test_sniff_refuses_other_tables(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(" ".join(["1.0"] * 175) + "\n")
    assert not sniff(other)
    assert not sniff(tmp_path / "missing.csv")
