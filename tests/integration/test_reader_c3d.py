"""C3D reader: files written with ezc3d and read back with known marker positions, units, rates,
vertical axes, missing markers and hip joint centres (Bell et al. 1989)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinecoach.adapters.sensors import detect_format, read_recording
from spinecoach.adapters.sensors.c3d import read
from spinecoach.domain.errors import InvalidInput
from tests.integration.test_sensor_readers import write_c3d

pytest.importorskip("ezc3d")

# A standing subject in a z-up lab, facing +x, left towards +y (mm).
PELVIS = {
    "Sub:LASI": np.array([100.0, 120.0, 1000.0]),
    "Sub:RASI": np.array([100.0, -120.0, 1000.0]),
    "Sub:LPSI": np.array([-60.0, 50.0, 1000.0]),
    "Sub:RPSI": np.array([-60.0, -50.0, 1000.0]),
}
UPPER = {
    "c7": np.array([-50.0, 0.0, 1500.0]),
    "CLAV": np.array([70.0, 0.0, 1450.0]),
    "LSHO": np.array([0.0, 180.0, 1450.0]),
    "RSHO": np.array([0.0, -180.0, 1450.0]),
    "LFHD": np.array([80.0, 70.0, 1700.0]),
    "RFHD": np.array([80.0, -70.0, 1700.0]),
    "LBHD": np.array([-80.0, 70.0, 1700.0]),
    "RBHD": np.array([-80.0, -70.0, 1700.0]),
    "LWRA": np.array([0.0, 250.0, 900.0]),
    "LWRB": np.array([0.0, 210.0, 900.0]),
    "LANK": np.array([0.0, 100.0, 80.0]),
}


def _lab_to_ours(point: np.ndarray) -> np.ndarray:
    """z-up lab (x, y, z) -> (y, z, x)."""
    return point[[1, 2, 0]]


def test_plug_in_gait_markers_become_landmarks(tmp_path: Path) -> None:
    path = tmp_path / "trial.c3d"
    write_c3d(path, {**PELVIS, **UPPER}, rate=120.0, frames=6)
    series = read_recording(path)
    assert detect_format(path) == "c3d"
    assert series.unit == "mm"
    assert series.frames == 6
    np.testing.assert_allclose(np.diff(series.time), 1 / 120)
    np.testing.assert_allclose(series.point("neck")[0], _lab_to_ours(UPPER["c7"]))
    np.testing.assert_allclose(series.point("head")[0], [0.0, 1700.0, 0.0])
    np.testing.assert_allclose(series.point("left_wrist")[0], [230.0, 900.0, 0.0])
    np.testing.assert_allclose(series.point("thorax")[0], [0.0, 1475.0, 10.0])  # C7 + CLAV
    np.testing.assert_allclose(series.point("pelvis")[0], [0.0, 1000.0, 20.0])
    np.testing.assert_allclose(series.point("left_ankle")[0], [100.0, 80.0, 0.0])
    assert series.has("left_shoulder")
    assert not series.has("right_knee")
    np.testing.assert_allclose(series.confidence, 1.0)


def test_hip_joint_centres_follow_bell_1989(tmp_path: Path) -> None:
    """ASIS 240 mm apart: the centre is 72 mm below, 33.6 mm medial to and 52.8 mm behind
    each ASIS (30%, 14%, 22% of the inter-ASIS distance). The pelvis here is level, so the
    directions are the lab's."""
    path = tmp_path / "pelvis.c3d"
    write_c3d(path, PELVIS)
    series = read(path)
    left = np.array([100.0 - 52.8, 120.0 - 33.6, 1000.0 - 72.0])
    right = np.array([100.0 - 52.8, -120.0 + 33.6, 1000.0 - 72.0])
    np.testing.assert_allclose(series.point("left_hip")[0], _lab_to_ours(left))
    np.testing.assert_allclose(series.point("right_hip")[0], _lab_to_ours(right))


def test_hip_centres_turn_with_the_pelvis(tmp_path: Path) -> None:
    """A pelvis turned 90 deg about the vertical keeps its hips in the same body position."""
    turn = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    straight, turned = tmp_path / "a.c3d", tmp_path / "b.c3d"
    write_c3d(straight, PELVIS)
    write_c3d(turned, {name: turn @ point for name, point in PELVIS.items()})
    first, second = read(straight), read(turned)
    for side in ("left", "right"):
        before = first.point(f"{side}_hip")[0][[2, 0, 1]]  # ours -> lab (x, y, z)
        after = second.point(f"{side}_hip")[0][[2, 0, 1]]
        np.testing.assert_allclose(after, turn @ before, atol=1e-9)


