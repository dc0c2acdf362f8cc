"""The live-practice page in a real browser, without the spinecoach app: camera → MediaPipe
Pose (WASM, in the page) → landmarks over a WebSocket → feedback on screen → Finish fills the
after-exercise form. A stand-in coach answers every frame, so a failure here is in the
browser side (practice.js, the partial, the pose files), never in the server's analysis.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from playwright.sync_api import Page, expect
from starlette.applications import Starlette
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

pytestmark = pytest.mark.browser

# The conftest fixture axe_check: serious and critical axe-core violations, as dicts.
AxeCheck = Callable[[Page], list[dict[str, Any]]]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WEB = PROJECT_ROOT / "src" / "spinecoach" / "web"
POSE_FILES = PROJECT_ROOT / "node_modules" / "@mediapipe" / "pose"
POSE_BASE = "/vendor/mediapipe-pose/"  # where the app serves them
EXERCISE = "hiding_face"  # the KERAAL exercise the fake camera shows
PERSON_TIMEOUT_MS = 90_000  # pose start-up (WASM + model) on a 2-core CPU with software WebGL
# The busy coach answers one message every 0.2 s: three frames a message would get through at
# most 15 frames/s of the page's 30.
SLOW_REPLY_S = 0.2
SUMMARY = {"type": "summary", "reps": 3, "hold_s": 12.4, "quality": 0.8, "faults": ["elbows drop"]}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Practice — browser test</title>
<style>
  .camera-stage {{ position: relative; width: 640px; }}
  .camera-stage video {{ display: block; width: 100%; }}
  .camera-stage canvas {{ position: absolute; inset: 0; width: 100%; height: 100%; color: #ff0; }}
  .camera-stage.mirrored > * {{ transform: scaleX(-1); }}
</style>
</head>
<body>
<main>
<h1>Hiding face</h1>
{partial}
<form id="after-form" hidden method="post" action="/after">
  <input type="hidden" name="reps_done">
  <input type="hidden" name="hold_s_done">
  <input type="hidden" name="quality">
  <input type="hidden" name="quality_source">
  <input type="hidden" name="faults">
  <label for="pain">Pain now, 0 to 10</label>
  <input id="pain" name="pain" type="number" min="0" max="10">
  <button type="submit">Save</button>
</form>
</main>
</body>
</html>
"""


FAKE_POSE_JS = """// Test double for @mediapipe/pose: a swaying stick figure, at once, per send.
window.Pose = class {
  constructor(config) { this.config = config; this.frames = 0; }
  setOptions(options) { this.options = options; }
  onResults(listener) { this.listener = listener; }
  async initialize() {}
  async send() {
    this.frames += 1;
    const sway = 0.05 * Math.sin(this.frames / 10);
    const poseLandmarks = Array.from({ length: 33 }, (_, i) => (
      { x: 0.5 + sway + (i % 2 ? 0.05 : -0.05), y: 0.1 + i / 40, z: -0.1, visibility: 0.9 }));
    await this.listener({ poseLandmarks });
  }
  async close() {}
};
"""
SPEECH_RECORDER = """window.spoken = [];
Object.defineProperty(window, 'speechSynthesis', {
  configurable: true,
  value: { speak: (utterance) => window.spoken.push(utterance.text), cancel: () => {} },
});"""


