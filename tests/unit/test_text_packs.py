"""Text packs in the domain: validation against the instrument, neutral fallback, lookups.

All wording here is placeholder text we wrote ourselves; real questionnaire wording must never
appear in this repository.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import (
    ChangeCriteria,
    Direction,
    Instrument,
    Item,
    MissingPolicy,
    score_summed,
)
from spinecoach.domain.instruments.registry import INSTRUMENTS, get_instrument
from spinecoach.domain.text_packs import (
    ItemText,
    TextPack,
    TextPackCatalog,
    is_language_tag,
    item_prompt,
    item_responses,
    neutral_pack,
    validate_text_pack,
)

ODI = get_instrument("odi")


def placeholder_pack(instrument: Instrument, language: str = "en") -> TextPack:
    """A valid pack with fake wording for any instrument."""
    return TextPack(
        instrument=instrument.id,
        language=language,
        version="placeholder 1",
        licence="Placeholder licence statement (test fixture)",
        title=f"Placeholder title for {instrument.id} (test fixture)",
        instructions="Placeholder instructions (test fixture)",
        items=tuple(
            ItemText(
                number=item.number,
                text=f"Placeholder text for section {item.number} (test fixture)",
                responses=tuple(
                    f"Placeholder answer {v} for section {item.number}"
                    for v in range(item.minimum, item.maximum + 1)
                ),
            )
            for item in instrument.items
        ),
    )


def with_item(pack: TextPack, target: int, **changes: object) -> TextPack:
    items = tuple(
        dataclasses.replace(i, **changes) if i.number == target else i  # type: ignore[arg-type]
        for i in pack.items
    )
    return dataclasses.replace(pack, items=items)


def fake_variable(ranges: tuple[tuple[int, int], ...] = ((0, 10),) * 5) -> Instrument:
    """A PSFS-like variable-length instrument, so these tests do not depend on PSFS's data."""
    return Instrument(
        id="odi",  # must be a registered id for lookups; the shape is what matters here
        name="Fake variable-length scale (test fixture)",
        items=tuple(
            Item(number=n, key=f"fake_{n}", label=f"Fake activity {n}", minimum=lo, maximum=hi)
            for n, (lo, hi) in enumerate(ranges, start=1)
        ),
        score_range=(0.0, 10.0),
        direction=Direction.HIGHER_IS_BETTER,
        missing=MissingPolicy(max_missing=0, method="mean", rule="test fixture"),
        change=ChangeCriteria(mcid_points=None, mcid_percent=None, mdc=None, source="none"),
        citations=(),
        scorer=score_summed,
        variable_length=True,
    )


def scale_only_pack(instrument: Instrument) -> TextPack:
    return dataclasses.replace(
        placeholder_pack(instrument),
        items=(
            ItemText(
                number=1,
                text="Placeholder scale description (test fixture)",
                responses=tuple(f"Placeholder level {v}" for v in range(11)),
            ),
        ),
    )


def test_placeholder_pack_is_valid() -> None:
    validate_text_pack(placeholder_pack(ODI), ODI)
    validate_text_pack(placeholder_pack(ODI))  # instrument looked up by id


Mutation = Callable[[TextPack], TextPack]

