"""PLUX OpenSignals recordings (biosignalsplux, bitalino): the HDF5 file and the text file.

HDF5 layout, as OpenSignals writes it (read with h5py): one root group per device, named by its
MAC address, with attributes ``sampling rate``, ``resolution`` (bits, one per channel),
``channels`` (port numbers) and ``device``; the samples are ``raw/channel_<port>`` (n, 1)
datasets with attributes ``label`` and ``sensor`` ("EMG", "ECG", "XYZ", "RAW", ...);
``raw/nSeq`` is a wrapping sample counter and ``digital/digital_<k>`` the digital inputs.

The text layout: ``# OpenSignals Text File Format``, one ``# {json}`` line holding the same
attributes per device (plus ``column``, ``label``, ``sensor`` lists), ``# EndOfHeader``, then
one tab-separated row per sample: for each device, in ``column`` order, nSeq, the digital
inputs (DI) and the analog channels.

Samples are raw ADC counts. EMG channels are converted to millivolts with PLUX's EMG transfer
function (PLUX Wireless Biosignals S.A., "Electromyography (EMG) Sensor" datasheet):
EMG(V) = (ADC / 2^n - 1/2) * VCC / G_EMG with VCC = 3 V, G_EMG = 1000 and n the channel's
resolution in bits, i.e. a range of +-1.5 mV. Other sensors' transfer functions need calibration
values the file does not hold (accelerometers) or are out of scope, so they stay raw counts with
unit "" (unknown); so do BITalino EMG channels (their sensor has its own gain and supply).
Digital inputs become events (spans where the input differs from its level at the start:
inputs often rest high); nSeq is not
read and the ``events`` datasets, whose columns OpenSignals does not document, are ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from spinecoach.adapters.sensors.files import check_file, read_text
from spinecoach.adapters.sensors.signal_csv import parse_rows
from spinecoach.adapters.sensors.signals import (
    OPENSIGNALS_TEXT_MARK,
    Channel,
    assemble,
    digital_events,
)
from spinecoach.analysis.timeseries import Event, FloatArray, TimeSeries
from spinecoach.domain.errors import InvalidInput

# PLUX EMG sensor (datasheet above): supply voltage and gain.
EMG_VCC_V = 3.0
EMG_GAIN = 1000.0
END_OF_HEADER = "# EndOfHeader"


def emg_millivolts(counts: FloatArray, resolution_bits: int) -> FloatArray:
    """PLUX EMG transfer function (module docstring): raw counts to mV."""
    volts = (np.asarray(counts, dtype=np.float64) / 2.0**resolution_bits - 0.5) * (
        EMG_VCC_V / EMG_GAIN
    )
    return np.asarray(volts * 1000.0, dtype=np.float64)


def _convert(
    name: str, sensor: str, counts: FloatArray, bits: int, rate: float, path: Path
) -> Channel:
    if sensor.strip().upper() == "EMG":
        if not 1 <= bits <= 32:
            raise InvalidInput(str(path), f"channel {name!r}: resolution {bits} bits is not 1-32")
        return Channel(name, "mV", rate, emg_millivolts(counts, bits))
    return Channel(name, "", rate, np.asarray(counts, dtype=np.float64))


def _text(value: Any) -> str:
    if isinstance(value, bytes | np.bytes_):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _rate(path: Path, device: str, value: Any) -> float:
    try:
        rate = float(np.asarray(value).reshape(-1)[0])
    except (TypeError, ValueError, IndexError):
        raise InvalidInput(
            str(path), f"device {device}: 'sampling rate' is not a number ({value!r})"
        ) from None
    if not (np.isfinite(rate) and rate > 0):
        raise InvalidInput(
            str(path), f"device {device}: sampling rate {rate:g} Hz; expected a positive rate"
        )
    return rate


def _per_channel(values: Any, count: int, what: str, path: Path, device: str) -> list[int]:
    """One integer per channel (a single value applies to all)."""
    items = [int(v) for v in np.asarray(values).reshape(-1)]
    if len(items) == 1:
        items *= count
    if len(items) != count:
        raise InvalidInput(
            str(path), f"device {device}: {len(items)} {what} values for {count} channels"
        )
    return items


def read_h5(path: Path, /) -> tuple[TimeSeries, ...]:
    """Every analog channel of an OpenSignals HDF5 file (module docstring)."""
    import h5py  # here, not at import: only OpenSignals users load it

    check_file(path)
    try:
        handle = h5py.File(path, "r")
    except OSError as error:
        raise InvalidInput(str(path), f"not a readable HDF5 file ({error})") from None
    channels: list[Channel] = []
    events: list[Event] = []
    with handle:
        devices = [name for name, item in handle.items() if isinstance(item, h5py.Group)]
        if not devices:
            raise InvalidInput(str(path), "not an OpenSignals file: no device group at the root")
        for device in devices:
            try:
                found, found_events = _h5_device(
                    path, device, handle[device], many=len(devices) > 1
                )
            except (OSError, KeyError, ValueError, TypeError) as error:
                raise InvalidInput(str(path), f"device {device} cannot be read ({error})") from None
            channels += found
            events += found_events
    return assemble(path, channels, sorted(events, key=lambda e: e.start_s))


def _h5_device(
    path: Path, device: str, group: Any, *, many: bool
) -> tuple[list[Channel], list[Event]]:
    import h5py

    attrs = group.attrs
    if "sampling rate" not in attrs or not isinstance(group.get("raw"), h5py.Group):
        raise InvalidInput(
            str(path),
            f"not an OpenSignals file: device group {device} lacks 'sampling rate' or 'raw'",
        )
    rate = _rate(path, device, attrs["sampling rate"])
    raw = group["raw"]
    ports = (
        [int(p) for p in np.asarray(attrs["channels"]).reshape(-1)]
        if "channels" in attrs
        else sorted(int(n.split("_")[1]) for n in raw if n.startswith("channel_"))
    )
    bits = _per_channel(attrs.get("resolution", [16]), len(ports), "resolution", path, device)
    channels = []
    for port, resolution in zip(ports, bits, strict=True):
        dataset = raw.get(f"channel_{port}")
        if not isinstance(dataset, h5py.Dataset):
            raise InvalidInput(str(path), f"device {device}: no dataset raw/channel_{port}")
        name = _text(dataset.attrs.get("label", f"channel_{port}"))
        sensor = _text(dataset.attrs.get("sensor", ""))
        counts = np.asarray(dataset[()], dtype=np.float64).reshape(-1)
        channels.append(_convert(name, sensor, counts, resolution, rate, path))
    events: list[Event] = []
    digital = group.get("digital")
    if isinstance(digital, h5py.Group):
        for key in sorted(digital):
            levels = np.asarray(digital[key][()], dtype=np.float64).reshape(-1)
            label = f"{device} {key}" if many else key
            events += digital_events(label, levels, rate)
    return channels, events


def _position(info: dict[str, Any]) -> float:
    """A device's column position in a text file (devices without one go last)."""
    try:
        return float(info.get("position", 0))
    except (TypeError, ValueError):
        return float("inf")


