"""Questionnaire definitions as data, and the shared scoring machinery.

Item *wording* never appears here: it is copyrighted. Each item has a neutral label of our own
("ODI section 4 (0–5)"); clinics install licensed wording as text packs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from spinecoach.domain.errors import CannotScore, InvalidInput
from spinecoach.domain.evidence import Evidence

Answers = Sequence[int | None]
"""Answers in item order; ``None`` is a missing answer."""


class Direction(Enum):
    """Which way is worse, so change can be judged as improvement or decline."""

    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True)
class Item:
    """One item: its position, stable key, neutral label and response range."""

    number: int
    key: str
    label: str
    minimum: int
    maximum: int
    reverse: bool = False


@dataclass(frozen=True)
class Band:
    """An interpretation band: scores up to and including ``upper`` (after the previous band)."""

    label: str
    upper: float


@dataclass(frozen=True)
class ChangeCriteria:
    """Published thresholds for judging change between two administrations.

    ``mcid_points`` and ``mcid_percent`` are reported separately (Ostelo 2008 gives both);
    ``mdc`` is the smallest change beyond measurement error; ``recovered_at_or_below`` /
    ``recovered_at_or_above`` are published "recovered" cut-offs (Kamper 2010), if any.
    """

    mcid_points: float | None
    mcid_percent: float | None
    mdc: float | None
    source: str
    recovered_at_or_below: float | None = None
    recovered_at_or_above: float | None = None
    verified: bool = True


@dataclass(frozen=True)
class MissingPolicy:
    """How many items may be missing, and what happens then.

    ``max_missing`` is the default; callers may tighten or loosen it (documented per
    instrument). With 0 the instrument refuses any incomplete form rather than guess.
    ``method`` says how a form with allowed missing items is scored:
    ``"denominator"`` (ODI: the percentage of the answered maximum) or ``"prorate"``
    (sum scaled to the full item count) or ``"mean"`` (mean of answered items).
    """

    max_missing: int
    method: str
    rule: str


@dataclass(frozen=True)
class ScoreResult:
    """One scored administration. ``score`` is never rounded; round only for display."""

    instrument: str
    score: float
    subscales: Mapping[str, float]
    category: str | None
    answered: int
    missing: int
    findings: tuple[Evidence, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view with the keys the CLI promises."""
        return {
            "instrument": self.instrument,
            "score": self.score,
            "subscales": dict(self.subscales),
            "category": self.category,
            "answered": self.answered,
            "missing": self.missing,
            "findings": [f.as_dict() for f in self.findings],
        }


Scorer = Callable[["Instrument", Answers, int], ScoreResult]


@dataclass(frozen=True)
class Instrument:
    """Everything known about one questionnaire, except its copyrighted wording."""

    id: str
    name: str
    items: tuple[Item, ...]
    score_range: tuple[float, float]
    direction: Direction
    missing: MissingPolicy
    change: ChangeCriteria
    citations: tuple[str, ...]
    scorer: Scorer
    subscales: Mapping[str, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))
    bands: tuple[Band, ...] = ()
    bands_source: str = ""
    variable_length: bool = False
    notes: str = ""

    def score(self, answers: Answers, /, *, max_missing: int | None = None) -> ScoreResult:
        """Validate ``answers`` (item order) and score them.

        Raises :class:`InvalidInput` for a wrong count or an out-of-range value and
        :class:`CannotScore` when more items are missing than ``max_missing`` allows
        (default: the instrument's policy).
        """
        allowed = self.missing.max_missing if max_missing is None else max_missing
        if allowed < 0:
            raise InvalidInput("max_missing", f"must be 0 or more, got {allowed}")
        validate_answers(self, answers)
        return self.scorer(self, answers, allowed)

    def category_for(self, score: float) -> str | None:
        """The interpretation band of ``score`` (half-open bands; rounded to 1e-9 first)."""
        if not self.bands:
            return None
        value = round(score, 9)
        for band in self.bands:
            if value <= band.upper:
                return band.label
        return self.bands[-1].label

    def item(self, number: int) -> Item:
        """The item with this 1-based number."""
        return self.items[number - 1]


def validate_answers(instrument: Instrument, answers: Answers) -> None:
    """Check count, integrality and range of every answer; name the first bad one."""
    expected = len(instrument.items)
    if instrument.variable_length:
        if not 1 <= len(answers) <= expected:
            raise InvalidInput(
                "answers", f"{instrument.id} takes 1 to {expected} answers, got {len(answers)}"
            )
    elif len(answers) != expected:
        raise InvalidInput(
            "answers", f"{instrument.id} takes {expected} answers, got {len(answers)}"
        )
    for index, value in enumerate(answers):
        if value is None:
            continue
        item = instrument.items[index]
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"answers[{item.number}]", f"must be a whole number, got {value!r}")
        if not item.minimum <= value <= item.maximum:
            raise InvalidInput(
                f"answers[{item.number}]",
                f"{item.label} must be {item.minimum}–{item.maximum}, got {value}",
            )


def item_value(item: Item, raw: int) -> int:
    """The scored value of one answer, reversed within the item's range when required."""
    return item.minimum + item.maximum - raw if item.reverse else raw


def require_complete_enough(instrument: Instrument, answers: Answers, allowed: int) -> int:
    """Return the number of missing answers, or raise if it exceeds ``allowed``."""
    missing = sum(1 for a in answers if a is None)
    if missing > allowed:
        raise CannotScore(
            "answers",
            f"{instrument.id}: {missing} item(s) missing, at most {allowed} allowed "
            f"({instrument.missing.rule})",
        )
    return missing


def sum_items(
    instrument: Instrument, answers: Answers, numbers: Sequence[int]
) -> tuple[float, int]:
    """Sum of the scored values of the given item numbers: (sum, answered count)."""
    total = 0
    answered = 0
    for number in numbers:
        raw = answers[number - 1]
        if raw is None:
            continue
        total += item_value(instrument.item(number), raw)
        answered += 1
    return float(total), answered


def prorated_sum(instrument: Instrument, answers: Answers, numbers: Sequence[int]) -> float:
    """Sum of the given items, scaled up to the full count when some are missing."""
    total, answered = sum_items(instrument, answers, numbers)
    if answered == 0:
        return math.nan
    return total * len(numbers) / answered


def score_summed(instrument: Instrument, answers: Answers, allowed: int) -> ScoreResult:
    """The common case: total = sum of (reversed where needed) items, subscales likewise.

    With missing items allowed by the caller, totals are prorated to the full item count
    (documented per instrument; the default policies allow none where no rule is published).
    """
    missing = require_complete_enough(instrument, answers, allowed)
    all_numbers = [item.number for item in instrument.items]
    total = prorated_sum(instrument, answers, all_numbers)
    subscales = {
        name: prorated_sum(instrument, answers, numbers)
        for name, numbers in instrument.subscales.items()
    }
    return ScoreResult(
        instrument=instrument.id,
        score=total,
        subscales=MappingProxyType(subscales),
        category=instrument.category_for(total),
        answered=len(answers) - missing,
        missing=missing,
    )
