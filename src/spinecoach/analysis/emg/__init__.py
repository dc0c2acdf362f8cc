"""Surface EMG analysis: conditioning, onsets, feed-forward timing, flexion-relaxation,
co-contraction, spectral fatigue, live streaming and simulation with known answers."""

from spinecoach.analysis.emg.filters import (
    clean,
    clean_for_onsets,
    envelope,
    normalise,
    reference_amplitude,
)
from spinecoach.analysis.emg.flexion import (
    FlexionPhases,
    FlexionRelaxation,
    flexion_relaxation,
    phases_from_angle,
)
from spinecoach.analysis.emg.measures import co_contraction_index, fatigue_slope, median_frequency
from spinecoach.analysis.emg.movement import MovementOnsets, movement_onsets
from spinecoach.analysis.emg.onsets import Burst, OnsetMethod, Onsets, onsets, teager_kaiser
from spinecoach.analysis.emg.process import EmgReport, process
from spinecoach.analysis.emg.simulate import EmgTruth, simulate_emg
from spinecoach.analysis.emg.streaming import StreamingEmg, StreamingEmgStep
from spinecoach.analysis.emg.timing import (
    FEEDFORWARD_WINDOW_MS,
    AnticipatoryTiming,
    MuscleTiming,
    anticipatory_timing,
    pair_trials,
    trial_onsets,
)

__all__ = [
    "FEEDFORWARD_WINDOW_MS",
    "AnticipatoryTiming",
    "Burst",
    "EmgReport",
    "EmgTruth",
    "FlexionPhases",
    "FlexionRelaxation",
    "MovementOnsets",
    "MuscleTiming",
    "OnsetMethod",
    "Onsets",
    "StreamingEmg",
    "StreamingEmgStep",
    "anticipatory_timing",
    "clean",
    "clean_for_onsets",
    "co_contraction_index",
    "envelope",
    "fatigue_slope",
    "flexion_relaxation",
    "median_frequency",
    "movement_onsets",
    "normalise",
    "onsets",
    "pair_trials",
    "phases_from_angle",
    "process",
    "reference_amplitude",
    "simulate_emg",
    "teager_kaiser",
    "trial_onsets",
]
