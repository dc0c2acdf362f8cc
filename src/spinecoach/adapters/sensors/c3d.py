"""C3D motion-capture markers (read with ezc3d), mapped onto the common landmarks by name.

Marker names follow Plug-in Gait, the marker set most labs use (LASI, RASI, C7, LSHO, ...); a
subject prefix ("Jane:LASI") and case are ignored. A landmark made of several markers is their
mean where all of them are seen (head: LFHD/RFHD/LBHD/RBHD; wrist: LWRA/LWRB). The hip joint
centres are placed from the pelvis markers by Bell, Brand & Pedersen's regression (1989,
Human Movement Science 8:3-16): in adults the centre lies 30% of the inter-ASIS distance
distal, 14% medial and 22% posterior to each ASIS marker; without a posterior pelvis marker
(LPSI/RPSI or SACR) to give the pelvis's front-back axis, the ASIS markers stand in for the hips.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from spinecoach.adapters.sensors.files import check_file, plain_suffix, seen_points
from spinecoach.analysis.timeseries import FloatArray, LandmarkSeries
from spinecoach.domain.errors import InvalidInput

# Landmark -> Plug-in Gait markers averaged to make it (the first group found is used).
_MARKERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "head": (("LFHD", "RFHD", "LBHD", "RBHD"), ("LFHD", "RFHD")),
    "neck": (("C7",),),
    # The top of the thorax between front and back (like Kinect's SpineShoulder), else the
    # front markers alone.
    "thorax": (("CLAV", "C7"), ("CLAV",), ("STRN",)),
    "spine_mid": (("STRN", "T10"),),
    "left_shoulder": (("LSHO",),),
    "right_shoulder": (("RSHO",),),
    "left_elbow": (("LELB",),),
    "right_elbow": (("RELB",),),
    "left_wrist": (("LWRA", "LWRB"), ("LWRA",), ("LWRB",)),
    "right_wrist": (("RWRA", "RWRB"), ("RWRA",), ("RWRB",)),
    "pelvis": (("LASI", "RASI", "LPSI", "RPSI"), ("LASI", "RASI", "SACR")),
    "left_knee": (("LKNE",),),
    "right_knee": (("RKNE",),),
    "left_ankle": (("LANK",),),
    "right_ankle": (("RANK",),),
    "left_heel": (("LHEE",),),
    "right_heel": (("RHEE",),),
    "left_foot": (("LTOE",),),
    "right_foot": (("RTOE",),),
}
# Bell et al. (1989): hip joint centre from the ASIS, as fractions of the inter-ASIS distance.
BELL_DISTAL = 0.30
BELL_MEDIAL = 0.14
BELL_POSTERIOR = 0.22
_AXES = {"x": 0, "y": 1, "z": 2}


def sniff(path: Path) -> bool:
    """A ``.c3d`` name, or C3D's header: parameter-block pointer then the 0x50 key byte."""
    if plain_suffix(path) == ".c3d":
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
    except OSError:
        return False
    # The first byte points to the parameter block (2 in practice): never a printable character.
    return len(head) == 2 and head[1] == 0x50 and 1 <= head[0] < 0x20


def open_c3d(path: Path) -> Any:
    """The file parsed by ezc3d (markers, analogs, parameters), or one line saying why not."""
    import ezc3d  # here, not at import: only C3D users load it

    check_file(path)
    try:
        return ezc3d.c3d(str(path))
    except (RuntimeError, ValueError, OSError, IndexError) as error:
        raise InvalidInput(str(path), f"not a readable C3D file ({error})") from None


def read(path: Path, *, vertical: str = "auto") -> LandmarkSeries:
    """Markers of a C3D file as landmarks, y up, in the file's unit (mm or m; cm becomes mm),
    at the file's POINT:RATE.

    ``vertical`` names the lab's up axis ("z", "-y", ...); "auto" takes the file's
    POINT:Y_SCREEN (the axis C3D viewers draw upwards) and else z, the usual lab convention.
    The lab's axes are then turned, without reflection, so that axis becomes y. A marker with
    a negative residual, at exactly (0, 0, 0), or not a number, is missing.
    """
    c3d = open_c3d(path)
    point = c3d["parameters"].get("POINT", {})
    labels = [_marker_name(label) for label in _values(point, "LABELS")]
    rates = _values(point, "RATE")
    rate = float(rates[0]) if len(rates) else 0.0
    if not rate > 0:
        raise InvalidInput(str(path), f"POINT:RATE must be a positive frame rate, got {rate:g}")
    unit, scale = _unit(path, _values(point, "UNITS"))
    up = _up_axis(path, vertical, _values(point, "Y_SCREEN"))
    data = np.asarray(c3d["data"]["points"], dtype=np.float64)
    if data.ndim != 3 or data.shape[2] == 0 or data.shape[1] == 0:
        raise InvalidInput(str(path), "holds no marker frames")
    xyz = np.transpose(data[:3], (2, 1, 0)) * scale  # frames, markers, 3
    residuals = np.asarray(c3d["data"]["meta_points"]["residuals"], dtype=np.float64)
    lost = np.all(xyz == 0, axis=2) | ~np.isfinite(xyz).all(axis=2)
    if residuals.size == lost.size:
        lost |= residuals.reshape(lost.shape[1], lost.shape[0]).T < 0
    xyz[lost] = np.nan
    markers = {label: xyz[:, i] for i, label in enumerate(labels[: xyz.shape[1]])}
    names, columns = _landmarks(markers)
    if not names:
        raise InvalidInput(
            str(path), "no Plug-in Gait marker names found (e.g. LASI, RASI, C7, LSHO)"
        )
    positions = _to_y_up(np.stack(columns, axis=1), up)
    return LandmarkSeries(
        np.arange(positions.shape[0], dtype=np.float64) / rate,
        positions,
        seen_points(positions).astype(np.float64),
        tuple(names),
        unit,
        source=f"C3D {path.name}",
    )


