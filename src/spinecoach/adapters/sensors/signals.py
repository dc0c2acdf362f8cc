"""Sensor signal files (EMG, accelerometers, gyroscopes) as time series, one per sampling rate.

``read_signals(path)`` picks the reader from the file's first bytes and its suffix
(docs/sensors.md): EDF/EDF+/BDF/BDF+ (:mod:`.edf`), OpenSignals HDF5 and text
(:mod:`.opensignals`), C3D analog channels (:mod:`.c3d_analog`), a MEx accelerometer CSV
(:mod:`.mex`) and our documented CSV layouts (:mod:`.signal_csv`). Every reader hands back
:class:`Channel` s, which are put together here the same way for every format:

* channels sharing a sampling rate (and a length) share one :class:`TimeSeries`; nothing is
  resampled behind the user's back, so a file with EMG at 2 kHz and an accelerometer at 148 Hz
  gives two series, the fastest first (the one exception is explicit and documented: MEx
  files, whose millisecond stamps jitter around 100 Hz, are interpolated onto 100 Hz by
  :mod:`.mex`);
* time is in seconds from the first sample (0 s);
* names are the file's, stripped; a repeated name gets ``_2``, ``_3``...;
* units are mapped onto :data:`UNITS` by :func:`normalise_unit` ("" when unknown);
* the file's events (EDF+ annotations, C3D events, OpenSignals digital inputs) go on every series.

Reader libraries (pyedflib, h5py, ezc3d) are imported only when a file of theirs is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from spinecoach.adapters.sensors.files import check_file, plain_suffix, read_bytes
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import Event, FloatArray, TimeSeries
from spinecoach.domain.errors import InvalidInput

# The unit vocabulary of sensor channels; "" is an unknown or dimensionless unit (raw counts).
UNITS: tuple[str, ...] = ("uV", "mV", "V", "g", "m/s^2", "deg/s", "rad/s", "uT", "deg", "")

# Spellings met in files -> vocabulary unit; keys are compared after lower-casing and removing
# spaces, except the case-sensitive ones below.
_UNIT_SPELLINGS: dict[str, str] = {
    **dict.fromkeys(("uv", "µv", "μv", "microvolt", "microvolts"), "uV"),
    **dict.fromkeys(("mv", "millivolt", "millivolts"), "mV"),
    **dict.fromkeys(("v", "volt", "volts"), "V"),
    **dict.fromkeys(("g", "gravity", "g0"), "g"),
    **dict.fromkeys(
        ("m/s^2", "m/s2", "m/s²", "ms^-2", "ms-2", "m.s-2", "m*s^-2", "m/s/s", "mps2", "m/sec^2"),
        "m/s^2",
    ),
    **dict.fromkeys(
        ("deg/s", "°/s", "dps", "degree/s", "degrees/s", "deg/sec", "degs-1", "deg.s-1"), "deg/s"
    ),
    **dict.fromkeys(("rad/s", "rads-1", "rad.s-1", "rad/sec", "rps"), "rad/s"),
    **dict.fromkeys(("ut", "µt", "μt", "microtesla", "microteslas"), "uT"),
    **dict.fromkeys(("deg", "°", "degree", "degrees"), "deg"),
}
# Case matters here: "G" is gauss on magnetometers, "MV" megavolts; neither is in the vocabulary.
_CASE_SENSITIVE = {"G": "", "MV": ""}

# Suffix -> format name; the order is the order error messages list them in.
SUFFIXES: dict[str, str] = {
    ".edf": "edf",
    ".bdf": "edf",
    ".h5": "opensignals-h5",
    ".hdf5": "opensignals-h5",
    ".c3d": "c3d",
    ".csv": "csv",
    ".txt": "txt",
}
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
BDF_MAGIC = b"\xffBIOSEMI"
OPENSIGNALS_TEXT_MARK = "# OpenSignals Text File Format"


@dataclass(frozen=True, eq=False)
class Channel:
    """One channel as a reader found it: evenly sampled values at ``rate_hz`` from 0 s."""

    name: str
    unit: str
    rate_hz: float
    values: FloatArray


def normalise_unit(text: str, /) -> str:
    """The vocabulary unit of a file's unit text (``"µV"`` -> ``"uV"``); "" when not known."""
    stripped = text.strip()
    if stripped in _CASE_SENSITIVE:
        return _CASE_SENSITIVE[stripped]
    return _UNIT_SPELLINGS.get(re.sub(r"\s+", "", stripped).lower(), "")


def unique_names(names: Sequence[str]) -> list[str]:
    """Stripped names, an empty one as ``channel <n>``, repeats suffixed ``_2``, ``_3``..."""
    result: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(names, start=1):
        base = raw.strip() or f"channel {number}"
        name, copy = base, 1
        while name in seen:
            copy += 1
            name = f"{base}_{copy}"
        seen.add(name)
        result.append(name)
    return result


