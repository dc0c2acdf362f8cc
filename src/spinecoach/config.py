"""Settings: the one place that reads the environment (``SPINECOACH_*``).

Nothing is read at import time; :func:`get_settings` builds a fresh object so tests and
entry points can pass their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("spinecoach", appauthor=False))


class Settings(BaseSettings):
    """Typed configuration of one spinecoach installation."""

    model_config = SettingsConfigDict(env_prefix="SPINECOACH_", extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Where the default SQLite database and local files live.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default: a SQLite file inside data_dir.",
    )
    text_packs: Path | None = Field(
        default=None,
        description="Directory of licensed questionnaire text packs (YAML), if the clinic has any.",
    )

    language: str = Field(
        default="en",
        description="Preferred text-pack language (falls back to neutral labels).",
    )

    @field_validator("database_url", "text_packs", mode="before")
    @classmethod
    def _empty_means_unset(cls, value: object) -> object:
        """An empty variable means "not set", never "the current directory"."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("data_dir", mode="before")
    @classmethod
    def _empty_means_default(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return _default_data_dir()
        return value

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str) -> str:
        if not LANGUAGE_TAG.match(value):
            raise ValueError(f"must be a language tag like en or de-CH, got {value!r}")
        return value

    @property
    def resolved_database_url(self) -> str:
        """The URL actually used: the configured one, or ``sqlite:///<data_dir>/spinecoach.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'spinecoach.db'}"


def get_settings() -> Settings:
    """Read the settings from the environment now."""
    return Settings()
