"""Sensor signals in a CSV (or tab-separated .txt) file: our documented layout.

The layout (docs/sensors.md has an example), in the order of the file:

1. Blank lines and lines starting with ``#`` are ignored everywhere.
2. An optional header block, as vendor exports write it: lines ``name: value``, where the name
   holds no ``,``, ``;`` or tab (``Sampling rate: 1000 Hz``, ``Subject: S01``). Only the rate is
   used: a name ``sampling rate``, ``sample rate``, ``sampling frequency``, ``frequency``,
   ``rate`` or ``fs`` (any case) with a value in Hz (or ``kHz``).
3. One row of column names, separated by tabs, else ``;``, else ``,`` (the first one found in
   that row; the first column name may not contain ``:``). A unit follows a name in round or
   square brackets: ``EMG1 (uV)``, ``Acc X [m/s^2]``.
4. Rows of numbers, as many as names; ``.`` is the decimal point; ``nan`` is a missing value.

The first column is time when its name is ``time``, ``t``, ``timestamp``, ``time_s`` or
``seconds``, or its unit is ``s`` or ``ms``: time stamps must increase strictly and are shifted to
start at 0 s. Without a time column the header block must give the sampling rate. One file holds
one sampling rate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from spinecoach.adapters.sensors.files import read_text
from spinecoach.adapters.sensors.signals import normalise_unit, unique_names
from spinecoach.analysis.timeseries import FloatArray, TimeSeries
from spinecoach.domain.errors import InvalidInput

SEPARATORS = ("\t", ";", ",")
RATE_KEYS = (
    "sampling rate",
    "sample rate",
    "sampling frequency",
    "sample frequency",
    "frequency",
    "rate",
    "fs",
)
TIME_NAMES = ("time", "t", "timestamp", "time_s", "seconds")
_TIME_UNITS = {"s": 1.0, "sec": 1.0, "ms": 0.001, "us": 1e-6, "µs": 1e-6, "min": 60.0}
_HEADER_LINE = re.compile(r"^\s*([^,;\t:]+?)\s*:\s*(.*)$")
_NAME_UNIT = re.compile(r"^(.*?)\s*[\(\[]\s*([^\)\]]*?)\s*[\)\]]\s*$")
_RATE_VALUE = re.compile(r"([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*(khz|hz)?", re.IGNORECASE)


def split_name(column: str) -> tuple[str, str]:
    """``"EMG1 (uV)"`` -> ``("EMG1", "uV")``; a name without brackets has unit ""."""
    match = _NAME_UNIT.match(column.strip())
    if match is None or not match.group(1).strip():
        return column.strip(), ""
    return match.group(1).strip(), match.group(2).strip()


def parse_rows(
    path: Path, lines: Sequence[tuple[int, str]], separator: str | None, names: Sequence[str]
) -> FloatArray:
    """(rows, len(names)) numbers from numbered text lines; one line naming the file line and
    column of the first bad cell. Blank lines are skipped; a separator ending a row is ignored."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, line in lines:
        text = line.rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        cells = text.rstrip(" ").split(separator)
        if len(cells) == len(names) + 1 and not cells[-1].strip():
            cells.pop()
        if len(cells) != len(names):
            raise InvalidInput(
                str(path), f"line {number} has {len(cells)} values, expected {len(names)}"
            )
        rows.append(cells)
        numbers.append(number)
    if not rows:
        raise InvalidInput(str(path), "holds column names but no rows of samples")
    try:
        return np.array(rows, dtype=np.float64)
    except ValueError:
        pass
    for number, cells in zip(numbers, rows, strict=True):
        for name, cell in zip(names, cells, strict=True):
            try:
                float(cell)
            except ValueError:
                shown = cell.strip()
                what = "is empty" if not shown else f"{shown!r} is not a number"
                raise InvalidInput(
                    str(path), f"line {number}, column {name.strip()!r}: {what}"
                ) from None
    raise InvalidInput(str(path), "holds values that are not numbers")  # pragma: no cover


def _rate(path: Path, header: dict[str, tuple[int, str]]) -> float | None:
    for key in RATE_KEYS:
        if key in header:
            number, value = header[key]
            match = _RATE_VALUE.match(value.strip())
            if match is None:
                raise InvalidInput(
                    str(path), f"line {number}: sampling rate {value.strip()!r} is not a number"
                )
            rate = float(match.group(1)) * (
                1000.0 if (match.group(2) or "").lower() == "khz" else 1.0
            )
            if not (np.isfinite(rate) and rate > 0):
                raise InvalidInput(
                    str(path), f"line {number}: sampling rate {rate:g} Hz; expected a positive rate"
                )
            return rate
    return None


def read(path: Path, /) -> tuple[TimeSeries, ...]:
    """The channels of a signal CSV (module docstring) as one time series."""
    numbered = [
        (number, line)
        for number, line in enumerate(read_text(path).splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    header: dict[str, tuple[int, str]] = {}
    start = 0
    while start < len(numbered):
        match = _HEADER_LINE.match(numbered[start][1])
        if match is None:
            break
        header.setdefault(match.group(1).strip().lower(), (numbered[start][0], match.group(2)))
        start += 1
    if start >= len(numbered):
        raise InvalidInput(str(path), "holds no row of column names (e.g. time,EMG1 (uV))")
    names_line = numbered[start][1]
    separator = next((s for s in SEPARATORS if s in names_line), ",")
    columns = [cell.strip() for cell in names_line.rstrip().split(separator)]
    if columns and not columns[-1] and len(columns) > 1:
        columns.pop()
    table = parse_rows(path, numbered[start + 1 :], separator, columns)
    rate = _rate(path, header)
    split = [split_name(column) for column in columns]
    first_name, first_unit = split[0]
    has_time = first_name.lower() in TIME_NAMES or first_unit.lower() in _TIME_UNITS
    if has_time and first_unit and first_unit.lower() not in _TIME_UNITS:
        raise InvalidInput(
            str(path),
            f"time column {columns[0]!r}: unknown unit {first_unit!r}; "
            f"expected one of {', '.join(_TIME_UNITS)} (or none: seconds)",
        )
    if has_time:
        time = table[:, 0] * _TIME_UNITS.get(first_unit.lower(), 1.0)
        _check_time(path, time, [n for n, _ in numbered[start + 1 :]])
        time = time - time[0]
        table, split = table[:, 1:], split[1:]
    elif rate is None:
        raise InvalidInput(
            str(path),
            "has no time column (time, t or a unit of s or ms first) and no "
            "'Sampling rate: <Hz>' header line",
        )
    else:
        time = np.arange(table.shape[0], dtype=np.float64) / rate
    if not split:
        raise InvalidInput(str(path), "holds a time column but no signal channels")
    names = unique_names([name for name, _ in split])
    return (
        TimeSeries(
            time,
            table,
            tuple(names),
            tuple(normalise_unit(unit) for _, unit in split),
        ),
    )


def _check_time(path: Path, time: FloatArray, numbers: Sequence[int]) -> None:
    """Finite, strictly increasing time stamps; the line of the first one that is not."""
    data_lines = list(numbers)
    bad = np.flatnonzero(~np.isfinite(time))
    if bad.size:
        raise InvalidInput(str(path), f"line {data_lines[bad[0]]}: time is not a number")
    steps = np.flatnonzero(np.diff(time) <= 0)
    if steps.size:
        row = int(steps[0]) + 1
        raise InvalidInput(
            str(path),
            f"line {data_lines[row]}: time {time[row]:g} does not increase "
            f"(previous {time[row - 1]:g}); time stamps must increase strictly",
        )