INVALID: list[tuple[str, Mutation, str]] = [
    ("wrong language tag", lambda p: dataclasses.replace(p, language="en_GB"), "language"),
    ("empty language", lambda p: dataclasses.replace(p, language=""), "language"),
    ("empty version", lambda p: dataclasses.replace(p, version=" "), "version"),
    ("no licence", lambda p: dataclasses.replace(p, licence=""), "licence"),
    ("no title", lambda p: dataclasses.replace(p, title="\n"), "title"),
    ("no items", lambda p: dataclasses.replace(p, items=()), "items"),
    (
        "missing item",
        lambda p: dataclasses.replace(p, items=tuple(i for i in p.items if i.number != 4)),
        "items",
    ),
    (
        "duplicate item",
        lambda p: dataclasses.replace(p, items=(*p.items, p.items[2])),
        "items[3].number",
    ),
    (
        "extra item",
        lambda p: dataclasses.replace(
            p, items=(*p.items, dataclasses.replace(p.items[0], number=11))
        ),
        "items[11].number",
    ),
    ("item zero", lambda p: with_item(p, 1, number=0), "items[0].number"),
    ("empty text", lambda p: with_item(p, 3, text="  "), "items[3].text"),
    (
        "too few responses",
        lambda p: with_item(p, 4, responses=p.items[3].responses[:-1]),
        "items[4].responses",
    ),
    (
        "too many responses",
        lambda p: with_item(p, 4, responses=(*p.items[3].responses, "Placeholder extra")),
        "items[4].responses",
    ),
    (
        "empty response label",
        lambda p: with_item(p, 2, responses=("", *p.items[1].responses[1:])),
        "items[2].responses[0]",
    ),
    (
        "duplicate response label",
        lambda p: with_item(p, 2, responses=("Same", "Same", *p.items[1].responses[2:])),
        "items[2].responses[1]",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "field"), [(m, f) for _, m, f in INVALID], ids=[name for name, _, _ in INVALID]
)
def test_invalid_pack_names_the_field(mutate: Mutation, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_text_pack(mutate(placeholder_pack(ODI)), ODI)
    assert caught.value.field == field


def test_missing_items_are_listed() -> None:
    pack = placeholder_pack(ODI)
    pack = dataclasses.replace(pack, items=tuple(i for i in pack.items if i.number not in (4, 7)))
    with pytest.raises(InvalidInput, match=r"missing item\(s\) 4, 7 \(odi has items 1–10\)"):
        validate_text_pack(pack, ODI)


def test_response_count_message_says_what_is_expected() -> None:
    pack = with_item(placeholder_pack(ODI), 4, responses=("a", "b"))
    with pytest.raises(InvalidInput, match="needs 6 labels, one per answer 0–5 in order; got 2"):
        validate_text_pack(pack, ODI)


def test_pack_for_another_instrument_is_refused() -> None:
    pack = dataclasses.replace(placeholder_pack(ODI), instrument="rmdq")
    with pytest.raises(InvalidInput) as caught:
        validate_text_pack(pack, ODI)
    assert caught.value.field == "instrument"


def test_unknown_instrument_is_refused() -> None:
    pack = dataclasses.replace(placeholder_pack(ODI), instrument="no-such-questionnaire")
    with pytest.raises(InvalidInput, match="unknown id") as caught:
        validate_text_pack(pack)
    assert caught.value.field == "instrument"


@pytest.mark.parametrize("tag", ["en", "de", "de-CH", "pt-BR", "zh-Hant-TW", "gsw", "es-419"])
def test_language_tags_accepted(tag: str) -> None:
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "e", "en_GB", "en-", "english", "12", "de CH", "-en"])
def test_language_tags_rejected(tag: str) -> None:
    assert not is_language_tag(tag)


@pytest.mark.parametrize("instrument", list(INSTRUMENTS.values()), ids=list(INSTRUMENTS))
def test_neutral_pack_validates_for_every_instrument(instrument: Instrument) -> None:
    pack = neutral_pack(instrument)
    validate_text_pack(pack, instrument)
    assert pack.neutral
    assert [i.text for i in pack.items] == [i.label for i in instrument.items]
    for entry, item in zip(pack.items, instrument.items, strict=True):
        assert entry.responses == tuple(str(v) for v in range(item.minimum, item.maximum + 1))


def test_neutral_pack_of_variable_length_instrument_validates() -> None:
    instrument = fake_variable()
    validate_text_pack(neutral_pack(instrument), instrument)


def test_item_prompt_uses_pack_else_neutral_label() -> None:
    pack = placeholder_pack(ODI)
    assert item_prompt(pack, ODI, 4) == "Placeholder text for section 4 (test fixture)"
    assert item_prompt(None, ODI, 4) == ODI.item(4).label
    assert item_prompt(neutral_pack(ODI), ODI, 4) == ODI.item(4).label


