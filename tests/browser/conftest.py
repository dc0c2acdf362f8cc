"""Browser tests: Debian's Chromium driven by Playwright, a real recording as its webcam, the
app served by uvicorn on loopback, and axe-core for accessibility.

The fixtures are named ``chromium_browser`` and ``chromium_page`` (not ``browser``/``page``) so
they never clash with pytest-playwright should someone install it. Playwright's own browser
download is never used: CI and developers install Chromium from Debian (``apt-get install -y
chromium``), which keeps the test machine offline apart from the package registries.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypedDict, cast

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from tests.browser.fake_camera import video_to_y4m

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
# A seated person raising both arms round the head, whole upper body in view, 10 s at 20 fps.
CAMERA_SOURCE = SHARED_DATA / "keraal/VideosAnon/cacheTete/sub01_trial01/VideoColor_Correct0.avi"
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",  # containers and CI runners run as root, where the sandbox cannot start
    "--disable-gpu",  # WebGL still works: Chromium falls back to SwiftShader on the CPU
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",  # grant the camera without a permission prompt
    "--use-fake-device-for-media-stream",
]
SERVER_START_TIMEOUT_S = 30.0


class AxeViolation(TypedDict):
    """One serious or critical axe-core finding: rule id, impact, what to fix, CSS targets."""

    id: str
    impact: str
    help: str
    nodes: list[str]


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker here too, so this folder runs even before pyproject lists it."""
    config.addinivalue_line("markers", "browser: needs Chromium; runs in a real headless browser")


def in_ci() -> bool:
    """CI sets ``CI=true``; there a missing browser is a broken pipeline, not a reason to skip."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip on a developer's machine, fail in CI, when a prerequisite is missing."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


# --- servers -------------------------------------------------------------------------------


class _ServerThread:
    """An ASGI app served by uvicorn on a loopback port in a daemon thread."""

    def __init__(self, app: Any) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Binding here (port 0) and handing the socket over avoids a race for a "free" port.
        self._socket.bind(("127.0.0.1", 0))
        port = int(self._socket.getsockname()[1])
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="auto",
            timeout_graceful_shutdown=3,
        )
        self.server = uvicorn.Server(config)
        self.url = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not self.server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the test server at {self.url} stopped while starting")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test server at {self.url} did not start in time")
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", int(self.url.rsplit(":", 1)[1])), 5):
            pass  # it accepts connections
        return self.url

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


@pytest.fixture(scope="session")
def serve_asgi() -> Iterator[Callable[[Any], str]]:
    """Serve any ASGI app on loopback for the rest of the session: ``url = serve_asgi(app)``."""
    servers: list[_ServerThread] = []

    def serve(app: Any) -> str:
        server = _ServerThread(app)
        servers.append(server)
        return server.start()

    yield serve
    for server in reversed(servers):
        server.stop()


@pytest.fixture(scope="session")
def live_server(serve_asgi: Callable[[Any], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The real spinecoach web app on a fresh SQLite file; yields its base URL."""
    from spinecoach.config import Settings
    from spinecoach.web.app import create_app

    data_dir = tmp_path_factory.mktemp("live-server")
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'web.db'}")
    return serve_asgi(create_app(settings))


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _camera_file(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The KERAAL recording as a Y4M file, or None (Chromium then shows its test pattern)."""
    if not CAMERA_SOURCE.is_file():
        return None
    target = tmp_path_factory.mktemp("fake-camera") / "keraal-cacheTete-correct0.y4m"
    video_to_y4m(CAMERA_SOURCE, target)
    return target


@pytest.fixture(scope="session")
def fake_camera_video(_camera_file: Path | None) -> Path:
    """The Y4M file Chromium plays as the webcam: a real person exercising (skips without it)."""
    if _camera_file is None:
        pytest.skip(f"../shared/data (KERAAL videos) is not here: {CAMERA_SOURCE} is missing")
    return _camera_file


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium_browser(_playwright: Playwright, _camera_file: Path | None) -> Iterator[Browser]:
    """Debian's headless Chromium with a fake webcam (the KERAAL recording when present)."""
    require(
        CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
        f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`",
    )
    args = list(CHROMIUM_ARGS)
    if _camera_file is not None:
        args.append(f"--use-file-for-fake-video-capture={_camera_file}")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    yield browser
    browser.close()


@pytest.fixture
def chromium_page(chromium_browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context (no shared cookies or storage) at 1280×800.

    The page's console messages, uncaught errors and failed requests are printed, so pytest
    shows them when a test fails.
    """
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()

    def show_console(message: ConsoleMessage) -> None:
        print(f"[browser {message.type}] {message.text}")

    page.on("console", show_console)

    def show_http_error(response: Response) -> None:
        if response.status >= 400:
            print(f"[browser http {response.status}] {response.url}")

    page.on("pageerror", lambda error: print(f"[browser pageerror] {error}"))
    page.on("response", show_http_error)
    yield page
    context.close()


# --- accessibility -------------------------------------------------------------------------

_AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
}"""


def axe_violations(page: Page) -> list[AxeViolation]:
    """Serious and critical axe-core violations of the page as it is now.

    The script is evaluated through the DevTools protocol rather than added as a <script>
    tag, so a strict Content-Security-Policy on the app cannot block the check.
    """
    require(
        AXE_JS.is_file(),
        f"{AXE_JS} is missing: axe-core comes from package.json (npm ci / make setup)",
    )
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return cast(list[AxeViolation], page.evaluate(_AXE_RUN))


@pytest.fixture
def axe_check() -> Callable[[Page], list[AxeViolation]]:
    """``axe_check(page)``: the page's serious and critical accessibility violations."""
    return axe_violations
