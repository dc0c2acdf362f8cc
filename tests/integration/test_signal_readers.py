"""Sensor signal readers: EDF/BDF, OpenSignals HDF5 and text, C3D analog channels and CSV,
written in the test with known values and read back (names, units, rates, events), every kind
of bad file giving one line, and the real EMG samples fetched at set-up."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.adapters.sensors.opensignals import emg_millivolts
from spinecoach.adapters.sensors.samples import CHECKSUMS, emg_sample_files, extract, samples_dir
from spinecoach.adapters.sensors.signals import (
    UNITS,
    describe_signals,
    detect_signal_format,
    normalise_unit,
    read_signals,
    unique_names,
)
from spinecoach.domain.errors import InvalidInput
from tests.conftest import SHARED_DATA

pyedflib = pytest.importorskip("pyedflib")
h5py = pytest.importorskip("h5py")
ezc3d = pytest.importorskip("ezc3d")


def _bad(path: Path, *fragments: str) -> None:
    """read_signals raises one InvalidInput line naming the file and every fragment."""
    with pytest.raises(InvalidInput) as caught:
        read_signals(path)
    assert caught.value.field == str(path)
    assert "\n" not in caught.value.problem
    for fragment in fragments:
        assert fragment in caught.value.problem, caught.value.problem


# ---------------------------------------------------------------- writers of test files


def write_edf(
    path: Path,
    signals: Sequence[np.ndarray],
    labels: Sequence[str],
    units: Sequence[str],
    rates: Sequence[float],
    *,
    bdf: bool = False,
    annotations: Sequence[tuple[float, float, str]] = (),
) -> None:
    """An EDF+ (or BDF+) file with pyedflib's writer; physical range +-1000 per signal."""
    from pyedflib import highlevel

    headers = highlevel.make_signal_headers(list(labels), physical_min=-1000, physical_max=1000)
    for header, unit, rate in zip(headers, units, rates, strict=True):
        header["dimension"] = unit
        header["sample_frequency"] = rate
    file_header = highlevel.make_header()
    file_header["annotations"] = [list(a) for a in annotations]
    kind = pyedflib.FILETYPE_BDFPLUS if bdf else pyedflib.FILETYPE_EDFPLUS
    highlevel.write_edf(str(path), list(signals), headers, file_header, file_type=kind)


def write_opensignals_h5(
    path: Path,
    devices: dict[str, dict[str, Any]],
) -> None:
    """OpenSignals' HDF5 layout: per device {"rate", "bits", "channels": {port: (label,
    sensor, counts)}, "digital": levels}."""
    with h5py.File(path, "w") as handle:
        for mac, device in devices.items():
            group = handle.create_group(mac)
            ports = sorted(device["channels"])
            group.attrs["sampling rate"] = np.int32(device["rate"])
            group.attrs["resolution"] = np.array([device["bits"]] * len(ports), dtype=np.int32)
            group.attrs["channels"] = np.array(ports, dtype=np.int32)
            group.attrs["device"] = "biosignalsplux"
            raw = group.create_group("raw")
            frames = 0
            for port in ports:
                label, sensor, counts = device["channels"][port]
                data = raw.create_dataset(
                    f"channel_{port}", data=np.asarray(counts, dtype=np.uint32).reshape(-1, 1)
                )
                data.attrs["label"] = label
                data.attrs["sensor"] = sensor
                frames = len(counts)
            raw.create_dataset("nSeq", data=np.arange(frames, dtype=np.uint16).reshape(-1, 1))
            levels = device.get("digital", np.zeros(frames))
            group.create_group("digital").create_dataset(
                "digital_1", data=np.asarray(levels, dtype=np.uint16).reshape(-1, 1)
            )