def _values(group: Any, name: str) -> list[Any]:
    """A C3D parameter's values ([] when the file does not have it)."""
    entry = group.get(name) if isinstance(group, dict) else None
    value = entry.get("value") if isinstance(entry, dict) else None
    return list(value) if value is not None else []


def _marker_name(label: object) -> str:
    return str(label).split(":")[-1].strip().upper()


def _unit(path: Path, declared: list[Any]) -> tuple[str, float]:
    """C3D's unit, mm when the file does not say (the format's default)."""
    unit = str(declared[0]).strip().lower() if declared else "mm"
    scales = {"mm": ("mm", 1.0), "m": ("m", 1.0), "cm": ("mm", 10.0)}
    if unit not in scales:
        raise InvalidInput(str(path), f"POINT:UNITS: expected mm, cm or m, got {unit!r}")
    return scales[unit]


def _up_axis(path: Path, vertical: str, screen: list[Any]) -> tuple[int, float]:
    """(axis index, +1 or -1) of the lab's up direction."""
    text = vertical.strip().lower()
    field, what = "vertical", ""
    if text == "auto":
        text = str(screen[0]).strip().lower() if screen else "+z"
        field, what = str(path), "POINT:Y_SCREEN: "
    sign = -1.0 if text.startswith("-") else 1.0
    axis = _AXES.get(text.lstrip("+-"))
    if axis is None:
        raise InvalidInput(field, f"{what}expected an axis such as z, +z or -y, got {text!r}")
    return axis, sign


def _to_y_up(points: FloatArray, up: tuple[int, float]) -> FloatArray:
    """Rotate lab coordinates so that ``up`` becomes +y: new y = up, new x = the lab axis
    after it in cyclic order (for a z-up lab: x <- y, y <- z, z <- x), new z = x cross y."""
    axis, sign = up
    new_y = np.zeros(3)
    new_y[axis] = sign
    new_x = np.zeros(3)
    new_x[(axis + 2) % 3] = 1.0
    rotation = np.stack([new_x, new_y, np.cross(new_x, new_y)])
    return np.asarray(points @ rotation.T, dtype=np.float64)


def _landmarks(markers: dict[str, FloatArray]) -> tuple[list[str], list[FloatArray]]:
    names: list[str] = []
    columns: list[FloatArray] = []
    for landmark, groups in _MARKERS.items():
        group = next((g for g in groups if all(m in markers for m in g)), None)
        if group is not None:
            names.append(landmark)
            columns.append(np.mean([markers[m] for m in group], axis=0))
    hips = _hip_centres(markers)
    if hips is not None:
        names += ["left_hip", "right_hip"]
        columns += list(hips)
    return names, columns


def _hip_centres(markers: dict[str, FloatArray]) -> tuple[FloatArray, FloatArray] | None:
    """Hip joint centres by Bell et al. (1989), or the ASIS markers without a back marker."""
    if "LASI" not in markers or "RASI" not in markers:
        return None
    left, right = markers["LASI"], markers["RASI"]
    if "LPSI" in markers and "RPSI" in markers:
        back = 0.5 * (markers["LPSI"] + markers["RPSI"])
    elif "SACR" in markers:
        back = markers["SACR"]
    else:
        return left, right
    with np.errstate(invalid="ignore", divide="ignore"):
        across = left - right  # towards the subject's left
        width = np.linalg.norm(across, axis=1, keepdims=True)
        lateral = across / width
        forward = 0.5 * (left + right) - back
        forward -= np.sum(forward * lateral, axis=1, keepdims=True) * lateral
        forward /= np.linalg.norm(forward, axis=1, keepdims=True)
    up = np.cross(forward, lateral)  # forward x left = up in a right-handed lab
    shift = width * (-BELL_DISTAL * up - BELL_POSTERIOR * forward)
    medial = BELL_MEDIAL * width * lateral
    return left + shift - medial, right + shift + medial
