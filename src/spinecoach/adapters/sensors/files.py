"""Reading recording files: text (plain or gzip), numeric tables, JSON, with one-line errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import numpy as np

from spinecoach.analysis.timeseries import FloatArray
from spinecoach.domain.errors import InvalidInput


def read_text(path: Path) -> str:
    """The file's text; ``.gz`` files are decompressed. Missing, folder, binary: one line."""
    if not path.exists():
        raise InvalidInput(str(path), "no such file")
    if path.is_dir():
        raise InvalidInput(str(path), "is a folder, not a recording file")
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise InvalidInput(str(path), f"cannot be read ({error})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(str(path), "is not a text file") from None


def read_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            str(path), f"not valid JSON ({error.msg} at line {error.lineno})"
        ) from None


def numeric_rows(
    path: Path, *, columns: int, what: str, separator: str | None = None
) -> FloatArray:
    """A table of numbers with exactly ``columns`` values per non-empty row."""
    lines = [line for line in read_text(path).splitlines() if line.strip()]
    if not lines:
        raise InvalidInput(str(path), "is empty")
    rows = []
    for number, line in enumerate(lines, start=1):
        parts = line.split(separator) if separator else line.split()
        if len(parts) != columns:
            raise InvalidInput(
                str(path),
                f"not a {what} file: row {number} has {len(parts)} values, expected {columns}",
            )
        try:
            rows.append([float(part) for part in parts])
        except ValueError:
            raise InvalidInput(
                str(path), f"row {number} holds a value that is not a number"
            ) from None
    return np.asarray(rows, dtype=np.float64)


def first_row_width(path: Path, separator: str | None = None) -> int:
    """Number of values in the first non-empty row (0 when unreadable), for format detection."""
    try:
        text = read_text(path)
    except InvalidInput:
        return 0
    for line in text.splitlines():
        if line.strip():
            return len(line.split(separator) if separator else line.split())
    return 0


def frame_times(frames: int, rate_hz: float) -> FloatArray:
    if not rate_hz > 0:
        raise InvalidInput("rate_hz", f"must be positive, got {rate_hz}")
    return np.arange(frames, dtype=np.float64) / rate_hz
