"""Fixtures for the web app: a seeded demo clinic on a fresh SQLite file, signed-in clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spinecoach.adapters.passwords import Argon2Passwords
from spinecoach.bootstrap import Services, build, load_content
from spinecoach.config import Settings
from spinecoach.services.demo import seed_web_demo
from spinecoach.web.app import create_app

CLINICIAN = ("dr.demo", "spinecoach-clinic")
ADMIN = ("admin.demo", "spinecoach-admin")
IMPROVING = ("patient.improving", "spinecoach-patient")
FEARFUL = ("patient.fearful", "spinecoach-patient")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_services(folder: Path) -> Services:
    """Services over a new SQLite file, with cheap Argon2id parameters (same code path)."""
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'web.db'}")
    return build(settings, passwords=Argon2Passwords.fast_for_tests())


def seeded_app(folder: Path) -> tuple[FastAPI, Services]:
    services = make_services(folder)
    seed_web_demo(
        services.clinic, services.care, services.accounts, load_content(), services.clinic.now()
    )
    return create_app(services.settings, services=services), services


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[FastAPI, Services]]:
    app, services = seeded_app(tmp_path)
    yield app, services
    services.close()


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


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
