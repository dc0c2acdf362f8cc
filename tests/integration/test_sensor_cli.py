"""``spinecoach emg`` and ``spinecoach imu`` end to end: files written with the vendors' own
libraries, known onsets and angles, results stored in a patient's record."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from spinecoach.analysis import emg
from tests.cli_helpers import fails, ok
from tests.conftest import SHARED_DATA

pyedflib = pytest.importorskip("pyedflib")

RATE = 1000.0
PRIME = [2.0 + 2.0 * k for k in range(10)]  # ten fast arm raises, 2 s apart


def write_edf(path: Path, series: Sequence[tuple[str, str, float, np.ndarray]]) -> Path:
    """An EDF+ file (label, unit, rate, samples) through pyedflib's own writer."""
    from pyedflib import highlevel

    headers = highlevel.make_signal_headers(
        [label for label, _, _, _ in series], physical_min=-2000, physical_max=2000
    )
    for header, (_, unit, rate, _) in zip(headers, series, strict=True):
        header["dimension"] = unit
        header["sample_frequency"] = rate
    highlevel.write_edf(
        str(path),
        [np.ascontiguousarray(values) for *_, values in series],
        headers,
        file_type=pyedflib.FILETYPE_EDFPLUS,
    )
    return path


def arm_raises(path: Path) -> Path:
    """Deltoid bursts; TrA late (+120 ms) in 8 of 10 raises and early (−40 ms) in 2; internal
    oblique early (−50 ms) in all ten."""
    tra = [p + (0.12 if k < 8 else -0.04) for k, p in enumerate(PRIME)]
    io = [p - 0.05 for p in PRIME]
    series, _ = emg.simulate_emg(
        [PRIME, tra, io],
        rate_hz=RATE,
        duration_s=22.0,
        burst_s=0.4,
        snr_db=25.0,
        names=["Deltoid", "TrA", "IO"],
        seed=11,
    )
    return write_edf(path, [(name, "uV", RATE, series.channel(name)) for name in series.channels])


def forward_bend(path: Path) -> Path:
    """Paraspinal EMG active while bending and returning, silent at full flexion, with the
    trunk angle (100 Hz) from an inclinometer: FRR well above the CLBP mean."""
    series, _ = emg.simulate_emg(
        [[0.5, 5.0]], rate_hz=RATE, duration_s=8.0, burst_s=2.5, snr_db=25.0, names=["ES L"]
    )
    time = np.arange(800) / 100.0
    angle = np.interp(time, [0, 0.5, 3.0, 5.0, 7.5, 8], [0, 0, 80, 80, 0, 0])
    return write_edf(
        path, [("ES L", "uV", RATE, series.channel("ES L")), ("trunk", "deg", 100.0, angle)]
    )


@pytest.fixture(autouse=True)
def _isolated(isolated_data_dir: Path) -> Path:
    """A fresh default database per test (``--patient`` stores into it)."""
    return isolated_data_dir


def test_emg_timing_finds_absent_feedforward_of_tra_and_stores_it(tmp_path: Path) -> None:
    recording = arm_raises(tmp_path / "arm.edf")
    document = json.loads(ok("emg", str(recording), "--prime-mover", "Deltoid", "--json"))
    timing = {m["muscle"]: m for m in document["emg"]["timing"]["muscles"]}
    assert timing["TrA"]["trials"] == 10
    assert timing["TrA"]["feedforward_trials"] == 2
    assert timing["TrA"]["median_ms"] == pytest.approx(120, abs=10)
    assert timing["IO"]["feedforward_trials"] == 10
    assert timing["IO"]["median_ms"] == pytest.approx(-50, abs=10)
    stored = document["tests"]["feedforward_timing"]
    assert stored["muscle"] == "transversus_abdominis"
    assert stored["prime_mover"] == "anterior_deltoid"
    assert any("2/10" in s and "feed-forward absent" in s for s in document["statements"])
    # Stored in a patient's record, it shows in the profile and switches on the focus.
    ok("patient", "add", "P-0200", "--age", "45", "--sex", "female")
    ok("emg", str(recording), "--prime-mover", "Deltoid", "--patient", "P-0200")
    profile = json.loads(ok("profile", "P-0200", "--json"))
    text = json.dumps(profile)
    assert "feedforward_timing.absent" in text
    assert "focus.load_transfer" in text


