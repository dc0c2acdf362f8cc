"""Small helpers shared by the physical tests: typed access to validated inputs, the input
spec of a timed hold, and number formatting for chart-ready statements."""

from __future__ import annotations

from collections.abc import Mapping

from spinecoach.domain.physical_tests.base import InputSpec

Values = Mapping[str, float | bool | str]


def number(values: Values, name: str) -> float:
    """A validated numeric input (validation has already guaranteed the type)."""
    value = values[name]
    if isinstance(value, bool) or not isinstance(value, float | int):
        raise TypeError(f"{name} is not a number: {value!r}")
    return float(value)


def optional_number(values: Values, name: str) -> float | None:
    """A validated optional numeric input, or None when it was not given."""
    return number(values, name) if name in values else None


def text(values: Values, name: str) -> str | None:
    """A validated string input (choice or text), or None when it was not given or empty."""
    value = values.get(name)
    return value if isinstance(value, str) and value else None


def hold(name: str, help_text: str, maximum: float = 600.0, *, required: bool = True) -> InputSpec:
    """A timed hold in seconds. The default ceiling of 600 s is generous for every hold in
    this package yet still catches unit slips (minutes typed as seconds, or milliseconds)."""
    return InputSpec(
        name=name, unit="s", minimum=0.0, maximum=maximum, required=required, help=help_text
    )


def fmt_s(seconds: float) -> str:
    """Seconds as a clinician writes them: ``95 s``, ``10.45 s``."""
    return f"{seconds:g} s"
