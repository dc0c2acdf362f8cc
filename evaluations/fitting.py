"""Choosing an analyzer's criteria from labelled recordings, and judging them honestly.

Where a dataset labels repetitions correct or incorrect but does not say by which measurable
standard, the criteria are chosen from data: every candidate metric (range, excursion and
maximum of each kinematic signal) gets the threshold that best separates the two labels on the
training recordings (balanced accuracy), and criteria are added greedily - all must pass - while
they improve the training balanced accuracy by at least :data:`MIN_GAIN`. Evaluations fit on
some subjects and judge others (leave-subject-out); nothing is judged by criteria fitted on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from spinecoach.analysis.exercise import AnalyzerSpec, Criterion, metric_named
from spinecoach.analysis.pose.signals import SIGNALS
from spinecoach.analysis.quality import Span
from spinecoach.analysis.timeseries import FloatArray

MAX_CRITERIA = 3
MIN_GAIN = 0.02
# What a physiotherapist would check, as metrics: how far the moving joints go (range and
# peak) and how much the trunk and pelvis move away from their start posture. Frontal knee
# angles and wrist heights are left out: deep knee flexion makes the frontal projection of the
# knee meaningless, and wrist height repeats arm elevation.
JOINTS = ("knee_flexion", "hip_flexion", "arm_elevation", "elbow_flexion", "shoulder_abduction")
TRUNK = (
    "trunk_sagittal_deg",
    "trunk_frontal_deg",
    "trunk_rotation_deg",
    "pelvic_obliquity_deg",
    "pelvic_tilt_deg",
)
VOCABULARY = ("left_right_asymmetry_pct", "shoulder_elevation_deg")


def candidate_metrics() -> list[str]:
    """Metric names tried as criteria (see :data:`JOINTS`, :data:`TRUNK`)."""
    joints = [
        f"{reducer}:{joint}_{side}_deg"
        for joint in JOINTS
        for side in ("left", "right")
        for reducer in ("range", "max")
    ]
    trunk = [f"excursion:{channel}" for channel in TRUNK]
    names = [*joints, *trunk, *VOCABULARY]
    assert all(name.split(":")[-1] in SIGNALS or ":" not in name for name in names)
    return names


def features(span: Span, names: Sequence[str]) -> FloatArray:
    return np.array([metric_named(name).compute(span) for name in names])


def balanced_accuracy(predicted_correct: np.ndarray, correct: np.ndarray) -> float:
    sensitivity = float(np.mean(predicted_correct[correct])) if correct.any() else 0.0
    specificity = float(np.mean(~predicted_correct[~correct])) if (~correct).any() else 0.0
    return 0.5 * (sensitivity + specificity)


@dataclass(frozen=True)
class Candidate:
    criterion: Criterion
    passes: np.ndarray  # per training recording


def _best_threshold(values: FloatArray, correct: np.ndarray, name: str) -> Candidate | None:
    """The bound (≤ or ≥) on one metric that best separates the labels; None if unusable."""
    if not np.isfinite(values).all() or values.min() <= 0:
        return None
    ordered = np.unique(values)
    if ordered.size < 2:
        return None
    cuts = 0.5 * (ordered[1:] + ordered[:-1])
    best: tuple[float, Candidate] | None = None
    for at_most in (True, False):
        passes = values[None, :] <= cuts[:, None] if at_most else values[None, :] >= cuts[:, None]
        sens = (passes & correct).sum(1) / max(correct.sum(), 1)
        spec = (~passes & ~correct).sum(1) / max((~correct).sum(), 1)
        scores = 0.5 * (sens + spec)
        i = int(np.argmax(scores))
        bound = float(cuts[i])
        criterion = Criterion(name, at_most=bound) if at_most else Criterion(name, at_least=bound)
        if best is None or scores[i] > best[0]:
            best = (float(scores[i]), Candidate(criterion, passes[i]))
    return best[1] if best else None


def fit_criteria(
    table: FloatArray, correct: np.ndarray, names: Sequence[str]
) -> tuple[Criterion, ...]:
    """Greedy conjunction of single-metric criteria fitted on ``table`` (recordings × names)."""
    candidates = [
        c
        for column, name in enumerate(names)
        if (c := _best_threshold(table[:, column], correct, name)) is not None
    ]
    chosen: list[Candidate] = []
    passing = np.ones(correct.size, dtype=bool)
    score = balanced_accuracy(passing, correct)
    used: set[str] = set()
    for _ in range(MAX_CRITERIA):
        trials = [
            (balanced_accuracy(passing & c.passes, correct), c)
            for c in candidates
            if _family(c.criterion.metric) not in used
        ]
        if not trials:
            break
        best_score, best = max(trials, key=lambda trial: trial[0])
        if best_score < score + MIN_GAIN:
            break
        chosen.append(best)
        used.add(_family(best.criterion.metric))
        passing &= best.passes
        score = best_score
    return tuple(c.criterion for c in chosen)


def _family(metric: str) -> str:
    """Criteria on the same signal (its range and its peak) count as one."""
    return metric.split(":")[-1]


def roc_auc(scores: FloatArray, positive: np.ndarray) -> float:
    """Probability that a positive (correct) recording scores above a negative one (ties
    count half): the area under the ROC curve."""
    pos, neg = scores[positive], scores[~positive]
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).mean()
    ties = (pos[:, None] == neg[None, :]).mean()
    return float(greater + 0.5 * ties)


def with_criteria(spec: AnalyzerSpec, criteria: tuple[Criterion, ...]) -> AnalyzerSpec:
    from dataclasses import replace

    return replace(spec, criteria=criteria)
