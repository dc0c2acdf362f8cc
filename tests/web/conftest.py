"""Fixtures for the web app: a seeded demo clinic on a fresh SQLite file, signed-in clients."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from spinecoach.adapters.db.engine import make_engine
from spinecoach.adapters.passwords import Argon2Passwords
from spinecoach.bootstrap import Services, build, load_content
from spinecoach.config import Settings
from spinecoach.domain.accounts import Principal
from spinecoach.services.demo import seed_web_demo
from spinecoach.services.ports import Clock
from spinecoach.web.app import create_app
from tests.conftest import BACKENDS

CLINICIAN = ("dr.demo", "spinecoach-clinic")
ADMIN = ("admin.demo", "spinecoach-admin")
IMPROVING = ("patient.improving", "spinecoach-patient")
FEARFUL = ("patient.fearful", "spinecoach-patient")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_services(
    folder: Path,
    url: str | None = None,
    text_packs: Path | None = None,
    clock: Clock | None = None,
) -> Services:
    """Services over a new database (a SQLite file by default), with cheap Argon2id
    parameters (the same code path)."""
    settings = Settings(
        data_dir=folder,
        database_url=url or f"sqlite:///{folder / 'web.db'}",
        text_packs=text_packs,
    )
    return build(settings, passwords=Argon2Passwords.fast_for_tests(), clock=clock)


def seeded_app(
    folder: Path,
    url: str | None = None,
    text_packs: Path | None = None,
    clock: Clock | None = None,
) -> tuple[FastAPI, Services]:
    services = make_services(folder, url, text_packs, clock)
    seed_web_demo(
        services.clinic, services.care, services.accounts, load_content(), services.clinic.now()
    )
    return create_app(services.settings, services=services), services


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    admin_url = os.environ.get("SPINECOACH_TEST_DATABASE_URL")
    if not admin_url:
        pytest.skip("SPINECOACH_TEST_DATABASE_URL not set (PostgreSQL tests run in CI)")
    name = f"spinecoach_web_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[FastAPI, Services]]:
    """The seeded demo clinic's app on SQLite, and on PostgreSQL when configured."""
    if request.param == "sqlite":
        app, services = seeded_app(tmp_path)
        yield app, services
        services.close()
        return
    with fresh_postgres() as url:
        app, services = seeded_app(tmp_path, url)
        yield app, services
        services.close()


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


def principal_for(services: Services, login: tuple[str, str]) -> Principal:
    """The principal of a demo login, signed in through the service (no browser)."""
    return services.accounts.sign_in(username=login[0], password=login[1], client="t").principal


def signed_in(app: FastAPI, login: tuple[str, str]) -> TestClient:
    """A client signed in through the real login form."""
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": login[0], "password": login[1], "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def page_csrf(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return csrf_of(response.text)
