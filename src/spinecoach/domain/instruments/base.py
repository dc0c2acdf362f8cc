"""Questionnaire definitions as data, and the shared scoring machinery.

Item *wording* never appears here: it is copyrighted. Each item has a neutral label of our own
("ODI section 4 (0–5)"); clinics install licensed wording as text packs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType
from typing import Literal

from spinecoach.domain.errors import CannotScore, InvalidInput
from spinecoach.domain.evidence import Evidence, format_number

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
    """An interpretation band: scores up to and including ``upper`` (after the previous band).

    ``inclusive=False`` makes the band end just below ``upper`` (``< upper``), for cut-offs
    published as "≥ x" (PCS 30, ÖMPSQ 50) that prorated, non-integer scores must respect.
    """

    label: str
    upper: float
    inclusive: bool = True

    def contains_up_to(self, value: float) -> bool:
        """Whether ``value`` is at or below this band's upper end."""
        return value <= self.upper if self.inclusive else value < self.upper


Operator = Literal[">", ">=", "<", "<="]
SYMBOLS: Mapping[str, str] = MappingProxyType({">": ">", ">=": "≥", "<": "<", "<=": "≤"})


@dataclass(frozen=True)
class Cutoff:
    """A published threshold on the total (``scale="score"``) or on one subscale.

    Crossing it adds an :class:`Evidence` finding to the score. ``verified`` is False when the
    clinical reference tags the threshold [U]; ``note`` carries caveats (e.g. "did not predict
    outcome") into the finding's rule text.
    """

    code: str
    label: str
    scale: str
    operator: Operator
    threshold: float
    meaning: str
    reference: str
    verified: bool = True
    note: str = ""

    def crossed(self, value: float) -> bool:
        """Whether ``value`` crosses the threshold (rounded to 1e-9 against float noise)."""
        v = round(value, 9)
        if self.operator == ">":
            return v > self.threshold
        if self.operator == ">=":
            return v >= self.threshold
        if self.operator == "<":
            return v < self.threshold
        return v <= self.threshold

    def finding(self, instrument: Instrument, result: ScoreResult) -> Evidence:
        """The chartable statement for a crossed threshold, with rule, inputs and source."""
        value = result.score if self.scale == "score" else result.subscales[self.scale]
        _, top = instrument.range_of(self.scale)
        missing = f" ({result.missing} item(s) missing)" if result.missing else ""
        shown = f"{SYMBOLS[self.operator]} {format_number(self.threshold)}"
        rule = f"{self.label} {shown}"
        return Evidence(
            code=self.code,
            statement=f"{self.label} {format_number(value)}/{format_number(top)}: "
            f"{self.meaning} ({shown}){missing}",
            rule=f"{rule}; {self.note}" if self.note else rule,
            inputs=MappingProxyType(
                {self.scale: value, "threshold": self.threshold, "missing": result.missing}
            ),
            reference=self.reference,
            verified=self.verified,
        )


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
    item_mdc: float | None = None
    """Smallest real change of a single item (PSFS: one activity), if published."""


