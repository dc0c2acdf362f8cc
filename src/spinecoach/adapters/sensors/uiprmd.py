"""UI-PRMD Kinect skeletons (Vakanski et al. 2018, Data 3(1):2), rebuilt by forward kinematics.

Only the first joint (waist) of a ``_positions`` file is in world coordinates; every other
joint is an offset in its parent's frame, and the matching ``_angles`` file (sibling folder
``Angles``) holds each joint's rotation relative to its parent in degrees. What was worked out
from the data (docs/formats.md has the checks and numbers):

* joint order and hierarchy below (offset lengths are constant bone lengths; left and right
  limbs mirror each other in x);
* units are centimetres (upper arm ≈ 27 cm, thigh ≈ 34 cm);
* the angle columns are rotations about x, y and z composed intrinsically in the order
  z, x, y: of the six orders it is the only one that keeps both feet level and on the floor
  through a deep squat (feet within 2.5 cm of each other; 11 cm of vertical travel while the
  waist drops 61 cm, against 47–85 cm for the other orders);
* y is up and the subject faces +z (towards the sensor at the origin), so +x is their left.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.files import frame_times, numeric_rows
from spinecoach.analysis.kinematics import forward_kinematics
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput

JOINTS = 22
# Waist, spine, chest, neck, head, head tip, left collar, shoulder, elbow, wrist, right collar,
# shoulder, elbow, wrist, left hip, knee, ankle, toes, right hip, knee, ankle, toes.
PARENTS = (-1, 0, 1, 2, 3, 4, 2, 6, 7, 8, 2, 10, 11, 12, 0, 14, 15, 16, 0, 18, 19, 20)
EULER_ORDER = "zxy"
RATE_HZ = 30.0  # Kinect v2 (Vakanski et al. 2018)
_TO_COMMON = {
    0: "pelvis",
    1: "spine_mid",
    2: "thorax",
    3: "neck",
    4: "head",
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
_NAME = re.compile(r"^(m\d\d_s\d\d_e\d\d)_(positions|angles)(_inc)?\.txt(\.gz)?$")


def sniff(path: Path) -> bool:
    return bool(_NAME.match(path.name))


def _siblings(path: Path) -> tuple[Path, Path]:
    match = _NAME.match(path.name)
    if match is None:
        raise InvalidInput(
            str(path), "not a UI-PRMD file name (mXX_sYY_eZZ_positions[_inc].txt[.gz])"
        )
    stem, _, incorrect, gz = match.groups()
    suffix = f"{incorrect or ''}.txt{gz or ''}"
    folder = path.parent.parent
    positions = folder / "Positions" / f"{stem}_positions{suffix}"
    angles = folder / "Angles" / f"{stem}_angles{suffix}"
    for needed, what in ((positions, "positions"), (angles, "angles")):
        if not needed.is_file():
            raise InvalidInput(str(path), f"no matching {what} file: {needed}")
    return positions, angles


def read(path: Path, *, rate_hz: float = RATE_HZ) -> LandmarkSeries:
    """A UI-PRMD recording, given its positions or its angles file, in metres."""
    positions_file, angles_file = _siblings(path)
    what = "UI-PRMD Kinect (22 joints × 3)"
    offsets = numeric_rows(positions_file, columns=JOINTS * 3, what=what, separator=",")
    angles = numeric_rows(angles_file, columns=JOINTS * 3, what=what, separator=",")
    if offsets.shape[0] != angles.shape[0]:
        raise InvalidInput(
            str(path),
            f"positions has {offsets.shape[0]} frames but angles has {angles.shape[0]}",
        )
    offsets = offsets.reshape(-1, JOINTS, 3) / 100.0
    world = forward_kinematics(
        offsets[:, 0], offsets, angles.reshape(-1, JOINTS, 3), PARENTS, EULER_ORDER
    )
    picked = list(_TO_COMMON)
    return LandmarkSeries(
        frame_times(world.shape[0], rate_hz),
        world[:, picked],
        np.ones((world.shape[0], len(picked))),
        tuple(_TO_COMMON.values()),
        "m",
        source=f"UI-PRMD Kinect {positions_file.name}",
    )
