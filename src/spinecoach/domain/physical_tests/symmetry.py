"""Left/right symmetry, defined once so every test compares sides the same way.

``symmetry_index(left, right) = |L − R| / max(L, R) × 100`` (%), 0 when both sides are 0.
Dividing by the larger side (not by one named side) makes the index symmetric: swapping the
sides never changes it, and it always lies in [0, 100]. It is the same definition that
clinical-facts.md §2.1 recommends for McGill's side-bridge rule (|R − L| / max(R, L)), so
a side-to-side comparison never depends on which side was recorded first.

For timed holds without a published side-to-side norm we flag an index above 10 %. That
threshold is a spinecoach design choice, not a published norm, so the finding carries
``verified=False`` and must never drive a decision on its own.
"""

from __future__ import annotations

import math

from spinecoach.domain.evidence import Evidence
from spinecoach.domain.physical_tests.common import fmt_s

TIMED_HOLD_ASYMMETRY_PERCENT = 10.0
"""Design threshold (spinecoach), not a published norm: see the module docstring."""

DESIGN_RULE_REFERENCE = "design rule (spinecoach), not a published norm"


def relative_difference(left: float, right: float) -> float:
    """|L − R| / max(L, R) as a fraction in [0, 1]; 0 when both are 0.

    Raises ValueError for negative or non-finite sides: they are programming errors here,
    because every caller passes validated measurements.
    """
    for side in (left, right):
        if not math.isfinite(side) or side < 0:
            raise ValueError(f"sides must be finite and non-negative, got {left!r}, {right!r}")
    larger = max(left, right)
    if larger == 0:
        return 0.0
    return abs(left - right) / larger


def symmetry_index(left: float, right: float) -> float:
    """Side-to-side difference in % of the larger side: |L − R| / max(L, R) × 100.

    0 means perfectly symmetric; 100 means one side scored 0. Symmetric in its arguments.
    """
    return relative_difference(left, right) * 100.0


def weaker_side(left: float, right: float) -> str:
    """``"left"``, ``"right"`` or ``"equal"``: the side with the lower value."""
    if left == right:
        return "equal"
    return "left" if left < right else "right"


def timed_hold_asymmetry(test_id: str, left: float, right: float) -> Evidence | None:
    """The design finding for timed holds: symmetry index > 10 % (never decisive alone)."""
    index = symmetry_index(left, right)
    if index <= TIMED_HOLD_ASYMMETRY_PERCENT:
        return None
    shorter = weaker_side(left, right)
    return Evidence(
        code=f"{test_id}.asymmetry",
        statement=(
            f"Side-to-side difference {index:.1f} % (left {fmt_s(left)}, right {fmt_s(right)}; "
            f"> {TIMED_HOLD_ASYMMETRY_PERCENT:g} %): {shorter} side shorter"
        ),
        rule=(
            f"symmetry index |L − R| / max(L, R) × 100 > {TIMED_HOLD_ASYMMETRY_PERCENT:g} % "
            "(design threshold, not a published norm)"
        ),
        inputs={"left": left, "right": right, "symmetry_index": index},
        reference=DESIGN_RULE_REFERENCE,
        verified=False,
    )
