"""Every instrument: registry order, data sanity, neutral labels and input validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinecoach.domain.errors import CannotScore, InvalidInput
from spinecoach.domain.instruments.base import Instrument
from spinecoach.domain.instruments.registry import INSTRUMENTS, get_instrument

ALL = list(INSTRUMENTS.values())
IDS = list(INSTRUMENTS)
DOC = Path(__file__).resolve().parents[3] / "docs" / "instruments.md"

# From clinical-facts.md §1, written out independently of the modules.
EXPECTED = {
    # id: (item count, per-item ranges, reversed items, score range)
    "nprs": (1, {(0, 10)}, set(), (0, 10)),
    "odi": (10, {(0, 5)}, set(), (0, 100)),
    "rmdq": (24, {(0, 1)}, set(), (0, 24)),
    "tsk17": (17, {(1, 4)}, {4, 8, 12, 16}, (17, 68)),
    "tsk11": (11, {(1, 4)}, set(), (11, 44)),
    "pcs": (13, {(0, 4)}, set(), (0, 52)),
    "fabq": (16, {(0, 6)}, set(), (0, 24)),
    "sbst": (9, {(0, 1), (0, 4)}, set(), (0, 9)),
    "psfs": (5, {(0, 10)}, set(), (0, 10)),
    "pseq": (10, {(0, 6)}, set(), (0, 60)),
    "ompsq": (10, {(1, 10), (0, 10)}, {3, 4, 8}, (1, 100)),
}
LABEL_PREFIX = {
    "nprs": "NPRS",
    "odi": "ODI section",
    "rmdq": "RMDQ item",
    "tsk17": "TSK item",
    "tsk11": "TSK-11 item",
    "pcs": "PCS item",
    "fabq": "FABQ item",
    "sbst": "STarT Back item",
    "psfs": "PSFS activity",
    "pseq": "PSEQ item",
    "ompsq": "ÖMPSQ item",
}


def test_registry_order() -> None:
    expected = ["nprs", "odi", "rmdq", "tsk17", "tsk11", "pcs", "fabq", "sbst", "psfs", "pseq"]
    assert [*expected, "ompsq"] == IDS


def test_lookup_is_case_insensitive_and_unknown_ids_are_named() -> None:
    assert get_instrument("TSK17") is INSTRUMENTS["tsk17"]
    with pytest.raises(InvalidInput, match="unknown id 'tsk'"):
        get_instrument("tsk")


def test_registry_keys_are_lower_case_and_every_lookup_ignores_case() -> None:
    assert all(key == key.lower() for key in INSTRUMENTS)
    for instrument_id, instrument in INSTRUMENTS.items():
        assert get_instrument(f" {instrument_id.upper()} ") is instrument
    assert INSTRUMENTS["NPRS"] is INSTRUMENTS["nprs"]  # direct indexing, as callers do
    assert "Psfs" in INSTRUMENTS
    assert INSTRUMENTS.get("tsk") is None


def test_nprs_display_name_has_no_range() -> None:
    """The profile prints "<name>: 3 (0–10)"; a range in the name would repeat it."""
    nprs = get_instrument("nprs")
    assert (nprs.name, nprs.short_name) == ("Numeric Pain Rating Scale", "NPRS")


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_user_facing_sources_cite_published_sources_not_internal_files(
    instrument: Instrument,
) -> None:
    """clinical-facts.md is an internal file, not shipped: users see the paper itself."""
    texts = [
        instrument.name,
        instrument.notes,
        instrument.change.source,
        instrument.bands_source,
        instrument.bands_rule(),
        *instrument.citations,
        *(item.label for item in instrument.items),
    ]
    for cutoff in instrument.cutoffs:
        texts += [cutoff.reference, cutoff.meaning, cutoff.note]
    for text in texts:
        assert "clinical-facts" not in text, text
        assert "clinical facts" not in text.lower(), text


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_structure_matches_the_reference(instrument: Instrument) -> None:
    count, ranges, reversed_items, score_range = EXPECTED[instrument.id]
    assert len(instrument.items) == count
    assert {(i.minimum, i.maximum) for i in instrument.items} == ranges
    assert {i.number for i in instrument.items if i.reverse} == reversed_items
    assert instrument.score_range == score_range
    assert [i.number for i in instrument.items] == list(range(1, count + 1))
    assert len({i.key for i in instrument.items}) == count


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_labels_are_neutral_and_state_the_range(instrument: Instrument) -> None:
    """Our own short labels only: never a questionnaire sentence."""
    for item in instrument.items:
        label = item.label
        assert label.startswith(LABEL_PREFIX[instrument.id]), label
        assert f"({item.minimum}–{item.maximum}" in label or f"{item.minimum} = " in label
        assert len(label) <= 80, label
        assert not re.search(r"[?]|\b(I|my|you|your)\b", label), label
        if item.reverse:
            assert "reversed" in label


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_every_instrument_is_cited_and_documented(instrument: Instrument) -> None:
    assert instrument.citations
    assert instrument.change.source
    assert instrument.missing.rule
    for cutoff in instrument.cutoffs:
        assert cutoff.reference
        assert cutoff.code.startswith(f"{instrument.id}.")
        low, high = instrument.range_of(cutoff.scale)
        assert low <= cutoff.threshold <= high
    assert f"`{instrument.id}`" in DOC.read_text(encoding="utf-8")


def valid(instrument: Instrument) -> list[int | None]:
    return [i.minimum for i in instrument.items]


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_wrong_count_names_answers(instrument: Instrument) -> None:
    with pytest.raises(InvalidInput) as caught:
        instrument.score([*valid(instrument), instrument.items[0].minimum])
    assert caught.value.field == "answers"
    if not instrument.variable_length:
        with pytest.raises(InvalidInput) as caught:
            instrument.score(valid(instrument)[:-1])
        assert caught.value.field == "answers"


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_out_of_range_names_the_item(instrument: Instrument) -> None:
    for item in instrument.items:
        for bad in (item.minimum - 1, item.maximum + 1):
            answers = valid(instrument)
            answers[item.number - 1] = bad
            with pytest.raises(InvalidInput) as caught:
                instrument.score(answers)
            assert caught.value.field == f"answers[{item.number}]"


@pytest.mark.parametrize("bad", [1.0, "1", True])
@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_non_integers_are_refused(instrument: Instrument, bad: object) -> None:
    answers: list[object] = list(valid(instrument))
    answers[-1] = bad
    with pytest.raises(InvalidInput) as caught:
        instrument.score(answers)  # type: ignore[arg-type]
    assert caught.value.field == f"answers[{len(answers)}]"


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_negative_max_missing_is_refused(instrument: Instrument) -> None:
    with pytest.raises(InvalidInput) as caught:
        instrument.score(valid(instrument), max_missing=-1)
    assert caught.value.field == "max_missing"


@pytest.mark.parametrize("instrument", [i for i in ALL if i.id not in ("psfs",)], ids=str)
def test_all_missing_never_gives_nan(instrument: Instrument) -> None:
    with pytest.raises(CannotScore):
        instrument.score([None] * len(instrument.items), max_missing=len(instrument.items))


@pytest.mark.parametrize(
    "instrument", [i for i in ALL if i.id not in ("odi", "psfs")], ids=lambda i: i.id
)
def test_default_policy_refuses_one_missing_scored_item(instrument: Instrument) -> None:
    answers = valid(instrument)
    answers[1 if instrument.id == "fabq" else 0] = None  # FABQ item 1 is unscored
    with pytest.raises(CannotScore):
        instrument.score(answers)


@pytest.mark.parametrize("instrument", ALL, ids=IDS)
def test_score_is_never_rounded_or_mutated_by_as_dict(instrument: Instrument) -> None:
    result = instrument.score(valid(instrument))
    data = result.as_dict()
    assert data["instrument"] == instrument.id
    assert data["score"] == result.score
