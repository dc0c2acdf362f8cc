"""The pain response: does pain allow progression, ask for a hold, or signal a flare?

Pain guides, it does not command (clinical-facts §4.1): pain during practice up to the model's
limit is acceptable if it has settled by the next morning and the weekly trend is not rising.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from spinecoach.domain.engine.inputs import PainModel, SessionLog

SILBERNAGEL = "Silbernagel et al. Am J Sports Med 2007;35(6):897-906 (clinical-facts §4.1)"


@dataclass(frozen=True)
class PainResponse:
    """The verdict over the recent log, with the numbers that led to it."""

    acceptable: bool
    flare: bool
    reasons: tuple[str, ...]
    worst_after: int | None
    unsettled_mornings: int
    weekly_means: tuple[float | None, float | None]

    def inputs(self) -> dict[str, float | int | str | None]:
        """The values a decision shows as its inputs."""
        this_week, last_week = self.weekly_means
        return {
            "worst_pain_after_practice": self.worst_after,
            "mornings_not_settled": self.unsettled_mornings,
            "mean_pain_this_week": None if this_week is None else round(this_week, 1),
            "mean_pain_last_week": None if last_week is None else round(last_week, 1),
        }


def window(sessions: Sequence[SessionLog], first: date, last: date) -> list[SessionLog]:
    """Sessions from ``first`` to ``last`` inclusive; ``sessions`` are in day order, so only
    the tail is read."""
    found: list[SessionLog] = []
    for session in reversed(sessions):
        if session.day < first:
            break
        if session.day <= last:
            found.append(session)
    found.reverse()
    return found


def session_pain(session: SessionLog) -> int | None:
    """The session's representative pain: the day's pre-session rating, else any rating."""
    for value in (session.pain_before, session.pain_after, session.pain_next_morning):
        if value is not None:
            return value
    return None


def weekly_mean(sessions: Sequence[SessionLog], end: date) -> float | None:
    """Mean session pain over the 7 days ending on ``end`` (None without ratings)."""
    values = [
        p
        for s in window(sessions, end - timedelta(days=6), end)
        if (p := session_pain(s)) is not None
    ]
    return fmean(values) if values else None


def is_flare_day(session: SessionLog, model: PainModel) -> bool:
    """A self-reported flare, or next-morning pain ``flare_rise`` above the pre-session level."""
    if session.flare:
        return True
    before, morning = session.pain_before, session.pain_next_morning
    return before is not None and morning is not None and morning - before >= model.flare_rise


def unsettled(session: SessionLog) -> bool:
    """Next-morning pain above the pre-session level: the load was too much (§4.1)."""
    before, morning = session.pain_before, session.pain_next_morning
    return before is not None and morning is not None and morning > before


def pain_response(
    sessions: Sequence[SessionLog],
    today: date,
    model: PainModel,
    flare_after: date = date.min,
) -> PainResponse:
    """Judge the 7 days before ``today`` (flare: the last 3) against the pain-monitoring model.

    Reviews happen in the morning with everything logged up to yesterday, including
    yesterday's next-morning rating (which is this morning's). Pain *during* one exercise is
    judged for that exercise (``pain.exercise_too_painful``); here the whole session counts:
    pain after it, next-morning settling and the weekly trend. Flare days up to
    ``flare_after`` have been dealt with already and do not start a new flare.
    """
    end = today - timedelta(days=1)
    recent = window(sessions, end - timedelta(days=6), end)
    after = [s.pain_after for s in recent if s.pain_after is not None]
    worst = max(after) if after else None
    n_unsettled = sum(unsettled(s) for s in recent)
    this_week = weekly_mean(sessions, end)
    last_week = weekly_mean(sessions, end - timedelta(days=7))
    reasons: list[str] = []
    if worst is not None and worst > model.during_max:
        reasons.append(f"pain after practice reached {worst}/10 (limit {model.during_max})")
    if n_unsettled:
        days = f"{n_unsettled} day{'s' if n_unsettled != 1 else ''}"
        reasons.append(f"pain had not settled by the next morning on {days}")
    if (
        this_week is not None
        and last_week is not None
        and this_week - last_week >= (model.weekly_rise)
    ):
        reasons.append(f"weekly pain rose from {last_week:.1f} to {this_week:.1f}")
    flare = any(
        is_flare_day(s, model)
        for s in recent
        if s.day >= end - timedelta(days=2) and s.day > flare_after
    )
    if flare:
        reasons.insert(0, "flare: self-reported, or next-morning pain well above its baseline")
    return PainResponse(
        acceptable=not reasons,
        flare=flare,
        reasons=tuple(reasons),
        worst_after=worst,
        unsettled_mornings=n_unsettled,
        weekly_means=(this_week, last_week),
    )