def read_txt(path: Path, /) -> tuple[TimeSeries, ...]:
    """Every analog channel of an OpenSignals text file (module docstring)."""
    lines = read_text(path).splitlines()
    # OpenSignals writes "# OpenSignals Text File Format. Version 1" (the version varies).
    if not lines or not lines[0].strip().startswith(OPENSIGNALS_TEXT_MARK):
        raise InvalidInput(str(path), f"not an OpenSignals text file: no {OPENSIGNALS_TEXT_MARK!r}")
    try:
        end = next(i for i, line in enumerate(lines) if line.strip() == END_OF_HEADER)
    except StopIteration:
        raise InvalidInput(str(path), f"has no {END_OF_HEADER!r} line") from None
    header_text = " ".join(line.strip().lstrip("#") for line in lines[1:end])
    try:
        header = json.loads(header_text)
    except json.JSONDecodeError as error:
        raise InvalidInput(str(path), f"header is not valid JSON ({error.msg})") from None
    if not isinstance(header, dict) or not header:
        raise InvalidInput(str(path), "header names no device")
    devices = sorted(
        ((name, info) for name, info in header.items() if isinstance(info, dict)),
        key=lambda item: _position(item[1]),
    )
    columns: list[tuple[str, str, dict[str, Any]]] = []  # (device, column, device info)
    for name, info in devices:
        columns += [(name, str(column), info) for column in info.get("column", [])]
    if not columns:
        raise InvalidInput(str(path), "header lists no columns")
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if number > end + 1]
    table = parse_rows(path, numbered, None, [c for _, c, _ in columns])
    channels: list[Channel] = []
    events: list[Event] = []
    for position, (device, column, info) in enumerate(columns):
        rate = _rate(path, device, info.get("sampling rate"))
        labels = [str(label) for label in info.get("label", [])]
        values = table[:, position]
        if column in labels:
            index = labels.index(column)
            sensors = [str(s) for s in info.get("sensor", [])]
            bits = _per_channel(
                info.get("resolution", [16]), len(labels), "resolution", path, device
            )
            sensor = sensors[index] if index < len(sensors) else ""
            channels.append(_convert(column, sensor, values, bits[index], rate, path))
        elif column.startswith("DI"):
            label = f"{device} {column}" if len(devices) > 1 else column
            events += digital_events(label, values, rate)
    return assemble(path, channels, sorted(events, key=lambda e: e.start_s))
