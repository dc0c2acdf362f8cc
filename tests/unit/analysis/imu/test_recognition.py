"""Exercise recognition: window features with known values, a forest that separates simulated
exercises, JSON round trip, and leave-one-subject-out bookkeeping."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu import (
    FEATURE_NAMES,
    ExerciseRecogniser,
    Recording,
    leave_subject_out,
    oscillation,
    simulate_imu,
    window_features,
)
from spinecoach.analysis.imu.orientation import from_axis_angle
from spinecoach.analysis.timeseries import FloatArray

RATE = 50.0
EXERCISES = {  # axis of the swing, amplitude (deg), period (s), starting tilt about x (deg)
    "bridge": ((0.0, 1.0, 0.0), 25.0, 4.0, 0.0),
    "clam": ((1.0, 0.0, 0.0), 35.0, 3.0, 90.0),
    "punch": ((0.0, 0.0, 1.0), 10.0, 1.2, 180.0),
}


def exercise(name: str, subject: int) -> FloatArray:
    axis, amplitude, period, tilt = EXERCISES[name]
    rng = np.random.default_rng(subject)
    sim = simulate_imu(
        oscillation(
            axis=axis,
            amplitude_deg=amplitude * rng.uniform(0.8, 1.2),
            frequency_hz=1 / (period * rng.uniform(0.85, 1.15)),
        ),
        rate_hz=RATE,
        duration_s=30,
        q0=from_axis_angle(np.array([1.0, 0.0, 0.0]), np.radians(tilt + rng.uniform(-10, 10))),
        noise_acc=0.02,
        seed=subject,
    )
    return sim.acc


def recordings() -> list[Recording]:
    return [
        Recording(f"s{s}", name, exercise(name, s), RATE) for s in range(4) for name in EXERCISES
    ]


def test_features_of_a_constant_signal() -> None:
    acc = np.tile([0.0, 0.6, 0.8], (int(12 * RATE), 1))
    features = window_features(acc, rate_hz=RATE, window_s=5.0, step_s=2.5)
    assert features.shape == (3, len(FEATURE_NAMES))  # windows at 0, 2.5, 5 s (12 s long)
    row = dict(zip(FEATURE_NAMES, features[0], strict=True))
    assert row["y_mean"] == pytest.approx(0.6)
    assert row["mag_median"] == pytest.approx(1.0)
    assert row["z_std"] == pytest.approx(0.0, abs=1e-12)
    assert row["corr_xy"] == 0.0
    assert row["x_power_1_3hz"] == 0.0


def test_features_of_a_sine_know_its_frequency_and_band() -> None:
    time = np.arange(int(10 * RATE)) / RATE
    acc = np.stack(
        (np.sin(2 * np.pi * 2.0 * time), np.zeros_like(time), np.ones_like(time)), axis=1
    )
    row = dict(
        zip(
            FEATURE_NAMES,
            window_features(acc, rate_hz=RATE, window_s=10, step_s=10)[0],
            strict=True,
        )
    )
    assert row["x_dominant_hz"] == pytest.approx(2.0)
    assert row["x_power_1_3hz"] == pytest.approx(1.0, abs=1e-6)
    assert row["x_std"] == pytest.approx(np.sqrt(0.5), rel=1e-3)
    assert row["x_max"] == pytest.approx(1.0, abs=0.01)  # samples miss the crest slightly


def test_short_recording_gives_no_windows_and_bad_windows_are_refused() -> None:
    assert window_features(np.ones((10, 3)), rate_hz=RATE).shape == (0, len(FEATURE_NAMES))
    with pytest.raises(AnalysisError) as caught:
        window_features(np.ones((100, 3)), rate_hz=RATE, window_s=0.1)
    assert caught.value.field == "window_s"
    with pytest.raises(AnalysisError) as caught:
        window_features(np.ones((100, 3)), rate_hz=RATE, step_s=0)
    assert caught.value.field == "step_s"


def test_forest_recognises_held_out_simulated_exercises_and_round_trips_through_json() -> None:
    train = [r for r in recordings() if r.subject != "s0"]
    features = [window_features(r.acc, rate_hz=RATE) for r in train]
    labels = [r.label for r, f in zip(train, features, strict=True) for _ in range(f.shape[0])]
    model = ExerciseRecogniser(trees=30).fit(np.concatenate(features), labels)
    assert model.labels == ("bridge", "clam", "punch")
    for name in EXERCISES:
        assert model.predict_recording(exercise(name, 0), rate_hz=RATE) == name
    stored = json.loads(json.dumps(model.to_dict()))
    copy = ExerciseRecogniser.from_dict(stored)
    test = window_features(exercise("clam", 0), rate_hz=RATE)
    np.testing.assert_array_equal(copy.scores(test), model.scores(test))
    assert copy.predict(test) == model.predict(test)


def test_own_forest_traversal_equals_scikit_learn() -> None:
    from sklearn.ensemble import RandomForestClassifier

    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, len(FEATURE_NAMES)))
    y = np.where(x[:, 0] + x[:, 3] > 0, "a", np.where(x[:, 5] > 0.5, "b", "c"))
    model = ExerciseRecogniser(trees=20, min_leaf=2, random_state=3).fit(x, list(y))
    reference = RandomForestClassifier(n_estimators=20, min_samples_leaf=2, random_state=3).fit(
        x, y
    )
    fresh = rng.normal(size=(50, len(FEATURE_NAMES)))
    np.testing.assert_allclose(model.scores(fresh), reference.predict_proba(fresh), atol=1e-12)


def test_recogniser_rejects_bad_input() -> None:
    with pytest.raises(AnalysisError) as caught:
        ExerciseRecogniser().predict(np.zeros((2, len(FEATURE_NAMES))))
    assert caught.value.field == "recogniser"
    with pytest.raises(AnalysisError) as caught:
        ExerciseRecogniser().fit(np.zeros((4, len(FEATURE_NAMES))), ["a"] * 4)
    assert caught.value.field == "labels"
    with pytest.raises(AnalysisError) as caught:
        ExerciseRecogniser().fit(np.zeros((4, len(FEATURE_NAMES))), ["a", "b"])
    assert caught.value.field == "labels"
    with pytest.raises(AnalysisError) as caught:
        ExerciseRecogniser.from_dict({"format": "other"})
    assert caught.value.field == "format"
    model = ExerciseRecogniser(trees=2).fit(
        np.eye(len(FEATURE_NAMES)), [str(i % 2) for i in range(len(FEATURE_NAMES))]
    )
    broken = model.to_dict()
    broken["forest"][0]["left"] = [99] * len(broken["forest"][0]["left"])
    with pytest.raises(AnalysisError) as caught:
        ExerciseRecogniser.from_dict(broken)
    assert caught.value.field == "trees"
    with pytest.raises(AnalysisError) as caught:
        model.scores(np.zeros((2, 3)))
    assert caught.value.field == "features"


def test_leave_subject_out_counts_every_window_and_recording_once() -> None:
    data = recordings()
    result = leave_subject_out(data, trees=30)
    assert [fold.subject for fold in result.folds] == ["s0", "s1", "s2", "s3"]
    assert result.labels == ("bridge", "clam", "punch")
    assert result.recording_confusion.sum() == len(data)
    total_windows = sum(window_features(r.acc, rate_hz=RATE).shape[0] for r in data)
    assert result.window_confusion.sum() == total_windows
    assert result.recording_accuracy == pytest.approx(1.0)
    assert result.window_accuracy > 0.9
    assert json.loads(json.dumps(result.as_dict()))["labels"] == ["bridge", "clam", "punch"]
    with pytest.raises(AnalysisError) as caught:
        leave_subject_out([r for r in data if r.subject == "s0"])
    assert caught.value.field == "recordings"