@dataclass
class Coach:
    """The stand-in for the server's analyzer: records what arrives and answers every message
    (unless told to stay silent or to hang up after a few frames), one message at a time and,
    when told, each only after ``reply_delay_s`` (a busy coach)."""

    answers: bool = True
    close_after: int | None = None
    reply_delay_s: float = 0.0
    messages: list[dict[str, Any]] = field(default_factory=list)
    frames: list[dict[str, Any]] = field(default_factory=list)
    ends: int = 0
    closed: threading.Event = field(default_factory=threading.Event)

    @property
    def person_frames(self) -> int:
        return sum(1 for frame in self.frames if frame.get("lm") is not None)

    def feedback(self, frame: dict[str, Any]) -> dict[str, Any]:
        """Made-up but well-formed numbers: a rep every 30 frames, a cue every 60."""
        n = len(self.frames)
        seen = frame.get("lm") is not None
        return {
            "type": "feedback",
            "reps": n // 30,
            "holds": 0,
            "hold_s": float(frame.get("t", 0.0)),
            "state": "moving" if seen else "no_person",
            "quality": 0.8 if seen else None,
            "cue": f"Cue {n // 60}" if seen else None,
            "setup": None if seen else "Step back so your whole body is in view.",
        }

    async def serve(self, websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                if message.get("type") == "end":
                    self.ends += 1
                    await websocket.send_text(json.dumps(SUMMARY))
                    continue
                self.messages.append(message)
                self.frames.extend(message.get("frames", [message]))
                if self.close_after is not None and len(self.frames) >= self.close_after:
                    await websocket.close(code=1011)
                    self.closed.set()
                    return
                if self.answers:
                    if self.reply_delay_s:
                        await asyncio.sleep(self.reply_delay_s)
                    await websocket.send_text(json.dumps(self.feedback(self.frames[-1])))
        except WebSocketDisconnect:
            self.closed.set()


@dataclass
class Site:
    url: str
    coaches: dict[str, Coach]


def _render(site_dir: Path, name: str, **context: Any) -> None:
    environment = Environment(
        loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape(["html"])
    )
    partial = environment.get_template("practice_camera.html").render(**context)
    (site_dir / name).write_text(PAGE.format(partial=partial), encoding="utf-8")


@pytest.fixture(scope="module")
def site(serve_asgi: Callable[[Any], str], tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Static pages rendered from the partial, the real pose files (and a fast stand-in for
    them), practice.js, and stand-in coaches at /ws/<coach>/<exercise>."""
    if not (POSE_FILES / "pose.js").is_file():
        pytest.skip("npm @mediapipe/pose is not installed (make setup runs npm ci)")
    site_dir = tmp_path_factory.mktemp("practice-site")
    (site_dir / "fake-pose").mkdir()
    (site_dir / "fake-pose" / "pose.js").write_text(FAKE_POSE_JS, encoding="utf-8")
    coaches = {
        "practice": Coach(),
        "fast": Coach(),
        "silent": Coach(answers=False),
        "slow": Coach(reply_delay_s=SLOW_REPLY_S),
        "hangup": Coach(close_after=5),
        "switch": Coach(),
    }
    common: dict[str, Any] = {
        "exercise_id": EXERCISE,
        "pose_base": POSE_BASE,
        "kind": "reps",
        "target_reps": 10,
        "target_hold_s": None,
        "camera_allowed": True,
    }
    _render(site_dir, "camera.html", **common, ws_url=f"/ws/practice/{EXERCISE}")
    _render(site_dir, "manual.html", **{**common, "camera_allowed": False}, ws_url="/ws/practice/x")
    _render(site_dir, "no-coach.html", **common, ws_url="/ws/nowhere")
    for name in ("fast", "silent", "slow", "hangup", "switch"):
        fake = {**common, "pose_base": "/fake-pose/"}
        _render(site_dir, f"{name}.html", **fake, ws_url=f"/ws/{name}/{EXERCISE}")

    async def endpoint(websocket: WebSocket) -> None:
        await coaches[websocket.path_params["coach"]].serve(websocket)

    app = Starlette(
        routes=[
            WebSocketRoute("/ws/{coach}/{exercise_id}", endpoint),
            Mount("/static/js", StaticFiles(directory=WEB / "static" / "js")),
            Mount(POSE_BASE.rstrip("/"), StaticFiles(directory=POSE_FILES)),
            Mount("/", StaticFiles(directory=site_dir)),
        ]
    )
    return Site(url=serve_asgi(app), coaches=coaches)


def _dataset(page: Page, key: str) -> str | None:
    value = page.evaluate(f"document.getElementById('practice').dataset.{key} ?? null")
    return None if value is None else str(value)


def _assert_accessible(page: Page, axe_check: AxeCheck) -> None:
    violations = axe_check(page)
    assert violations == [], json.dumps(violations, indent=2)


def _wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_camera_pose_socket_and_finish(
    chromium_page: Page,
    site: Site,
    fake_camera_video: Path,  # skips when the KERAAL recording is not here
    axe_check: AxeCheck,
) -> None:
    page = chromium_page
    coach = site.coaches["practice"]
    page.goto(f"{site.url}/camera.html")
    _assert_accessible(page, axe_check)

    started = time.monotonic()
    page.click("#camera-start")
    page.wait_for_function(
        "document.getElementById('practice').dataset.person === 'yes'", timeout=PERSON_TIMEOUT_MS
    )
    print(f"first person found {time.monotonic() - started:.1f} s after Start")
    page.wait_for_function(
        "Number(document.getElementById('practice').dataset.personFrames) > 10", timeout=60_000
    )

    # The landmarks reached the socket, in the agreed shape and nothing more.
    assert _wait_until(lambda: coach.person_frames > 10, 10), f"{coach.person_frames} frames"
    frames = list(coach.frames)
    print(f"{len(frames)} frames in {frames[-1]['t'] - frames[0]['t']:.1f} s")
    message = coach.messages[-1]  # three frames to a message, with the camera's shape
    assert set(message) == {"aspect", "mirrored", "frames"}
    assert len(message["frames"]) == 3
    assert message["mirrored"] is True
    assert message["aspect"] == pytest.approx(640 / 360, abs=0.01)
    sample = [frame for frame in frames if frame["lm"] is not None][-1]
    assert set(sample) == {"t", "lm"}
    assert len(sample["lm"]) == 33
    assert all(len(point) == 4 for point in sample["lm"])
    nose, shoulders = sample["lm"][0], sample["lm"][11:13]
    assert all(0.0 < x < 1.0 and 0.0 < y < 1.0 for x, y, _z, _v in shoulders)
    assert all(nose[1] < y for _x, y, _z, _v in shoulders)  # an upright person, head up
    times = [float(frame["t"]) for frame in frames]
    assert times[0] >= 0.0
    assert times == sorted(times)

    # Feedback made it to the screen.
    expect(page.locator("#cue")).to_have_text(re.compile(r"^Cue \d+$"))
    expect(page.locator("#hold")).to_have_text(re.compile(r"^\d+\.\d$"))
    expect(page.locator("#reps")).to_have_text(re.compile(r"^\d+$"))
    assert page.locator("#overlay").evaluate("c => c.width") == 640

    page.click("#camera-stop")
    form = page.locator("#after-form")
    expect(form).to_be_visible(timeout=10_000)
    assert page.input_value("input[name=reps_done]") == "3"
    assert page.input_value("input[name=hold_s_done]") == "12"
    assert page.input_value("input[name=quality]") == "0.80"
    assert page.input_value("input[name=quality_source]") == "camera"
    assert page.input_value("input[name=faults]") == "elbows drop"
    expect(page.locator("#summary")).to_contain_text("3 of 10 repetitions")
    expect(page.locator("#summary")).to_contain_text("elbows drop")
    expect(page.locator("#pain")).to_be_focused()
    assert coach.ends == 1
    assert coach.closed.wait(5), "the page did not close its socket after Finish"
    assert page.evaluate("document.getElementById('camera').srcObject === null")
    _assert_accessible(page, axe_check)


def test_manual_timer_when_the_camera_is_off(
    chromium_page: Page, site: Site, axe_check: AxeCheck
) -> None:
    page = chromium_page
    page.goto(f"{site.url}/manual.html")
    expect(page.locator("#camera-controls")).to_be_hidden()
    expect(page.locator(".camera-stage")).to_be_hidden()
    expect(page.locator("#camera-note")).to_contain_text("camera is switched off")
    _assert_accessible(page, axe_check)

    page.click("#timer-start")
    expect(page.locator("#timer")).to_have_text("0:01", timeout=5_000)
    page.click("#timer-stop")
    expect(page.locator("#after-form")).to_be_visible()
    assert int(page.input_value("input[name=hold_s_done]")) >= 1
    assert page.input_value("input[name=quality_source]") == "patient"
    assert page.input_value("input[name=quality]") == ""
    expect(page.locator("#pain")).to_be_focused()


def test_refused_camera_is_explained_and_offers_the_timer(chromium_page: Page, site: Site) -> None:
    page = chromium_page
    page.add_init_script(
        """navigator.mediaDevices.getUserMedia = () =>
             Promise.reject(new DOMException('denied', 'NotAllowedError'));"""
    )
    page.goto(f"{site.url}/camera.html")
    page.click("#camera-start")
    expect(page.locator("#setup")).to_contain_text("camera was not allowed")
    expect(page.locator("#manual")).to_be_visible()
    expect(page.locator("#camera-start")).to_be_enabled()
    assert _dataset(page, "person") == "no"


def test_unreachable_coach_is_explained(chromium_page: Page, site: Site) -> None:
    page = chromium_page
    page.goto(f"{site.url}/no-coach.html")
    page.click("#camera-start")
    expect(page.locator("#setup")).to_contain_text("live coach could not be reached")
    expect(page.locator("#manual")).to_be_visible()
    assert page.evaluate("document.getElementById('camera').srcObject === null")


def test_frames_are_throttled_and_cues_spoken_once(chromium_page: Page, site: Site) -> None:
    page = chromium_page
    coach = site.coaches["fast"]
    page.add_init_script(SPEECH_RECORDER)
    page.goto(f"{site.url}/fast.html")
    page.check("#speak")
    page.click("#camera-start")
    page.wait_for_function("Number(document.getElementById('practice').dataset.framesSent) > 0")
    time.sleep(3)
    frames = list(coach.frames)
    times = [float(frame["t"]) for frame in frames]
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert 10 <= rate <= 30.5, f"{rate:.1f} frames per second"
    spoken = page.evaluate("window.spoken")
    assert spoken[:2] == ["Cue 0", "Cue 1"]
    assert all(a != b for a, b in itertools.pairwise(spoken)), spoken


def test_a_silent_coach_gets_no_backlog(chromium_page: Page, site: Site) -> None:
    page = chromium_page
    page.goto(f"{site.url}/silent.html")
    started = time.monotonic()
    page.click("#camera-start")
    page.wait_for_function("Number(document.getElementById('practice').dataset.framesDropped) > 60")
    elapsed = time.monotonic() - started
    sent = int(_dataset(page, "framesSent") or 0)
    # Two messages of at most six frames in flight, each forgotten after 1.5 s: a bounded
    # trickle, not a queue.
    assert 6 <= sent <= 12 * (elapsed / 1.5 + 1)
    assert all(len(message["frames"]) <= 6 for message in site.coaches["silent"].messages)


def test_a_busy_coach_gets_bigger_messages_instead_of_losing_frames(
    chromium_page: Page, site: Site
) -> None:
    page = chromium_page
    coach = site.coaches["slow"]
    page.goto(f"{site.url}/slow.html")
    page.click("#camera-start")
    page.wait_for_function("Number(document.getElementById('practice').dataset.framesSent) > 0")
    time.sleep(4)
    messages = list(coach.messages)
    sizes = [len(message["frames"]) for message in messages]
    times = [float(frame["t"]) for message in messages for frame in message["frames"]]
    assert all(a < b for a, b in itertools.pairwise(times)), "frames out of order"
    assert max(sizes) > 3, sizes
    assert max(sizes) <= 6, sizes
    # Fixed messages of three would get through at most 3 / SLOW_REPLY_S frames a second.
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate > 1.2 * 3 / SLOW_REPLY_S, f"{rate:.1f} frames/s in messages of {sizes}"


def test_a_lost_connection_is_explained_and_finish_still_works(
    chromium_page: Page, site: Site
) -> None:
    page = chromium_page
    page.add_init_script(SPEECH_RECORDER)
    page.goto(f"{site.url}/hangup.html")
    page.click("#camera-start")
    expect(page.locator("#setup")).to_contain_text("connection to the live coach was lost")
    page.click("#camera-stop")
    expect(page.locator("#after-form")).to_be_visible()
    assert page.input_value("input[name=quality_source]") == "camera"
    assert page.input_value("input[name=reps_done]") == "0"
    expect(page.locator("#summary")).to_contain_text("did not answer at the end")
    assert page.evaluate("window.spoken") == []  # the speak box was never ticked


def test_switching_to_the_timer_releases_camera_and_socket(chromium_page: Page, site: Site) -> None:
    page = chromium_page
    page.goto(f"{site.url}/switch.html")
    page.click("#camera-start")
    page.wait_for_function("Number(document.getElementById('practice').dataset.framesSent) > 3")
    page.click("#manual-start")
    expect(page.locator("#manual")).to_be_visible()
    expect(page.locator("#setup")).to_have_text(re.compile(r"^The camera is off\."))
    expect(page.locator("#timer-start")).to_be_focused()
    assert site.coaches["switch"].closed.wait(5), "the socket stayed open"
    assert page.evaluate("document.getElementById('camera').srcObject === null")