def assemble(
    path: Path, channels: Sequence[Channel], events: Sequence[Event] = ()
) -> tuple[TimeSeries, ...]:
    """Group channels by (rate, length) into time series, fastest first (see module docstring)."""
    if not channels:
        raise InvalidInput(str(path), "holds no signal channels")
    names = unique_names([c.name for c in channels])
    groups: dict[tuple[float, int], list[int]] = {}
    for index, channel in enumerate(channels):
        if not (np.isfinite(channel.rate_hz) and channel.rate_hz > 0):
            raise InvalidInput(
                str(path),
                f"channel {names[index]!r} has sampling rate {channel.rate_hz:g} Hz; "
                "expected a positive rate",
            )
        if channel.values.size == 0:
            raise InvalidInput(str(path), f"channel {names[index]!r} holds no samples")
        key = (round(float(channel.rate_hz), 9), int(channel.values.shape[0]))
        groups.setdefault(key, []).append(index)
    ordered = sorted(groups.items(), key=lambda item: (-item[0][0], item[1][0]))
    series = []
    for (rate, frames), members in ordered:
        series.append(
            TimeSeries(
                np.arange(frames, dtype=np.float64) / rate,
                np.column_stack([channels[i].values for i in members]).astype(np.float64),
                tuple(names[i] for i in members),
                tuple(normalise_unit(channels[i].unit) for i in members),
                tuple(events),
            )
        )
    return tuple(series)


def digital_events(name: str, levels: FloatArray, rate_hz: float) -> list[Event]:
    """Spans where a digital input leaves the level it had at the start (inputs often rest
    high), as events named ``name``; an input that never changes gives none, and a span still
    open at the end of the recording ends at the last sample."""
    levels = np.asarray(levels, dtype=np.float64).reshape(-1)
    if levels.size == 0:
        return []
    active = np.concatenate([[False], levels != levels[0], [False]])
    edges = np.flatnonzero(np.diff(active.astype(np.int8)))
    last = float(levels.size - 1) / rate_hz
    return [
        Event(name, float(start) / rate_hz, min(float(end) / rate_hz, last))
        for start, end in zip(edges[0::2], edges[1::2], strict=True)
    ]


def detect_signal_format(path: Path, /) -> str:
    """The format name of a signal file: from its first bytes, else from its suffix."""
    check_file(path)
    head = read_bytes(path, 512)
    suffix = plain_suffix(path)
    if head.startswith(HDF5_MAGIC):
        return "opensignals-h5"
    if head.startswith(BDF_MAGIC) or (suffix in (".edf", ".bdf") and head[:8] == b"0       "):
        return "edf"
    if head.lstrip(b"\xef\xbb\xbf").startswith(OPENSIGNALS_TEXT_MARK.encode()):
        return "opensignals-txt"
    if suffix in SUFFIXES:
        known = SUFFIXES[suffix]
        if known == "csv" and _mex_sniff(path):
            return "mex"
        return "csv" if known == "txt" else known
    from spinecoach.adapters.sensors import c3d

    if c3d.sniff(path):
        return "c3d"
    if not head:
        raise InvalidInput(str(path), "is empty")
    raise InvalidInput(
        str(path),
        f"unknown signal file type {suffix or '(no suffix)'}; known: {', '.join(SUFFIXES)}",
    )


def _mex_sniff(path: Path) -> bool:
    module = _mex_module()
    return module is not None and bool(module.sniff(path))


def _mex_module() -> Any:
    """The MEx reader when it is installed (written separately; optional here)."""
    try:
        from spinecoach.adapters.sensors import mex  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None
    return mex


def _read_edf(path: Path) -> tuple[TimeSeries, ...]:
    from spinecoach.adapters.sensors import edf

    return edf.read(path)


def _read_opensignals_h5(path: Path) -> tuple[TimeSeries, ...]:
    from spinecoach.adapters.sensors import opensignals

    return opensignals.read_h5(path)


def _read_opensignals_txt(path: Path) -> tuple[TimeSeries, ...]:
    from spinecoach.adapters.sensors import opensignals

    return opensignals.read_txt(path)


def _read_c3d(path: Path) -> tuple[TimeSeries, ...]:
    from spinecoach.adapters.sensors import c3d_analog

    return c3d_analog.read_analog(path)


def _read_csv(path: Path) -> tuple[TimeSeries, ...]:
    from spinecoach.adapters.sensors import signal_csv

    return signal_csv.read(path)


def _read_mex(path: Path) -> tuple[TimeSeries, ...]:
    series: TimeSeries = _mex_module().read(path)
    return (series,)


READERS: dict[str, Callable[[Path], tuple[TimeSeries, ...]]] = {
    "edf": _read_edf,
    "opensignals-h5": _read_opensignals_h5,
    "opensignals-txt": _read_opensignals_txt,
    "c3d": _read_c3d,
    "mex": _read_mex,
    "csv": _read_csv,
}


def read_signals(path: Path, /) -> tuple[TimeSeries, ...]:
    """Every channel of a sensor file, one time series per sampling rate (fastest first);
    InvalidInput with one line when the file cannot be read."""
    reader = READERS[detect_signal_format(path)]
    try:
        return reader(path)
    except AnalysisError as error:
        raise InvalidInput(str(path), f"{error.field}: {error.problem}") from None


def describe_signals(path: Path, /) -> list[dict[str, Any]]:
    """What a signal file holds, one JSON-ready dict per series (for ``info`` output)."""
    name = detect_signal_format(path)
    return [
        {
            "format": name,
            "rate_hz": round(series.rate_hz, 6),
            "frames": series.frames,
            "duration_s": float(series.time[-1]) if series.frames else 0.0,
            "channels": list(series.channels),
            "units": list(series.units),
            "events": len(series.events),
        }
        for series in read_signals(path)
    ]
