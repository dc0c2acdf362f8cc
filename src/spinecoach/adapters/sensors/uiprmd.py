"""UI-PRMD Kinect skeletons (Vakanski et al. 2018, Data 3(1):2), rebuilt by forward kinematics.

A recording is two CSV files of 22 joints × 3 values per frame: ``..._positions[_inc].txt[.gz]``
in a ``Positions`` folder and ``..._angles[_inc].txt[.gz]`` in the parallel ``Angles`` folder.
Only the first joint (waist) of the positions file is in world coordinates; every other joint is
an offset in its parent's frame, and the angles file holds each joint's rotation relative to
its parent. What was worked out from the data (docs/formats-uiprmd.md has the checks and
numbers):

* the parent table below (offset lengths are near-constant bone lengths; left and right limbs
  mirror each other in x);
* units are centimetres (thigh ≈ 38 cm, shank ≈ 39 cm, forearm ≈ 25 cm);
* angles are degrees about x, y and z (in that column order), composed intrinsically z, x, y:
  of the six orders only this one keeps the feet on the floor through a deep squat (median
  13.5 cm of foot travel against 53–107 cm);
* y is up with the floor near 0, and the subject faces +z (towards the sensor at the origin)
  with their left at +x: our convention, so no axis change is needed;
* joint 3 ("neck" in the paper) sits a fixed 0.7 cm above the chest and never turns, so the
  paper's "head" (joint 4, ≈ 7 cm above the chest) is the Kinect neck and its "head tip"
  (joint 5, ≈ 23 cm above the chest) the Kinect head, and they are mapped that way.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.files import frame_times, head_text, numeric_rows, row_width
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.kinematics import forward_kinematics
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries
from spinecoach.domain.errors import InvalidInput

JOINTS = 22
COLUMNS = JOINTS * 3
# 0 waist, 1 spine, 2 chest, 3 neck (dummy), 4 head, 5 head tip, 6 left collar, 7 left shoulder,
# 8 left elbow, 9 left wrist, 10-13 the same on the right, 14 left hip, 15 knee, 16 ankle,
# 17 toes, 18-21 the same on the right (names as in Vakanski et al. 2018).
# Parents, chain by chain: spine and head (joints 0-5), arms (6-9, 10-13), legs (14-17, 18-21).
PARENTS = (-1, 0, 1, 2, 3, 4, 2, 6, 7, 8, 2, 10, 11, 12, 0, 14, 15, 16, 0, 18, 19, 20)
EULER_ORDER = "zxy"
RATE_HZ = 30.0  # Kinect v2 body tracking runs at 30 frames/s
CENTIMETRES = 0.01
TO_COMMON: dict[int, str] = {
    0: "pelvis",
    1: "spine_mid",
    2: "thorax",
    4: "neck",
    5: "head",
    7: "left_shoulder",
    8: "left_elbow",
    9: "left_wrist",
    11: "right_shoulder",
    12: "right_elbow",
    13: "right_wrist",
    14: "left_hip",
    15: "left_knee",
    16: "left_ankle",
    17: "left_foot",
    18: "right_hip",
    19: "right_knee",
    20: "right_ankle",
    21: "right_foot",
}
_NAME = re.compile(r"^(?P<stem>.+)_(?P<kind>positions|angles)(?P<inc>_inc)?\.txt(?P<gz>\.gz)?$")
_FOLDER = {"positions": "Positions", "angles": "Angles"}
_NAME_HINT = "a UI-PRMD file name (..._positions[_inc].txt[.gz] or ..._angles[_inc].txt[.gz])"


def sniff(path: Path) -> bool:
    """Whether ``path`` looks like a UI-PRMD Kinect file: by its name, or a first row of 66
    comma-separated numbers (plain or gzip). Never raises."""
    return bool(_NAME.match(path.name)) or row_width(head_text(path), ",") == COLUMNS


def _sibling(path: Path, kind: str, stem: str, incorrect: str, gz: str) -> Path:
    """The file of ``kind`` for the same recording: in the parallel folder, else alongside."""
    other = "angles" if kind == "positions" else "positions"
    names = [f"{stem}_{other}{incorrect}.txt{gz}", f"{stem}_{other}{incorrect}.txt{gz or '.gz'}"]
    folders = [path.parent]
    if path.parent.name == _FOLDER[kind]:
        folders.insert(0, path.parent.parent / _FOLDER[other])
    for folder in folders:
        for name in names:
            if (folder / name).is_file():
                return folder / name
    raise InvalidInput(str(path), f"no matching {other} file: {folders[0] / names[0]}")


def _table(path: Path) -> FloatArray:
    rows = numeric_rows(path, columns=COLUMNS, what="UI-PRMD Kinect (22 joints × 3)", separator=",")
    if not np.isfinite(rows).all():
        row = int(np.argmax(~np.isfinite(rows).all(axis=1))) + 1
        raise InvalidInput(str(path), f"row {row} holds a value that is not a finite number")
    return rows.reshape(-1, JOINTS, 3)


def read(path: Path, *, rate_hz: float = RATE_HZ) -> LandmarkSeries:
    """A UI-PRMD Kinect recording, given its positions or its angles file, in metres (y up)."""
    match = _NAME.match(path.name)
    if match is None:
        raise InvalidInput(str(path), f"expected {_NAME_HINT} to find its sibling file")
    if not path.is_file():
        raise InvalidInput(str(path), "no such file")
    kind = match["kind"]
    sibling = _sibling(path, kind, match["stem"], match["inc"] or "", match["gz"] or "")
    positions_file, angles_file = (path, sibling) if kind == "positions" else (sibling, path)
    offsets = _table(positions_file)
    angles = _table(angles_file)
    if offsets.shape[0] != angles.shape[0]:
        raise InvalidInput(
            str(path),
            f"{positions_file.name} has {offsets.shape[0]} frames but {angles_file.name} has "
            f"{angles.shape[0]}",
        )
    try:
        world = forward_kinematics(
            offsets[:, 0], offsets, angles, parents=PARENTS, order=EULER_ORDER
        )
    except AnalysisError as error:  # shapes are checked above; kept as a one-line message
        raise InvalidInput(str(path), error.problem) from None
    picked = list(TO_COMMON)
    return LandmarkSeries(
        frame_times(world.shape[0], rate_hz),
        world[:, picked] * CENTIMETRES,
        np.ones((world.shape[0], len(picked))),
        tuple(TO_COMMON.values()),
        "m",
        source=f"UI-PRMD Kinect {positions_file.name}",
    )
