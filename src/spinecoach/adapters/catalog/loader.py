"""Load the content YAML into :class:`~spinecoach.domain.library.Library` values.

Layout (docs/library.md): ``exercises/*.yaml`` each hold ``exercises: [...]``,
``tasks/*.yaml`` hold ``tasks: [...]`` and ``education/*.yaml`` hold ``modules: [...]``.
Pydantic validates each entry against the domain dataclass in strict mode (unknown keys
refused; ``true``, ``1.0`` or ``"1"`` is not a whole number), so a mistake reads
``exercises/activation.yaml: exercises[1] (adim_crook_lying).dosage.reps: Input should be a
valid integer, got '10'`` instead of a traceback. List positions count from 1.
Cross-references and graph rules are checked by the pure
:func:`~spinecoach.domain.library.validate_library`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import TypeAdapter, ValidationError

from spinecoach.adapters.strict_yaml import StrictSafeLoader
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.exercise import AnalyzerSpec
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.library import EducationModule, Exercise, FunctionalTask, Library
from spinecoach.services.schemas import first_error

CONTENT_ROOT: Traversable = files("spinecoach.content")

T = TypeVar("T", Exercise, FunctionalTask, EducationModule, AnalyzerSpec)

_SECTIONS: tuple[tuple[str, str, type[Any]], ...] = (
    ("exercises", "exercises", Exercise),
    ("tasks", "tasks", FunctionalTask),
    ("education", "modules", EducationModule),
)


def load_library(root: Traversable | Path | None = None) -> Library:
    """Read and type-check every content file under ``root`` (the packaged content by default).

    Raises :class:`InvalidInput` naming the file, the entry and the field on the first
    problem. Cross-reference rules are left to ``validate_library``.
    """
    base = CONTENT_ROOT if root is None else root
    loaded: dict[str, dict[str, Any]] = {}
    for folder, key, kind in _SECTIONS:
        loaded[folder] = _load_folder(base / folder, folder, key, _strict_converter(kind))
    return Library(
        exercises=loaded["exercises"], tasks=loaded["tasks"], education=loaded["education"]
    )


def load_analyzers(root: Traversable | Path | None = None) -> dict[str, AnalyzerSpec]:
    """Read the movement analyzers (``analyzers/*.yaml``, key ``analyzers``) under ``root``.

    Raises :class:`InvalidInput` naming the file, the entry and the field on the first problem
    (an unknown metric name included).
    """
    base = CONTENT_ROOT if root is None else root
    return _load_folder(
        base / "analyzers", "analyzers", "analyzers", _strict_converter(AnalyzerSpec)
    )


def _strict_converter(kind: type[T]) -> Callable[[Any], T]:
    """Validate a YAML entry as strict JSON: YAML's ``yes``, ``1.0`` or ``"3"`` never become a
    true or a whole number, while lists, enum values and numbers read as written."""
    adapter = TypeAdapter(kind)

    def convert(raw: Any) -> T:
        return adapter.validate_json(json.dumps(raw, default=_yaml_scalar), strict=True)

    return convert


def _yaml_scalar(value: object) -> str:
    """YAML reads an unquoted 2026-01-05 as a date; in content it is text."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a content value")


def _load_folder(
    folder: Traversable | Path,
    name: str,
    key: str,
    convert: Callable[[Any], T],
) -> dict[str, T]:
    entries: dict[str, T] = {}
    where_defined: dict[str, str] = {}
    if not folder.is_dir():
        raise InvalidInput(name, "content folder is missing")
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith((".yaml", ".yml")):
            continue
        label = f"{name}/{path.name}"
        for number, raw in enumerate(_entries(path, label, key), start=1):
            ident = raw.get("id") if isinstance(raw, dict) else None
            at = f"{label}: {key}[{number}]" + (f" ({ident})" if isinstance(ident, str) else "")
            if not isinstance(raw, dict):
                raise InvalidInput(at, "must be a mapping of keys to values")
            try:
                item = convert(raw)
            except ValidationError as error:
                raise first_error(error, f"{at}.") from None
            except AnalysisError as error:
                raise InvalidInput(f"{at}.{error.field}", error.problem) from None
            except (TypeError, ValueError) as error:  # a YAML set, binary or self-reference
                raise InvalidInput(at, f"holds a value JSON cannot hold ({error})") from None
            if item.id in entries:
                used_in = where_defined[item.id]
                raise InvalidInput(at, f"id {item.id!r} is already used in {used_in}")
            entries[item.id] = item
            where_defined[item.id] = label
    return entries


def _entries(path: Traversable | Path, label: str, key: str) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(label, "is not UTF-8 text; save it as UTF-8") from None
    except OSError as error:
        raise InvalidInput(label, f"cannot be read ({error.strerror or error})") from None
    try:
        data = yaml.load(text, Loader=StrictSafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise InvalidInput(label, f"not valid YAML{line}: {problem}") from None
    if not isinstance(data, dict) or set(data) != {key}:
        raise InvalidInput(label, f"the file must hold one top-level key {key!r} with a list")
    entries = data[key]
    if not isinstance(entries, list):
        raise InvalidInput(f"{label}: {key}", "must be a list")
    return entries
