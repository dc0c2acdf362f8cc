"""Read text packs from YAML files and turn every problem into one readable line.

A clinic writes these files by hand from its licensed copy, so errors name the file and the
field (``odi.en.yaml: items[3].text: must not be empty``) instead of showing a traceback.
The format is described in docs/text-packs.md.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

import yaml

from spinecoach.adapters.strict_yaml import StrictSafeLoader
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.base import Instrument
from spinecoach.domain.instruments.registry import get_instrument
from spinecoach.domain.text_packs import ItemText, TextPack, TextPackCatalog, validate_text_pack

FORMAT = 1
"""The only pack format so far; files may say ``format: 1`` to be explicit."""

SUFFIXES = (".yaml", ".yml")

_TOP_KEYS = ("format", "instrument", "language", "version", "licence", "title", "instructions")
_REQUIRED = ("instrument", "language", "version", "licence", "title", "items")
_ITEM_KEYS = ("number", "text", "responses")


def _kind(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a map"}
    return "nothing" if value is None else names.get(type(value), type(value).__name__)


def _text(value: object, path: str, *, numbers_ok: bool = False) -> str:
    """A text field, stripped; whole numbers are accepted where they are natural labels."""
    if isinstance(value, str):
        return value.strip()
    if numbers_ok and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    hint = ""
    if isinstance(value, bool | int | float):
        hint = "; put it in quotes (YAML reads bare no/yes/on/off as true/false, 2.10 as 2.1)"
    raise InvalidInput(path, f"must be text, got {_kind(value)} ({value!r}){hint}")


def _check_keys(data: Mapping[object, object], allowed: tuple[str, ...], path: str) -> None:
    for key in data:
        if str(key) not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(allowed)}"
            raise InvalidInput(f"{path}{key}", f"unknown key{hint}")


def _item(entry: object, position: int, instrument: Instrument) -> ItemText:
    here = f"items[entry {position}]"
    if not isinstance(entry, dict):
        raise InvalidInput(here, f"must be a map with number, text, responses; got {_kind(entry)}")
    _check_keys(entry, _ITEM_KEYS, f"{here}.")
    number = entry.get("number")
    if number is None:
        raise InvalidInput(f"{here}.number", "missing")
    if isinstance(number, bool) or not isinstance(number, int):
        raise InvalidInput(f"{here}.number", f"must be a whole number, got {number!r}")
    path = f"items[{number}]"
    if "text" not in entry:
        raise InvalidInput(f"{path}.text", "missing")
    responses = entry.get("responses")
    if not isinstance(responses, list):
        raise InvalidInput(
            f"{path}.responses",
            f"must be a list of answer labels, lowest answer first; got {_kind(responses)}",
        )
    known = 1 <= number <= len(instrument.items)
    lowest = instrument.item(number).minimum if known else 0
    return ItemText(
        number=number,
        text=_text(entry["text"], f"{path}.text"),
        responses=tuple(
            _text(label, f"{path}.responses[{lowest + i}]", numbers_ok=True)
            for i, label in enumerate(responses)
        ),
    )


def text_pack_from_data(data: object) -> TextPack:
    """Map parsed YAML to a validated :class:`TextPack`; errors name the field in the file."""
    if data is None:
        raise InvalidInput("file", "is empty; expected a text pack (see docs/text-packs.md)")
    if not isinstance(data, dict):
        raise InvalidInput(
            "file", f"must be a map of keys (instrument, language, ...); got {_kind(data)}"
        )
    _check_keys(data, (*_TOP_KEYS, "items"), "")
    for key in _REQUIRED:
        if key not in data:
            raise InvalidInput(key, "missing")
    if data.get("format", FORMAT) != FORMAT:
        raise InvalidInput("format", f"only format {FORMAT} is known, got {data['format']!r}")
    instrument = get_instrument(_text(data["instrument"], "instrument"))
    items = data["items"]
    if not isinstance(items, list):
        raise InvalidInput("items", f"must be a list of item entries; got {_kind(items)}")
    pack = TextPack(
        instrument=instrument.id,
        language=_text(data["language"], "language"),
        version=_text(data["version"], "version", numbers_ok=True),
        licence=_text(data["licence"], "licence"),
        title=_text(data["title"], "title"),
        instructions=_text(data.get("instructions", ""), "instructions"),
        items=tuple(_item(entry, n, instrument) for n, entry in enumerate(items, start=1)),
    )
    validate_text_pack(pack, instrument)
    return pack


def _read_yaml(path: Path) -> object:
    """Parse one file; any failure becomes a one-line error naming the file."""
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(path.name, "is not UTF-8 text; save it as UTF-8") from None
    except OSError as error:
        raise InvalidInput(path.name, f"cannot be read ({error.strerror or error})") from None
    try:
        return yaml.load(source, Loader=StrictSafeLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = error.problem or error.context or "syntax error"
        raise InvalidInput(path.name, f"is not valid YAML{where}: {reason}") from None
    except yaml.YAMLError as error:
        reason = str(error).splitlines()[0] if str(error) else "syntax error"
        raise InvalidInput(path.name, f"is not valid YAML: {reason}") from None


def load_text_pack(path: Path) -> TextPack:
    """Read and validate one pack file; errors read ``<file>: <field>: <problem>``."""
    data = _read_yaml(path)
    try:
        return text_pack_from_data(data)
    except InvalidInput as error:
        raise InvalidInput(f"{path.name}: {error.field}", error.problem) from None


def load_text_packs(directory: Path) -> TextPackCatalog:
    """Read every ``*.yaml``/``*.yml`` file directly in ``directory`` (sorted, no recursion).

    Any bad file is an error rather than skipped: silently falling back to neutral labels would
    hide a clinic's broken installation.
    """
    if not directory.is_dir():
        raise InvalidInput(str(directory), "is not a directory")
    files = sorted(
        p
        for p in directory.iterdir()
        if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()
    )
    origin: dict[tuple[str, str], Path] = {}
    packs: list[TextPack] = []
    for path in files:
        pack = load_text_pack(path)
        if (earlier := origin.get(pack.key)) is not None:
            raise InvalidInput(
                f"{path.name}: language",
                f"{pack.instrument} in {pack.language!r} is already installed by {earlier.name}; "
                "keep one file per instrument and language",
            )
        origin[pack.key] = path
        packs.append(pack)
    return TextPackCatalog.of(packs)


def load_catalog(directory: Path | None) -> TextPackCatalog:
    """The catalog for ``settings.text_packs``: empty (neutral labels only) when unset."""
    return TextPackCatalog() if directory is None else load_text_packs(directory)