def test_emg_timed_against_a_wrist_accelerometer_at_its_own_rate(tmp_path: Path) -> None:
    """No deltoid electrode: the arm's movement onsets come from an accelerometer sampled at
    148 Hz in the same EDF; TrA switches on 60 ms before the arm moves in every raise."""
    starts = [2.0 + 2.0 * k for k in range(8)]
    series, _ = emg.simulate_emg(
        [[s - 0.06 for s in starts]], duration_s=19.0, burst_s=0.4, snr_db=25.0, names=["TrA"]
    )
    time = np.arange(round(19.0 * 148)) / 148.0
    acc = np.random.default_rng(2).normal(0.0, 0.005, time.size)
    for start in starts:
        inside = (time >= start) & (time < start + 0.3)
        acc[inside] += 0.5 * np.sin(np.pi * (time[inside] - start) / 0.3)
    # Scaled ×100: the writer's ±2000 physical range in 16 bits would round 0.005 g away.
    recording = write_edf(
        tmp_path / "wrist.edf",
        [("TrA", "uV", RATE, series.channel("TrA")), ("wrist_acc", "g", 148.0, acc * 100)],
    )
    document = json.loads(ok("emg", str(recording), "--prime-mover", "wrist_acc", "--json"))
    timing = document["emg"]["timing"]["muscles"][0]
    assert (timing["trials"], timing["feedforward_trials"]) == (8, 8)
    assert timing["median_ms"] == pytest.approx(-60, abs=15)
    assert document["tests"]["feedforward_timing"]["prime_mover"] == "accelerometer"
    assert len(document["prime_onsets_s"]) == 8


def test_emg_text_output_and_plot(tmp_path: Path) -> None:
    recording = arm_raises(tmp_path / "arm.edf")
    plot = tmp_path / "emg.png"
    out = ok("emg", str(recording), "--prime-mover", "Deltoid", "--plot", str(plot))
    assert "Onset relative to the prime mover" in out
    assert "feed-forward absent" in out
    assert plot.stat().st_size > 10_000


def test_flexion_relaxation_from_the_angle_channel(tmp_path: Path) -> None:
    recording = forward_bend(tmp_path / "bend.edf")
    document = json.loads(ok("emg", str(recording), "--angle", "trunk", "--json"))
    frr = document["flexion_relaxation"]["frr"]["ES L"]
    assert frr > 4.0  # bursts at 25 dB over a silent full flexion
    assert document["tests"]["flexion_relaxation"]["side"] == "left"


def test_emg_bad_input_is_one_line(tmp_path: Path) -> None:
    recording = arm_raises(tmp_path / "arm.edf")
    assert "Deltoid" in fails("emg", str(recording), "--prime-mover", "Biceps")
    assert "--speed" in fails("emg", str(recording), "--speed", "warp")
    assert "no such file" in fails("emg", str(tmp_path / "missing.edf"))
    broken = tmp_path / "broken.edf"
    broken.write_bytes(b"0       not an edf file at all")
    fails("emg", str(broken))
    assert "--plot" in fails("emg", str(recording), "--plot", str(tmp_path / "x.gif"))


@pytest.mark.shared_data
def test_imu_on_a_real_mex_thigh_recording(tmp_path: Path) -> None:
    files = sorted((SHARED_DATA / "mex" / "act").glob("*/*.csv"))
    if not files:
        pytest.skip(f"no MEx recordings under {SHARED_DATA / 'mex'}")
    plot = tmp_path / "imu.png"
    document = json.loads(ok("imu", str(files[0]), "--json", "--plot", str(plot)))
    assert document["imu"]["rate_hz"] == pytest.approx(100, rel=0.05)
    assert document["imu"]["repetitions"]["count"] >= 0
    assert plot.stat().st_size > 10_000
    assert "Repetitions" in ok("imu", str(files[0])) or "repetitions" in ok("imu", str(files[0]))


def test_every_real_emg_sample_runs_end_to_end() -> None:
    """The biosignalsnotebooks recordings (fetched by make setup): real bursts, no special
    casing; 10 Hz files cannot hold EMG and are refused in one line."""
    from spinecoach.adapters.sensors.samples import emg_sample_files

    files = emg_sample_files()
    if not files:
        pytest.skip("no EMG samples: run make setup (fetches them from PyPI)")
    for path in files:
        rate = 10 if "_10_hz" in path.name else 1000
        if rate == 10:
            assert "rate_hz" in fails("emg", str(path))
            continue
        document = json.loads(ok("emg", str(path), "--json"))
        assert document["emg"]["rate_hz"] == pytest.approx(1000)
        bursts = [len(v["bursts"]) for v in document["emg"]["onsets"]["channels"].values()]
        assert sum(bursts) > 0, path.name


