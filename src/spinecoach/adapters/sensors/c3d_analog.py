"""The analog channels of a C3D file (EMG, force plates, accelerometers), read with ezc3d.

Names come from ANALOG:LABELS, units from ANALOG:UNITS and the rate from ANALOG:RATE (C3D.org,
"The C3D File Format User Guide", Motion Lab Systems 2008). The stored numbers are converted
to physical values as (stored - ANALOG:OFFSET) * ANALOG:SCALE * ANALOG:GEN_SCALE; ezc3d already
does this when it reads a file (checked in tests/integration/test_signal_readers.py by writing
a file with a scale of 2 and 4), so the values are used as ezc3d returns them.

EVENT:TIMES (minutes, seconds) with EVENT:CONTEXTS and EVENT:LABELS become events named
``"<context> <label>"`` ("Left Foot Strike"), in seconds from the first frame in the file (a
trial cut from a longer capture has its first frame's time subtracted). Markers are read by
:mod:`spinecoach.adapters.sensors.c3d`.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np

from spinecoach.adapters.sensors.c3d import _values, open_c3d
from spinecoach.adapters.sensors.signals import Channel, assemble
from spinecoach.analysis.timeseries import Event, TimeSeries
from spinecoach.domain.errors import InvalidInput


def read_analog(path: Path, /) -> tuple[TimeSeries, ...]:
    """The analog channels of a C3D file as one time series at ANALOG:RATE, with its events."""
    c3d = open_c3d(path)
    analog = c3d["parameters"].get("ANALOG", {})
    labels = [str(label) for label in _values(analog, "LABELS")]
    units = [str(unit) for unit in _values(analog, "UNITS")]
    rates = _values(analog, "RATE")
    data = np.asarray(c3d["data"]["analogs"], dtype=np.float64)
    count = data.shape[1] if data.ndim == 3 else 0
    if count == 0 or data.shape[2] == 0:
        raise InvalidInput(str(path), "holds no analog channels")
    rate = float(rates[0]) if len(rates) else 0.0
    if not (np.isfinite(rate) and rate > 0):
        raise InvalidInput(str(path), f"ANALOG:RATE must be a positive rate, got {rate:g}")
    _check_length(path, c3d)
    labels += [f"analog {i + 1}" for i in range(len(labels), count)]
    units += [""] * (count - len(units))
    channels = [Channel(labels[i], units[i], rate, data[0, i, :]) for i in range(count)]
    return assemble(path, channels, _events(c3d))


def _events(c3d: Any) -> list[Event]:
    group = c3d["parameters"].get("EVENT", {})
    times = np.asarray(_values(group, "TIMES"), dtype=np.float64)
    labels = [str(label).strip() for label in _values(group, "LABELS")]
    contexts = [str(context).strip() for context in _values(group, "CONTEXTS")]
    if times.ndim != 2 or times.shape[0] != 2 or not labels:
        return []
    seconds = times[0] * 60.0 + times[1]
    header = c3d["header"]["points"]
    point_rate = float(header.get("frame_rate") or 0.0)
    origin = float(header.get("first_frame", 0)) / point_rate if point_rate > 0 else 0.0
    events = []
    for index in range(min(len(labels), seconds.shape[0])):
        context = contexts[index] if index < len(contexts) else ""
        name = f"{context} {labels[index]}".strip()
        events.append(Event(name, float(seconds[index] - origin)))
    return sorted(events, key=lambda event: event.start_s)


def _check_length(path: Path, c3d: Any) -> None:
    """A file shorter than its header's frames is truncated (ezc3d then reads fewer frames
    without a word). The header's words 4-5 give the first and last frame and the data start
    at block POINT:DATA_START (512-byte blocks); each frame holds 4 values per marker and the
    analog samples of that frame, as 4-byte floats when POINT:SCALE < 0, else 2-byte integers
    (C3D.org User Guide). Files of more than 65535 frames, whose header cannot say, are not
    checked."""
    point = c3d["parameters"].get("POINT", {})
    start, scale = _values(point, "DATA_START"), _values(point, "SCALE")
    with path.open("rb") as handle:
        head = handle.read(512)
        handle.seek(max(head[0] - 1, 0) * 512 + 3)
        processor = handle.read(1)
    if not start or len(head) < 10:
        return
    order = ">" if processor == bytes([86]) else "<"  # 86: MIPS (big-endian); else Intel, DEC
    first, last = struct.unpack(f"{order}HH", head[6:10])
    if last == 0xFFFF or last < first:
        return
    header = c3d["header"]
    point_rate = float(header["points"].get("frame_rate") or 0.0)
    analog_rate = float(header["analogs"].get("frame_rate") or 0.0)
    per_frame = round(analog_rate / point_rate) if point_rate > 0 else 0
    values = 4 * int(header["points"]["size"]) + per_frame * int(header["analogs"]["size"])
    width = 4 if scale and float(scale[0]) < 0 else 2
    expected = (int(start[0]) - 1) * 512 + (last - first + 1) * values * width
    actual = path.stat().st_size
    if actual < expected:
        raise InvalidInput(
            str(path), f"is truncated: {actual} bytes, its header describes {expected}"
        )
