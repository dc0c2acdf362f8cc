"""Change between two administrations of one questionnaire.

Every judgement is reported separately and explained: MCID in points and MCID in percent of
baseline (Ostelo 2008 gives both), the MDC, published "recovered" cut-offs, and the few
instrument-specific rules in clinical-facts.md §1 (RMDQ floor/ceiling, PSEQ ePPOC change,
NPRS baseline-dependent MCID, PSFS single-activity MDC).

Conventions (docs/instruments.md, "Decisions at disputed boundaries"):

- ``delta`` = after − before (signed, on the instrument's scale); ``improvement`` is the same
  change signed so that positive is better, whatever the instrument's direction.
- Thresholds are met at equality (≥), after rounding to 1e-9 against float noise: an NPRS
  change of 2 with MDC 2 is beyond the MDC.
- ``beyond_mdc`` is |delta| ≥ MDC, so it applies to improvement and decline alike.
- ``direction_label`` uses the MCID in points: "improved" when improvement ≥ MCID, "worse"
  when decline ≥ MCID. Without an MCID the MDC is used (PSFS); without either the label is
  "no published threshold". The percent criterion never sets the label.
- Every sentence names the direction of the change ("improvement", "deterioration", "no
  change"); the percent MCID is an improvement criterion, so a deterioration is reported as
  such, never as "improvement < 30 %".
- RMDQ floor (baseline < 4) is reported only when the patient improved or did not change,
  the ceiling (baseline > 20) only when the patient got worse or did not change.
- When the category (bands, or the SBST risk group) differs between the two administrations,
  ``<id>.change.category`` says so, whatever the thresholds.
- A variable-length instrument (PSFS) rated on a different number of activities gets
  ``<id>.change.different_activities``: the two means are not comparable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence, Scalar, format_number
from spinecoach.domain.instruments.base import (
    Answers,
    Direction,
    Instrument,
    ScoreResult,
    item_value,
    validate_answers,
)
from spinecoach.domain.instruments.pseq import EPPOC_CHANGE_POINTS

__all__ = [
    "IMPROVED",
    "NO_IMPORTANT_CHANGE",
    "NO_THRESHOLD",
    "WORSE",
    "Change",
    "ItemChange",
    "compare",
    "compare_items",
]

IMPROVED = "improved"
WORSE = "worse"
NO_IMPORTANT_CHANGE = "no important change"
NO_THRESHOLD = "no published threshold"

STRATFORD_1996 = "Stratford 1996, Phys Ther (RMDQ MDC90 4–5 points)"
RMDQ_FLOOR_BELOW = 4.0  # Stratford 1996: below 4, improvement cannot be shown reliably
RMDQ_CEILING_ABOVE = 20.0  # Stratford 1996: above 20, deterioration cannot be shown reliably
EPPOC_CHANGE = "ePPOC clinically significant change, as reproduced by measurely.com.au [V2]"
NPRS_BASELINE_SOURCE = "Thieme, doi 10.1055/a-1304-3677 (1,232 patients, specific back pain)"
NPRS_BASELINE_MCID = (  # Thieme: MCID by baseline; MDC 1.77 in the same sample [V]
    (1, 4, "1 point"),
    (5, 7, "2 points"),
    (8, 10, "3–4 points"),
)


@dataclass(frozen=True)
class Change:
    """The change from ``before`` to ``after``, judged against the published criteria.

    ``None`` in a criterion field means "not applicable": the instrument has no such criterion,
    or (``meets_mcid_percent``, ``percent_improvement``) the baseline is 0.
    """

    instrument: str
    before: ScoreResult
    after: ScoreResult
    delta: float
    improvement: float
    percent_improvement: float | None
    meets_mcid_points: bool | None
    meets_mcid_percent: bool | None
    beyond_mdc: bool | None
    direction_label: str
    recovered: bool | None
    subscale_deltas: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    findings: tuple[Evidence, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "instrument": self.instrument,
            "before": self.before.score,
            "after": self.after.score,
            "delta": self.delta,
            "improvement": self.improvement,
            "percent_improvement": self.percent_improvement,
            "meets_mcid_points": self.meets_mcid_points,
            "meets_mcid_percent": self.meets_mcid_percent,
            "beyond_mdc": self.beyond_mdc,
            "direction": self.direction_label,
            "recovered": self.recovered,
            "subscale_deltas": dict(self.subscale_deltas),
            "findings": [f.as_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class ItemChange:
    """Change of one item (a PSFS activity) between two administrations."""

    number: int
    before: int
    after: int
    delta: int
    improvement: int
    beyond_mdc: bool | None
    finding: Evidence


def _at_least(value: float, threshold: float) -> bool:
    """``value ≥ threshold``, ignoring float noise below 1e-9."""
    return round(value, 9) >= threshold


def _signed_improvement(instrument: Instrument, delta: float) -> float:
    improvement = -delta if instrument.direction is Direction.HIGHER_IS_WORSE else delta
    return improvement + 0.0  # turn -0.0 into 0.0


def _points(value: float) -> str:
    unit = "point" if round(abs(value), 9) == 1 else "points"
    return f"{format_number(value)} {unit}"


def compare(instrument: Instrument, before: ScoreResult, after: ScoreResult) -> Change:
    """Judge the change between two scored administrations of ``instrument``."""
    for name, result in (("before", before), ("after", after)):
        if result.instrument != instrument.id:
            raise InvalidInput(
                name, f"is a {result.instrument!r} score, expected {instrument.id!r}"
            )
    criteria = instrument.change
    delta = after.score - before.score
    improvement = _signed_improvement(instrument, delta)
    baseline_zero = round(before.score, 9) == 0
    percent = None if baseline_zero else improvement / abs(before.score) * 100
    meets_points = (
        None if criteria.mcid_points is None else _at_least(improvement, criteria.mcid_points)
    )
    meets_percent = (
        None
        if criteria.mcid_percent is None or percent is None
        else _at_least(percent, criteria.mcid_percent)
    )
    beyond_mdc = None if criteria.mdc is None else _at_least(abs(delta), criteria.mdc)
    threshold = criteria.mcid_points if criteria.mcid_points is not None else criteria.mdc
    if threshold is None:
        label = NO_THRESHOLD
    elif _at_least(improvement, threshold):
        label = IMPROVED
    elif _at_least(-improvement, threshold):
        label = WORSE
    else:
        label = NO_IMPORTANT_CHANGE
    recovered: bool | None = None
    if criteria.recovered_at_or_below is not None:
        recovered = round(after.score, 9) <= criteria.recovered_at_or_below
    elif criteria.recovered_at_or_above is not None:
        recovered = round(after.score, 9) >= criteria.recovered_at_or_above
    subscale_deltas = {
        name: after.subscales[name] - value
        for name, value in before.subscales.items()
        if name in after.subscales
    }
    change = Change(
        instrument=instrument.id,
        before=before,
        after=after,
        delta=delta,
        improvement=improvement,
        percent_improvement=percent,
        meets_mcid_points=meets_points,
        meets_mcid_percent=meets_percent,
        beyond_mdc=beyond_mdc,
        direction_label=label,
        recovered=recovered,
        subscale_deltas=MappingProxyType(subscale_deltas),
    )
    findings = [
        *_comparability_findings(instrument, change),
        _direction_finding(instrument, change, threshold),
        *_category_findings(instrument, change),
        *_percent_findings(instrument, change),
        *_mdc_findings(instrument, change),
        *_recovered_findings(instrument, change),
        *_specific_findings(instrument, change),
    ]
    return replace(change, findings=tuple(findings))


def _inputs(change: Change, **extra: Scalar) -> Mapping[str, Scalar]:
    return MappingProxyType(
        {
            "before": change.before.score,
            "after": change.after.score,
            "delta": change.delta,
            "improvement": change.improvement,
            **extra,
        }
    )


def _head(instrument: Instrument, change: Change) -> str:
    before, after = format_number(change.before.score), format_number(change.after.score)
    return f"{instrument.label} {before} → {after}"


def _kind(improvement: float) -> str:
    """The direction of a change in words: improvement, deterioration or no change."""
    value = round(improvement, 9)
    if value > 0:
        return "improvement"
    return "deterioration" if value < 0 else "no change"


def _size(change: Change) -> str:
    """``improvement of 3 points``, ``deterioration of 1 point`` or ``no change``."""
    kind = _kind(change.improvement)
    return kind if kind == "no change" else f"{kind} of {_points(abs(change.delta))}"


def _comparability_findings(instrument: Instrument, change: Change) -> list[Evidence]:
    """PSFS: a mean over other activities is not the same measure (re-rate the same ones)."""
    before, after = change.before.answered, change.after.answered
    if not instrument.variable_length or before == after:
        return []
    noun = "activity" if before == 1 else "activities"
    return [
        Evidence(
            code=f"{instrument.id}.change.different_activities",
            statement=f"{instrument.label}: {before} {noun} rated before, {after} after — the "
            f"two means are not comparable (the {instrument.label} re-rates the same activities "
            "at follow-up)",
            rule="compare only when the same activities are re-rated, in the same order",
            inputs=_inputs(change, activities_before=before, activities_after=after),
            reference=instrument.citations[0] if instrument.citations else "",
            verified=instrument.change.verified,
        )
    ]


def _category_of(instrument: Instrument, result: ScoreResult) -> str | None:
    """The band of a banded instrument, else the category its scorer assigned (SBST)."""
    return instrument.category_for(result.score) if instrument.bands else result.category


def _category_findings(instrument: Instrument, change: Change) -> list[Evidence]:
    before = _category_of(instrument, change.before)
    after = _category_of(instrument, change.after)
    if before is None or after is None or before == after:
        return []
    noun = instrument.category_noun
    return [
        Evidence(
            code=f"{instrument.id}.change.category",
            statement=f"{_head(instrument, change)}: {noun} {before} → {after}",
            rule=f"{noun} of each administration ({instrument.bands_rule()}); reported when it "
            "differs",
            inputs=_inputs(change, category_before=before, category_after=after),
            reference=instrument.bands_source,
            verified=instrument.bands_verified,
        )
    ]


def _direction_finding(instrument: Instrument, change: Change, threshold: float | None) -> Evidence:
    criteria = instrument.change
    head = _head(instrument, change)
    if threshold is None:
        return Evidence(
            code=f"{instrument.id}.change.no_threshold",
            statement=f"{head}: {_size(change)}; no published MCID or MDC",
            rule="no MCID or MDC in the clinical reference for this instrument",
            inputs=_inputs(change),
            reference=criteria.source,
            verified=criteria.verified,
        )
    kind = "MCID" if criteria.mcid_points is not None else "MDC"
    size = _points(abs(change.improvement))
    if change.direction_label == IMPROVED:
        text = f"improved by {size} (≥ {kind} {_points(threshold)})"
    elif change.direction_label == WORSE:
        text = f"worse by {size} (≥ {kind} {_points(threshold)})"
    elif _kind(change.improvement) == "no change":
        text = f"no change ({kind} {_points(threshold)})"
    else:
        text = f"{_size(change)}, below the {kind} of {_points(threshold)}"
    code = change.direction_label.replace(" ", "_")
    return Evidence(
        code=f"{instrument.id}.change.{code}",
        statement=f"{head}: {text}",
        rule=f"improved if improvement ≥ {kind} {format_number(threshold)}; worse if decline ≥ "
        f"{kind} {format_number(threshold)}; otherwise no important change",
        inputs=_inputs(change, threshold=threshold),
        reference=criteria.source,
        verified=criteria.verified,
    )


def _percent_findings(instrument: Instrument, change: Change) -> list[Evidence]:
    criteria = instrument.change
    if criteria.mcid_percent is None or change.percent_improvement is None:
        return []
    met = bool(change.meets_mcid_percent)
    value = change.percent_improvement
    mcid = f"{format_number(criteria.mcid_percent)} %"
    kind = _kind(value)
    if kind == "improvement":
        text = f"{value:.1f} % improvement from baseline ({'≥' if met else '<'} the {mcid} MCID)"
    elif kind == "deterioration":
        text = (
            f"{-value:.1f} % deterioration from baseline (the {mcid} MCID is a criterion for "
            "improvement)"
        )
    else:
        text = f"no change from baseline (the {mcid} MCID is not met)"
    return [
        Evidence(
            code=f"{instrument.id}.change.mcid_percent_{'met' if met else 'not_met'}",
            statement=f"{_head(instrument, change)}: {text}",
            rule=f"improvement / |baseline| × 100 ≥ {mcid} (improvement only)",
            inputs=_inputs(
                change,
                percent_improvement=change.percent_improvement,
                threshold=criteria.mcid_percent,
            ),
            reference=criteria.source,
            verified=criteria.verified,
        )
    ]


def _mdc_findings(instrument: Instrument, change: Change) -> list[Evidence]:
    criteria = instrument.change
    if criteria.mdc is None:
        return []
    beyond = bool(change.beyond_mdc)
    text = "beyond" if beyond else "within"
    mdc = _points(criteria.mdc)
    if _kind(change.improvement) == "no change":
        sentence = f"no change (within the MDC of {mdc})"
    else:
        sentence = f"{_size(change)} is {text} the MDC of {mdc}" + (
            " (larger than measurement error)" if beyond else " (could be measurement error)"
        )
    return [
        Evidence(
            code=f"{instrument.id}.change.{text}_mdc",
            statement=f"{_head(instrument, change)}: {sentence}",
            rule=f"|after − before| ≥ MDC {format_number(criteria.mdc)}",
            inputs=_inputs(change, threshold=criteria.mdc),
            reference=criteria.source,
            verified=criteria.verified,
        )
    ]


def _recovered_findings(instrument: Instrument, change: Change) -> list[Evidence]:
    criteria = instrument.change
    if not change.recovered:
        return []
    if criteria.recovered_at_or_below is not None:
        rule, threshold = "≤", criteria.recovered_at_or_below
    else:
        rule, threshold = "≥", criteria.recovered_at_or_above or 0.0
    return [
        Evidence(
            code=f"{instrument.id}.change.recovered",
            statement=f"{instrument.label} {format_number(change.after.score)} at follow-up: "
            f"in the published 'recovered' range ({rule} {format_number(threshold)})",
            rule=f"follow-up score {rule} {format_number(threshold)}",
            inputs=_inputs(change, threshold=threshold),
            reference=criteria.source,
            verified=criteria.verified,
        )
    ]


def _specific_findings(instrument: Instrument, change: Change) -> list[Evidence]:
    if instrument.id == "rmdq":
        return _rmdq_limits(change)
    if instrument.id == "pseq":
        return _pseq_eppoc(instrument, change)
    if instrument.id == "nprs":
        return _nprs_baseline(change)
    return []


def _rmdq_limits(change: Change) -> list[Evidence]:
    """Stratford's floor matters only for an improvement (or none), the ceiling only for a
    deterioration (or none): neither limits a change in the other direction."""
    baseline = change.before.score
    kind = _kind(change.improvement)
    if round(baseline, 9) < RMDQ_FLOOR_BELOW and kind != "deterioration":
        code, text = "floor", "too low to show reliable improvement"
        limit, applies = f"< {format_number(RMDQ_FLOOR_BELOW)}", "improved or did not change"
    elif round(baseline, 9) > RMDQ_CEILING_ABOVE and kind != "improvement":
        code, text = "ceiling", "too high to show reliable deterioration"
        limit, applies = f"> {format_number(RMDQ_CEILING_ABOVE)}", "got worse or did not change"
    else:
        return []
    return [
        Evidence(
            code=f"rmdq.change.{code}",
            statement=f"RMDQ baseline {format_number(baseline)}/24 is {text} (baseline {limit})",
            rule=f"baseline {limit}, reported when the patient {applies}",
            inputs=_inputs(change),
            reference=STRATFORD_1996,
        )
    ]


def _pseq_eppoc(instrument: Instrument, change: Change) -> list[Evidence]:
    band_before = instrument.category_for(change.before.score)
    band_after = instrument.category_for(change.after.score)
    if band_before == band_after or not _at_least(abs(change.delta), EPPOC_CHANGE_POINTS):
        return []
    kind = "improvement" if change.improvement > 0 else "deterioration"
    return [
        Evidence(
            code=f"pseq.change.eppoc_significant_{kind}",
            statement=f"{_head(instrument, change)}: clinically significant {kind} "
            f"(≥ {format_number(EPPOC_CHANGE_POINTS)} points and {band_before} → {band_after})",
            rule=f"|change| ≥ {format_number(EPPOC_CHANGE_POINTS)} points and a move to another "
            "band",
            inputs=_inputs(
                change,
                threshold=EPPOC_CHANGE_POINTS,
                band_before=band_before,
                band_after=band_after,
            ),
            reference=EPPOC_CHANGE,
        )
    ]


def _nprs_baseline(change: Change) -> list[Evidence]:
    baseline = round(change.before.score, 9)
    for low, high, mcid in NPRS_BASELINE_MCID:
        if low <= baseline <= high:
            return [
                Evidence(
                    code="nprs.change.baseline_mcid",
                    statement=f"NPRS baseline {format_number(baseline)}: in a hospital sample "
                    f"with specific back pain the MCID was {mcid} for baselines {low}–{high} "
                    "(context only; the Ostelo MCID is applied)",
                    rule=f"baseline {low}–{high} → MCID {mcid}",
                    inputs=_inputs(change),
                    reference=NPRS_BASELINE_SOURCE,
                )
            ]
    return []


def compare_items(
    instrument: Instrument, before_answers: Answers, after_answers: Answers, /
) -> tuple[ItemChange, ...]:
    """Per-item change, for instruments whose single items are interpreted (PSFS activities).

    Both answer lists must list the same items in the same order; items missing in either are
    skipped. ``beyond_mdc`` uses the published single-item MDC (PSFS: 3), else ``None``.
    """
    validate_answers(instrument, before_answers)
    validate_answers(instrument, after_answers)
    if len(before_answers) != len(after_answers):
        raise InvalidInput(
            "after_answers",
            f"{len(after_answers)} answers, but {len(before_answers)} before: "
            "re-rate the same items in the same order",
        )
    item_mdc = instrument.change.item_mdc
    noun = "activity" if instrument.variable_length else "item"
    changes = []
    for index, (raw_before, raw_after) in enumerate(
        zip(before_answers, after_answers, strict=True)
    ):
        if raw_before is None or raw_after is None:
            continue
        item = instrument.items[index]
        value_before, value_after = item_value(item, raw_before), item_value(item, raw_after)
        delta = value_after - value_before
        improvement = -delta if instrument.direction is Direction.HIGHER_IS_WORSE else delta
        beyond = None if item_mdc is None else abs(delta) >= item_mdc
        head = f"{instrument.label} {noun} {item.number}: {value_before} → {value_after}"
        if item_mdc is None:
            code, text, rule = "no_threshold", "no published single-item MDC", "none"
        else:
            code = "beyond_mdc" if beyond else "within_mdc"
            text = (
                f"{'beyond' if beyond else 'within'} the single-{noun} MDC of {_points(item_mdc)}"
            )
            rule = f"|after − before| ≥ {format_number(item_mdc)}"
        changes.append(
            ItemChange(
                number=item.number,
                before=value_before,
                after=value_after,
                delta=delta,
                improvement=improvement,
                beyond_mdc=beyond,
                finding=Evidence(
                    code=f"{instrument.id}.{noun}.{code}",
                    statement=f"{head} ({delta:+d}): {text}",
                    rule=rule,
                    inputs=MappingProxyType(
                        {"item": item.number, "before": value_before, "after": value_after}
                    ),
                    reference=instrument.change.source,
                    verified=instrument.change.verified,
                ),
            )
        )
    return tuple(changes)
