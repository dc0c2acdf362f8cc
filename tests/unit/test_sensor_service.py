"""How the sensor service reads a lab's channel names: muscle, side, EMG channels."""

from __future__ import annotations

import numpy as np
import pytest

from spinecoach.analysis.emg import simulate_emg
from spinecoach.analysis.timeseries import TimeSeries
from spinecoach.domain.errors import InvalidInput
from spinecoach.services.sensors import (
    EmgOptions,
    _side,
    analyse_emg,
    emg_series,
    imu_series,
    muscle_of,
)


@pytest.mark.parametrize(
    ("channel", "muscle"),
    [
        ("TrA L", "transversus_abdominis"),
        ("transversus_abdominis_R", "transversus_abdominis"),
        ("R_IO", "internal_oblique"),
        ("Int. Obl. left", "internal_oblique"),
        ("EO-R", "external_oblique"),
        ("Rectus abd", "rectus_abdominis"),
        ("LMF", "lumbar_multifidus"),
        ("Multifidus L5", "lumbar_multifidus"),
        ("ES L", "erector_spinae"),
        ("L3 paraspinal", "erector_spinae"),
        ("Deltoid", "other"),
        ("Trapezius", "other"),  # "tra" inside a word is not TrA
        ("EMG1", "other"),
    ],
)
def test_muscles_from_channel_names(channel: str, muscle: str) -> None:
    assert muscle_of(channel) == muscle


@pytest.mark.parametrize(
    ("channel", "side"),
    [("ES L", "left"), ("right_ES", "right"), ("L3 paraspinal", "bilateral"), ("ES", "bilateral")],
)
def test_sides_from_channel_names(channel: str, side: str) -> None:
    assert _side(channel) == side


def _group(names: tuple[str, ...], units: tuple[str, ...], rate: float = 1000.0) -> TimeSeries:
    return TimeSeries(np.arange(10) / rate, np.zeros((10, len(names))), names, units)


def test_emg_channels_are_the_voltage_ones_of_the_richest_group() -> None:
    groups = (
        _group(("TrA", "IO", "angle"), ("uV", "uV", "deg")),
        _group(("acc_x",), ("g",), 100.0),
    )
    assert emg_series(groups).channels == ("TrA", "IO")
    with pytest.raises(InvalidInput) as error:
        emg_series(groups, want="Deltoid")
    assert error.value.field == "--prime-mover"


def test_raw_counts_without_units_are_emg_but_known_other_units_are_not() -> None:
    group = _group(("TrA", "EMG2", "acc", "trunk"), ("", "", "g", ""))
    assert emg_series([group], exclude=["trunk"]).channels == ("TrA", "EMG2")


def test_only_named_trunk_muscles_are_stored_unless_chosen() -> None:
    starts = [1.0 + k for k in range(5)]
    series, _ = simulate_emg(
        [starts, [s - 0.03 for s in starts]], duration_s=7.0, burst_s=0.3, names=["Delt", "EMG2"]
    )
    unnamed = analyse_emg([series], source="t", options=EmgOptions(prime_mover="Delt"))
    assert unnamed.tests == {}
    assert "5/5" in unnamed.statements[0]
    chosen = analyse_emg(
        [series], source="t", options=EmgOptions(prime_mover="Delt", muscle_channel="EMG2")
    )
    assert chosen.tests["feedforward_timing"]["muscle"] == "other"
    with pytest.raises(InvalidInput) as error:
        analyse_emg([series], source="t", options=EmgOptions(muscle_channel="EMG2"))
    assert error.value.field == "--muscle"


def test_a_flat_pair_has_no_co_contraction_index() -> None:
    flat = TimeSeries(np.arange(2000) / 1000.0, np.zeros((2000, 2)), ("A", "B"), ("uV", "uV"))
    with pytest.raises(InvalidInput) as error:
        analyse_emg([flat], source="t", options=EmgOptions(cocontraction=("A", "B")))
    assert "zero" in error.value.problem


def test_imu_channels_are_named_by_axis_and_found_by_prefix() -> None:
    names = tuple(
        f"{s} {k} {a}" for s in ("thorax", "pelvis") for k in ("acc", "gyr") for a in "xyz"
    )
    units = tuple(u for _ in range(2) for u in ("g",) * 3 + ("deg/s",) * 3)
    group = _group(names, units, 100.0)
    pelvis = imu_series([group], prefix="pelvis")
    assert pelvis.channels == ("acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")
    assert pelvis.units == ("g",) * 3 + ("deg/s",) * 3
    with pytest.raises(InvalidInput) as error:
        imu_series([group], prefix="shank")
    assert "shank" in error.value.problem


def test_emg_options_are_checked_by_name() -> None:
    with pytest.raises(InvalidInput) as error:
        EmgOptions(phases_s=(1.0, 0.5, 2.0, 3.0))
    assert error.value.field == "--phases"
    with pytest.raises(InvalidInput) as error:
        EmgOptions(movement="jump")
    assert error.value.field == "--movement"
