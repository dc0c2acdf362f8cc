"""C3D motion-capture markers (ezc3d), mapped onto the common landmarks by marker name.

Marker names follow the Plug-in Gait conventions most labs use (LASI, RASI, C7, LSHO, ...);
a subject prefix ("Jane:LASI") is ignored and case does not matter. Where a joint has two
markers (wrist LWRA/LWRB, head LFHD/RFHD/LBHD/RBHD) their mean is the landmark. The hip joint
landmark is the anterior superior iliac spine marker of that side - a surface proxy, close
enough for trunk and pelvis angles but not for hip joint centres.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput

_MARKERS: dict[str, tuple[str, ...]] = {
    "head": ("LFHD", "RFHD", "LBHD", "RBHD"),
    "neck": ("C7",),
    "thorax": ("CLAV", "STRN"),
    "left_shoulder": ("LSHO",),
    "right_shoulder": ("RSHO",),
    "left_elbow": ("LELB",),
    "right_elbow": ("RELB",),
    "left_wrist": ("LWRA", "LWRB"),
    "right_wrist": ("RWRA", "RWRB"),
    "left_hip": ("LASI",),
    "right_hip": ("RASI",),
    "pelvis": ("LASI", "RASI", "LPSI", "RPSI"),
    "left_knee": ("LKNE",),
    "right_knee": ("RKNE",),
    "left_ankle": ("LANK",),
    "right_ankle": ("RANK",),
    "left_heel": ("LHEE",),
    "right_heel": ("RHEE",),
    "left_foot": ("LTOE",),
    "right_foot": ("RTOE",),
}
_SCALE = {"mm": "mm", "m": "m", "cm": "cm"}


def sniff(path: Path) -> bool:
    """C3D files carry 0x50 as the second byte of their first block."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
    except OSError:
        return False
    return path.suffix.lower() == ".c3d" or (len(head) == 2 and head[1] == 0x50)


def read(path: Path) -> LandmarkSeries:
    """Markers of a C3D file as landmarks (z-up labs are turned y-up, keeping handedness)."""
    import ezc3d  # imported here: only C3D users load it

    if not path.is_file():
        raise InvalidInput(str(path), "no such file")
    try:
        c3d = ezc3d.c3d(str(path))
    except (RuntimeError, ValueError, OSError) as error:
        raise InvalidInput(str(path), f"not a readable C3D file ({error})") from None
    point = c3d["parameters"]["POINT"]
    labels = [str(label).split(":")[-1].strip().upper() for label in point["LABELS"]["value"]]
    rate = float(point["RATE"]["value"][0])
    declared = point["UNITS"]["value"] if "UNITS" in point else []
    # C3D's default unit is the millimetre when a file does not say.
    unit = str(declared[0]).strip().lower() if len(declared) else "mm"
    if unit not in _SCALE:
        raise InvalidInput(f"{path}: POINT:UNITS", f"expected mm, cm or m, got {unit!r}")
    data = np.asarray(c3d["data"]["points"], dtype=np.float64)[:3]  # (3, markers, frames)
    residuals = np.asarray(c3d["data"]["meta_points"]["residuals"], dtype=np.float64)[0]
    xyz = np.transpose(data, (2, 1, 0))  # frames, markers, 3
    lost = (residuals.T < 0) | np.all(xyz == 0, axis=2) | ~np.isfinite(xyz).all(axis=2)
    xyz[lost] = np.nan
    if unit == "cm":
        xyz, unit = xyz * 10.0, "mm"
    index = {label: i for i, label in enumerate(labels)}
    names, columns = [], []
    for landmark, markers in _MARKERS.items():
        found = [index[m] for m in markers if m in index]
        if found:
            names.append(landmark)
            with np.errstate(all="ignore"):
                columns.append(
                    np.nanmean(xyz[:, found], axis=1) if len(found) > 1 else xyz[:, found[0]]
                )
    if not names:
        raise InvalidInput(str(path), "no Plug-in Gait marker names found (e.g. LASI, RASI, C7)")
    positions = np.stack(columns, axis=1)
    # Labs put z up: (x, y, z) -> (y, z, x) is a rotation that makes y up.
    positions = positions[..., [1, 2, 0]]
    confidence = np.isfinite(positions[..., 0]).astype(np.float64)
    frames = positions.shape[0]
    return LandmarkSeries(
        np.arange(frames) / rate,
        positions,
        confidence,
        tuple(names),
        unit,
        source=f"C3D {path.name}",
    )