def write_c3d_analog(
    path: Path,
    analogs: np.ndarray,
    labels: Sequence[str],
    units: Sequence[str],
    *,
    rate: float = 1000.0,
    point_rate: float = 100.0,
    scale: Sequence[float] | None = None,
    events: Sequence[tuple[float, str, str]] = (),
) -> None:
    """A C3D with one marker and analog channels (channels, samples) in physical units."""
    c3d = ezc3d.c3d()
    samples = analogs.shape[1]
    frames = int(samples * point_rate / rate)
    c3d["parameters"]["POINT"]["RATE"]["value"] = [point_rate]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = ("M1",)
    c3d["parameters"]["ANALOG"]["RATE"]["value"] = [rate]
    c3d["parameters"]["ANALOG"]["LABELS"]["value"] = tuple(labels)
    c3d["parameters"]["ANALOG"]["UNITS"]["value"] = tuple(units)
    if scale is not None:
        c3d["parameters"]["ANALOG"]["SCALE"]["value"] = list(scale)
    points = np.ones((4, 1, frames))
    c3d["data"]["points"] = points
    c3d["data"]["analogs"] = analogs.reshape(1, *analogs.shape)
    for time, context, label in events:
        c3d.add_event(time=[0, time], context=context, label=label)
    c3d.write(str(path))


# ---------------------------------------------------------------- units and names


def test_units_are_normalised_to_the_vocabulary() -> None:
    spellings = {
        "µV": "uV",
        "uv": "uV",
        " microvolts ": "uV",
        "mV": "mV",
        "V": "V",
        "g": "g",
        "m/s²": "m/s^2",
        "m/s2": "m/s^2",
        "°/s": "deg/s",
        "dps": "deg/s",
        "rad/s": "rad/s",
        "µT": "uT",
        "°": "deg",
        "degrees": "deg",
        "G": "",  # gauss, not g
        "N": "",
        "": "",
    }
    for text, unit in spellings.items():
        assert normalise_unit(text) == unit, text
        assert unit in UNITS


def test_names_are_stripped_and_repeats_made_unique() -> None:
    assert unique_names([" EMG ", "EMG", "", "EMG"]) == ["EMG", "EMG_2", "channel 3", "EMG_3"]


