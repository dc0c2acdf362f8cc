"""MEx accelerometer CSV files (Wijekoon et al. 2019, "MEx: Multi-modal Exercises Dataset for
Human Activity Recognition", arXiv:1908.08992; CC BY 4.0).

Layout: ``<subject>/<exercise>_<sensor>_<k>.csv`` (sensor ``act`` on the thigh, ``acw`` on the
wrist), no header, one sample per row: ``2018-11-08 11:34:51.474000,-0.546875,-0.828125,-0.109375``
- a wall-clock time stamp (the fraction is left out when it is zero: ``11:34:56``) then x, y, z
in g (±8 g range, steps of 1/64 g in the files we have).

Time: the stamps have 1 ms resolution and step by 9 or 10 ms (thigh files) or 10 or 11 ms
(wrist files): the "100 Hz" sensors actually run at about 103 Hz and 96.5 Hz on a PC clock, so
the samples are **not** evenly spaced in time and no filter may assume they are. :func:`read`
therefore resamples every axis explicitly onto an even grid at ``rate_hz`` (100 Hz, the
dataset's nominal rate, by default) by linear interpolation between the stamped samples, time
in seconds from the first stamp. A jump of more than :data:`MAX_STEP_S` between two stamps is a
gap and an error: interpolation would invent the missing movement.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import numpy.typing as npt

from spinecoach.adapters.sensors.files import (
    check_file,
    first_row,
    head_text,
    numbers_of,
    read_text,
)
from spinecoach.analysis.timeseries import FloatArray, TimeSeries
from spinecoach.domain.errors import InvalidInput

NOMINAL_RATE_HZ = 100.0
CHANNELS = ("acc_x", "acc_y", "acc_z")
MAX_STEP_S = 0.1  # ten nominal samples
SENSORS = {"act": "thigh", "acw": "wrist"}
EXERCISES = {
    "01": "knee_rolling",
    "02": "bridging",
    "03": "pelvic_tilt",
    "04": "clam",
    "05": "extension_in_lying",
    "06": "prone_punch",
    "07": "superman",
}
_ROW = re.compile(
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?"
    r"(\s*,\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?){3}"
)
_NAME = re.compile(r"(\d\d)_(ac[tw])_(\d+)\.csv", re.IGNORECASE)


def sniff(path: Path) -> bool:
    """Whether the file is named like a MEx recording and its first row is a date-time stamp
    and three numbers (MEx's layout). The name is required too: reading resamples to 100 Hz,
    which must never happen to another logger's file that merely looks alike."""
    if _NAME.fullmatch(path.name) is None:
        return False
    return bool(_ROW.fullmatch(first_row(head_text(path))))


def exercise_label(path: Path) -> tuple[str, str, str]:
    """(subject, exercise code, sensor) from a MEx path: ``.../05/04_act_2.csv`` ->
    ``("05", "04", "act")`` (the subject is the file's folder)."""
    match = _NAME.fullmatch(path.name)
    if match is None:
        raise InvalidInput(str(path), "not a MEx file name (expected <exercise>_<act|acw>_<k>.csv)")
    return path.parent.name, match.group(1), match.group(2).lower()


def read(path: Path, *, rate_hz: float = NOMINAL_RATE_HZ) -> TimeSeries:
    """The accelerometer of a MEx CSV, resampled to ``rate_hz`` (see the module docstring)."""
    check_file(path)
    if not (np.isfinite(rate_hz) and rate_hz > 0):
        raise InvalidInput(
            "rate_hz", f"must be a positive number of samples per second, got {rate_hz}"
        )
    lines = [line for line in read_text(path).splitlines() if line.strip()]
    cells = [line.split(",") for line in lines]
    wrong = next((i for i, row in enumerate(cells) if len(row) != 4), None)
    if wrong is not None:
        raise InvalidInput(
            str(path), f"not a MEx file: row {wrong + 1} has {len(cells[wrong])} values, expected 4"
        )
    if len(cells) < 2:
        raise InvalidInput(str(path), "holds fewer than two samples")
    stamps = _stamps(path, [row[0].strip() for row in cells])
    values = _values(path, [row[1:] for row in cells])
    seconds = (stamps - stamps[0]).astype(np.float64) / 1e6
    steps = np.diff(seconds)
    bad = np.flatnonzero(steps <= 0)
    if bad.size:
        row = int(bad[0]) + 2
        raise InvalidInput(
            str(path), f"row {row}: time stamp does not increase ({cells[row - 1][0]})"
        )
    gap = np.flatnonzero(steps > MAX_STEP_S)
    if gap.size:
        row = int(gap[0]) + 2
        raise InvalidInput(
            str(path),
            f"row {row}: {steps[gap[0]]:.3f} s gap in the time stamps (more than {MAX_STEP_S:g} s)",
        )
    time = np.arange(int(np.floor(seconds[-1] * rate_hz + 1e-9)) + 1, dtype=np.float64) / rate_hz
    resampled = np.stack([np.interp(time, seconds, values[:, k]) for k in range(3)], axis=1)
    return TimeSeries(time=time, values=resampled, channels=CHANNELS, units=("g", "g", "g"))


def _stamps(path: Path, texts: list[str]) -> npt.NDArray[np.int64]:
    try:
        return np.array(texts, dtype="datetime64[us]").astype(np.int64)
    except ValueError:
        pass
    for number, text in enumerate(texts, start=1):
        try:
            np.datetime64(text, "us")
        except ValueError:
            raise InvalidInput(
                str(path), f"row {number}: {text!r} is not a date and time"
            ) from None
    raise InvalidInput(str(path), "holds time stamps that are not dates")  # pragma: no cover


def _values(path: Path, rows: list[list[str]]) -> FloatArray:
    """The x, y, z columns (values 2–4 of each row) as finite numbers."""
    values = numbers_of(path, rows, first_value=2)
    if not np.all(np.isfinite(values)):
        first = int(np.flatnonzero(~np.isfinite(values).all(axis=1))[0]) + 1
        raise InvalidInput(str(path), f"row {first}: acceleration is not a finite number")
    return values
