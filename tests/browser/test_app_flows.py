"""The whole app in Debian's Chromium: a clinician assesses a new patient, reviews and accepts
the plan and invites the patient; the patient joins from the invitation, practises in front of
the (fake) camera with the pose model running in the page, records pain and fills the diary;
the clinician then sees the new data. Screenshots of each main page go to docs/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.integration.test_sensor_cli import arm_raises

from spinecoach.adapters.passwords import Argon2Passwords
from spinecoach.bootstrap import Services, build, load_content
from spinecoach.config import Settings
from spinecoach.services.demo import seed_web_demo
from spinecoach.web.app import create_app

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AxeCheck = Callable[[Page], list[Any]]
PERSON_TIMEOUT_MS = 120_000  # WASM and model start-up on a 2-core CPU with software WebGL
PRACTICE_S = 40  # seconds in front of the camera: ~2 pose frames/s here, several arm raises


@pytest.fixture(scope="module")
def demo_clinic(
    serve_asgi: Callable[[Any], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Services]]:
    """The real app with the demo clinic on a fresh SQLite file; yields (base URL, services)."""
    folder = tmp_path_factory.mktemp("browser-clinic")
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'web.db'}")
    services = build(settings, passwords=Argon2Passwords.fast_for_tests())
    seed_web_demo(
        services.clinic, services.care, services.accounts, load_content(), services.clinic.now()
    )
    yield serve_asgi(create_app(settings, services=services)), services
    services.close()


def new_page(browser: Browser, width: int = 1280, height: int = 900) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.on("pageerror", lambda error: print(f"[browser pageerror] {error}"))
    page.on("console", lambda message: print(f"[browser {message.type}] {message.text}"))
    return context, page


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def accessible(page: Page, axe_check: AxeCheck) -> None:
    violations = axe_check(page)
    assert violations == [], f"{page.url}: {violations}"


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Account name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_clinician_and_patient_in_the_browser(
    demo_clinic: tuple[str, Services],
    chromium_browser: Browser,
    fake_camera_video: Path,
    axe_check: AxeCheck,
    tmp_path: Path,
) -> None:
    base, services = demo_clinic
    staff, page = new_page(chromium_browser)

    # -- the clinician: caseload, a new patient, assessment, plan, invitation ----------------
    sign_in(page, base, "dr.demo", "spinecoach-clinic")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    first_row = page.locator("#caseload tbody tr").first
    expect(first_row).to_contain_text("DEMO-003")
    expect(first_row).to_contain_text("cauda equina")
    accessible(page, axe_check)
    shoot(page, "clinician-caseload")

    page.goto(f"{base}/clinic/patients/DEMO-001")
    expect(page.locator("#chart-pain")).to_be_visible()
    accessible(page, axe_check)
    shoot(page, "clinician-overview")

    page.get_by_role("link", name="New patient").click()
    page.get_by_label("Pseudonym").fill("E2E-001")
    page.get_by_label("Age (years)").fill("44")
    page.get_by_label("Camera analysis on the patient's device").check()
    page.get_by_role("button", name="Register and assess").click()
    expect(page.get_by_role("heading", name="Assessment: E2E-001")).to_be_visible()
    page.locator("#q_nprs").fill("5")
    page.locator("#q_odi").fill("2,1,2,2,2,1,2,1,2,1")
    page.locator("#t_mcgill_flexor").fill("80")
    page.locator("#t_mcgill_extensor").fill("70")
    page.locator("#t_mcgill_side_left").fill("40")
    page.locator("#t_mcgill_side_right").fill("45")
    page.get_by_label("Pain duration (weeks)").fill("30")
    accessible(page, axe_check)
    shoot(page, "clinician-assessment")
    page.get_by_role("button", name="Save assessment and review the plan").click()

    expect(page.get_by_role("heading", name="Program: E2E-001")).to_be_visible()
    accept = page.locator("#decisions button").first
    accept.click()  # HTMX: the form is swapped for an "accepted" badge
    expect(page.locator("#decisions .badge.ok").first).to_be_visible()
    page.locator("#kind").select_option("prescribe")
    page.locator("#target").select_option("standing_arm_raise")
    page.get_by_label("Reason (required)").fill("Camera check of trunk control during arm raises")
    page.get_by_role("button", name="Save override").click()
    expect(page.locator("#decisions")).to_contain_text("Arm raise with a still trunk, standing")
    accessible(page, axe_check)
    shoot(page, "clinician-program")

    # An EMG recording of fast arm raises, uploaded to the assessment and recorded.
    page.goto(f"{base}/clinic/patients/E2E-001/assess")
    page.locator("#sensor-upload summary").click()
    page.locator("#recording").set_input_files(str(arm_raises(tmp_path / "arm-raises.edf")))
    page.get_by_label("Prime-mover channel").fill("Deltoid")
    page.get_by_role("button", name="Analyse the recording").click()
    expect(page.locator("#sensor-statements")).to_contain_text("2/10")
    expect(page.locator("#sensor-plot")).to_be_visible()
    accessible(page, axe_check)
    shoot(page, "clinician-sensor-recording")
    page.get_by_role("button", name="Record in E2E-001's assessment").click()
    expect(page.get_by_text("feed-forward absent").first).to_be_visible()

    page.goto(f"{base}/clinic/patients/E2E-001")
    page.get_by_role("button", name="Invite E2E-001 to the app").click()
    link = page.locator("#invite-link").input_value()
    assert re.fullmatch(rf"{re.escape(base)}/invite/[A-Za-z0-9_-]{{43}}", link)

    # -- the patient: join, today, practise with the camera, pain, diary --------------------
    home, patient = new_page(chromium_browser, 412, 915)  # a phone screen
    patient.goto(link)
    patient.get_by_label("Account name").fill("e2e.patient")
    patient.get_by_label("Password", exact=True).fill("practise-daily-1")
    patient.get_by_label("Password again").fill("practise-daily-1")
    patient.get_by_role("button", name="Create my account").click()
    expect(patient.get_by_role("heading", name=re.compile("^Today"))).to_be_visible()
    accessible(patient, axe_check)
    shoot(patient, "patient-today-phone")

    patient.get_by_role("link", name="Arm raise with a still trunk, standing").click()
    practice = patient.locator("#practice")
    expect(practice).to_have_attribute("data-camera", "true")
    accessible(patient, axe_check)
    patient.locator("#camera-start").click()
    expect(practice).to_have_attribute("data-person", "yes", timeout=PERSON_TIMEOUT_MS)
    patient.wait_for_timeout(PRACTICE_S * 1000)
    shoot(patient, "patient-practice-camera")
    frames = int(practice.get_attribute("data-person-frames") or 0)
    assert frames > 10, f"the pose model found the person in only {frames} frames"
    patient.locator("#camera-stop").click()
    form = patient.locator("#after-form")
    expect(form).to_be_visible(timeout=15_000)
    reps = int(form.locator("input[name=reps_done]").input_value() or 0)
    held = int(form.locator("input[name=hold_s_done]").input_value() or 0)
    assert reps + held > 0, "the analyzer counted no repetition and no hold time"
    assert form.locator("input[name=quality_source]").input_value() == "camera"
    form.locator("fieldset", has_text="Pain during").get_by_text("2", exact=True).click()
    form.locator("fieldset", has_text="How hard").get_by_text("4", exact=True).click()
    shoot(patient, "patient-after-exercise")
    form.get_by_role("button", name="Save and go back to today").click()
    expect(patient.locator("#routine li.done")).to_contain_text("Arm raise")

    patient.get_by_role("link", name="Diary").click()
    patient.locator("#diary-form fieldset", has_text="Pain today").get_by_text(
        "3", exact=True
    ).click()
    patient.get_by_label("What did you do today?").fill("walked to the shop and back")
    patient.get_by_role("button", name="Save the day").click()
    expect(patient.locator("table")).to_contain_text("walked to the shop and back")
    accessible(patient, axe_check)
    shoot(patient, "patient-diary-phone")

    patient.set_viewport_size({"width": 1280, "height": 900})
    patient.get_by_role("link", name="Progress").click()
    expect(patient.locator("#chart-pain")).to_be_visible()
    outcomes = patient.locator("#chart-outcomes")
    expect(outcomes).to_contain_text("a change most people notice")  # plain words for patients
    expect(outcomes).not_to_contain_text("MCID")
    accessible(patient, axe_check)
    shoot(patient, "patient-progress")
    home.close()

    # -- the clinician sees what the patient did ---------------------------------------------
    page.goto(f"{base}/clinic/patients/E2E-001")
    sessions = page.locator("#sessions")
    expect(sessions).to_contain_text("Arm raise with a still trunk, standing")
    expect(sessions).to_contain_text("camera")
    expect(page.locator("#diary")).to_contain_text("walked to the shop and back")
    shoot(page, "clinician-overview-after-practice")
    staff.close()

    clinician = services.accounts.sign_in(
        username="dr.demo", password="spinecoach-clinic", client="test"
    ).principal
    stored = services.care.course(clinician, "E2E-001").sessions
    logged = [e for s in stored for e in s.get("exercises", [])]
    arm = next(e for e in logged if e["exercise_id"] == "standing_arm_raise")
    assert arm["quality_source"] == "camera"
    assert arm["reps_done"] == reps
    assert arm["pain_during"] == 2