@given(st.lists(st.sampled_from(["EMG", " EMG", "EMG_2", "", "Acc"]), max_size=8))
def test_unique_names_are_unique_and_keep_order(names: list[str]) -> None:
    result = unique_names(names)
    assert len(result) == len(names)
    assert len(set(result)) == len(result)
    for raw, name in zip(names, result, strict=True):
        assert name.startswith(raw.strip() or "channel ")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(-1e6, 1e6, allow_nan=False, width=32), min_size=2, max_size=2),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_csv_round_trip(rows: list[list[float]], separator: str) -> None:
    """Any table written in the layout reads back exactly, at the header's rate."""
    import tempfile

    text = f"Sampling rate: 200\nEMG1 (mV){separator}Acc Z [g]\n" + "".join(
        f"{a!r}{separator}{b!r}\n" for a, b in rows
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_text(text)
        (series,) = read_signals(path)
    np.testing.assert_array_equal(series.values, np.array(rows))
    np.testing.assert_allclose(series.time, np.arange(len(rows)) / 200)
    assert series.units == ("mV", "g")


# ---------------------------------------------------------------- EDF / BDF


@pytest.mark.parametrize("bdf", [False, True])
def test_edf_mixed_rates_become_two_series_with_annotations(tmp_path: Path, bdf: bool) -> None:
    path = tmp_path / ("trial.bdf" if bdf else "trial.edf")
    emg = 500 * np.sin(2 * np.pi * 50 * np.arange(2000) / 1000)
    acc = np.linspace(-1, 1, 200)
    write_edf(
        path,
        [emg, acc, emg / 2],
        ["EMG LES ", "Acc X", "EMG LES"],
        ["uV", "g", "uV"],  # EDF headers are ASCII
        [1000, 100, 1000],
        bdf=bdf,
        annotations=[(0.5, 0.25, "lift"), (1.2, -1, "tap")],
    )
    assert detect_signal_format(path) == "edf"
    fast, slow = read_signals(path)
    assert fast.channels == ("EMG LES", "EMG LES_2")
    assert fast.units == ("uV", "uV")
    assert slow.channels == ("Acc X",)
    assert slow.units == ("g",)
    assert fast.uniform_rate_hz() == pytest.approx(1000)
    assert fast.frames == 2000
    assert slow.uniform_rate_hz() == pytest.approx(100)
    assert slow.time[0] == 0.0
    step = 2000 / (2**16 - 1)  # one digital step of the +-1000 range (16-bit by default)
    np.testing.assert_allclose(fast.channel("EMG LES"), emg, atol=step)
    np.testing.assert_allclose(slow.channel("Acc X"), acc, atol=step)
    names = [(e.name, e.start_s, e.end_s) for e in fast.events]
    assert names == [("lift", 0.5, 0.75), ("tap", 1.2, None)]
    assert slow.events == fast.events
    described = describe_signals(path)
    assert [d["rate_hz"] for d in described] == [1000.0, 100.0]
    assert described[0]["channels"] == ["EMG LES", "EMG LES_2"]
    json.dumps(described)


def test_edf_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "good.edf"
    write_edf(good, [np.zeros(100)], ["EMG"], ["uV"], [100])
    content = good.read_bytes()
    truncated = tmp_path / "truncated.edf"
    truncated.write_bytes(content[:-50])
    _bad(truncated, "not a readable EDF/BDF file")
    short = tmp_path / "short.edf"
    short.write_bytes(content[:100])
    _bad(short, "truncated")
    text = tmp_path / "text.edf"
    text.write_text("time,EMG\n0,1\n")
    _bad(text, "not an EDF or BDF file")
    empty = tmp_path / "empty.bdf"
    empty.write_bytes(b"")
    _bad(empty, "not an EDF or BDF file")


# ---------------------------------------------------------------- OpenSignals


def test_emg_transfer_function_known_values() -> None:
    """Mid-scale is 0 mV; full scale is +-VCC/(2 G) = +-1.5 mV, at any resolution."""
    np.testing.assert_allclose(
        emg_millivolts(np.array([32768.0, 0.0, 65536.0]), 16), [0, -1.5, 1.5]
    )
    np.testing.assert_allclose(emg_millivolts(np.array([128.0, 0.0]), 8), [0, -1.5])
    np.testing.assert_allclose(emg_millivolts(np.array([3072.0]), 12), [0.75])


def test_opensignals_h5_two_devices_rates_units_and_digital_events(tmp_path: Path) -> None:
    path = tmp_path / "rec.h5"
    counts = np.array([32768, 49152, 16384, 32768] * 50)  # 0, +0.75, -0.75, 0 mV
    digital = np.ones(200)
    digital[50:80] = 0  # the input rests high; a press pulls it low for 30 ms
    write_opensignals_h5(
        path,
        {
            "00:07:80:AA:AA:AA": {
                "rate": 1000,
                "bits": 16,
                "channels": {1: ("CH1", "EMG", counts), 2: ("CH2", "XYZ", counts)},
                "digital": digital,
            },
            "00:07:80:BB:BB:BB": {
                "rate": 10,
                "bits": 12,
                "channels": {1: ("CH1", "EMG", np.full(5, 2048))},
            },
        },
    )
    assert detect_signal_format(path) == "opensignals-h5"
    fast, slow = read_signals(path)
    assert fast.channels == ("CH1", "CH2")
    assert fast.units == ("mV", "")
    assert slow.channels == ("CH1_2",)
    assert slow.units == ("mV",)
    np.testing.assert_allclose(fast.channel("CH1")[:4], [0, 0.75, -0.75, 0])
    np.testing.assert_allclose(fast.channel("CH2")[:4], counts[:4])  # unknown sensor: raw
    np.testing.assert_allclose(slow.channel("CH1_2"), 0.0)
    assert fast.uniform_rate_hz() == pytest.approx(1000)
    assert slow.uniform_rate_hz() == pytest.approx(10)
    (press,) = fast.events
    assert press.name == "00:07:80:AA:AA:AA digital_1"
    assert (press.start_s, press.end_s) == pytest.approx((0.05, 0.08))


def test_opensignals_text_file(tmp_path: Path) -> None:
    header = {
        "00:07:80:3B:46:61": {
            "sensor": ["EMG", "RAW"],
            "column": ["nSeq", "DI", "A1", "A2"],
            "label": ["A1", "A2"],
            "resolution": [10, 10],
            "sampling rate": 100,
            "channels": [1, 2],
            "position": 0,
        }
    }
    rows = "\n".join(f"{i}\t{1 if 3 <= i < 6 else 0}\t{512 + i}\t{i}\t" for i in range(10))
    path = tmp_path / "opensignals_rec.txt"
    path.write_text(
        f"# OpenSignals Text File Format\n# {json.dumps(header)}\n# EndOfHeader\n{rows}\n"
    )
    assert detect_signal_format(path) == "opensignals-txt"
    (series,) = read_signals(path)
    assert series.channels == ("A1", "A2")
    assert series.units == ("mV", "")
    np.testing.assert_allclose(series.channel("A1")[0], 0.0)
    np.testing.assert_allclose(series.channel("A2"), np.arange(10))
    assert series.uniform_rate_hz() == pytest.approx(100)
    assert [(e.name, e.start_s, e.end_s) for e in series.events] == [("DI", 0.03, 0.06)]
    # OpenSignals itself writes the format's version on the first line.
    versioned = tmp_path / "versioned.txt"
    versioned.write_text(path.read_text().replace("Format\n", "Format. Version 1\n", 1))
    assert read_signals(versioned)[0].channels == ("A1", "A2")
    bad = tmp_path / "bad.txt"
    bad.write_text(path.read_text().replace("515\t", "x\t"))
    _bad(bad, "line 7", "'A1'", "'x' is not a number")
    no_end = tmp_path / "no_end.txt"
    no_end.write_text(path.read_text().replace("# EndOfHeader", "#"))
    _bad(no_end, "no '# EndOfHeader' line")
    bad_json = tmp_path / "bad_json.txt"
    bad_json.write_text(path.read_text().replace('"sampling rate"', "sampling rate"))
    _bad(bad_json, "header is not valid JSON")
    zero = tmp_path / "zero.txt"
    zero.write_text(path.read_text().replace('"sampling rate": 100', '"sampling rate": 0'))
    _bad(zero, "sampling rate 0 Hz")


def test_opensignals_bad_files(tmp_path: Path) -> None:
    not_hdf5 = tmp_path / "fake.h5"
    not_hdf5.write_text("hello")
    _bad(not_hdf5, "not a readable HDF5 file")
    no_device = tmp_path / "nodevice.h5"
    with h5py.File(no_device, "w") as handle:
        handle.create_dataset("x", data=np.zeros(3))
    _bad(no_device, "no device group")
    no_rate = tmp_path / "norate.h5"
    with h5py.File(no_rate, "w") as handle:
        handle.create_group("00:07").create_group("raw")
    _bad(no_rate, "lacks 'sampling rate' or 'raw'")
    zero_rate = tmp_path / "zero.h5"
    write_opensignals_h5(
        zero_rate, {"D": {"rate": 0, "bits": 16, "channels": {1: ("CH1", "EMG", [1, 2])}}}
    )
    _bad(zero_rate, "sampling rate 0 Hz")
    no_channels = tmp_path / "nochannels.h5"
    write_opensignals_h5(no_channels, {"D": {"rate": 100, "bits": 16, "channels": {}}})
    _bad(no_channels, "holds no signal channels")
    truncated = tmp_path / "truncated.h5"
    write_opensignals_h5(
        truncated, {"D": {"rate": 100, "bits": 16, "channels": {1: ("C", "EMG", range(500))}}}
    )
    truncated.write_bytes(truncated.read_bytes()[:1500])
    _bad(truncated, "not a readable HDF5 file")


# ---------------------------------------------------------------- C3D analog


def test_c3d_analog_channels_units_rate_scale_and_events(tmp_path: Path) -> None:
    path = tmp_path / "trial.c3d"
    analogs = np.vstack([np.linspace(-1, 1, 500), np.arange(500.0)])
    write_c3d_analog(
        path,
        analogs,
        ["EMG1 ", "Fz"],
        ["mV", "N"],
        rate=1000,
        point_rate=100,
        scale=[2.0, 4.0],
        events=[(0.2, "Left", "Foot Strike"), (0.1, "", "Start")],
    )
    from spinecoach.adapters.sensors.c3d_analog import read_analog

    assert detect_signal_format(path) == "c3d"
    (series,) = read_signals(path)
    assert read_analog(path)[0].channels == series.channels == ("EMG1", "Fz")
    assert series.units == ("mV", "")
    assert series.uniform_rate_hz() == pytest.approx(1000)
    assert series.frames == 500
    # ezc3d stored value / SCALE and scales back on reading: the values come back unchanged.
    np.testing.assert_allclose(series.values.T, analogs, atol=1e-5)
    assert [e.name for e in series.events] == ["Start", "Left Foot Strike"]
    assert [e.start_s for e in series.events] == pytest.approx([0.1, 0.2])


def test_c3d_analog_bad_files(tmp_path: Path) -> None:
    no_analog = tmp_path / "markers.c3d"
    c3d = ezc3d.c3d()
    c3d["parameters"]["POINT"]["RATE"]["value"] = [100]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = ("M1",)
    c3d["data"]["points"] = np.ones((4, 1, 10))
    c3d.write(str(no_analog))
    _bad(no_analog, "holds no analog channels")
    broken = tmp_path / "broken.c3d"
    broken.write_bytes(b"\x02\x50" + b"\x00" * 40)
    _bad(broken, "not a readable C3D file")
    # 50 frames of 1 marker (4 values) and 2 x 10 analog samples, 4-byte floats, after 3 blocks.
    full = tmp_path / "full.c3d"
    write_c3d_analog(full, np.ones((2, 500)), ["A", "B"], ["V", "V"])
    assert read_signals(full)[0].frames == 500
    truncated = tmp_path / "truncated.c3d"
    truncated.write_bytes(full.read_bytes()[: 3 * 512 + 50 * 24 * 4 - 8])
    _bad(truncated, "is truncated", "its header describes 6336")


# ---------------------------------------------------------------- CSV


VENDOR_CSV = """\
Application: Our EMG export
Date: 12 May, 2024
Sampling rate: 2 kHz
Subject: S01

time (ms),EMG1 (uV),EMG2 [mV],Acc X (m/s^2)
10.0,1.5,0.1,9.8
10.5,-2.0,0.2,9.7
11.0,nan,0.3,9.6
"""


def test_vendor_csv_with_header_block_and_units(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(VENDOR_CSV)
    assert detect_signal_format(path) == "csv"
    (series,) = read_signals(path)
    assert series.channels == ("EMG1", "EMG2", "Acc X")
    assert series.units == ("uV", "mV", "m/s^2")
    np.testing.assert_allclose(series.time, [0, 0.0005, 0.001])  # ms, shifted to 0
    np.testing.assert_allclose(series.channel("EMG2"), [0.1, 0.2, 0.3])
    assert np.isnan(series.channel("EMG1")[2])


def test_csv_without_time_uses_the_header_rate(tmp_path: Path) -> None:
    path = tmp_path / "rate.txt"
    path.write_text("# from the lab\nFs: 250\nEMG L\tEMG R\t\n1\t2\t\n3\t4\t\n5\t6\t\n")
    (series,) = read_signals(path)
    assert series.channels == ("EMG L", "EMG R")
    assert series.units == ("", "")
    np.testing.assert_allclose(series.time, [0, 0.004, 0.008])
    np.testing.assert_allclose(series.values, [[1, 2], [3, 4], [5, 6]])


def test_plain_csv_with_time_column_keeps_uneven_stamps(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("t;gyro (°/s)\n0.0;1\n0.01;2\n0.03;3\n")
    (series,) = read_signals(path)
    assert series.units == ("deg/s",)
    np.testing.assert_allclose(series.time, [0, 0.01, 0.03])


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("time,EMG1\n0,1\n0.001,abc\n", ("line 3", "column 'EMG1'", "'abc' is not a number")),
        ("time,EMG1\n0,1\n0.001,\n", ("line 3", "column 'EMG1'", "is empty")),
        ("time,EMG1\n0,1\n0.001,2,3\n", ("line 3 has 3 values, expected 2",)),
        ("time,EMG1\n0,1\n0.002,2\n0.001,3\n", ("line 4", "does not increase")),
        ("time,EMG1\n0,1\n0,2\n", ("line 3", "does not increase")),
        ("EMG1,EMG2\n0,1\n", ("no time column",)),
        ("Sampling rate: 0 Hz\nEMG1\n1\n", ("line 1", "sampling rate 0 Hz")),
        ("Sampling rate: fast\nEMG1\n1\n", ("line 1", "'fast' is not a number")),
        ("time,EMG1\n", ("no rows of samples",)),
        ("time\n0\n1\n", ("no signal channels",)),
        ("Rate: 100\n", ("no row of column names",)),
        ("", ("is empty",)),
    ],
)
def test_bad_csv_files(tmp_path: Path, text: str, fragments: tuple[str, ...]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    _bad(path, *fragments)


# ---------------------------------------------------------------- dispatch


def test_unknown_suffix_lists_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "rec.xyz"
    path.write_text("something")
    _bad(path, "unknown signal file type .xyz", ".edf", ".bdf", ".h5", ".c3d", ".csv", ".txt")
    with pytest.raises(InvalidInput, match="no such file"):
        read_signals(tmp_path / "missing.edf")
    with pytest.raises(InvalidInput, match="folder"):
        read_signals(tmp_path)


def test_content_wins_over_a_wrong_suffix(tmp_path: Path) -> None:
    edf = tmp_path / "rec.edf"
    write_edf(edf, [np.zeros(100)], ["EMG"], ["uV"], [100])
    renamed = tmp_path / "rec.dat"
    renamed.write_bytes(edf.read_bytes())
    h5 = tmp_path / "rec.bin"
    write_opensignals_h5(h5, {"D": {"rate": 100, "bits": 16, "channels": {1: ("C", "EMG", [1])}}})
    assert detect_signal_format(h5) == "opensignals-h5"
    assert read_signals(h5)[0].channels == ("C",)
    # An EDF header is only trusted with an EDF suffix ("0" then spaces is too common).
    _bad(renamed, "unknown signal file type .dat")


def test_mex_csv_goes_to_the_mex_reader(tmp_path: Path) -> None:
    mex = pytest.importorskip("spinecoach.adapters.sensors.mex")
    path = tmp_path / "01_act_1.csv"
    path.write_text(
        "\n".join(f"2018-11-08 11:34:51.{10 * i:03d}000,{0.1 * i},-0.9,0.2" for i in range(20))
        + "\n"
    )
    if not mex.sniff(path):
        pytest.skip("mex.sniff does not recognise this hand-written MEx-like file")
    assert detect_signal_format(path) == "mex"
    (series,) = read_signals(path)
    assert series.frames == 20


# ---------------------------------------------------------------- real data


# Sampling rates of each sample (biosignalsnotebooks' _info.json), fastest first.
SAMPLE_RATES = {
    "emg_1000_hz_16_bits.h5": [1000, 10],
    "emg_1000_hz_16_bits_solo.h5": [1000],
    "emg_1000_hz_8_16_bits.h5": [1000],
    "emg_10_hz_16_bits.h5": [10],
    "emg_bursts.h5": [1000],
    "emg_fatigue.h5": [1000],
}


def test_the_checksummed_sample_list_is_the_emg_files() -> None:
    assert sorted(n for n in CHECKSUMS if n.endswith(".h5")) == sorted(SAMPLE_RATES)


def test_extract_refuses_a_changed_file(tmp_path: Path) -> None:
    import zipfile

    wheel = tmp_path / "biosignalsnotebooks-0.6.14-py3-none-any.whl"
    folder = "biosignalsnotebooks/notebook_files/osf_files/signal_samples/"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name in CHECKSUMS:
            archive.writestr(folder + name, b"changed upstream")
    with pytest.raises(ValueError, match="SHA-256"):
        extract(wheel, tmp_path / "out")


def test_real_emg_samples() -> None:
    files = emg_sample_files()
    if not files:
        pytest.skip(f"EMG samples not fetched into {samples_dir()} (make setup fetches them)")
    assert sorted(f.name for f in files) == sorted(SAMPLE_RATES)
    for path in files:
        series = read_signals(path)
        rates = [s.uniform_rate_hz() for s in series]
        assert rates == pytest.approx(SAMPLE_RATES[path.name]), path.name
        channels = sum(len(s.channels) for s in series)
        assert channels == (2 if "1000_hz_" in path.name and "solo" not in path.name else 1)
        for one in series:
            assert set(one.units) == {"mV"}
            assert np.all(np.abs(one.values) <= 1.5)  # the sensor's +-1.5 mV range
            assert 0.05 < np.ptp(one.values) <= 3.0  # a real signal, not a constant
            assert abs(float(np.median(one.values))) < 0.05  # centred near 0 mV
            assert one.time[0] == 0.0


@pytest.mark.shared_data
def test_real_mex_file_through_the_dispatcher() -> None:
    mex = pytest.importorskip("spinecoach.adapters.sensors.mex")
    files = sorted((SHARED_DATA / "mex" / "act").glob("*/*.csv"))
    if not files:
        pytest.skip(f"no MEx accelerometer files under {SHARED_DATA / 'mex'}")
    assert mex.sniff(files[0])
    (series,) = read_signals(files[0])
    assert series.frames > 100
    assert series.rate_hz == pytest.approx(100, rel=0.2)


@pytest.mark.shared_data
def test_real_c3d_analog_if_any() -> None:
    files = sorted(SHARED_DATA.glob("**/*.c3d")) if SHARED_DATA.is_dir() else []
    if not files:
        pytest.skip(f"no C3D file under {SHARED_DATA}")
    from spinecoach.adapters.sensors.c3d_analog import read_analog

    for path in files:
        ezc3d_file = ezc3d.c3d(str(path))
        if np.asarray(ezc3d_file["data"]["analogs"]).size:
            series = read_analog(path)
            assert all(s.rate_hz > 0 for s in series)
            return
    pytest.skip(f"no C3D file with analog channels under {SHARED_DATA}")


def test_csv_time_units_are_known_or_refused(tmp_path: Path) -> None:
    minutes = tmp_path / "minutes.csv"
    minutes.write_text("time (min),EMG1 (uV)\n0,1\n0.5,2\n1,3\n")
    (series,) = read_signals(minutes)
    np.testing.assert_allclose(series.time, [0.0, 30.0, 60.0])
    hours = tmp_path / "hours.csv"
    hours.write_text("time (h),EMG1 (uV)\n0,1\n1,2\n2,3\n")
    _bad(hours, "unknown unit 'h'")
