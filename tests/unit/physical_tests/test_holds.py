from __future__ import annotations

import pytest

from spinecoach.domain.physical_tests.base import PersonContext, Sex

from .helpers import MAN, WOMAN, codes, reference_codes, run


@pytest.mark.parametrize(
    ("person", "seconds", "z", "flagged"),
    [
        (MAN, 124, 0.0, False),
        (MAN, 52, -1.0, False),  # exactly mean − 1 SD: not below
        (MAN, 51, -73 / 72, True),
        (WOMAN, 20, -1.0, False),
        (WOMAN, 19.5, -63.5 / 63, True),
        (WOMAN, 146, 1.0, False),
    ],
)
def test_plank_z_score_and_below_norm(
    person: PersonContext, seconds: float, z: float, flagged: bool
) -> None:
    result = run("plank", {"seconds": seconds}, person)
    assert result.values["z_score"] == pytest.approx(z)
    assert ("plank.below_norm" in codes(result)) is flagged
    assert all(not f.verified for f in result.findings)  # design cut-off, never decisive alone
    norm = next(r for r in result.reference if r.code.startswith("plank.norm_"))
    assert norm.verified is True  # Strand 2014 [V]


@pytest.mark.parametrize(
    ("person", "seconds", "summary"),
    [
        (MAN, 60, "60 s: z = -0.89 vs norm for men (124 ± 72 s)"),
        (
            MAN,
            51,
            "51 s: z = -1.01 vs norm for men (124 ± 72 s), more than 1 SD below the mean",
        ),
        (WOMAN, 146, "146 s: z = +1.00 vs norm for women (83 ± 63 s)"),
        (PersonContext(), 60, "60 s (no sex-specific norm)"),
    ],
)
def test_plank_summary(person: PersonContext, seconds: float, summary: str) -> None:
    assert run("plank", {"seconds": seconds}, person).summary == summary


def test_plank_norm_values() -> None:
    assert "124 ± 72 s" in run("plank", {"seconds": 60}, MAN).reference[0].statement
    assert "83 ± 63 s" in run("plank", {"seconds": 60}, WOMAN).reference[0].statement


@pytest.mark.parametrize("person", [PersonContext(), PersonContext(sex=Sex.OTHER)])
def test_plank_without_sex_norm_reports_only_the_value(person: PersonContext) -> None:
    result = run("plank", {"seconds": 5}, person)
    assert "z_score" not in result.values
    assert result.findings == ()
    assert reference_codes(result) == {"plank.norm_unavailable"}


def test_bridge_is_value_only() -> None:
    result = run("bridge", {"seconds": 45}, MAN)
    assert dict(result.values) == {"seconds": 45.0}
    assert result.category is None
    assert result.findings == ()
    assert reference_codes(result) == {"bridge.no_norm"}
    assert result.summary == "45 s (no published norm; for follow-up comparison)"