def test_without_back_markers_the_asis_stands_in_for_the_hip(tmp_path: Path) -> None:
    path = tmp_path / "front.c3d"
    write_c3d(path, {k: v for k, v in PELVIS.items() if "ASI" in k})
    series = read(path)
    np.testing.assert_allclose(series.point("left_hip")[0], _lab_to_ours(PELVIS["Sub:LASI"]))
    assert not series.has("pelvis")


def test_units_in_metres_and_centimetres(tmp_path: Path) -> None:
    metres, centimetres = tmp_path / "m.c3d", tmp_path / "cm.c3d"
    write_c3d(metres, {"LSHO": np.array([0.1, 0.2, 1.4])}, unit="m")
    write_c3d(centimetres, {"LSHO": np.array([10.0, 20.0, 140.0])}, unit="cm")
    in_metres = read(metres)
    assert in_metres.unit == "m"
    np.testing.assert_allclose(in_metres.point("left_shoulder")[0], [0.2, 1.4, 0.1])
    in_mm = read(centimetres)
    assert in_mm.unit == "mm"
    np.testing.assert_allclose(in_mm.point("left_shoulder")[0], [200.0, 1400.0, 100.0])


def test_the_vertical_axis_comes_from_y_screen_or_the_caller(tmp_path: Path) -> None:
    path = tmp_path / "y_up.c3d"
    write_c3d(path, {"LSHO": np.array([1.0, 2.0, 3.0])}, extra={"Y_SCREEN": ["+Y"]})
    np.testing.assert_allclose(read(path).point("left_shoulder")[0], [1.0, 2.0, 3.0])
    # x up: (x, y, z) -> (z, x, y); z down: y = -z, x = y, z = x cross y = -x
    np.testing.assert_allclose(read(path, vertical="x").point("left_shoulder")[0], [3.0, 1.0, 2.0])
    np.testing.assert_allclose(
        read(path, vertical="-z").point("left_shoulder")[0], [2.0, -3.0, -1.0]
    )
    with pytest.raises(InvalidInput, match="vertical: expected an axis"):
        read(path, vertical="up")


@pytest.mark.parametrize("vertical", ["x", "y", "z", "-x", "-y", "-z"])
def test_every_vertical_choice_is_a_rotation(tmp_path: Path, vertical: str) -> None:
    """Distances and handedness survive: the triple product of three markers keeps its sign."""
    points = {
        "LSHO": np.array([1.0, 0.0, 0.0]),
        "RSHO": np.array([0.0, 1.0, 0.0]),
        "LELB": np.array([0.0, 0.0, 1.0]),
    }
    path = tmp_path / "axes.c3d"
    write_c3d(path, points)
    series = read(path, vertical=vertical)
    a, b, c = (series.point(n)[0] for n in ("left_shoulder", "right_shoulder", "left_elbow"))
    assert np.dot(a, np.cross(b, c)) == pytest.approx(1.0)
    axis = "xyz".index(vertical[-1])
    up = series.positions[0][:, 1]
    expected = np.array([p[axis] for p in points.values()]) * (-1 if "-" in vertical else 1)
    np.testing.assert_allclose(up, expected)


def test_missing_markers_are_missing(tmp_path: Path) -> None:
    track = np.tile([0.0, 180.0, 1450.0], (4, 1))
    track[1] = np.nan  # written as invalid
    track[2] = 0.0  # the all-zeros convention of older files
    path = tmp_path / "gaps.c3d"
    write_c3d(path, {"LSHO": track}, frames=4)
    series = read(path)
    assert series.visibility("left_shoulder").tolist() == [1.0, 0.0, 0.0, 1.0]
    assert np.isnan(series.point("left_shoulder")[1:3]).all()


def test_c3d_without_known_markers_or_with_a_bad_unit(tmp_path: Path) -> None:
    path = tmp_path / "other.c3d"
    write_c3d(path, {"M1": np.zeros(3) + 1.0})
    with pytest.raises(InvalidInput, match="no Plug-in Gait marker names"):
        read(path)
    write_c3d(path, {"LSHO": np.zeros(3) + 1.0}, unit="in")
    with pytest.raises(InvalidInput, match="POINT:UNITS: expected mm, cm or m, got 'in'"):
        read(path)