def test_item_responses_pair_values_with_labels() -> None:
    assert item_responses(None, ODI, 1) == tuple((v, str(v)) for v in range(6))
    labels = item_responses(placeholder_pack(ODI), ODI, 2)
    assert labels[0] == (0, "Placeholder answer 0 for section 2")
    assert labels[-1] == (5, "Placeholder answer 5 for section 2")


@pytest.mark.parametrize("number", [0, 11, -1])
def test_item_prompt_rejects_unknown_item(number: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        item_prompt(None, ODI, number)
    assert caught.value.field == "number"


def test_item_prompt_rejects_pack_of_another_instrument() -> None:
    pack = dataclasses.replace(placeholder_pack(ODI), instrument="rmdq")
    with pytest.raises(InvalidInput) as caught:
        item_prompt(pack, ODI, 1)
    assert caught.value.field == "pack"


def test_variable_length_scale_only_pack_applies_to_every_item() -> None:
    instrument = fake_variable()
    pack = scale_only_pack(instrument)
    validate_text_pack(pack, instrument)
    assert item_prompt(pack, instrument, 3) == (
        "Fake activity 3: Placeholder scale description (test fixture)"
    )
    assert item_responses(pack, instrument, 5)[10] == (10, "Placeholder level 10")


def test_variable_length_full_pack_is_valid() -> None:
    instrument = fake_variable()
    validate_text_pack(placeholder_pack(instrument), instrument)


def test_variable_length_partial_pack_is_refused_with_hint() -> None:
    instrument = fake_variable()
    pack = placeholder_pack(instrument)
    pack = dataclasses.replace(pack, items=pack.items[:2])
    with pytest.raises(
        InvalidInput, match="give only item 1 describing the rating scale"
    ) as caught:
        validate_text_pack(pack, instrument)
    assert caught.value.field == "items"


def test_variable_length_scale_only_needs_one_shared_range() -> None:
    instrument = fake_variable(((0, 10), (0, 5)))
    with pytest.raises(InvalidInput, match="different response ranges") as caught:
        validate_text_pack(scale_only_pack(instrument), instrument)
    assert caught.value.field == "items"


def test_scale_only_pack_is_not_allowed_for_fixed_length_instrument() -> None:
    pack = scale_only_pack(ODI)
    with pytest.raises(InvalidInput, match=r"missing item\(s\) 2, 3") as caught:
        validate_text_pack(pack, ODI)
    assert caught.value.field == "items"
    assert "rating scale" not in caught.value.problem


def test_catalog_lookup_falls_back_from_region_to_language_to_neutral() -> None:
    de = placeholder_pack(ODI, "de")
    en_gb = placeholder_pack(ODI, "en-GB")
    catalog = TextPackCatalog.of([en_gb, de])
    assert len(catalog) == 2
    assert catalog.languages("ODI") == ("de", "en-GB")
    assert catalog.find("odi", "EN-gb") is en_gb
    assert catalog.find("odi", "de-CH") is de
    assert catalog.find("odi", "en") is en_gb
    assert catalog.find("odi", "en-US") is en_gb
    assert catalog.find("odi", "fr") is None
    assert catalog.find("rmdq", "de") is None
    assert catalog.pack_for(ODI, "de-AT") is de
    fallback = catalog.pack_for(ODI, "fr")
    assert fallback.neutral
    assert fallback == neutral_pack(ODI)


def test_catalog_prefers_exact_tag_over_bare_language() -> None:
    de = placeholder_pack(ODI, "de")
    de_ch = placeholder_pack(ODI, "de-CH")
    catalog = TextPackCatalog.of([de, de_ch])
    assert catalog.find("odi", "de-CH") is de_ch
    assert catalog.find("odi", "de-AT") is de


def test_catalog_refuses_two_packs_for_one_language() -> None:
    with pytest.raises(InvalidInput, match="two packs for odi"):
        TextPackCatalog.of([placeholder_pack(ODI, "de"), placeholder_pack(ODI, "DE")])


def test_empty_catalog_always_answers_with_neutral_pack() -> None:
    catalog = TextPackCatalog()
    assert len(catalog) == 0
    assert list(catalog) == []
    assert catalog.pack_for(ODI, "en").neutral
