"""spinecoach's own landmarks CSV: what ``spinecoach landmarks`` writes and every command reads.

Layout (docs/formats.md)::

    # spinecoach landmarks; unit=image_height; source=VideoColor_Correct0.avi
    time_s,left_shoulder_x,left_shoulder_y,left_shoulder_z,left_shoulder_c,...
    0.000000,0.9123,0.6012,-0.1021,0.998,...

One column group per landmark in the common names (``_x``, ``_y``, optional ``_z`` for all
landmarks or none, optional ``_c`` confidence in [0, 1]); y is up; an empty cell is a missing
value. The optional first line is a comment giving ``unit=`` (m, mm, image_height, px; m when
absent) and ``source=``, separated by ``;``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.files import head_text, read_text, seen_points
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import LANDMARKS, UNITS, FloatArray, LandmarkSeries
from spinecoach.domain.errors import InvalidInput

HEADER_MARK = "# spinecoach landmarks"
DEFAULT_UNIT = "m"
_AXES = ("x", "y", "z", "c")


def sniff(path: Path) -> bool:
    """Our comment line, or a header row starting with ``time_s``."""
    lines = [line.strip() for line in head_text(path).splitlines() if line.strip()]
    if not lines:
        return False
    if lines[0].startswith(HEADER_MARK) or (lines[0].startswith("#") and "unit=" in lines[0]):
        return True
    return lines[0].split(",")[0].strip() == "time_s"


def _comment_fields(line: str) -> dict[str, str]:
    fields = {}
    for part in line.lstrip("#").split(";"):
        key, _, value = part.partition("=")
        if value.strip():
            fields[key.strip()] = value.strip()
    return fields


def read(path: Path) -> LandmarkSeries:
    """Read our landmarks CSV (see the module docstring)."""
    lines = [line for line in read_text(path).splitlines() if line.strip()]
    meta: dict[str, str] = {}
    if lines and lines[0].lstrip().startswith("#"):
        meta = _comment_fields(lines[0])
        lines = lines[1:]
    if not lines:
        raise InvalidInput(str(path), "holds no header row (time_s,<landmark>_x,...)")
    header = [cell.strip() for cell in lines[0].split(",")]
    if header[0] != "time_s":
        raise InvalidInput(
            str(path), f"not a landmarks CSV: the first column must be time_s, got {header[0]!r}"
        )
    unit = meta.get("unit", DEFAULT_UNIT)
    if unit not in UNITS:
        raise InvalidInput(str(path), f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    groups = _column_groups(header, path)
    body = lines[1:]
    if not body:
        raise InvalidInput(str(path), "has a header but no frames")
    table = _numbers(body, header, path)
    names = tuple(groups)
    dims = 3 if "z" in next(iter(groups.values())) else 2
    axes = [[groups[name][axis] for axis in _AXES[:dims]] for name in names]
    positions = table[:, axes]  # frames, landmarks, dims
    seen = seen_points(positions)
    confidence = np.ones(seen.shape)
    for column, name in enumerate(names):
        if "c" in groups[name]:
            confidence[:, column] = table[:, groups[name]["c"]]
    # A seen point without a confidence cell counts as sure, as in a file without _c columns.
    confidence = np.where(seen, np.where(np.isfinite(confidence), confidence, 1.0), 0.0)
    try:
        return LandmarkSeries(
            table[:, 0],
            np.where(seen[..., None], positions, np.nan),
            confidence,
            names,
            unit,
            source=meta.get("source", path.name),
        )
    except AnalysisError as error:
        raise InvalidInput(str(path), f"{error.field}: {error.problem}") from None


def _column_groups(header: list[str], path: Path) -> dict[str, dict[str, int]]:
    """Landmark -> {axis: column}, checked: known names, x and y for each, z for all or none."""
    groups: dict[str, dict[str, int]] = {}
    for column, name in enumerate(header[1:], start=1):
        landmark, _, axis = name.rpartition("_")
        if landmark not in LANDMARKS or axis not in _AXES:
            raise InvalidInput(
                str(path), f"column {column + 1} {name!r}: expected <landmark>_x, _y, _z or _c"
            )
        if axis in groups.setdefault(landmark, {}):
            raise InvalidInput(str(path), f"column {name!r} appears twice")
        groups[landmark][axis] = column
    if not groups:
        raise InvalidInput(str(path), "holds no landmark columns")
    with_z = {landmark for landmark, axes in groups.items() if "z" in axes}
    for landmark, axes in groups.items():
        if "x" not in axes or "y" not in axes:
            raise InvalidInput(str(path), f"{landmark} needs both {landmark}_x and {landmark}_y")
        if with_z and landmark not in with_z:
            raise InvalidInput(
                str(path), f"{landmark} has no {landmark}_z while other landmarks have one"
            )
    return groups


def _numbers(body: list[str], header: list[str], path: Path) -> FloatArray:
    """The data rows as numbers (empty cells NaN), converted by numpy in one go."""
    cells = [line.split(",") for line in body]
    widths = np.fromiter((len(row) for row in cells), dtype=np.int64, count=len(cells))
    wrong = np.flatnonzero(widths != len(header))
    if wrong.size:
        row = int(wrong[0])
        raise InvalidInput(
            str(path),
            f"row {row + 2} has {widths[row]} values, the header has {len(header)} columns",
        )
    stripped = np.char.strip(np.array(cells, dtype=str))
    text = np.where(stripped == "", "nan", stripped)  # a new array, wide enough for "nan"
    try:
        return text.astype(np.float64)
    except ValueError:
        pass
    for number, row_cells in enumerate(cells, start=2):
        for column, cell in enumerate(row_cells):
            if cell.strip():
                try:
                    float(cell)
                except ValueError:
                    raise InvalidInput(
                        str(path),
                        f"row {number}, column {header[column]}: {cell.strip()!r} is not a number",
                    ) from None
    raise InvalidInput(str(path), "holds values that are not numbers")  # pragma: no cover


_NAN_CELL = re.compile(r"(?<=,)nan(?=,|$)", re.MULTILINE)


def write_landmarks_csv(series: LandmarkSeries, path: Path) -> None:
    """Write a series in the layout :func:`read` reads back (7 significant digits, time to the
    microsecond); the file is written whole or not at all."""
    axes = _AXES[: series.dims]
    columns = ["time_s", *[f"{name}_{axis}" for name in series.names for axis in (*axes, "c")]]
    values = np.concatenate([series.positions, series.confidence[..., None]], axis=2)
    table = np.column_stack([series.time, values.reshape(series.frames, -1)])
    source = series.source.replace(";", ",").replace("\n", " ")
    buffer = io.StringIO()
    buffer.write(f"{HEADER_MARK}; unit={series.unit}; source={source}\n")
    buffer.write(",".join(columns) + "\n")
    if series.frames:
        formats = ["%.6f"] + ["%.7g"] * (table.shape[1] - 1)
        np.savetxt(buffer, table, fmt=formats, delimiter=",")
    text = _NAN_CELL.sub("", buffer.getvalue())
    temporary = path.with_name(path.name + ".partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
