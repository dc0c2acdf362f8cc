"""Reading recording files: text (plain or gzip), numeric tables, JSON, with one-line errors.

Every problem a user's file can have becomes an :class:`InvalidInput` whose field is the file
path and whose problem is one line (``row 3 has 150 values, expected 175``).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from spinecoach.analysis.timeseries import FloatArray
from spinecoach.domain.errors import InvalidInput

GZIP_MAGIC = b"\x1f\x8b"
# How much of a file format detection looks at: enough for a header and a first row.
SNIFF_BYTES = 16384


def check_file(path: Path) -> None:
    """One line for a missing path or a folder where a file is needed."""
    if not path.exists():
        raise InvalidInput(str(path), "no such file")
    if path.is_dir():
        raise InvalidInput(str(path), "is a folder, not a recording file")


def plain_suffix(path: Path) -> str:
    """The suffix that says what the file is, below a ``.gz`` ("a.json.gz" -> ".json")."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes (at most ``limit``), gunzipped when they start with the gzip magic."""
    check_file(path)
    try:
        with path.open("rb") as handle:
            compressed = handle.read(2) == GZIP_MAGIC
        if compressed:
            with gzip.open(path, "rb") as stream:
                return stream.read() if limit is None else stream.read(limit)
        with path.open("rb") as handle:
            return handle.read() if limit is None else handle.read(limit)
    except (OSError, EOFError, zlib.error) as error:
        if limit is not None and isinstance(error, EOFError):
            return b""
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise InvalidInput(str(path), f"cannot be read ({reason})") from None


def read_text(path: Path) -> str:
    """The whole file as text; empty or binary files get one line."""
    raw = read_bytes(path)
    if not raw.strip():
        raise InvalidInput(str(path), "is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(str(path), "is not a text file") from None


def head_text(path: Path) -> str:
    """The start of a file as text for format detection ("" when unreadable or binary)."""
    try:
        raw = read_bytes(path, SNIFF_BYTES)
    except InvalidInput:
        return ""
    text = raw.decode("utf-8-sig", errors="replace")
    return "" if "\x00" in text or "\ufffd" in text[:256] else text


def first_row(text: str) -> str:
    """The first non-empty line that is not a ``#`` comment."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped
    return ""


def row_width(text: str, separator: str | None = None) -> int:
    """Values in the first row of ``text`` that are all numbers (0 otherwise)."""
    parts = first_row(text).split(separator)
    if not parts or not all(_NUMBER.fullmatch(part.strip()) for part in parts):
        return 0
    return len(parts)


_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]?(nan|inf)", re.IGNORECASE)


def read_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            str(path), f"is not valid JSON ({error.msg} at line {error.lineno})"
        ) from None


def numeric_rows(
    path: Path, *, columns: int, what: str, separator: str | None = None
) -> FloatArray:
    """A table of numbers with exactly ``columns`` values on every non-empty row.

    The text is split once and converted by numpy in one go; only a failing file is walked
    row by row, to name the row and the value that is wrong.
    """
    lines = [line for line in read_text(path).splitlines() if line.strip()]
    cells = [line.split(separator) for line in lines]
    widths = np.fromiter((len(row) for row in cells), dtype=np.int64, count=len(cells))
    wrong = np.flatnonzero(widths != columns)
    if wrong.size:
        row = int(wrong[0])
        raise InvalidInput(
            str(path),
            f"not a {what} file: row {row + 1} has {widths[row]} values, expected {columns}",
        )
    return numbers_of(path, cells)


def numbers_of(path: Path, cells: list[list[str]], *, first_value: int = 1) -> FloatArray:
    """Rows of text cells as numbers, converted in one go; a failing table is walked to name
    the row and the value (``first_value`` is the number of the first cell given, for tables
    whose leading columns were taken off first)."""
    try:
        return np.array(cells, dtype=np.float64)
    except ValueError:
        pass
    for number, row_cells in enumerate(cells, start=1):
        for position, cell in enumerate(row_cells, start=first_value):
            try:
                float(cell)
            except ValueError:
                raise InvalidInput(
                    str(path), f"row {number}, value {position}: {cell.strip()!r} is not a number"
                ) from None
    raise InvalidInput(str(path), "holds values that are not numbers")  # pragma: no cover


def frame_times(frames: int, rate_hz: float) -> FloatArray:
    """Time stamps of evenly sampled frames, the first at 0 s."""
    check_rate(rate_hz)
    return np.arange(frames, dtype=np.float64) / rate_hz


def check_rate(rate_hz: float) -> None:
    if not (np.isfinite(rate_hz) and rate_hz > 0):
        raise InvalidInput(
            "rate_hz", f"must be a positive number of frames per second, got {rate_hz}"
        )


def keyed_frames(data: Any, path: Path, what: str) -> tuple[list[Any], FloatArray]:
    """The frames of a ``{"positions": {"<frame number>": {...}}}`` file in frame order, and
    the frame numbers (video frame numbers in KERAAL's JSON files)."""
    frames = data.get("positions") if isinstance(data, dict) else None
    if not isinstance(frames, dict):
        raise InvalidInput(str(path), f'not a {what} file: no "positions" object of frames')
    if not frames:
        raise InvalidInput(str(path), f"holds no frames (empty {what} file)")
    try:
        numbers = np.array([float(key) for key in frames], dtype=np.float64)
    except ValueError:
        bad = next(key for key in frames if not _is_number(key))
        raise InvalidInput(str(path), f"frame key {bad!r} is not a frame number") from None
    if not np.all(np.isfinite(numbers)):
        raise InvalidInput(str(path), "frame keys must be finite frame numbers")
    order = np.argsort(numbers, kind="stable")
    numbers = numbers[order]
    repeated = np.flatnonzero(np.diff(numbers) == 0)
    if repeated.size:
        raise InvalidInput(str(path), f"frame {numbers[repeated[0]]:g} appears twice")
    values = list(frames.values())
    return [values[i] for i in order], numbers


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def keyed_times(numbers: FloatArray, rate_hz: float) -> FloatArray:
    """Seconds from frame numbers counted from 1 (from 0 when a file has a frame 0), so that
    the first video frame is at 0 s as in a video read directly."""
    check_rate(rate_hz)
    origin = 0.0 if numbers.size and numbers[0] <= 0 else 1.0
    return (numbers - origin) / rate_hz


def seen_points(points: FloatArray) -> npt.NDArray[np.bool_]:
    """(frames, landmarks): whether every coordinate of a point is a number."""
    return np.asarray(np.isfinite(points).all(axis=-1), dtype=np.bool_)