@dataclass(frozen=True)
class MissingPolicy:
    """How many items may be missing, and what happens then.

    ``max_missing`` is the default; callers may tighten or loosen it (documented per
    instrument). With 0 the instrument refuses any incomplete form rather than guess.
    ``method`` says how a form with allowed missing items is scored:
    ``"denominator"`` (ODI: the percentage of the answered maximum) or ``"prorate"``
    (sum scaled to the full item count) or ``"mean"`` (mean of answered items) or ``"refuse"``
    (never scored incomplete, whatever the caller allows: SBST) or ``"none"`` (no
    missing-answer concept: ``None`` is invalid input, as in the PSFS, where an activity not
    rated is simply not listed).
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
    bands_verified: bool = True  # False when the band cut-off is tagged [U] in clinical-facts
    variable_length: bool = False
    notes: str = ""
    subscale_ranges: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    cutoffs: tuple[Cutoff, ...] = ()
    short_name: str = ""
    category_noun: str = "category"
    """What ``ScoreResult.category`` is called in sentences ("risk group" for the SBST)."""
    category_rule: str = ""
    """How the category is assigned, for instruments without :attr:`bands` (SBST); banded
    instruments describe their bands with :meth:`bands_rule`."""

    @property
    def label(self) -> str:
        """The short name used in chartable sentences ("TSK-17"), else the upper-case id."""
        return self.short_name or self.id.upper()

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
        if all(a is None for a in answers):
            raise CannotScore("answers", f"{self.id}: no item answered")
        result = self.scorer(self, answers, allowed)
        crossed = tuple(
            c.finding(self, result)
            for c in self.cutoffs
            if c.crossed(result.score if c.scale == "score" else result.subscales[c.scale])
        )
        return replace(result, findings=result.findings + crossed) if crossed else result

    def category_for(self, score: float) -> str | None:
        """The interpretation band of ``score`` (half-open bands; rounded to 1e-9 first)."""
        if not self.bands:
            return None
        value = round(score, 9)
        for band in self.bands:
            if band.contains_up_to(value):
                return band.label
        return self.bands[-1].label

    def bands_rule(self) -> str:
        """The category rule as text: the bands (``≤ 20: minimal disability; ≤ 40: …; > 80:
        …``), else :attr:`category_rule`."""
        if not self.bands:
            return self.category_rule
        parts = [
            f"{'≤' if band.inclusive else '<'} {format_number(band.upper)}: {band.label}"
            for band in self.bands[:-1]
        ]
        if len(self.bands) > 1:
            previous = self.bands[-2]
            above = ">" if previous.inclusive else "≥"
            parts.append(f"{above} {format_number(previous.upper)}: {self.bands[-1].label}")
        else:
            parts.append(f"any score: {self.bands[-1].label}")
        return "; ".join(parts)

    def range_of(self, scale: str) -> tuple[float, float]:
        """The range of the total (``"score"``) or of a subscale."""
        return self.score_range if scale == "score" else self.subscale_ranges[scale]

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
        item = instrument.items[index]
        if value is None:
            if instrument.missing.method == "none":
                raise InvalidInput(
                    f"answers[{item.number}]",
                    f"{instrument.id} has no missing answers ({instrument.missing.rule})",
                )
            continue
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
    """Sum of the given items, scaled up to the full count when some are missing.

    Scaling is done on each item's range, so that an instrument whose items start at different
    values (ÖMPSQ item 1 is 1–10, the rest 0–10) stays inside its range: prorated = full minimum
    + (answered sum − answered minimum) × full span / answered span. When every item has the
    same range this is the usual "sum × items / answered".
    """
    total, answered = sum_items(instrument, answers, numbers)
    if answered == 0:
        return math.nan
    if answered == len(numbers):
        return total
    items = [instrument.item(n) for n in numbers]
    answered_items = [i for i in items if answers[i.number - 1] is not None]
    low_all = sum(i.minimum for i in items)
    span_all = sum(i.maximum - i.minimum for i in items)
    low_answered = sum(i.minimum for i in answered_items)
    span_answered = sum(i.maximum - i.minimum for i in answered_items)
    return low_all + (total - low_answered) * span_all / span_answered


def require_answered(instrument: Instrument, scale: str, value: float) -> float:
    """Refuse a (sub)scale none of whose items was answered, instead of returning NaN."""
    if math.isnan(value):
        raise CannotScore("answers", f"{instrument.id}: no item of {scale!r} answered")
    return value


def score_summed(instrument: Instrument, answers: Answers, allowed: int) -> ScoreResult:
    """The common case: total = sum of (reversed where needed) items, subscales likewise.

    With missing items allowed by the caller, totals are prorated to the full item count
    (documented per instrument; the default policies allow none where no rule is published).
    """
    missing = require_complete_enough(instrument, answers, allowed)
    all_numbers = [item.number for item in instrument.items]
    total = prorated_sum(instrument, answers, all_numbers)
    subscales = {
        name: require_answered(instrument, name, prorated_sum(instrument, answers, numbers))
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
