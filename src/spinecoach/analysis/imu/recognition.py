"""Which exercise is this? Window features of one accelerometer and a small classifier.

A recording is cut into windows (default 5 s every 2.5 s, the window Wijekoon et al. 2019
used on MEx, "MEx: Multi-modal Exercises Dataset for Human Activity Recognition",
arXiv:1908.08992). Each window becomes :data:`FEATURE_NAMES`: for each axis and the
magnitude, statistics of the signal (posture shows in the means, movement in the spread) and
of its spectrum (the dominant frequency and the share of power in four bands), plus the
correlations between axes. The classifier is a random forest (scikit-learn, fixed seed; its
trees are stored as plain arrays, so a trained model fits in a JSON file), and a recording's
label is the majority vote of its windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.imu.angles import check_acc
from spinecoach.analysis.imu.orientation import check_rate
from spinecoach.analysis.timeseries import FloatArray

WINDOW_S = 5.0
STEP_S = 2.5
CHANNELS = ("x", "y", "z", "mag")
# Spectral bands (Hz) of the window's power: posture drift, slow exercise, brisk movement,
# tremor/impacts.
BANDS: tuple[tuple[float, float], ...] = ((0.1, 0.5), (0.5, 1.0), (1.0, 3.0), (3.0, 10.0))
_STATISTICS = ("mean", "std", "min", "max", "p25", "median", "p75")
FEATURE_NAMES: tuple[str, ...] = (
    *(f"{c}_{s}" for c in CHANNELS for s in _STATISTICS),
    *(f"{c}_dominant_hz" for c in CHANNELS),
    *(f"{c}_power_{lo:g}_{hi:g}hz" for c in CHANNELS for lo, hi in BANDS),
    "corr_xy",
    "corr_xz",
    "corr_yz",
)
FORMAT = "spinecoach.imu.recogniser/2"


def window_features(
    acc: FloatArray, /, *, rate_hz: float, window_s: float = WINDOW_S, step_s: float = STEP_S
) -> FloatArray:
    """Features (windows, len(FEATURE_NAMES)) of an accelerometer (n, 3) in g: per axis and
    magnitude the mean, standard deviation, minimum, maximum, quartiles and median; the
    frequency (Hz) of the largest FFT peak of the mean-removed signal between 0.1 and 10 Hz;
    the fraction of that signal's power in each of :data:`BANDS`; and the Pearson
    correlations of the axes (0 for a flat axis). Windows start every ``step_s``; a recording
    shorter than one window gives no rows."""
    rate = check_rate(rate_hz)
    a = check_acc(acc)
    if not (np.isfinite(window_s) and window_s > 0):
        raise AnalysisError("window_s", f"must be a positive number of seconds, got {window_s}")
    if not (np.isfinite(step_s) and step_s > 0):
        raise AnalysisError("step_s", f"must be a positive number of seconds, got {step_s}")
    size = round(window_s * rate)
    step = max(1, round(step_s * rate))
    if size < 8:
        raise AnalysisError("window_s", f"gives {size} samples per window at {rate:g} Hz; need ≥ 8")
    if a.shape[0] < size:
        return np.empty((0, len(FEATURE_NAMES)))
    signal = np.concatenate((a, np.linalg.norm(a, axis=1, keepdims=True)), axis=1)
    starts = np.arange(0, a.shape[0] - size + 1, step)
    windows = np.stack([signal[s : s + size] for s in starts])  # (w, size, 4)
    quartiles = np.percentile(windows, [25, 50, 75], axis=1)  # (3, w, 4)
    stats = np.stack(
        (
            windows.mean(axis=1),
            windows.std(axis=1),
            windows.min(axis=1),
            windows.max(axis=1),
            quartiles[0],
            quartiles[1],
            quartiles[2],
        ),
        axis=2,
    )  # (w, 4, 7)
    centred = windows - windows.mean(axis=1, keepdims=True)
    power = np.abs(np.fft.rfft(centred, axis=1)) ** 2  # (w, f, 4)
    freqs = np.fft.rfftfreq(size, d=1.0 / rate)
    usable = (freqs >= BANDS[0][0]) & (freqs <= BANDS[-1][1])
    if not usable.any():
        raise AnalysisError("window_s", f"{window_s:g} s windows are too short for the 0.1 Hz band")
    inside = power[:, usable, :]
    dominant = freqs[usable][np.argmax(inside, axis=1)]  # (w, 4)
    total = inside.sum(axis=1)
    total = np.where(total > 0, total, 1.0)
    shares = np.stack(
        [power[:, (freqs >= lo) & (freqs < hi), :].sum(axis=1) / total for lo, hi in BANDS],
        axis=2,
    )  # (w, 4, bands)
    std = centred[:, :, :3].std(axis=1)  # (w, 3)
    correlations = []
    for i, j in ((0, 1), (0, 2), (1, 2)):
        product = (centred[:, :, i] * centred[:, :, j]).mean(axis=1)
        scale = std[:, i] * std[:, j]
        correlations.append(np.where(scale > 0, product / np.where(scale > 0, scale, 1.0), 0.0))
    return np.concatenate(
        (
            stats.reshape(len(starts), -1),
            dominant,
            shares.reshape(len(starts), -1),
            np.stack(correlations, axis=1),
        ),
        axis=1,
    )


@dataclass(frozen=True)
class _Tree:
    """One decision tree as flat arrays (scikit-learn's layout): a node splits on
    ``feature <= threshold`` to ``left``/``right``; a leaf (left == -1) holds class shares."""

    feature: npt.NDArray[np.int64]
    threshold: FloatArray
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: FloatArray  # (nodes, labels), each row summing to 1

    def shares(self, x: FloatArray) -> FloatArray:
        node = np.zeros(x.shape[0], dtype=np.int64)
        rows = np.arange(x.shape[0])
        inner = self.left[node] >= 0
        while inner.any():  # one step down per level for every row still inside the tree
            here = node[inner]
            goes_left = x[rows[inner], self.feature[here]] <= self.threshold[here]
            node[inner] = np.where(goes_left, self.left[here], self.right[here])
            inner = self.left[node] >= 0
        return self.value[node]

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": self.value.tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], labels: int) -> _Tree:
        tree = cls(
            feature=np.asarray(data["feature"], dtype=np.int64),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.int64),
            right=np.asarray(data["right"], dtype=np.int64),
            value=np.asarray(data["value"], dtype=np.float64),
        )
        nodes = tree.left.size
        shapes = {a.shape for a in (tree.feature, tree.threshold, tree.right)}
        if shapes != {(nodes,)} or tree.value.shape != (nodes, labels):
            raise AnalysisError("trees", "a stored tree's arrays do not match in size")
        inner = tree.left >= 0
        children = np.concatenate((tree.left[inner], tree.right[inner]))
        if children.size and (children.max() >= nodes or children.min() <= 0):
            raise AnalysisError("trees", "a stored tree points to nodes it does not have")
        if np.any(tree.feature[inner] < 0) or np.any(tree.feature[inner] >= len(FEATURE_NAMES)):
            raise AnalysisError("trees", "a stored tree splits on features that do not exist")
        return tree


@dataclass
class ExerciseRecogniser:
    """A random forest (Breiman 2001, Machine Learning 45:5) over window features, fitted
    with scikit-learn (``trees`` trees, at least ``min_leaf`` windows per leaf, fixed
    ``random_state``). Trees need no feature scaling and split posture (means) from
    movement (spread, spectrum) without a linear boundary; on MEx they beat a standardised
    logistic regression by about 10 points (docs/imu.md). Predictions use the forest's own
    stored arrays (the average of the trees' leaf class shares, as scikit-learn's
    ``predict_proba``), so a model read back from JSON predicts the same."""

    trees: int = 100
    min_leaf: int = 3
    random_state: int = 0
    window_s: float = WINDOW_S
    step_s: float = STEP_S
    labels: tuple[str, ...] = ()
    forest: tuple[_Tree, ...] = ()

    def fit(
        self, features: FloatArray, labels: Sequence[str], /, groups: Sequence[str] | None = None
    ) -> ExerciseRecogniser:
        """Fit on feature rows and their labels (``groups`` is accepted for symmetry with
        grouped evaluation; the fit itself does not use it)."""
        del groups
        from sklearn.ensemble import RandomForestClassifier

        x = _features(features)
        if len(labels) != x.shape[0]:
            raise AnalysisError("labels", f"expected {x.shape[0]} labels, got {len(labels)}")
        names = sorted(set(labels))
        if len(names) < 2:
            raise AnalysisError("labels", f"need at least two different labels, got {names}")
        if self.trees < 1:
            raise AnalysisError("trees", f"must be 1 or more, got {self.trees}")
        if self.min_leaf < 1:
            raise AnalysisError("min_leaf", f"must be 1 or more, got {self.min_leaf}")
        model = RandomForestClassifier(
            n_estimators=self.trees, min_samples_leaf=self.min_leaf, random_state=self.random_state
        )
        model.fit(x, np.asarray(labels))
        self.labels = tuple(str(name) for name in model.classes_)
        forest = []
        for estimator in model.estimators_:
            tree = estimator.tree_
            value = np.asarray(tree.value, dtype=np.float64)[:, 0, :]
            totals = value.sum(axis=1, keepdims=True)
            forest.append(
                _Tree(
                    feature=np.asarray(tree.feature, dtype=np.int64),
                    threshold=np.asarray(tree.threshold, dtype=np.float64),
                    left=np.asarray(tree.children_left, dtype=np.int64),
                    right=np.asarray(tree.children_right, dtype=np.int64),
                    value=value / np.where(totals > 0, totals, 1.0),
                )
            )
        self.forest = tuple(forest)
        return self

    def scores(self, features: FloatArray, /) -> FloatArray:
        """Class probabilities (rows, labels): the mean of the trees' leaf class shares."""
        if not self.forest:
            raise AnalysisError("recogniser", "is not fitted: call fit() or from_dict() first")
        x = _features(features)
        if x.shape[1] != len(FEATURE_NAMES):
            raise AnalysisError(
                "features", f"expected {len(FEATURE_NAMES)} columns, got {x.shape[1]}"
            )
        total = np.zeros((x.shape[0], len(self.labels)))
        for tree in self.forest:
            total += tree.shares(x)
        return total / len(self.forest)

    def predict(self, features: FloatArray, /) -> tuple[str, ...]:
        """The most likely label of each feature row."""
        if _features(features).shape[0] == 0:
            return ()
        best = np.argmax(self.scores(features), axis=1)
        return tuple(self.labels[i] for i in best)

    def predict_recording(self, acc: FloatArray, /, *, rate_hz: float) -> str:
        """The label most windows of a recording get (ties: the higher summed probability)."""
        features = window_features(acc, rate_hz=rate_hz, window_s=self.window_s, step_s=self.step_s)
        if features.shape[0] == 0:
            raise AnalysisError("acc", f"is shorter than one {self.window_s:g} s window")
        return vote(self.scores(features), self.labels)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description from which :meth:`from_dict` rebuilds the same model."""
        return {
            "format": FORMAT,
            "features": list(FEATURE_NAMES),
            "trees": self.trees,
            "min_leaf": self.min_leaf,
            "random_state": self.random_state,
            "window_s": self.window_s,
            "step_s": self.step_s,
            "labels": list(self.labels),
            "forest": [tree.as_dict() for tree in self.forest],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], /) -> ExerciseRecogniser:
        if data.get("format") != FORMAT:
            raise AnalysisError("format", f"expected {FORMAT!r}, got {data.get('format')!r}")
        if list(data.get("features", [])) != list(FEATURE_NAMES):
            raise AnalysisError("features", "the stored model was fitted on other features")
        try:
            labels = tuple(str(label) for label in data["labels"])
            return cls(
                trees=int(data["trees"]),
                min_leaf=int(data["min_leaf"]),
                random_state=int(data["random_state"]),
                window_s=float(data["window_s"]),
                step_s=float(data["step_s"]),
                labels=labels,
                forest=tuple(_Tree.from_dict(tree, len(labels)) for tree in data["forest"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, AnalysisError):
                raise
            raise AnalysisError("model", f"is not a stored recogniser ({error!r})") from None


def vote(probabilities: FloatArray, labels: Sequence[str]) -> str:
    """Majority label of window probabilities; ties go to the larger summed probability."""
    best = np.argmax(probabilities, axis=1)
    counts = np.bincount(best, minlength=len(labels)).astype(np.float64)
    counts += probabilities.sum(axis=0) / (probabilities.shape[0] + 1.0)  # < 1: breaks ties only
    return str(labels[int(np.argmax(counts))])


def _features(features: FloatArray) -> FloatArray:
    x = np.asarray(features, dtype=np.float64)
    if x.ndim != 2:
        raise AnalysisError("features", f"expected a (rows, features) array, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise AnalysisError("features", "holds values that are not finite numbers")
    return x


@dataclass(frozen=True)
class Recording:
    """One labelled accelerometer recording (n, 3) of one subject."""

    subject: str
    label: str
    acc: FloatArray
    rate_hz: float


@dataclass(frozen=True)
class FoldResult:
    """One held-out subject: window-level and recording-level accuracy."""

    subject: str
    windows: int
    recordings: int
    window_accuracy: float
    recording_accuracy: float


@dataclass(frozen=True)
class RecognitionEvaluation:
    """Leave-one-subject-out results: per fold, pooled accuracies and confusion matrices
    (rows true label, columns predicted, in the order of ``labels``)."""

    folds: tuple[FoldResult, ...]
    labels: tuple[str, ...]
    window_accuracy: float
    recording_accuracy: float
    window_confusion: npt.NDArray[np.int64]
    recording_confusion: npt.NDArray[np.int64]
    method_text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "window_accuracy": self.window_accuracy,
            "recording_accuracy": self.recording_accuracy,
            "window_confusion": self.window_confusion.tolist(),
            "recording_confusion": self.recording_confusion.tolist(),
            "folds": [fold.__dict__ for fold in self.folds],
            "method": self.method_text,
        }


def leave_subject_out(
    recordings: Sequence[Recording],
    /,
    *,
    trees: int = 100,
    min_leaf: int = 3,
    window_s: float = WINDOW_S,
    step_s: float = STEP_S,
) -> RecognitionEvaluation:
    """Train on every subject but one, test on that one, for each subject in turn: no
    window of the test subject is ever seen in training (windows of one person are alike,
    so a random split would flatter the accuracy)."""
    if not recordings:
        raise AnalysisError("recordings", "need at least one recording")
    subjects = sorted({r.subject for r in recordings})
    if len(subjects) < 2:
        raise AnalysisError("recordings", f"need at least two subjects, got {subjects}")
    labels = tuple(sorted({r.label for r in recordings}))
    index = {label: i for i, label in enumerate(labels)}
    feats = [
        window_features(r.acc, rate_hz=r.rate_hz, window_s=window_s, step_s=step_s)
        for r in recordings
    ]
    window_confusion = np.zeros((len(labels), len(labels)), dtype=np.int64)
    recording_confusion = np.zeros_like(window_confusion)
    folds = []
    for subject in subjects:
        train = [i for i, r in enumerate(recordings) if r.subject != subject and feats[i].shape[0]]
        test = [i for i, r in enumerate(recordings) if r.subject == subject and feats[i].shape[0]]
        model = ExerciseRecogniser(
            trees=trees, min_leaf=min_leaf, window_s=window_s, step_s=step_s
        ).fit(
            np.concatenate([feats[i] for i in train]),
            [recordings[i].label for i in train for _ in range(feats[i].shape[0])],
        )
        right_windows = total_windows = right_recordings = 0
        for i in test:
            truth = index[recordings[i].label]
            probabilities = model.scores(feats[i])
            guesses = [index[model.labels[k]] for k in np.argmax(probabilities, axis=1)]
            np.add.at(window_confusion, (truth, guesses), 1)
            right_windows += sum(g == truth for g in guesses)
            total_windows += len(guesses)
            voted = index[vote(probabilities, model.labels)]
            recording_confusion[truth, voted] += 1
            right_recordings += voted == truth
        folds.append(
            FoldResult(
                subject=subject,
                windows=total_windows,
                recordings=len(test),
                window_accuracy=right_windows / total_windows if total_windows else float("nan"),
                recording_accuracy=right_recordings / len(test) if test else float("nan"),
            )
        )
    return RecognitionEvaluation(
        folds=tuple(folds),
        labels=labels,
        window_accuracy=float(np.trace(window_confusion) / max(window_confusion.sum(), 1)),
        recording_accuracy=float(np.trace(recording_confusion) / max(recording_confusion.sum(), 1)),
        window_confusion=window_confusion,
        recording_confusion=recording_confusion,
        method_text=(
            f"Leave-one-subject-out over {len(subjects)} subjects: random forest "
            f"({trees} trees) on {len(FEATURE_NAMES)} features of {window_s:g} s windows every "
            f"{step_s:g} s; a recording's label is the majority of its windows."
        ),
    )
