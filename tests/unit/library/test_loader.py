"""Reading content files: strict types, UTF-8 only, and errors that point at the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spinecoach.adapters.catalog import CONTENT_ROOT, load_library
from spinecoach.domain.errors import InvalidInput


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the packaged content."""
    copy = tmp_path / "content"
    shutil.copytree(str(CONTENT_ROOT), copy)
    return copy


def _edit_first(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("written", ["true", "1.0", '"1"'])
def test_a_whole_number_must_be_written_as_one(content: Path, written: str) -> None:
    _edit_first(content / "exercises" / "activation.yaml", "level: 1", f"level: {written}")
    with pytest.raises(InvalidInput) as caught:
        load_library(content)
    assert caught.value.field == "exercises/activation.yaml: exercises[1] (adim_crook_lying).level"
    assert "valid integer" in caught.value.problem


def test_a_nested_list_position_counts_from_one(content: Path) -> None:
    # The second criterion of the first exercise gets a key the schema does not know.
    _edit_first(
        content / "exercises" / "activation.yaml",
        "- {metric: neutral_hold_s, view: any, at_least: 10}",
        "- {colour: red, metric: neutral_hold_s, view: any, at_least: 10}",
    )
    with pytest.raises(InvalidInput) as caught:
        load_library(content)
    assert caught.value.field.endswith("exercises[1] (adim_crook_lying).criteria[2].colour")
    assert "Extra inputs are not permitted" in caught.value.problem


def test_true_false_must_be_written_as_such(content: Path) -> None:
    _edit_first(
        content / "exercises" / "activation.yaml", "rest_s: 30}", 'rest_s: 30, per_side: "no"}'
    )
    with pytest.raises(InvalidInput, match=r"dosage\.per_side: Input should be a valid boolean"):
        load_library(content)


def test_a_content_file_that_is_not_utf8_is_named(content: Path) -> None:
    (content / "exercises" / "zz.yaml").write_bytes(b"exercises:\n  - id: caf\xe9\n")
    with pytest.raises(InvalidInput) as caught:
        load_library(content)
    assert str(caught.value) == "exercises/zz.yaml: is not UTF-8 text; save it as UTF-8"


def test_the_packaged_content_reads_strictly() -> None:
    library = load_library()
    assert library.exercises["adim_crook_lying"].level == 1