def test_phases_by_hand_fatigue_and_cocontraction(tmp_path: Path) -> None:
    from scipy.signal import butter, sosfilt

    recording = forward_bend(tmp_path / "bend.edf")
    by_hand = json.loads(ok("emg", str(recording), "--phases", "0.5,3,5,7.5", "--json"))
    assert by_hand["flexion_relaxation"]["phases_s"]["full_flexion"] == [3.0, 5.0]
    assert by_hand["flexion_relaxation"]["frr"]["ES L"] > 4.0
    assert "--phases" in fails("emg", str(recording), "--phases", "3,2,5,7")
    # An endurance hold whose spectrum slides down (a tiring muscle): the slope is negative.
    rng = np.random.default_rng(4)
    noise = rng.standard_normal(20_000)
    early = sosfilt(butter(4, (80, 250), "bandpass", fs=RATE, output="sos"), noise[:10_000])
    late = sosfilt(butter(4, (30, 110), "bandpass", fs=RATE, output="sos"), noise[10_000:])
    hold = np.concatenate([early, late]) * 200
    tired = write_edf(
        tmp_path / "hold.edf", [("ES L", "uV", RATE, hold), ("ES R", "uV", RATE, hold)]
    )
    document = json.loads(
        ok("emg", str(tired), "--fatigue", "--cocontraction", "ES L,ES R", "--json")
    )
    assert document["fatigue"]["ES L"]["slope_pct_per_s"] < -1.0
    assert document["cocontraction"]["index_pct"] == pytest.approx(100.0, abs=0.5)
    assert "--cocontraction" in fails("emg", str(tired), "--cocontraction", "ES L")


def two_sensor_csv(path: Path) -> Path:
    """A thorax and a pelvis sensor (100 Hz) as our documented CSV: standing for 3 s, then
    lumbar flexion up to 40° and back while the pelvis also tilts by a quarter of it."""
    from spinecoach.analysis import imu

    rate = 100.0

    def flexion(time: np.ndarray) -> np.ndarray:
        return 40.0 * np.clip(np.sin(np.pi * (time - 3.0) / 6.0), 0.0, None) * (time > 3.0)

    sim = imu.simulate_lumbar(
        rate_hz=rate,
        duration_s=12.0,
        flexion_deg=flexion,
        pelvis_tilt_deg=lambda time: 0.25 * flexion(time),
    )
    columns = {"time (s)": np.arange(sim.thorax.acc.shape[0]) / rate}
    for name, sensor in (("thorax", sim.thorax), ("pelvis", sim.pelvis)):
        for axis, k in zip("xyz", range(3), strict=True):
            columns[f"{name} acc {axis} (g)"] = sensor.acc[:, k]
            columns[f"{name} gyr {axis} (rad/s)"] = sensor.gyr[:, k]
    table = np.column_stack(list(columns.values()))
    np.savetxt(path, table, delimiter=",", header=",".join(columns), comments="", fmt="%.7f")
    return path


def test_imu_lumbar_angles_from_a_thorax_and_a_pelvis_sensor(tmp_path: Path) -> None:
    """Known lumbar flexion from simulated sensors; the pelvis tilt must not count."""
    path = two_sensor_csv(tmp_path / "two-sensors.csv")
    document = json.loads(
        ok("imu", str(path), "--thorax", "thorax", "--pelvis", "pelvis", "--json")
    )
    lumbar = document["lumbar_deg"]
    assert lumbar["flexion"]["max"] == pytest.approx(40.0, abs=2.0)
    assert lumbar["flexion"]["min"] == pytest.approx(0.0, abs=1.0)
    assert lumbar["lateral_bend"]["range"] < 2.0
    assert "--pelvis" in fails("imu", str(path), "--thorax", "thorax")
    plot = tmp_path / "lumbar.png"
    ok("imu", str(path), "--thorax", "thorax", "--pelvis", "pelvis", "--plot", str(plot))
    assert plot.stat().st_size > 10_000
