"""Wires adapters into services, once, at start-up: ``build(settings) -> Services``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from spinecoach.adapters.db.engine import make_engine, upgrade
from spinecoach.adapters.db.repositories import SqlUnitOfWork
from spinecoach.adapters.textpacks import load_catalog, load_text_pack, load_text_packs
from spinecoach.config import Settings
from spinecoach.domain.errors import DomainError
from spinecoach.domain.text_packs import TextPackCatalog
from spinecoach.services.clinic import ClinicService, SystemClock
from spinecoach.services.ports import Clock


class SetupError(Exception):
    """The installation cannot start (database unreachable, bad setting); one-line message."""


@dataclass(frozen=True)
class Services:
    """Everything the entry points may call."""

    clinic: ClinicService
    text_packs: TextPackCatalog
    settings: Settings
    engine: Engine
    migrated: bool

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()


def build(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Services:
    """Create the engine, bring the schema up to date and assemble the services.

    Migrating at start-up keeps the two-command promise: a fresh machine's first command
    finds a ready database. ``migrate=False`` is for tools that only inspect.
    """
    try:
        text_packs = load_catalog(settings.text_packs)
    except DomainError as error:
        raise SetupError(f"SPINECOACH_TEXT_PACKS: {error}") from None
    url = settings.resolved_database_url
    try:
        engine = make_engine(url)
        migrated = upgrade(engine) if migrate else False
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise SetupError(f"database: cannot open {_redacted(url)} ({reason})") from None
    factory = sessionmaker(bind=engine, expire_on_commit=False, class_=Session)
    clinic = ClinicService(uow_factory=lambda: SqlUnitOfWork(factory), clock=clock or SystemClock())
    return Services(
        clinic=clinic,
        text_packs=text_packs,
        settings=settings,
        engine=engine,
        migrated=migrated,
    )


def check_text_packs(path: Path) -> TextPackCatalog:
    """Load and validate a text pack file or a directory of them (raises InvalidInput)."""
    if path.is_dir():
        return load_text_packs(path)
    return TextPackCatalog.of([load_text_pack(path)])


def _redacted(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
