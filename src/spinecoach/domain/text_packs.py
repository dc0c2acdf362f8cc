"""Questionnaire text packs: licensed item wording, kept out of the repository.

The wording of ODI, RMDQ, TSK, PCS, FABQ, STarT Back, PSEQ and ÖMPSQ is copyrighted, so
spinecoach never ships it. A clinic installs a *text pack* (one per instrument and language)
from its licensed copy; this module defines the pack, checks it against the instrument's
definition so a pack can never disagree with how answers are scored, and builds the *neutral*
pack from our own item labels so answers can always be entered from a paper form.

Field paths in errors use the item *number*, not the list position: ``items[4].responses[2]``
is the label for answer value 2 of item 4.

Variable-length instruments (PSFS): the items are patient-specified, so a pack may give either
one entry per item or a single entry numbered 1 that describes the rating scale and applies to
every item (allowed only when all items share one response range).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import Instrument, Item
from spinecoach.domain.instruments.registry import get_instrument

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")

NEUTRAL_LANGUAGE = "en"
"""Our neutral labels are English; the neutral pack says so rather than pretend otherwise."""


@dataclass(frozen=True)
class ItemText:
    """The wording of one item and its response labels, from the item's minimum to maximum."""

    number: int
    text: str
    responses: tuple[str, ...]


@dataclass(frozen=True)
class TextPack:
    """The wording of one instrument in one language, as licensed to the clinic.

    ``version`` and ``licence`` identify which licensed text a patient saw, so a record can be
    traced back to it. ``neutral`` is true only for the fallback built by :func:`neutral_pack`
    and is never read from a file.
    """

    instrument: str
    language: str
    version: str
    licence: str
    title: str
    items: tuple[ItemText, ...]
    instructions: str = ""
    neutral: bool = False

    @property
    def key(self) -> tuple[str, str]:
        """(instrument id, lower-cased language): language tags compare case-insensitively."""
        return (self.instrument.lower(), self.language.lower())

    def entry(self, number: int) -> ItemText | None:
        """The entry with this item number, if the pack has one."""
        for item_text in self.items:
            if item_text.number == number:
                return item_text
        return None


def is_language_tag(tag: str) -> bool:
    """A simple BCP-47-like tag: ``en``, ``de-CH``, ``zh-Hant-TW`` (not ``en_GB``, not ``""``)."""
    return _LANGUAGE.fullmatch(tag) is not None


def _is_scale_only(pack: TextPack, instrument: Instrument) -> bool:
    """True when a variable-length instrument's pack describes only the shared rating scale."""
    return (
        instrument.variable_length
        and len(instrument.items) > 1
        and len(pack.items) == 1
        and pack.items[0].number == 1
    )


def _require_text(value: str, path: str, what: str) -> None:
    if not value.strip():
        raise InvalidInput(path, f"must not be empty ({what})")


def _span(instrument: Instrument) -> str:
    return f"{instrument.id} has items 1–{len(instrument.items)}"


def validate_text_pack(pack: TextPack, instrument: Instrument | None = None) -> None:
    """Check ``pack`` against ``instrument`` (default: looked up by ``pack.instrument``).

    Raises :class:`InvalidInput` naming the first bad field (``language``,
    ``items[4].responses``, ...), so a clinic can fix its file without reading code.
    """
    if instrument is None:
        instrument = get_instrument(pack.instrument)
    if pack.instrument.lower() != instrument.id:
        raise InvalidInput("instrument", f"pack is for {pack.instrument!r}, not {instrument.id!r}")
    if not is_language_tag(pack.language):
        raise InvalidInput(
            "language",
            f"must be a language tag such as 'en' or 'de-CH', got {pack.language!r}",
        )
    _require_text(pack.version, "version", "which edition or translation of the text this is")
    _require_text(
        pack.licence,
        "licence",
        "say where the wording comes from and under which licence the clinic uses it",
    )
    _require_text(pack.title, "title", "the questionnaire's title as shown to the patient")
    if not pack.items:
        raise InvalidInput("items", f"must list the item texts ({_span(instrument)})")
    _validate_numbers(pack, instrument)
    scale_only = _is_scale_only(pack, instrument)
    if scale_only and len({(i.minimum, i.maximum) for i in instrument.items}) > 1:
        raise InvalidInput(
            "items",
            f"{instrument.id} items have different response ranges; "
            f"give one entry per item ({_span(instrument)})",
        )
    for item_text in pack.items:
        _validate_item(item_text, instrument.item(item_text.number))


def _validate_numbers(pack: TextPack, instrument: Instrument) -> None:
    """Every item exactly once (or, for variable-length instruments, the scale entry alone)."""
    count = len(instrument.items)
    seen: set[int] = set()
    for item_text in pack.items:
        number = item_text.number
        path = f"items[{number}].number"
        if not 1 <= number <= count:
            raise InvalidInput(path, f"{_span(instrument)}; there is no item {number}")
        if number in seen:
            raise InvalidInput(path, f"item {number} appears more than once")
        seen.add(number)
    if _is_scale_only(pack, instrument):
        return
    missing = [n for n in range(1, count + 1) if n not in seen]
    if missing:
        listed = ", ".join(str(n) for n in missing)
        hint = (
            "; or give only item 1 describing the rating scale"
            if instrument.variable_length
            else ""
        )
        raise InvalidInput("items", f"missing item(s) {listed} ({_span(instrument)}){hint}")


