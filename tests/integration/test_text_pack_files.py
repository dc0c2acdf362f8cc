"""Text packs read from YAML files: loading, file-level errors, directories, the doc example.

Every pack here is placeholder text we wrote ourselves, written to ``tmp_path``; real
questionnaire wording must never appear in this repository.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinecoach.adapters.textpacks import (
    TextPackCatalog,
    load_catalog,
    load_text_pack,
    load_text_packs,
    text_pack_from_data,
)
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.instruments.registry import get_instrument
from spinecoach.domain.text_packs import item_prompt, item_responses

ODI = get_instrument("odi")
DOC = Path(__file__).resolve().parents[2] / "docs" / "text-packs.md"


def pack_data(language: str = "en") -> dict[str, Any]:
    """A valid ODI pack as parsed YAML, with fake wording."""
    return {
        "instrument": "odi",
        "language": language,
        "version": "placeholder 1",
        "licence": "Placeholder licence statement (test fixture)",
        "title": "Placeholder title (test fixture)",
        "instructions": "Placeholder instructions (test fixture)\n",
        "items": [
            {
                "number": n,
                "text": f"Placeholder text for section {n} (test fixture)",
                "responses": [f"Placeholder answer {v} for section {n}" for v in range(6)],
            }
            for n in range(1, 11)
        ],
    }


def write(directory: Path, name: str, data: object) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def error_of(path: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        load_text_pack(path)
    return caught.value


def test_valid_file_loads(tmp_path: Path) -> None:
    pack = load_text_pack(write(tmp_path, "odi.en.yaml", pack_data()))
    assert pack.key == ("odi", "en")
    assert pack.version == "placeholder 1"
    assert not pack.neutral
    assert pack.instructions == "Placeholder instructions (test fixture)"  # stripped
    assert item_prompt(pack, ODI, 10) == "Placeholder text for section 10 (test fixture)"
    assert item_responses(pack, ODI, 3)[5] == (5, "Placeholder answer 5 for section 3")


def test_hand_written_file_with_block_text_and_numbers(tmp_path: Path) -> None:
    items = "\n".join(
        f"  - number: {n}\n"
        "    text: |\n"
        f"      Placeholder text for section {n}\n"
        "      (test fixture), second line\n"
        "    responses: [0, 1, 2, 3, 4, 5]"
        for n in range(10, 0, -1)  # any order
    )
    path = tmp_path / "odi.de-CH.yml"
    path.write_text(
        "format: 1\n"
        "instrument: ODI\n"
        "language: de-CH\n"
        "version: 2\n"
        "licence: Placeholder licence (test fixture)\n"
        "title: Placeholder title (test fixture)\n"
        f"items:\n{items}\n",
        encoding="utf-8",
    )
    pack = load_text_pack(path)
    assert pack.instrument == "odi"
    assert pack.version == "2"
    assert pack.instructions == ""
    first = pack.entry(1)
    assert first is not None
    assert first.text == "Placeholder text for section 1\n(test fixture), second line"
    assert item_responses(pack, ODI, 1)[2] == (2, "2")


def set_item(data: dict[str, Any], number: int, key: str, value: object) -> dict[str, Any]:
    data["items"][number - 1][key] = value
    return data


def drop(data: dict[str, Any], key: str) -> dict[str, Any]:
    del data[key]
    return data


BAD: list[tuple[str, object, str]] = [
    ("empty text", set_item(pack_data(), 3, "text", ""), "items[3].text: must not be empty"),
    (
        "short responses",
        set_item(pack_data(), 4, "responses", ["a", "b", "c", "d", "e"]),
        "items[4].responses: needs 6 labels",
    ),
    (
        "responses not a list",
        set_item(pack_data(), 4, "responses", "Placeholder"),
        "items[4].responses: must be a list",
    ),
    ("extra item", set_item(pack_data(), 10, "number", 11), "items[11].number: odi has items 1–10"),
    (
        "number as text",
        set_item(pack_data(), 2, "number", "2"),
        "items[entry 2].number: must be a whole number",
    ),
    ("missing licence", drop(pack_data(), "licence"), "licence: missing"),
    ("missing items", drop(pack_data(), "items"), "items: missing"),
    ("items not a list", {**pack_data(), "items": {"1": "x"}}, "items: must be a list"),
    ("misspelt key", {**drop(pack_data(), "licence"), "license": "x"}, "license: unknown key"),
    ("unknown instrument", {**pack_data(), "instrument": "xyz"}, "instrument: unknown id 'xyz'"),
    ("bad language", pack_data("en_GB"), "language: must be a language tag"),
    ("bare no", {**pack_data(), "language": False}, "language: must be text, got true/false"),
    ("float version", {**pack_data(), "version": 2.1}, "version: must be text"),
    ("unknown format", {**pack_data(), "format": 2}, "format: only format 1 is known"),
    ("list file", ["odi"], "file: must be a map"),
    ("empty file", None, "file: is empty"),
    (
        "unknown item key",
        set_item(pack_data(), 5, "txt", "x"),
        "items[entry 5].txt: unknown key; did you mean 'text'?",
    ),
]


@pytest.mark.parametrize(
    ("data", "expected"), [(d, e) for _, d, e in BAD], ids=[name for name, _, _ in BAD]
)
def test_file_errors_name_file_and_field(tmp_path: Path, data: object, expected: str) -> None:
    error = error_of(write(tmp_path, "odi.en.yaml", data))
    assert str(error).startswith(f"odi.en.yaml: {expected}")
    assert error.field.startswith("odi.en.yaml: ")
    assert "\n" not in str(error)


def test_malformed_yaml_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "instrument: odi\nitems:\n  - number: 1\n   text: [unclosed\n", encoding="utf-8"
    )
    error = error_of(path)
    assert re.fullmatch(r"broken\.yaml: is not valid YAML at line \d+, column \d+: .+", str(error))


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("instrument: odi\ninstrument: rmdq\n", encoding="utf-8")
    assert "duplicate key 'instrument'" in str(error_of(path))


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Placeholder \u00e9\n".encode("latin-1"))
    assert str(error_of(path)) == "latin1.yaml: is not UTF-8 text; save it as UTF-8"


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "unsafe.yaml"
    path.write_text("instrument: !!python/object/apply:os.getcwd []\n", encoding="utf-8")
    assert str(error_of(path)).startswith("unsafe.yaml: is not valid YAML")


def test_directory_loads_all_packs_and_ignores_other_files(tmp_path: Path) -> None:
    write(tmp_path, "odi.en.yaml", pack_data("en"))
    write(tmp_path, "odi.de.yml", pack_data("de"))
    (tmp_path / "README.txt").write_text("not a pack", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text(": broken", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "odi.fr.yaml", pack_data("fr"))
    catalog = load_text_packs(tmp_path)
    assert isinstance(catalog, TextPackCatalog)
    assert catalog.languages("odi") == ("de", "en")
    assert catalog.pack_for(ODI, "de-AT").language == "de"
    assert catalog.pack_for(ODI, "fr").neutral


def test_directory_with_two_packs_for_one_language_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "odi-de.yml", pack_data("de"))
    write(tmp_path, "odi.de.yaml", pack_data("DE"))
    with pytest.raises(InvalidInput) as caught:
        load_text_packs(tmp_path)
    message = str(caught.value)
    assert message.startswith("odi.de.yaml: language:")
    assert "odi-de.yml" in message


def test_directory_error_names_the_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", pack_data("en"))
    write(tmp_path, "b.yaml", set_item(pack_data("de"), 7, "text", " "))
    with pytest.raises(InvalidInput, match=r"^b\.yaml: items\[7\]\.text: must not be empty"):
        load_text_packs(tmp_path)


def test_missing_directory_names_the_path(tmp_path: Path) -> None:
    # The loader names the path; start-up adds the setting's name (see test_cli).
    with pytest.raises(InvalidInput, match="is not a directory") as caught:
        load_text_packs(tmp_path / "absent")
    assert caught.value.field == str(tmp_path / "absent")


def test_no_directory_configured_gives_neutral_labels_only() -> None:
    catalog = load_catalog(None)
    assert len(catalog) == 0
    assert catalog.pack_for(ODI, "en").neutral


def test_empty_directory_gives_empty_catalog(tmp_path: Path) -> None:
    assert len(load_catalog(tmp_path)) == 0


def test_documented_example_is_a_valid_pack() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert blocks, "docs/text-packs.md must contain a yaml example"
    pack = text_pack_from_data(yaml.safe_load(blocks[0]))
    assert pack.key == ("odi", "en-gb")
    assert all("Placeholder" in i.text for i in pack.items)
