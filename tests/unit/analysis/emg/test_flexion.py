"""Flexion-relaxation ratios: the worked example of clinical-facts §5 and phase finding."""

from __future__ import annotations

import numpy as np
import pytest

from spinecoach.analysis.emg import FlexionPhases, flexion_relaxation, phases_from_angle
from spinecoach.analysis.errors import AnalysisError

TIME = np.arange(0, 10, 0.01)
PHASES = FlexionPhases(flexion=(1.0, 3.0), full_flexion=(3.0, 5.0), extension=(5.0, 7.0))


def envelope_with(peak_flexion: float, full_mean: float, peak_extension: float) -> np.ndarray:
    env = np.full(TIME.size, 5.0)
    env[(TIME >= 1) & (TIME <= 3)] = 10.0
    env[np.argmin(np.abs(TIME - 2.0))] = peak_flexion
    env[(TIME >= 3) & (TIME <= 5)] = full_mean
    env[(TIME > 5) & (TIME <= 7)] = 12.0
    env[np.argmin(np.abs(TIME - 6.0))] = peak_extension
    return env


def test_worked_example_relaxation_present_and_absent() -> None:
    relaxed = envelope_with(40.0, 8.0, 48.0)
    guarded = envelope_with(30.0, 20.0, 30.0)
    result = flexion_relaxation(
        np.column_stack([relaxed, guarded]), TIME, phases=PHASES, channels=("left", "right")
    )
    assert result.frr == pytest.approx({"left": 5.0, "right": 1.5})
    assert result.err == pytest.approx({"left": 6.0, "right": 1.5})
    assert "Alschuler" in result.method_text
    assert result.as_dict()["phases_s"]["full_flexion"] == [3.0, 5.0]


def test_one_dimensional_envelope() -> None:
    result = flexion_relaxation(envelope_with(40.0, 8.0, 16.0), TIME, phases=PHASES)
    assert result.frr == pytest.approx({"ch1": 5.0})
    assert result.err == pytest.approx({"ch1": 2.0})


def forward_bend() -> np.ndarray:
    # upright 0–1 s, bend to 90° by 3 s, hold to 5 s, back up by 7 s, upright to 10 s
    return np.asarray(np.interp(TIME, [0, 1, 3, 5, 7, 10], [2, 2, 90, 90, 2, 2]))


def test_phases_from_the_trunk_angle() -> None:
    phases = phases_from_angle(TIME, forward_bend(), tolerance_deg=5.0)
    # full flexion where the angle is within 5° of 90: from 2.886 s to 5.114 s
    assert phases.full_flexion[0] == pytest.approx(3 - 5 / 44, abs=0.011)
    assert phases.full_flexion[1] == pytest.approx(5 + 5 / 44, abs=0.011)
    assert phases.flexion[0] == pytest.approx(1 + 5 / 44, abs=0.011)
    assert phases.extension[1] == pytest.approx(7 - 5 / 44, abs=0.011)
    result = flexion_relaxation(
        envelope_with(40.0, 8.0, 48.0), TIME, trunk_angle_deg=forward_bend()
    )
    assert "trunk angle" in result.method_text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "phases"),
        ({"trunk_angle_deg": np.full(TIME.size, 30.0)}, "trunk_angle_deg"),
        ({"trunk_angle_deg": np.zeros(5)}, "trunk_angle_deg"),
        ({"phases": FlexionPhases((3.0, 1.0), (3.0, 5.0), (5.0, 7.0))}, "phases"),
        ({"phases": PHASES, "channels": ("a", "b")}, "channels"),
    ],
)
def test_bad_input(kwargs: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(AnalysisError) as raised:
        flexion_relaxation(envelope_with(40.0, 8.0, 8.0), TIME, **kwargs)
    assert raised.value.field == field


def test_silent_full_flexion_is_refused() -> None:
    with pytest.raises(AnalysisError, match="positive"):
        flexion_relaxation(envelope_with(40.0, 0.0, 8.0), TIME, phases=PHASES)


def test_wrong_envelope_shape() -> None:
    with pytest.raises(AnalysisError) as raised:
        flexion_relaxation(np.ones(10), TIME, phases=PHASES)
    assert raised.value.field == "emg_envelope"
