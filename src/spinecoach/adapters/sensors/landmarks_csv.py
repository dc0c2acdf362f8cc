"""spinecoach's own landmarks CSV: what ``spinecoach landmarks`` writes and every command reads.

Layout (docs/formats.md)::

    # spinecoach landmarks; unit=image_height; source=VideoColor_Correct0.avi
    time_s,left_shoulder_x,left_shoulder_y,left_shoulder_z,left_shoulder_c,...
    0.000,0.9123,0.6012,-0.1021,0.998,...

One column group per landmark in the common names (``_x``, ``_y``, optional ``_z``, optional
``_c`` confidence in [0, 1]); y is up; empty cells are missing values. The first line is an
optional comment giving the unit (m, mm, image_height, px; m when absent) and the source.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.files import read_text
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import LANDMARKS, UNITS, LandmarkSeries
from spinecoach.domain.errors import InvalidInput

HEADER_MARK = "# spinecoach landmarks"


def sniff(path: Path) -> bool:
    try:
        head = read_text(path)[:4096]
    except InvalidInput:
        return False
    lines = [line for line in head.splitlines() if line.strip()]
    if lines and lines[0].startswith(HEADER_MARK):
        return True
    return bool(lines) and lines[0].split(",")[0].strip() == "time_s"


def _comment_fields(line: str) -> dict[str, str]:
    fields = {}
    for part in line.lstrip("#").split(";"):
        key, _, value = part.partition("=")
        if value:
            fields[key.strip()] = value.strip()
    return fields


def read(path: Path) -> LandmarkSeries:
    """Read our landmarks CSV (see the module docstring)."""
    text = read_text(path)
    lines = text.splitlines()
    meta: dict[str, str] = {}
    if lines and lines[0].startswith("#"):
        meta = _comment_fields(lines[0])
        lines = lines[1:]
    rows = list(csv.reader(line for line in lines if line.strip()))
    if not rows:
        raise InvalidInput(str(path), "is empty")
    header = [cell.strip() for cell in rows[0]]
    if not header or header[0] != "time_s":
        raise InvalidInput(str(path), "not a landmarks CSV: the first column must be time_s")
    unit = meta.get("unit", "m")
    if unit not in UNITS:
        raise InvalidInput(f"{path}: unit", f"expected one of {', '.join(UNITS)}, got {unit!r}")
    groups: dict[str, dict[str, int]] = {}
    for column, name in enumerate(header[1:], start=1):
        landmark, _, axis = name.rpartition("_")
        if landmark not in LANDMARKS or axis not in ("x", "y", "z", "c"):
            raise InvalidInput(f"{path}: column {name!r}", "expected <landmark>_x|y|z|c")
        groups.setdefault(landmark, {})[axis] = column
    if not groups:
        raise InvalidInput(str(path), "holds no landmark columns")
    dims = 3 if any("z" in g for g in groups.values()) else 2
    for landmark, axes in groups.items():
        if not {"x", "y"} <= set(axes) or (dims == 3 and "z" not in axes):
            raise InvalidInput(f"{path}: {landmark}", f"needs _x, _y{', _z' if dims == 3 else ''}")
    body = rows[1:]
    if not body:
        raise InvalidInput(str(path), "has a header but no frames")
    table = np.full((len(body), len(header)), np.nan)
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise InvalidInput(
                str(path), f"row {number} has {len(row)} cells, the header has {len(header)}"
            )
        for column, cell in enumerate(row):
            if cell.strip():
                try:
                    table[number - 2, column] = float(cell)
                except ValueError:
                    raise InvalidInput(
                        str(path),
                        f"row {number}, column {header[column]}: {cell!r} is not a number",
                    ) from None
    names = tuple(groups)
    axes_order = ("x", "y", "z")[:dims]
    positions = np.stack(
        [np.column_stack([table[:, groups[n][a]] for a in axes_order]) for n in names], axis=1
    )
    confidence = np.column_stack(
        [
            table[:, groups[n]["c"]] if "c" in groups[n] else np.isfinite(positions[:, i, 0]) * 1.0
            for i, n in enumerate(names)
        ]
    )
    try:
        return LandmarkSeries(
            table[:, 0], positions, confidence, names, unit, source=meta.get("source", path.name)
        )
    except AnalysisError as error:
        raise InvalidInput(f"{path}: {error.field}", error.problem) from None


def write_landmarks_csv(series: LandmarkSeries, path: Path) -> None:
    """Write a series in the layout :func:`read` reads back; written whole or not at all."""
    axes = ("x", "y", "z")[: series.dims]
    buffer = io.StringIO()
    buffer.write(f"{HEADER_MARK}; unit={series.unit}; source={series.source.replace(';', ',')}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["time_s", *[f"{n}_{a}" for n in series.names for a in (*axes, "c")]])
    per_point = series.dims + 1
    table = np.empty((series.frames, 1 + per_point * len(series.names)))
    table[:, 0] = series.time
    for i in range(len(series.names)):
        start = 1 + i * per_point
        table[:, start : start + series.dims] = series.positions[:, i]
        table[:, start + series.dims] = series.confidence[:, i]
    for row in table:
        cells = ["" if not np.isfinite(v) else f"{v:.7g}" for v in row[1:]]
        writer.writerow([f"{row[0]:.6f}", *cells])
    temporary = path.with_name(path.name + ".partial")
    temporary.write_text(buffer.getvalue(), encoding="utf-8")
    temporary.replace(path)
