"""Helpers the route modules share: form numbers, chart data, the live-practice settings."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.registry import INSTRUMENTS
from spinecoach.services.care import Course
from spinecoach.services.clinic import PatientRecord

CHARTED = ("nprs", "odi", "rmdq", "tsk17", "pseq", "psfs")


def whole(value: str | None, field: str, low: int, high: int) -> int | None:
    """A whole number from a form field in ``low``–``high`` (None when left empty)."""
    if value is None or not value.strip():
        return None
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(field, f"must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise InvalidInput(field, f"must be {low}–{high}, got {number}")
    return number


def share(value: str | None, field: str) -> float | None:
    """A share 0–1 from a form field (None when empty)."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(field, f"must be a number from 0 to 1, got {value!r}") from None
    if not 0 <= number <= 1:
        raise InvalidInput(field, f"must be 0–1, got {number:g}")
    return number


def day_of(value: str, field: str = "day") -> date:
    """A YYYY-MM-DD date from a form field."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"must be a date YYYY-MM-DD, got {value!r}") from None


def course_chart(course: Course) -> str:
    """Daily pain, movement quality, practice and flares as JSON for static/js/charts.js."""
    weeks: dict[int, list[bool]] = {}
    for point in course.days:
        weeks.setdefault((point.day - course.started_on).days // 7, []).append(point.practised)
    planned = int((course.settings.get("constraints") or {}).get("days_per_week", 5))
    return json.dumps(
        {
            "days": [p.day.isoformat() for p in course.days],
            "pain": [p.pain for p in course.days],
            "quality": [None if p.quality is None else round(100 * p.quality) for p in course.days],
            "flare": [p.flare for p in course.days],
            "weeks": [f"Week {w + 1}" for w in sorted(weeks)],
            "adherence": [round(100 * min(1.0, sum(weeks[w]) / planned)) for w in sorted(weeks)],
        }
    )


def outcome_series(record: PatientRecord) -> list[dict[str, Any]]:
    """Each charted questionnaire's scores over time with its MCID band (from the baseline)."""
    series: dict[str, dict[str, Any]] = {}
    for scored in record.assessments:
        for key, result in scored.questionnaires.items():
            if key not in CHARTED:
                continue
            instrument = INSTRUMENTS[key]
            entry = series.setdefault(
                key,
                {
                    "id": key,
                    "name": instrument.name,
                    "dates": [],
                    "scores": [],
                    "range": list(instrument.score_range),
                    "mcid": instrument.change.mcid_points,
                    "mdc": instrument.change.mdc,
                    "lower_is_better": instrument.direction.value == "higher_is_worse",
                },
            )
            entry["dates"].append(scored.assessment.assessed_at.date().isoformat())
            entry["scores"].append(result.score)
    return list(series.values())


def quality_by_exercise(course: Course) -> tuple[list[str], list[tuple[str, list[int | None]]]]:
    """Mean movement quality (% of good repetitions) per exercise and programme week."""
    sums: dict[str, dict[int, list[float]]] = {}
    for session in course.sessions:
        week = (date.fromisoformat(str(session["day"])) - course.started_on).days // 7
        for entry in session.get("exercises", []):
            if entry.get("quality") is not None and not entry.get("skipped"):
                sums.setdefault(entry["exercise_id"], {}).setdefault(week, []).append(
                    float(entry["quality"])
                )
    weeks = sorted({w for by_week in sums.values() for w in by_week})
    rows = [
        (
            exercise,
            [
                round(100 * sum(by_week[w]) / len(by_week[w])) if w in by_week else None
                for w in weeks
            ],
        )
        for exercise, by_week in sorted(sums.items())
    ]
    return [f"Week {w + 1}" for w in weeks], rows