def _validate_item(item_text: ItemText, item: Item) -> None:
    path = f"items[{item_text.number}]"
    _require_text(item_text.text, f"{path}.text", "the item's wording")
    expected = item.maximum - item.minimum + 1
    if len(item_text.responses) != expected:
        raise InvalidInput(
            f"{path}.responses",
            f"needs {expected} labels, one per answer {item.minimum}–{item.maximum} in order; "
            f"got {len(item_text.responses)}",
        )
    first_value: dict[str, int] = {}
    for value, label in zip(
        range(item.minimum, item.maximum + 1), item_text.responses, strict=True
    ):
        label_path = f"{path}.responses[{value}]"
        _require_text(label, label_path, f"the label for answer {value}")
        earlier = first_value.setdefault(label.strip(), value)
        if earlier != value:
            raise InvalidInput(label_path, f"same label as answer {earlier}: {label.strip()!r}")


def neutral_pack(instrument: Instrument) -> TextPack:
    """Our own labels as a pack: what the app shows when no licensed text is installed.

    Responses are the answer numbers, so a clinician can copy answers from a paper form.
    """
    return TextPack(
        instrument=instrument.id,
        language=NEUTRAL_LANGUAGE,
        version="neutral",
        licence="spinecoach neutral labels (Apache-2.0); contains no questionnaire wording",
        title=instrument.name,
        instructions=(
            "No licensed wording is installed: enter each answer as the number ticked on the "
            "patient's paper form."
        ),
        items=tuple(
            ItemText(
                number=item.number,
                text=item.label,
                responses=tuple(str(v) for v in range(item.minimum, item.maximum + 1)),
            )
            for item in instrument.items
        ),
        neutral=True,
    )


def _checked_item(pack: TextPack | None, instrument: Instrument, number: int) -> Item:
    if not 1 <= number <= len(instrument.items):
        raise InvalidInput("number", f"{_span(instrument)}, got {number}")
    if pack is not None and pack.instrument.lower() != instrument.id:
        raise InvalidInput("pack", f"pack is for {pack.instrument!r}, not {instrument.id!r}")
    return instrument.item(number)


def _entry(pack: TextPack, instrument: Instrument, number: int) -> ItemText:
    entry = pack.items[0] if _is_scale_only(pack, instrument) else pack.entry(number)
    if entry is None:  # only for packs that skipped validate_text_pack
        raise InvalidInput(f"items[{number}]", f"pack {pack.key} has no text for item {number}")
    return entry


def item_prompt(pack: TextPack | None, instrument: Instrument, number: int) -> str:
    """The text to show for item ``number``: the pack's wording, else our neutral label.

    For a scale-only pack of a variable-length instrument the prompt is the neutral label
    followed by the scale description, so each item stays distinguishable.
    """
    item = _checked_item(pack, instrument, number)
    if pack is None:
        return item.label
    entry = _entry(pack, instrument, number)
    if _is_scale_only(pack, instrument):
        return f"{item.label}: {entry.text}"
    return entry.text


def item_responses(
    pack: TextPack | None, instrument: Instrument, number: int
) -> tuple[tuple[int, str], ...]:
    """(answer value, label) pairs for item ``number``, from its minimum to its maximum."""
    item = _checked_item(pack, instrument, number)
    values = range(item.minimum, item.maximum + 1)
    if pack is None:
        return tuple((v, str(v)) for v in values)
    return tuple(zip(values, _entry(pack, instrument, number).responses, strict=True))


@dataclass(frozen=True)
class TextPackCatalog:
    """The installed packs, looked up by instrument and language, never failing to answer.

    Lives in the domain (not the YAML adapter) so services can depend on it; build it with
    :meth:`of` or the adapter's loaders.
    """

    packs: Mapping[tuple[str, str], TextPack] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, packs: Iterable[TextPack]) -> TextPackCatalog:
        """A catalog of already validated packs; two packs for one instrument+language fail."""
        by_key: dict[tuple[str, str], TextPack] = {}
        for pack in packs:
            if pack.key in by_key:
                raise InvalidInput(
                    "language",
                    f"two packs for {pack.instrument} in {pack.language!r}; keep only one",
                )
            by_key[pack.key] = pack
        return cls(MappingProxyType(dict(sorted(by_key.items()))))

    def __len__(self) -> int:
        return len(self.packs)

    def __iter__(self) -> Iterator[TextPack]:
        return iter(self.packs.values())

    def languages(self, instrument_id: str) -> tuple[str, ...]:
        """The language tags installed for this instrument, as written in the packs."""
        wanted = instrument_id.lower()
        return tuple(p.language for (i, _), p in self.packs.items() if i == wanted)

    def find(self, instrument_id: str, language: str) -> TextPack | None:
        """The best installed pack, or None.

        Tries the exact tag, then the bare language (``de-CH`` → ``de``), then any pack of the
        same language (alphabetically first), so a German clinic's ``de`` pack serves ``de-AT``.
        """
        wanted = instrument_id.lower()
        tag = language.lower()
        primary = tag.split("-", 1)[0]
        for candidate in (tag, primary):
            if (pack := self.packs.get((wanted, candidate))) is not None:
                return pack
        for (i, lang), pack in self.packs.items():
            if i == wanted and lang.split("-", 1)[0] == primary:
                return pack
        return None

    def pack_for(self, instrument: Instrument, language: str) -> TextPack:
        """The installed pack for this language, or the neutral pack (``pack.neutral``)."""
        return self.find(instrument.id, language) or neutral_pack(instrument)
