"""Running the ``spinecoach`` command in tests: success returns stdout, failure must be one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinecoach.cli.main import app

runner = CliRunner()


@pytest.fixture
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh default SQLite database per test."""
    monkeypatch.setenv("SPINECOACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SPINECOACH_DATABASE_URL", raising=False)
    return tmp_path


def ok(*args: str) -> str:
    """Run a command that must succeed; its stdout."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def fails(*args: str) -> str:
    """Run a command that must fail as a user error: exit 2, one line on stderr, no traceback."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
