"""Benchmark the web app: live frames, concurrent live-feedback sockets and page latency.

Run: ``.venv/bin/python benchmarks/bench_web.py [--quick] [--postgres URL] [--think S]``
(``--help`` lists the sizes; a full run takes 5-7 minutes, ``--quick`` about 1.5).

Prints, in one run:
1. server time per live message: ``orjson.loads`` of the browser's text, ``LivePractice.feed`` and
   ``orjson.dumps`` of the reply (what ``/ws/practice/{id}`` does per message, socket aside), on
   KERAAL BlazePose recordings (``../shared/data/keraal``) turned back into the browser's
   messages at 30 Hz, three frames to a message as practice.js sends them and, as the
   baseline in the same run, one (``{"t", "aspect", "mirrored", "lm"}``), or on synthetic
   33-landmark frames when the shared data is absent. Target: p99 < 5 ms.
2. concurrent WebSocket sessions against the real app under uvicorn (its own process, one
   worker, a temporary SQLite database seeded with the web demo): N signed-in patient
   sessions each send 30 frames/s paced in real time, as practice.js does (three frames to a
   message; while 2 are unanswered the frames wait and go together, up to 6, the oldest
   dropped beyond that; ``--fixed-batches``: dropped at once); achieved frames/s,
   reply latency seen by the clients and the server process's CPU (/proc). Target: 100
   sessions at 30 fps on one core. Diagnostics in the same run: one frame a message (the
   baseline), the app without permessage-deflate, and an echo server on the same stack
   without analysis (the socket's own cost per frame).
3. HTTP latency of the main pages under load: C signed-in users (keep-alive, closed loop)
   over the patient and clinician pages, with a one-user baseline in the same run; on SQLite
   and, with ``--postgres`` (or SPINECOACH_BENCH_POSTGRES_URL), on a fresh PostgreSQL
   database dropped afterwards. Target: p95 < 100 ms at C = 200. When it is missed, the
   slowest page is profiled in-process with cProfile.
4. a clinician's caseload of ``--caseload`` (100) more patients, each with six weeks of
   simulated practice: ``CareService.caseload`` (what /clinic calls) in-process, against the
   same patients read one at a time, on SQLite and PostgreSQL.
The load generator runs on the same machine as the server: on a small machine its CPU use
competes with the server's (both are printed).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import json
import multiprocessing
import os
import pstats
import random
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar
from unittest.mock import patch

import anyio.to_thread
import httpx
import numpy as np
import orjson
from fastapi import FastAPI, WebSocket, WebSocketDisconnect  # here: FastAPI reads annotations
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import event
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from spinecoach.adapters.passwords import Argon2Passwords
from spinecoach.adapters.sensors.keraal import KERAAL_ASPECT_RATIO, VIDEO_RATE_HZ
from spinecoach.analysis.feedback import frame_from_blazepose
from spinecoach.analysis.simulate import repetition_course, simulate_motion
from spinecoach.analysis.skeleton import BLAZEPOSE_NAMES
from spinecoach.bootstrap import (
    Services,
    build,
    load_analyzer_specs,
    load_content,
    read_recording,
)
from spinecoach.config import Settings
from spinecoach.domain.accounts import Principal
from spinecoach.domain.engine.simulator import ARCHETYPES, Script, simulate_patient
from spinecoach.services.demo import (
    DEMO_ADMIN,
    DEMO_CLINICIAN,
    FLARE_PATIENT,
    HISTORY_WEEKS,
    _diary_days,
    _flare_patient,
    _session_json,
    seed_web_demo,
)
from spinecoach.services.live import LivePractice, live_spec
from spinecoach.services.schemas import AssessmentIn

T = TypeVar("T")

KERAAL = Path(__file__).resolve().parents[2] / "shared/data/keraal/Skeleton_Blazepose"
KERAAL_EXERCISES = {
    "cacheTete": "hiding_face",
    "etirementLateraux": "flank_stretch",
    "rotationTronc": "trunk_rotation",
}
SYNTHETIC_EXERCISE = "standing_arm_raise"
SYNTHETIC_ASPECT = 16 / 9  # a 1280 x 720 webcam
RATE_HZ = 30.0  # the browser sends at most 30 frames/s (practice.js MAX_RATE_HZ)
FRAMES_PER_MESSAGE = 3  # practice.js: frames sent together, one message every 100 ms
MAX_IN_FLIGHT = 2  # practice.js: messages unanswered before frames wait or are dropped
MAX_FRAMES_PER_MESSAGE = 6  # practice.js: frames that wait go together, up to this many
REPLY_TIMEOUT_S = 1.5  # practice.js: an unanswered message is forgotten after this long

# Demo logins (services/demo.py). Live sessions use the patients with camera consent.
CAMERA_PATIENTS = (
    ("patient.improving", "spinecoach-patient"),
    ("patient.flare", "spinecoach-patient"),
)
CAMERA_PSEUDONYMS = ("DEMO-001", "DEMO-004")
# Every socket streams as this exercise (prescribed at seeding); its frames come from the
# recordings above, so the analysis does comparable work per frame.
SOCKET_EXERCISE = "standing_arm_raise"
PATIENTS = (*CAMERA_PATIENTS, ("patient.fearful", "spinecoach-patient"))
CLINICIAN = ("dr.demo", "spinecoach-clinic")
PATIENT_PAGES = ("/today", "/diary", "/progress")
CLINICIAN_PAGES = ("/clinic", "/clinic/patients/DEMO-001")
CLINICIAN_SHARE = 0.25  # of the HTTP users; the rest are patients

FRAME_TARGET_MS = 5.0
SESSIONS_TARGET = 100
HTTP_TARGET_MS = 100.0
HTTP_TARGET_USERS = 200
CASELOAD_PATIENTS = 100  # "caseloads of dozens to hundreds" (the brief)
CASELOAD_REPEATS = 5
# Sign-ins are set-up, one at a time: concurrent sign-ins on SQLite fail with "database is
# locked" (HTTP 500; see the report's notes), which is not what parts 2 and 3 measure.
SIGN_IN_CONCURRENCY = 1
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b")


# -- landmark frames as the browser sends them -------------------------------------------------


@dataclass(frozen=True)
class Recording:
    """One exercise's frames at 30 Hz: 33 rows of [x, y, z, visibility], rounded as
    practice.js rounds them, and the image's aspect ratio and mirroring."""

    exercise: str
    rows: list[list[list[float]]]
    aspect: float
    mirrored: bool

    def message(self, index: int, time_s: float) -> str:
        """The browser's text for frame ``index`` (wrapping round) at ``time_s``."""
        return json.dumps(
            {
                "t": round(time_s, 3),
                "aspect": self.aspect,
                "mirrored": self.mirrored,
                "lm": self.rows[index % len(self.rows)],
            },
            separators=(",", ":"),
        )

    def batch(self, index: int, first: int, size: int) -> str:
        """The browser's text for ``size`` frames from frame ``index`` (wrapping round), the
        first at ``first / 30`` s (practice.js's message of several frames)."""
        frames = [
            {"t": round((first + k) / RATE_HZ, 3), "lm": self.rows[(index + k) % len(self.rows)]}
            for k in range(size)
        ]
        return json.dumps(
            {"aspect": self.aspect, "mirrored": self.mirrored, "frames": frames},
            separators=(",", ":"),
        )

    def frame_texts(self, start: int, count: int) -> FrameTexts:
        """``count`` consecutive frames from frame ``start`` (t from 0 at 30 Hz), each as its
        part of a message, for a sender that decides how many go together."""
        texts = [
            json.dumps(
                {"t": round(k / RATE_HZ, 3), "lm": self.rows[(start + k) % len(self.rows)]},
                separators=(",", ":"),
            )
            for k in range(count)
        ]
        prefix = json.dumps(
            {"aspect": self.aspect, "mirrored": self.mirrored}, separators=(",", ":")
        )
        return FrameTexts(prefix[:-1] + ',"frames":[', texts)

    def stream(self, start: int, count: int, per_message: int = 1) -> list[str]:
        """Messages of ``per_message`` frames for ``count`` consecutive frames from frame
        ``start``, t from 0 at 30 Hz (one frame a message: the single-frame form)."""
        if per_message == 1:
            return [self.message(start + k, k / RATE_HZ) for k in range(count)]
        return [self.batch(start + k, k, per_message) for k in range(0, count, per_message)]


@dataclass(frozen=True)
class FrameTexts:
    """A session's frames as message parts: ``message(a, b)`` is practice.js's text for frames
    a to b - 1."""

    prefix: str
    frames: list[str]

    def message(self, first: int, last: int) -> str:
        return self.prefix + ",".join(self.frames[first:last]) + "]}"


def as_rows(raw: np.ndarray) -> list[list[list[float]]]:
    """(frames, 33, 4) -> nested lists rounded like practice.js (5 decimals, visibility 4)."""
    xyz = np.round(raw[..., :3], 5)
    visibility = np.round(raw[..., 3:], 4)
    rows: list[list[list[float]]] = np.concatenate([xyz, visibility], axis=-1).tolist()
    return rows


def raw_blazepose(path: Path) -> np.ndarray:
    """(frames, 33, 4) raw landmarks of a KERAAL file: the file's x, y, z by landmark name,
    visibility 1 (the files carry none; MediaPipe gives ~0.99 for a well-seen body)."""
    data = json.loads(path.read_text())["positions"]
    keys = sorted(data, key=float)
    raw = np.full((len(keys), 33, 4), np.nan)
    for row, key in enumerate(keys):
        for name, point in data[key].items():
            raw[row, BLAZEPOSE_NAMES.index(name.lower()), :3] = point[:3]
    raw[..., 3] = np.where(np.isfinite(raw[..., 0]), 1.0, 0.0)
    return raw


def resample(raw: np.ndarray, rate_in: float, rate_out: float) -> np.ndarray:
    """Linear interpolation in time, frames (n, 33, 4) at ``rate_in`` -> ``rate_out``; a point
    missing in the file stays in the message with visibility 0, as MediaPipe sends it."""
    source = np.arange(raw.shape[0]) / rate_in
    target = np.arange(0.0, source[-1], 1.0 / rate_out)
    flat = raw.reshape(raw.shape[0], -1)
    out = np.empty((target.size, flat.shape[1]))
    for column in range(flat.shape[1]):
        values = flat[:, column]
        finite = np.isfinite(values)
        out[:, column] = np.interp(target, source[finite], values[finite]) if finite.any() else 0
    return out.reshape(target.size, 33, 4)


def check_message_shape(path: Path, raw: np.ndarray) -> None:
    """The live conversion of the raw frames gives the file reader's points: the messages
    carry what the browser would (x, y, z as MediaPipe gives them, mirrored preview)."""
    series = read_recording(path, format="blazepose-json")
    for i in (0, raw.shape[0] // 2, raw.shape[0] - 1):
        frame = frame_from_blazepose(
            raw[i], time_s=i / VIDEO_RATE_HZ, aspect_ratio=KERAAL_ASPECT_RATIO, mirrored=True
        )
        if not np.allclose(frame.positions, series.positions[i], equal_nan=True):
            raise SystemExit(f"{path}: frame {i} differs from the reader's; message shape wrong")


def keraal_recordings() -> list[Recording] | None:
    """Each KERAAL exercise's recordings one after another, resampled from 20 to 30 Hz."""
    if not KERAAL.is_dir():
        return None
    recordings = []
    for folder, exercise in KERAAL_EXERCISES.items():
        parts = []
        for path in sorted((KERAAL / folder).glob("*/*.txt")):
            raw = raw_blazepose(path)
            check_message_shape(path, raw)
            parts.append(resample(raw, VIDEO_RATE_HZ, RATE_HZ))
        if parts:
            rows = as_rows(np.concatenate(parts))
            recordings.append(Recording(exercise, rows, round(KERAAL_ASPECT_RATIO, 4), True))
    return recordings or None


def synthetic_recording(seconds: float = 120.0) -> Recording:
    """Arm raises of a simulated standing adult, seen by a 16:9 webcam 2 m high, projected into
    BlazePose's 33 normalised landmarks (face and hand points placed about the head and
    wrists), with 3 mm noise and visibilities 0.9-1.0."""
    series = simulate_motion(
        duration_s=seconds,
        rate_hz=RATE_HZ,
        arm_elevation_left_deg=lambda t: repetition_course(t, amplitude=150.0, reps=10**6),
        arm_elevation_right_deg=lambda t: repetition_course(t, amplitude=150.0, reps=10**6),
        trunk_frontal_deg=lambda t: repetition_course(t, amplitude=5.0, reps=10**6),
        noise_m=0.003,
    )

    def at(name: str) -> np.ndarray:
        return series.positions[:, series.names.index(name)]

    head, nose = at("head"), at("nose")
    offsets: dict[str, tuple[np.ndarray, tuple[float, float, float]]] = {
        "nose": (nose, (0.0, 0.0, 0.0)),
        "left_eye_inner": (head, (0.015, 0.03, 0.08)),
        "left_eye": (head, (0.03, 0.03, 0.075)),
        "left_eye_outer": (head, (0.045, 0.03, 0.07)),
        "right_eye_inner": (head, (-0.015, 0.03, 0.08)),
        "right_eye": (head, (-0.03, 0.03, 0.075)),
        "right_eye_outer": (head, (-0.045, 0.03, 0.07)),
        "left_ear": (head, (0.07, 0.0, 0.0)),
        "right_ear": (head, (-0.07, 0.0, 0.0)),
        "mouth_left": (nose, (0.025, -0.04, -0.01)),
        "mouth_right": (nose, (-0.025, -0.04, -0.01)),
    }
    for side in ("left", "right"):
        for joint in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel"):
            offsets[f"{side}_{joint}"] = (at(f"{side}_{joint}"), (0.0, 0.0, 0.0))
        offsets[f"{side}_foot_index"] = (at(f"{side}_foot"), (0.0, 0.0, 0.0))
        sign = 1.0 if side == "left" else -1.0
        wrist, elbow = at(f"{side}_wrist"), at(f"{side}_elbow")
        hand = wrist + 0.3 * (wrist - elbow)
        offsets[f"{side}_pinky"] = (hand, (sign * 0.02, 0.0, 0.0))
        offsets[f"{side}_index"] = (hand, (-sign * 0.01, 0.0, 0.01))
        offsets[f"{side}_thumb"] = (hand, (-sign * 0.02, 0.0, 0.02))
    metres = np.stack([base + np.array(shift) for base, shift in offsets.values()], axis=1)
    order = [list(offsets).index(name) for name in BLAZEPOSE_NAMES]
    metres = metres[:, order]
    raw = np.empty((series.frames, 33, 4))
    raw[..., 0] = 0.5 + metres[..., 0] / 2.0 / SYNTHETIC_ASPECT  # subject's left: image right
    raw[..., 1] = 1.0 - metres[..., 1] / 2.0  # the frame shows 2 m, y down
    raw[..., 2] = -metres[..., 2] / 2.0 / SYNTHETIC_ASPECT  # smaller is nearer
    raw[..., 3] = np.random.default_rng(1).uniform(0.9, 1.0, raw.shape[:2])
    return Recording(SYNTHETIC_EXERCISE, as_rows(raw), round(SYNTHETIC_ASPECT, 4), False)


# -- 1. server time per live frame -------------------------------------------------------------


@dataclass
class FrameTimes:
    per_message: int = 1
    loads: list[float] = field(default_factory=list)
    feed: list[float] = field(default_factory=list)
    dumps: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    replies: dict[str, int] = field(default_factory=dict)
    repetitions: dict[str, int] = field(default_factory=dict)


def bench_frames(
    recordings: Sequence[Recording], frames: int, per_message: int = 1, warmup: int = 300
) -> FrameTimes:
    """What the socket handler does per message of ``per_message`` frames, per exercise in one
    LivePractice each: the text is made before the clock starts (it arrives from the network)."""
    times = FrameTimes(per_message=per_message)
    clock = time.perf_counter
    library, analyzers = load_content(), load_analyzer_specs()
    per_exercise = frames // len(recordings)
    for recording in recordings:
        spec = live_spec(recording.exercise, library=library, analyzers=analyzers)
        if spec is None:
            raise SystemExit(f"{recording.exercise}: no live analyzer")
        warm = LivePractice(spec, library)
        for text in recording.stream(0, warmup, per_message):
            warm.feed(json.loads(text))
        practice = LivePractice(spec, library)
        reply: dict[str, Any] = {}
        for text in recording.stream(0, per_exercise, per_message):
            started = clock()
            message = orjson.loads(text)
            parsed = clock()
            reply = practice.feed(message)
            fed = clock()
            orjson.dumps(reply).decode()
            done = clock()
            times.loads.append(parsed - started)
            times.feed.append(fed - parsed)
            times.dumps.append(done - fed)
            times.total.append(done - started)
            kind = str(reply.get("type"))
            times.replies[kind] = times.replies.get(kind, 0) + 1
        times.repetitions[recording.exercise] = int(reply.get("reps", 0)) + int(
            reply.get("holds", 0)
        )
    return times


# -- the server in its own process --------------------------------------------------------------


def serve(database_url: str, folder: str, port: int, log: str) -> None:
    """Child process: the app as ``spinecoach serve`` runs it (uvicorn, one worker, same
    options), over services with test-strength Argon2id (the same code path); its output
    goes to ``log`` (tracebacks are counted afterwards, not printed among the tables)."""
    import uvicorn

    from spinecoach.web.app import create_app

    output = open(log, "w", buffering=1)  # noqa: SIM115  (the process's whole life)
    os.dup2(output.fileno(), 1)
    os.dup2(output.fileno(), 2)
    sys.stdout = sys.stderr = output

    services = make_services(database_url, Path(folder))
    app = create_app(services.settings, services=services)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False)


def serve_floor(_database_url: str, _folder: str, port: int, log: str) -> None:
    """Child process: the same uvicorn and FastAPI socket stack and the same JSON in and out
    as /ws/practice, but a fixed reply instead of the analysis (and no sign-in): what the
    socket costs the server before any analysis."""
    import uvicorn

    output = open(log, "w", buffering=1)  # noqa: SIM115  (the process's whole life)
    os.dup2(output.fileno(), 1)
    os.dup2(output.fileno(), 2)
    app = FastAPI()
    reply = {
        "type": "feedback",
        "reps": 3,
        "holds": 0,
        "hold_s": 0.0,
        "state": "moving",
        "quality": 0.8,
        "cue": None,
        "setup": None,
    }

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.websocket("/ws/practice/{exercise_id}")
    async def practice_socket(websocket: WebSocket) -> None:
        await websocket.accept()
        frames = 0
        try:
            while True:
                message = json.loads(await websocket.receive_text())
                if message.get("type") == "end":
                    await websocket.send_json({"type": "summary", "frames": frames})
                    await websocket.close()
                    return
                frames += len(message.get("frames") or [0])
                await websocket.send_json(reply)
        except WebSocketDisconnect:
            return

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False)


def make_services(database_url: str, folder: Path) -> Services:
    settings = Settings(data_dir=folder, database_url=database_url)
    return build(settings, passwords=Argon2Passwords.fast_for_tests())


def seed(database_url: str, folder: Path) -> None:
    """Migrate and seed the web demo clinic (clinician, admin, three patient logins)."""
    services = make_services(database_url, folder)
    try:
        seed_web_demo(
            services.clinic,
            services.care,
            services.accounts,
            load_content(),
            services.clinic.now(),
        )
        # The socket streams only for an exercise in the patient's routine: the clinician
        # prescribes the camera-judged arm raise, as in the browser test.
        staff = services.accounts.sign_in(
            username=CLINICIAN[0], password=CLINICIAN[1], client="bench"
        ).principal
        for pseudonym in CAMERA_PSEUDONYMS:
            services.care.override(
                staff,
                pseudonym,
                {"kind": "prescribe", "target": SOCKET_EXERCISE, "reason": "benchmark"},
            )
    finally:
        services.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """The app under uvicorn in a child process, on a free loopback port."""

    def __init__(self, database_url: str | None, folder: Path) -> None:
        """The app over ``database_url``, or with None the no-analysis echo server."""
        self.port = free_port()
        self.log = folder / f"server-{self.port}.log"
        context = multiprocessing.get_context("spawn")
        self.process = context.Process(
            target=serve if database_url else serve_floor,
            args=(database_url or "", str(folder), self.port, str(self.log)),
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 60.0) -> None:
        self.process.start()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.process.is_alive():
                raise SystemExit(f"server exited with code {self.process.exitcode}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"server did not answer /healthz within {timeout_s:.0f} s")

    def cpu_seconds(self) -> float:
        """utime + stime of the server process, all its threads (/proc/<pid>/stat)."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def errors(self) -> Counter[str]:
        """The exceptions the server logged so far: last line of each traceback, counted."""
        if not self.log.exists():
            return Counter()
        return Counter(
            line[:160] for line in self.log.read_text().splitlines() if EXCEPTION_LINE.match(line)
        )

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(15)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


@contextmanager
def running(database_url: str | None, folder: Path) -> Iterator[Server]:
    server = Server(database_url, folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def machine_cpu_seconds() -> float:
    """CPU time all processes of the machine have used (/proc/stat: all but idle and iowait)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop when present (the load generator's own CPU use matters here)."""
    try:
        import uvloop

        factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
    except ImportError:
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(coroutine)


async def sign_in(client: httpx.AsyncClient, login: tuple[str, str]) -> str:
    """Sign in through the real form (CSRF double-submit cookie); the session token."""
    page = await client.get("/login")
    found = CSRF.search(page.text)
    if found is None:
        raise SystemExit("the login page has no CSRF field")
    response = await client.post(
        "/login",
        data={"username": login[0], "password": login[1], "csrf_token": found.group(1)},
        follow_redirects=False,
    )
    if response.status_code != 303:
        raise SystemExit(f"sign-in of {login[0]} refused: HTTP {response.status_code}")
    return str(client.cookies["sc_session"])


async def gather_limited(jobs: Sequence[Callable[[], Awaitable[T]]], limit: int) -> list[T]:
    gate = asyncio.Semaphore(limit)

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(one(job) for job in jobs)))


async def session_tokens(base_url: str, logins: Sequence[tuple[str, str]]) -> list[str]:
    async def one(login: tuple[str, str]) -> str:
        async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as client:
            return await sign_in(client, login)

    return await gather_limited(
        [functools.partial(one, login) for login in logins], SIGN_IN_CONCURRENCY
    )


def stats_ms(seconds: Sequence[float] | np.ndarray) -> tuple[float, float, float, float]:
    """Median, p95, p99 and max in milliseconds (NaN when empty)."""
    if len(seconds) == 0:
        nan = float("nan")
        return nan, nan, nan, nan
    values = np.asarray(seconds) * 1e3
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return float(p50), float(p95), float(p99), float(values.max())


# -- 2. concurrent live-feedback sockets ---------------------------------------------------------


@dataclass
class SocketResult:
    sent: int = 0
    dropped: int = 0  # the in-flight limit was reached (the server is behind)
    late: int = 0  # the load generator itself woke more than a frame late
    messages: int = 0
    largest: int = 0  # most frames in one message
    replies: int = 0
    frames_answered: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    summary_frames: int | None = None
    first_error: str = ""


@dataclass
class SocketsRun:
    sessions: int
    seconds: float
    results: list[SocketResult]
    server_cpu_s: float
    client_cpu_s: float
    machine_cpu_s: float  # every process on the machine, these two included
    wall_s: float  # from the first frame to the last summary (CPU shares are over this)
    connect_s: float
    deflate: bool  # permessage-deflate negotiated, as browsers do
    per_message: int  # frames in one message (while the server keeps up)
    waiting: bool  # frames wait while the server is behind (else they are dropped)
    diagnostic: str = ""  # set for the runs that only explain the others

    @property
    def replies(self) -> int:
        return sum(r.replies for r in self.results)

    @property
    def frames_answered(self) -> int:
        return sum(r.frames_answered for r in self.results)

    @property
    def sent(self) -> int:
        return sum(r.sent for r in self.results)

    @property
    def messages(self) -> int:
        return sum(r.messages for r in self.results)

    @property
    def frames_due(self) -> int:
        return self.sessions * int(self.seconds * RATE_HZ)


async def open_socket(url: str, origin: str, token: str, deflate: bool) -> ClientConnection:
    return await connect(
        url,
        origin=Origin(origin),
        additional_headers={"Cookie": f"sc_session={token}"},
        compression="deflate" if deflate else None,
        open_timeout=60,
    )


async def stream(
    websocket: ClientConnection,
    source: FrameTexts | Sequence[str],
    start: float,
    phase: float,
    per_message: int,
) -> SocketResult:
    """Send a session's frames at 30 frames/s from ``start + phase`` as practice.js does, time
    each reply, then end the exercise and read the summary. ``source`` as FrameTexts: messages
    of ``per_message`` frames, and while 2 are unanswered the frames wait and go together, up
    to 6 (older ones dropped); as fixed texts (``--fixed-batches`` and the one-frame baseline):
    each text's frames are dropped while 2 are unanswered (practice.js until its frames could
    wait, 2026-12-07)."""
    result = SocketResult()
    clock = time.perf_counter
    sent: deque[tuple[float, int]] = deque()  # matches replies in order (one per message)
    in_flight: deque[float] = deque()  # practice.js's count, with its reply timeout
    answered = asyncio.Event()
    finished = asyncio.Event()
    drained = asyncio.Event()

    async def receive() -> None:
        while True:
            text = await websocket.recv()
            now = clock()
            if sent:
                sent_s, frames = sent.popleft()
                result.latencies.append(now - sent_s)
                result.frames_answered += frames
            if in_flight:
                in_flight.popleft()
            answered.set()
            result.replies += 1
            if not (isinstance(text, str) and text.startswith('{"type":"feedback"')):
                result.errors += 1
                result.first_error = result.first_error or str(text)[:200]
            if finished.is_set() and not sent:
                drained.set()

    def behind(now: float) -> bool:
        while in_flight and now - in_flight[0] > REPLY_TIMEOUT_S:
            in_flight.popleft()
        return len(in_flight) >= MAX_IN_FLIGHT

    async def send(text: str, frames: int, now: float) -> None:
        sent.append((now, frames))
        in_flight.append(now)
        result.messages += 1
        result.largest = max(result.largest, frames)
        await websocket.send(text)
        result.sent += frames

    receiver = asyncio.create_task(receive())
    if isinstance(source, FrameTexts):
        await send_waiting(source, start + phase, per_message, result, behind, send, answered)
    else:
        period = per_message / RATE_HZ
        for k, text in enumerate(source):
            due = start + phase + k * period
            delay = due - clock()
            if delay > 0:
                await asyncio.sleep(delay)
            now = clock()
            if now - due > period:
                result.late += per_message
            elif behind(now):
                result.dropped += per_message
            else:
                await send(text, per_message, now)
    finished.set()
    if sent:
        with suppress(TimeoutError):
            await asyncio.wait_for(drained.wait(), timeout=10.0)
    receiver.cancel()
    try:
        await websocket.send(json.dumps({"type": "end"}))
        summary = json.loads(await asyncio.wait_for(websocket.recv(), timeout=10.0))
        result.summary_frames = int(summary.get("frames", -1))
    except (TimeoutError, ValueError):
        result.summary_frames = None
    await websocket.close()
    return result


async def send_waiting(
    source: FrameTexts,
    first_due: float,
    per_message: int,
    result: SocketResult,
    behind: Callable[[float], bool],
    send: Callable[[str, int, float], Awaitable[None]],
    answered: asyncio.Event,
) -> None:
    """practice.js's sending: frame k is ready at ``first_due + k / 30``; ``per_message`` ready
    frames go as one message unless 2 are unanswered, in which case they wait for a reply (or
    the next frame) and go together, the oldest dropped beyond 6. Frames past 6 while the
    server is not behind mean the load generator itself woke late (counted as client-late)."""
    clock = time.perf_counter
    count = len(source.frames)
    frame_s = 1.0 / RATE_HZ
    next_frame = 0
    while next_frame < count:
        now = clock()
        ready = min(count, int((now - first_due) / frame_s) + 1) if now >= first_due else 0
        waiting = behind(now)
        excess = ready - next_frame - MAX_FRAMES_PER_MESSAGE
        if excess > 0:
            if waiting:
                result.dropped += excess
            else:
                result.late += excess
            next_frame += excess
        pending = ready - next_frame
        if not waiting and (pending >= per_message or (ready == count and pending > 0)):
            await send(source.message(next_frame, ready), pending, now)
            next_frame = ready
            continue
        if waiting:  # until a reply comes or the next frame is ready, whichever is first
            answered.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(answered.wait(), first_due + ready * frame_s - now)
        else:
            await asyncio.sleep(
                max(0.0, first_due + (next_frame + per_message - 1) * frame_s - now)
            )


async def sockets_run(
    server: Server,
    tokens: Sequence[str],
    recordings: Sequence[Recording],
    seconds: float,
    progress: Progress,
    deflate: bool = True,
    per_message: int = FRAMES_PER_MESSAGE,
    waiting: bool = True,
) -> SocketsRun:
    """One run of ``len(tokens)`` sessions; ``waiting``: frames wait and go together while
    the server is behind (practice.js), else each message's frames are dropped."""
    count = int(seconds * RATE_HZ)
    rng = random.Random(len(tokens))
    sources = [recordings[i % len(recordings)] for i in range(len(tokens))]
    waiting = waiting and per_message > 1  # the one-frame baseline is the old protocol
    streams = [
        source.frame_texts(first, count) if waiting else source.stream(first, count, per_message)
        for source in sources
        for first in [rng.randrange(len(source.rows))]
    ]  # made before the clock starts: the browser has its landmarks ready too
    origin = server.base_url
    task = progress.add_task(f"{len(tokens)} sockets: connecting", total=seconds)
    connect_started = time.perf_counter()
    sockets = await asyncio.gather(
        *(
            open_socket(
                f"ws://127.0.0.1:{server.port}/ws/practice/{SOCKET_EXERCISE}",
                origin,
                token,
                deflate,
            )
            for source, token in zip(sources, tokens, strict=True)
        )
    )
    connect_s = time.perf_counter() - connect_started
    progress.update(task, description=f"{len(tokens)} sockets at 30 fps")
    cpu_before, client_before = server.cpu_seconds(), time.process_time()
    machine_before = machine_cpu_seconds()
    began = time.perf_counter()
    start = began + 0.2
    ticker = asyncio.create_task(tick(progress, task, start, seconds))
    results = await asyncio.gather(
        *(
            stream(ws, texts, start, rng.uniform(0, per_message / RATE_HZ), per_message)
            for ws, texts in zip(sockets, streams, strict=True)
        )
    )
    ticker.cancel()
    progress.remove_task(task)
    return SocketsRun(
        sessions=len(tokens),
        seconds=count / RATE_HZ,
        results=list(results),
        server_cpu_s=server.cpu_seconds() - cpu_before,
        client_cpu_s=time.process_time() - client_before,
        machine_cpu_s=machine_cpu_seconds() - machine_before,
        wall_s=time.perf_counter() - began,
        connect_s=connect_s,
        deflate=deflate,
        per_message=per_message,
        waiting=waiting,
    )


async def tick(progress: Progress, task: Any, start: float, seconds: float) -> None:
    while True:
        progress.update(task, completed=min(seconds, max(0.0, time.perf_counter() - start)))
        await asyncio.sleep(0.5)


# -- 3. pages under load --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    page: str
    started: float
    ended: float
    status: int

    @property
    def latency(self) -> float:
        return self.ended - self.started


@dataclass
class LoadRun:
    backend: str
    users: int
    think_s: float
    window_s: float
    samples: list[Sample]  # requests started inside the measured window
    completed_in_window: int
    unfinished: int
    server_cpu: float  # share of one core over the whole load (warm-up and drain included)
    client_cpu: float
    other_cpu: float  # every other process (PostgreSQL's own backends among them)
    baseline: dict[str, list[float]]  # one user alone: latencies per page


def user_pages(users: int) -> list[tuple[tuple[str, str], tuple[str, ...]]]:
    """Each user's login and pages: a quarter clinicians, the rest patients (all three)."""
    clinicians = round(users * CLINICIAN_SHARE)
    plan: list[tuple[tuple[str, str], tuple[str, ...]]] = []
    for i in range(users):
        if i % round(1 / CLINICIAN_SHARE) == 0 and clinicians > 0:
            plan.append((CLINICIAN, CLINICIAN_PAGES))
            clinicians -= 1
        else:
            plan.append((PATIENTS[i % len(PATIENTS)], PATIENT_PAGES))
    return plan


async def one_user_baseline(base_url: str, repeats: int) -> dict[str, list[float]]:
    """Each page alone, one request at a time, after one warm-up request."""
    found: dict[str, list[float]] = {}
    for login, pages in ((PATIENTS[0], PATIENT_PAGES), (CLINICIAN, CLINICIAN_PAGES)):
        async with httpx.AsyncClient(base_url=base_url, timeout=120.0) as client:
            await sign_in(client, login)
            for page in pages:
                await client.get(page)
                times = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    response = await client.get(page)
                    times.append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise SystemExit(f"{page}: HTTP {response.status_code}")
                found[page] = times
    return found


async def load_run(
    server: Server,
    backend: str,
    users: int,
    seconds: float,
    warmup_s: float,
    think_s: float,
    repeats: int,
    progress: Progress,
) -> LoadRun:
    base_url = server.base_url
    baseline = await one_user_baseline(base_url, repeats)
    plan = user_pages(users)
    clients = [
        httpx.AsyncClient(
            base_url=base_url,
            timeout=300.0,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        for _ in plan
    ]
    warmup_s += think_s  # users start spread over one think time
    task = progress.add_task(f"{backend}: signing in {users} users", total=warmup_s + seconds)
    jobs = [
        functools.partial(sign_in, client, login)
        for client, (login, _pages) in zip(clients, plan, strict=True)
    ]
    await gather_limited(jobs, SIGN_IN_CONCURRENCY)
    progress.update(task, description=f"{backend}: {users} users")
    samples: list[Sample] = []
    clock = time.perf_counter
    begin = clock()
    window_start, stop_at = begin + warmup_s, begin + warmup_s + seconds
    in_flight = 0

    async def user(
        client: httpx.AsyncClient, pages: tuple[str, ...], first: int, delay: float
    ) -> None:
        nonlocal in_flight
        k = first
        await asyncio.sleep(delay)  # with think time, users start spread over one think time
        while clock() < stop_at:
            page = pages[k % len(pages)]
            k += 1
            started = clock()
            in_flight += 1
            try:
                status = (await client.get(page)).status_code
            except httpx.HTTPError:
                status = -1
            finally:
                in_flight -= 1
            samples.append(Sample(page, started, clock(), status))
            if think_s > 0:
                await asyncio.sleep(think_s)

    cpu_before, client_cpu_before = server.cpu_seconds(), time.process_time()
    machine_before = machine_cpu_seconds()
    ticker = asyncio.create_task(tick(progress, task, begin, warmup_s + seconds))
    rng = random.Random(users)
    workers = [
        asyncio.create_task(
            user(client, pages, rng.randrange(len(pages)), rng.uniform(0.0, think_s))
        )
        for client, (_login, pages) in zip(clients, plan, strict=True)
    ]
    _done, pending = await asyncio.wait(workers, timeout=warmup_s + seconds + 120.0)
    unfinished = in_flight
    for worker in pending:
        worker.cancel()
    ticker.cancel()
    server_cpu = server.cpu_seconds() - cpu_before
    client_cpu = time.process_time() - client_cpu_before
    other_cpu = max(0.0, machine_cpu_seconds() - machine_before - server_cpu - client_cpu)
    elapsed = clock() - begin
    progress.remove_task(task)
    await asyncio.gather(*(client.aclose() for client in clients))
    measured = [s for s in samples if window_start <= s.started < stop_at]
    completed = sum(window_start <= s.ended < stop_at and s.status == 200 for s in samples)
    return LoadRun(
        backend=backend,
        users=users,
        think_s=think_s,
        window_s=seconds,
        samples=measured,
        completed_in_window=completed,
        unfinished=unfinished,
        server_cpu=server_cpu / elapsed,
        client_cpu=client_cpu / elapsed,
        other_cpu=other_cpu / elapsed,
        baseline=baseline,
    )


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A fresh database ``spinecoach_bench_<random>`` on the server, dropped afterwards."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from spinecoach.adapters.db.engine import make_engine

    name = f"spinecoach_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- 4. a large caseload --------------------------------------------------------------------------


@dataclass
class CaseloadRun:
    backend: str
    patients: int
    documents: int  # course documents over all patients
    seconds: list[float]  # the caseload, each call (plan cache warm)
    first_s: float  # the first call (every plan replayed)
    one_at_a_time: list[float]  # baseline: each patient's snapshot, one transaction each
    selects: int  # SELECT statements of one caseload call


def add_caseload(services: Services, patients: int, progress: Progress) -> int:
    """``patients`` more patients in the demo clinician's care, each like a demo patient: a
    baseline assessment and six weeks of practice from the engine's simulator (archetypes in
    turn), with a diary day every third day. Returns the course documents stored."""

    def principal(login: tuple[str, str, str]) -> Principal:
        return services.accounts.sign_in(
            username=login[0], password=login[1], client="bench"
        ).principal

    admin, staff = principal(DEMO_ADMIN), principal(DEMO_CLINICIAN)
    now = services.clinic.now()
    start = now.date() - timedelta(weeks=HISTORY_WEEKS)
    library = load_content()
    archetypes = sorted(ARCHETYPES)
    stored = 0
    task = progress.add_task(f"adding {patients} patients with 6 weeks each", total=patients)
    for number in range(patients):
        pseudonym = f"LOAD-{number:04d}"
        services.clinic.add_patient(
            actor="bench", patient=replace(FLARE_PATIENT, pseudonym=pseudonym), reason="bench"
        )
        services.care.assign(admin, clinician_id=staff.user_id, pseudonym=pseudonym)
        for document in _flare_patient(now):
            services.care.record_assessment(staff, pseudonym, AssessmentIn.model_validate(document))
        archetype = ARCHETYPES[archetypes[number % len(archetypes)]]
        simulated = simulate_patient(
            library,
            seed=1000 + number,
            weeks=HISTORY_WEEKS,
            archetype=archetype,
            script=Script(),
            start=start,
        )
        sessions = [x for x in simulated.sessions if x.day < now.date()]
        log = {
            "started_on": start.isoformat(),
            "constraints": {"minutes_per_day": archetype.minutes_per_day},
            "sessions": [_session_json(x) for x in sessions],
        }
        stored += services.care.import_log(staff, pseudonym, log)
        diary = _diary_days(sessions)
        for entry in diary:
            services.care.save_diary(staff, pseudonym, entry)
        stored += len(diary)
        progress.advance(task)
    progress.remove_task(task)
    return stored


def caseload_run(
    backend: str, database_url: str, folder: Path, patients: int, progress: Progress
) -> CaseloadRun:
    """Part 4: the clinician's caseload with ``patients`` more patients in care, in-process
    (the service call the /clinic page makes), against the same patients read one at a time."""
    seed(database_url, folder)
    services = make_services(database_url, folder)
    try:
        documents = add_caseload(services, patients, progress)
        staff = services.accounts.sign_in(
            username=DEMO_CLINICIAN[0], password=DEMO_CLINICIAN[1], client="bench"
        ).principal
        clock = time.perf_counter
        started = clock()
        entries = services.care.caseload(staff)
        first_s = clock() - started
        selects: list[str] = []

        def record(*args: Any) -> None:
            if str(args[2]).lstrip().upper().startswith("SELECT"):
                selects.append(str(args[2]))

        event.listen(services.engine, "before_cursor_execute", record)
        services.care.caseload(staff)
        event.remove(services.engine, "before_cursor_execute", record)
        seconds, one_at_a_time = [], []
        for _ in range(CASELOAD_REPEATS):
            started = clock()
            services.care.caseload(staff)
            seconds.append(clock() - started)
            started = clock()
            for entry in entries:
                services.care.snapshot(staff, entry.pseudonym)
            one_at_a_time.append(clock() - started)
    finally:
        services.close()
    return CaseloadRun(
        backend, len(entries), documents, seconds, first_s, one_at_a_time, len(selects)
    )


def caseload_runs(args: argparse.Namespace, folder: Path, console: Console) -> list[CaseloadRun]:
    """Part 4 on SQLite and, when given, PostgreSQL (fresh databases of their own)."""
    runs = []
    with progress_bar(console) as progress:
        url = f"sqlite:///{folder / 'caseload.db'}"
        runs.append(caseload_run("SQLite", url, folder, args.caseload, progress))
        if args.postgres:
            with postgres_database(args.postgres) as pg_url:
                runs.append(caseload_run("PostgreSQL", pg_url, folder, args.caseload, progress))
    return runs


def caseload_summary(run: CaseloadRun) -> Row:
    """The caseload page's service call against the page aim (it is the slowest page)."""
    median = float(np.median(run.seconds))
    return (
        f"Caseload of {run.patients} patients, {run.backend} (service call, median)",
        f"{median * 1e3:.0f} ms; one patient at a time "
        f"{float(np.median(run.one_at_a_time)) * 1e3:.0f} ms",
        f"< {HTTP_TARGET_MS:.0f} ms (the page aim)",
        f"{median * 1e3 / HTTP_TARGET_MS:.2f}×",
        median * 1e3 < HTTP_TARGET_MS,
    )


def caseload_table(runs: Sequence[CaseloadRun]) -> Table:
    table = Table(title="4. A clinician's caseload (CareService.caseload, in-process)")
    for column in (
        "Database",
        "Patients",
        "Sessions and diary days added",
        "Caseload ms (median / max)",
        "First call ms",
        "SELECTs",
        "One at a time ms (median)",
        "Ratio",
    ):
        table.add_column(column, justify="left" if column == "Database" else "right")
    for run in runs:
        median = float(np.median(run.seconds))
        baseline = float(np.median(run.one_at_a_time))
        table.add_row(
            run.backend,
            f"{run.patients}",
            f"{run.documents:,}",
            f"{median * 1e3:.0f} / {max(run.seconds) * 1e3:.0f}",
            f"{run.first_s * 1e3:.0f}",
            f"{run.selects}",
            f"{baseline * 1e3:.0f}",
            f"{baseline / median:.1f}× faster",
        )
    table.caption = (
        "Each patient like a demo patient: a baseline assessment, six weeks of simulated "
        "practice and a diary day every third day. Caseload: one transaction; the first call "
        "reads every record and course (three SELECTs for all of them) and works every row out; "
        "later calls keep each row while the patient's record version and the day stay the "
        "same (SELECTs: who is in care, the patients, their versions); median of "
        f"{CASELOAD_REPEATS} later calls. One at a time: the same patients' snapshots, one "
        "transaction each, as a page about one patient reads them (about how the caseload read "
        "its patients before 2026-12-07, without its attention rules)."
    )
    return table


# -- profile of the slowest page ------------------------------------------------------------------


async def _inline(func: Callable[..., T], *args: Any, **_options: Any) -> T:
    return func(*args)


def profile_page(
    database_url: str, folder: Path, login: tuple[str, str], page: str, repeats: int
) -> tuple[pstats.Stats, float]:
    """cProfile of ``page`` in this process through the ASGI app, with the threadpool calls
    run inline so the profiler (one thread) sees the route's work; seconds per request."""
    from spinecoach.web.app import create_app

    services = make_services(database_url, folder)
    app = create_app(services.settings, services=services)
    profiler = cProfile.Profile()

    async def run() -> float:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            await sign_in(client, login)
            await client.get(page)
            with patch.object(anyio.to_thread, "run_sync", _inline):
                started = time.perf_counter()
                profiler.enable()
                for _ in range(repeats):
                    await client.get(page)
                profiler.disable()
                return (time.perf_counter() - started) / repeats

    try:
        per_request = float(asyncio.run(run()))
    finally:
        services.close()
    return pstats.Stats(profiler), per_request


def where(path: str) -> str:
    """A profiled function's package: spinecoach.<sub>, a site-package, or built-in."""
    if path == "~":
        return "built-in (C: sqlite3, json, …)"
    marker = "/spinecoach/"
    if marker in path and "site-packages" not in path:
        rest = path.split(marker, 1)[1].split("/")
        return "spinecoach." + rest[0].removesuffix(".py")
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/")[0].removesuffix(".py")
    return "stdlib: " + Path(path).stem


def profile_tables(stats: pstats.Stats, repeats: int, page: str) -> list[Table]:
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    by_package: dict[str, float] = {}
    for (path, _line, _name), (_cc, _nc, own, _cum, _callers) in raw.items():
        by_package[where(path)] = by_package.get(where(path), 0.0) + own
    total = sum(by_package.values())
    packages = Table(title=f"{page}: own time by package (cProfile, ms per request)")
    for column in ("Package", "ms", "share"):
        packages.add_column(column, justify="left" if column == "Package" else "right")
    for name, own in sorted(by_package.items(), key=lambda kv: -kv[1])[:10]:
        packages.add_row(name, f"{own / repeats * 1e3:.1f}", f"{own / total:.0%}")

    ours = Table(title=f"{page}: our functions by cumulative time (ms per request)")
    for column in ("Function", "calls/request", "cumulative ms", "own ms"):
        ours.add_column(column, justify="left" if column == "Function" else "right")
    own_code = [
        (key, value)
        for key, value in raw.items()
        if "/spinecoach/" in key[0] and "site-packages" not in key[0]
    ]
    for (path, line, name), (_cc, calls, own, cumulative, _callers) in sorted(
        own_code, key=lambda kv: -kv[1][3]
    )[:18]:
        short = path.split("/spinecoach/", 1)[1]
        ours.add_row(
            f"{short}:{line} {name}",
            f"{calls / repeats:,.0f}",
            f"{cumulative / repeats * 1e3:.1f}",
            f"{own / repeats * 1e3:.1f}",
        )

    hot = Table(title=f"{page}: top functions by own time, any package (ms per request)")
    for column in ("Function", "calls/request", "own ms"):
        hot.add_column(column, justify="left" if column == "Function" else "right")
    for (path, line, name), (_cc, calls, own, _cumulative, _callers) in sorted(
        raw.items(), key=lambda kv: -kv[1][2]
    )[:12]:
        label = name if path == "~" else f"{where(path)} {Path(path).name}:{line} {name}"
        hot.add_row(label, f"{calls / repeats:,.0f}", f"{own / repeats * 1e3:.2f}")
    return [packages, ours, hot]


# -- report ---------------------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "[green]met[/green]" if met else "[red]not met[/red]"


def frames_table(runs: Sequence[FrameTimes], origin: str) -> Table:
    table = Table(title=f"1. Server time per live message (ms), one thread — {origin}")
    for column in ("Frames a message", "Work", "Messages", "Median", "p99", "Max", "Mean / frame"):
        table.add_column(column, justify="left" if column == "Work" else "right")
    for times in runs:
        for label, values in (
            ("orjson.loads of the incoming text", times.loads),
            ("LivePractice.feed", times.feed),
            ("orjson.dumps of the reply", times.dumps),
            ("total: message in -> reply out", times.total),
        ):
            p50, _p95, p99, largest = stats_ms(values)
            table.add_row(
                str(times.per_message),
                label,
                f"{len(values):,}",
                f"{p50:.3f}",
                f"{p99:.3f}",
                f"{largest:.3f}",
                f"{float(np.mean(values)) * 1e3 / times.per_message:.3f}",
            )
    return table


def sockets_table(runs: Sequence[SocketsRun]) -> Table:
    table = Table(
        title="2. Concurrent live-feedback WebSockets (30 frames/s each, paced in real time, "
        "SQLite, uvicorn 1 worker)"
    )
    for column in (
        "Sessions",
        "Frames/s total",
        "per session (median / min)",
        "Dropped",
        "Frames a message (mean / max)",
        "Reply ms p50 / p99 / max",
        "Server CPU",
        "CPU per frame",
        "Client CPU",
        "Other CPU",
        "Connect s",
        "Errors",
    ):
        table.add_column(column, justify="right")
    for run in runs:
        per_session = [r.frames_answered / run.seconds for r in run.results]
        latencies = [x for r in run.results for x in r.latencies]
        p50, _p95, p99, largest = stats_ms(latencies)
        dropped = sum(r.dropped for r in run.results)
        errors = sum(r.errors for r in run.results)
        late = sum(r.late for r in run.results)
        other = max(0.0, run.machine_cpu_s - run.server_cpu_s - run.client_cpu_s)
        table.add_row(
            f"{run.sessions}" + (f" [dim]{run.diagnostic}[/dim]" if run.diagnostic else ""),
            f"{run.frames_answered / run.seconds:,.0f} of {run.sessions * RATE_HZ:,.0f}",
            f"{np.median(per_session):.1f} / {min(per_session):.1f}",
            f"{dropped:,} ({dropped / max(1, run.frames_due):.1%})"
            + (f", {late:,} client-late" if late else ""),
            f"{run.sent / max(1, run.messages):.1f} / {max(r.largest for r in run.results)}",
            f"{p50:.1f} / {p99:.1f} / {largest:.0f}",
            f"{run.server_cpu_s / run.wall_s:.0%}",
            f"{run.server_cpu_s / max(1, run.frames_answered) * 1e3:.2f} ms",
            f"{run.client_cpu_s / run.wall_s:.0%}",
            f"{other / run.wall_s:.0%}",
            f"{run.connect_s:.1f}",
            f"{errors}",
        )
    fixed = any(not r.waiting for r in runs if r.per_message > 1)
    table.caption = (
        "Frames go 3 to a message (practice.js) unless marked; while 2 messages are unanswered "
        "they wait and go together, up to 6"
        + (" (not in these runs: --fixed-batches)" if fixed else "")
        + ". Dropped: frames the client did not send because 2 messages were unanswered and 6 "
        "frames waited (practice.js); client-late: the load generator woke too late to send "
        "them. CPU: share of one core from the first frame to the last summary; per frame: "
        "server CPU / frames answered; other: every other process on the machine (noise: the "
        "server cannot use a core they hold). Connect: opening all the sockets (sign-in check, "
        "analyzer set-up). Diagnostics: † one frame a message, dropped while 2 are unanswered "
        "(the baseline: the protocol before 2026-12-07); * the same app without "
        "permessage-deflate (browsers negotiate it); ** an echo server on the same "
        "uvicorn/FastAPI stack, JSON in and a fixed reply out, no sign-in and no analysis: the "
        "socket's own cost."
    )
    return table


def socket_run_met(run: SocketsRun) -> bool:
    """Keeps up: every due frame answered within 1 %, none dropped beyond 1 %, CPU ≤ 1 core."""
    dropped = sum(r.dropped for r in run.results)
    return (
        run.frames_answered >= 0.99 * run.frames_due
        and dropped <= 0.01 * run.frames_due
        and run.server_cpu_s / run.wall_s <= 1.0
    )


def load_table(run: LoadRun) -> Table:
    think = "back to back, no think time" if run.think_s == 0 else f"{run.think_s:g} s think time"
    table = Table(
        title=f"3. Pages under load — {run.backend}: {run.users} users, closed loop ({think}), "
        f"{run.window_s:.0f} s measured"
    )
    for column in (
        "Page",
        "Requests",
        "OK/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "Max ms",
        "Errors",
        "Alone: median ms",
    ):
        table.add_column(column, justify="left" if column == "Page" else "right")
    pages = [*PATIENT_PAGES, *CLINICIAN_PAGES]
    for page in [*pages, "all"]:
        picked = [s for s in run.samples if page in ("all", s.page)]
        p50, p95, p99, largest = stats_ms([s.latency for s in picked if s.status == 200])
        errors = sum(s.status != 200 for s in picked)
        alone = (
            run.baseline.get(page, [])
            if page != "all"
            else [x for v in run.baseline.values() for x in v]
        )
        rate = (
            run.completed_in_window / run.window_s
            if page == "all"
            else sum(s.status == 200 for s in picked) / run.window_s
        )
        table.add_row(
            page if page != "all" else "[bold]all[/bold]",
            f"{len(picked):,}",
            f"{rate:,.1f}",
            *(f"{value:,.0f}" if np.isfinite(value) else "–" for value in (p50, p95, p99, largest)),
            f"{errors:,} ({errors / max(1, len(picked)):.0%})" if errors else "0",
            f"{stats_ms(alone)[0]:,.0f}" if alone else "",
        )
    table.caption = (
        f"Server CPU {run.server_cpu:.0%} of one core, load generator "
        f"{run.client_cpu:.0%}, other processes {run.other_cpu:.0%} (whole load, warm-up "
        "and drain included; PostgreSQL's own processes count as other); requests still "
        f"open when stopped: {run.unfinished}. Latencies of the 200 OK answers of requests "
        "started in the window; OK/s of 'all' counts 200 OK completions in the window."
    )
    return table


# -- main -----------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller, faster run (smoke test)")
    parser.add_argument(
        "--parts",
        default="frames,ws,http,caseload",
        help="comma list of frames, ws, http, caseload (all)",
    )
    parser.add_argument(
        "--caseload",
        type=int,
        help=f"patients added to the caseload in part 4 ({CASELOAD_PATIENTS}; quick 20)",
    )
    parser.add_argument("--frames", type=int, help="frames timed in part 1 (20,000; quick 3,000)")
    parser.add_argument("--sessions", help="socket counts in part 2 (25,50,100; quick 25)")
    parser.add_argument(
        "--frames-per-message",
        type=int,
        default=FRAMES_PER_MESSAGE,
        help=f"frames in one socket message ({FRAMES_PER_MESSAGE}, as practice.js sends)",
    )
    parser.add_argument(
        "--fixed-batches",
        action="store_true",
        help="drop a message's frames while 2 are unanswered, instead of letting them wait "
        "and go together (practice.js until its frames could wait, 2026-12-07)",
    )
    parser.add_argument("--ws-seconds", type=float, help="seconds per socket run (10; quick 5)")
    parser.add_argument("--users", type=int, help="concurrent HTTP users (200; quick 60)")
    parser.add_argument("--http-seconds", type=float, help="measured seconds (20; quick 8)")
    parser.add_argument(
        "--warmup", type=float, help="seconds of load before measuring (3, plus --think)"
    )
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds each user waits between requests (0)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("SPINECOACH_BENCH_POSTGRES_URL"),
        help="admin URL of a PostgreSQL server (default: $SPINECOACH_BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--no-diagnostics",
        dest="diagnose",
        action="store_false",
        help="skip the socket runs without deflate and on the no-analysis echo server",
    )
    parser.add_argument(
        "--profile",
        choices=("auto", "always", "never"),
        default="auto",
        help="cProfile the slowest page (auto: when the p95 target is missed)",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.frames = args.frames or (3_000 if quick else 20_000)
    args.sessions = [int(n) for n in (args.sessions or ("25" if quick else "25,50,100")).split(",")]
    args.ws_seconds = args.ws_seconds or (5.0 if quick else 10.0)
    args.users = args.users or (60 if quick else HTTP_TARGET_USERS)
    args.http_seconds = args.http_seconds or (8.0 if quick else 20.0)
    args.warmup = args.warmup if args.warmup is not None else (2.0 if quick else 3.0)
    args.caseload = args.caseload or (20 if quick else CASELOAD_PATIENTS)
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    return args


def main() -> None:
    args = parse_args()
    console = Console(width=max(Console().width, 130))
    python = os.path.relpath(sys.executable) if sys.executable.startswith(os.getcwd()) else "python"
    console.print(f"Command: [bold]{shlex.join([python, *sys.argv])}[/bold]")
    load = os.getloadavg()
    console.print(
        f"Machine: {os.cpu_count()} cores, load average {load[0]:.2f} at start; the load "
        "generator (this process) runs on the same machine as the server and competes for it."
    )
    console.print(f"Code: {code_version()}.")
    summary: list[Row] = []

    recordings = keraal_recordings()
    origin = (
        f"KERAAL BlazePose recordings ({', '.join(r.exercise for r in recordings)}), "
        "20 Hz resampled to 30 Hz"
        if recordings
        else f"synthetic frames ({SYNTHETIC_EXERCISE}; ../shared/data absent)"
    )
    recordings = recordings or [synthetic_recording()]
    console.print(f"Frames: {origin}.")

    if "frames" in args.parts:
        with console.status("Part 1: timing frames"):
            baseline = bench_frames(recordings, args.frames)
            times = bench_frames(recordings, args.frames, args.frames_per_message)
        console.print(frames_table([baseline, times], origin))
        for timed in (baseline, times):
            console.print(
                f"{timed.per_message} a message: replies {timed.replies}; repetitions or "
                f"holds counted: {timed.repetitions}"
            )
        p99 = stats_ms(times.total)[2]
        per_frame = float(np.mean(times.total)) / times.per_message
        cheaper = float(np.mean(baseline.total)) / per_frame
        summary.append(
            (
                f"Server time per live message ({times.per_message} frames), p99",
                f"{p99:.2f} ms; mean per frame {per_frame * 1e3:.3f} ms "
                f"({cheaper:.1f}× less than one a message)",
                f"< {FRAME_TARGET_MS:g} ms",
                f"{p99 / FRAME_TARGET_MS:.2f}×",
                p99 < FRAME_TARGET_MS,
            )
        )

    loads: list[LoadRun] = []
    with tempfile.TemporaryDirectory(prefix="spinecoach-bench-") as scratch:
        folder = Path(scratch)
        sqlite_url = f"sqlite:///{folder / 'web.db'}"
        if args.parts & {"ws", "http"}:
            with console.status("Seeding the demo clinic (SQLite)"):
                seed(sqlite_url, folder)
        if "ws" in args.parts:
            with running(sqlite_url, folder) as server, progress_bar(console) as progress:
                runs, tokens = socket_runs(server, args, recordings, progress, console)
                report_server_errors(server, console, "sockets")
            if args.diagnose:
                with running(None, folder) as floor, progress_bar(console) as progress:
                    echo = run_async(
                        sockets_run(
                            floor,
                            tokens,
                            recordings,
                            args.ws_seconds,
                            progress,
                            per_message=args.frames_per_message,
                            waiting=not args.fixed_batches,
                        )
                    )
                echo.diagnostic = "echo**"
                runs.append(echo)
            console.print(sockets_table(runs))
            summary.extend(socket_summary(runs))
        if "http" in args.parts:
            loads.append(http_backend("SQLite", sqlite_url, folder, args, console))
            if args.postgres:
                with postgres_database(args.postgres) as pg_url:
                    with console.status("Seeding the demo clinic (PostgreSQL)"):
                        seed(pg_url, folder)
                    loads.append(http_backend("PostgreSQL", pg_url, folder, args, console))
            else:
                console.print(
                    "PostgreSQL: skipped (no --postgres URL, SPINECOACH_BENCH_POSTGRES_URL unset)."
                )
        for run in loads:
            summary.append(load_summary(run))
            console.print(throughput_note(run))
        if "caseload" in args.parts:
            caseloads = caseload_runs(args, folder, console)
            console.print(caseload_table(caseloads))
            summary.extend(caseload_summary(run) for run in caseloads)

    table = Table(title="Summary")
    for column in ("Figure", "Measured", "Target", "Measured / target", "Verdict"):
        table.add_column(column, justify="left" if column == "Figure" else "right")
    for figure, value, target, ratio, met in summary:
        table.add_row(figure, value, target, ratio, verdict(met))
    console.print(table)
    load = os.getloadavg()
    console.print(
        f"Load average at the end {load[0]:.2f} (1 min); {os.cpu_count()} cores shared by the "
        "server, the load generator and anything else running."
    )


Row = tuple[str, str, str, str, bool]  # figure, measured, target, ratio, met


def code_version() -> str:
    """The commit measured, and whether the working tree had changes under src/."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (
        f" with {len(changed)} changed files under src/" if changed else ""
    )


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def report_server_errors(server: Server, console: Console, what: str) -> None:
    errors = server.errors()
    if errors:
        total = sum(errors.values())
        console.print(f"[red]Server exceptions during {what}: {total:,}[/red]")
        for line, count in errors.most_common(4):
            console.print(f"  {count:,} × {line}")


def http_backend(
    backend: str, database_url: str, folder: Path, args: argparse.Namespace, console: Console
) -> LoadRun:
    """Part 3 on one database: a fresh server, the one-user baseline, then the load."""
    with running(database_url, folder) as server, progress_bar(console) as progress:
        run = run_async(
            load_run(
                server,
                backend,
                args.users,
                args.http_seconds,
                args.warmup,
                args.think,
                5 if args.quick else 10,
                progress,
            )
        )
        report_server_errors(server, console, f"the {backend} load")
    console.print(load_table(run))
    missed = not load_summary(run)[4]
    if args.profile == "always" or (args.profile == "auto" and missed):
        slowest = max(run.baseline, key=lambda page: float(np.median(run.baseline[page])))
        login = CLINICIAN if slowest.startswith("/clinic") else PATIENTS[0]
        repeats = 5 if args.quick else 20
        with console.status(f"Profiling {slowest} ({repeats} requests, {backend}, in-process)"):
            stats, per_request = profile_page(database_url, folder, login, slowest, repeats)
        console.print(
            f"Profile of the slowest page alone on {backend}, {slowest}: "
            f"{per_request * 1e3:.0f} ms per request under cProfile (one request at a time, "
            "threadpool inlined so that one profiler sees all the work)."
        )
        for table in profile_tables(stats, repeats, f"{slowest} ({backend})"):
            console.print(table)
    return run


def throughput_note(run: LoadRun) -> str:
    """What the served rate means for the latency a closed loop of users can see."""
    served = run.completed_in_window / run.window_s
    if run.think_s > 0:
        return (
            f"{run.backend}: {served:.1f} pages/s served (200 OK); {run.users} users thinking "
            f"{run.think_s:g} s between pages offer at most {run.users / run.think_s:.1f}/s."
        )
    return (
        f"{run.backend}: {served:.1f} pages/s served (200 OK) at saturation: {run.users} "
        f"back-to-back users then wait about {run.users / max(served, 1e-9):.1f} s per page "
        f"(Little's law); p95 < {HTTP_TARGET_MS:g} ms for {HTTP_TARGET_USERS} back-to-back "
        f"users needs ≥ {HTTP_TARGET_USERS / (HTTP_TARGET_MS / 1e3):,.0f} pages/s."
    )


def load_summary(run: LoadRun) -> Row:
    ok = [s.latency for s in run.samples if s.status == 200]
    errors = len(run.samples) - len(ok)
    p95 = stats_ms(ok)[1]
    at = "" if run.users == HTTP_TARGET_USERS else f" (run at {run.users}, not the target's load)"
    return (
        f"Pages p95, {run.users} users, {run.backend}{at}",
        f"{p95:,.0f} ms; {errors:,} of {len(run.samples):,} failed",
        f"< {HTTP_TARGET_MS:g} ms at {HTTP_TARGET_USERS} users, no errors",
        f"{p95 / HTTP_TARGET_MS:.1f}×",
        p95 < HTTP_TARGET_MS and run.users >= HTTP_TARGET_USERS and errors == 0,
    )


def socket_runs(
    server: Server,
    args: argparse.Namespace,
    recordings: Sequence[Recording],
    progress: Progress,
    console: Console,
) -> tuple[list[SocketsRun], list[str]]:
    """Part 2 on the app: the socket runs (and the session tokens, the most needed)."""
    most = max(args.sessions)
    logins = [CAMERA_PATIENTS[i % len(CAMERA_PATIENTS)] for i in range(most)]
    progress_task = progress.add_task(f"signing in {most} patient sessions", total=None)
    tokens = run_async(session_tokens(server.base_url, logins))
    progress.remove_task(progress_task)
    warm = run_async(sockets_run(server, tokens[:2], recordings, 2.0, progress))
    if warm.replies == 0:
        raise SystemExit("warm-up: the live socket answered nothing")
    runs = []
    for sessions in args.sessions:
        run = run_async(
            sockets_run(
                server,
                tokens[:sessions],
                recordings,
                args.ws_seconds,
                progress,
                per_message=args.frames_per_message,
                waiting=not args.fixed_batches,
            )
        )
        runs.append(run)
        errors = [r.first_error for r in run.results if r.first_error]
        if errors:
            console.print(f"{sessions} sockets: first error reply: {errors[0]}")
        summaries = [r.summary_frames for r in run.results]
        if any(s is None for s in summaries):
            console.print(f"{sessions} sockets: {summaries.count(None)} ended without a summary")
    if args.diagnose:
        fewest = min(args.sessions)
        run = run_async(
            sockets_run(server, tokens[:fewest], recordings, args.ws_seconds, progress, False)
        )
        run.diagnostic = "no deflate*"
        runs.append(run)
        run = run_async(
            sockets_run(server, tokens[:fewest], recordings, args.ws_seconds, progress, True, 1)
        )
        run.diagnostic = "1 a message†"
        runs.append(run)
    return runs, tokens


def socket_summary(runs: Sequence[SocketsRun]) -> list[Row]:
    rows = []
    for run in runs:
        if run.diagnostic:
            continue
        cpu = run.server_cpu_s / run.wall_s
        per_session = run.frames_answered / run.seconds / run.sessions
        note = "" if run.sessions >= SESSIONS_TARGET else " (below the target's count)"
        rows.append(
            (
                f"{run.sessions} live sessions at 30 fps{note}",
                f"{per_session:.1f} fps each, server CPU {cpu:.0%}",
                "30 fps each, CPU ≤ 100 %",
                f"CPU {cpu:.2f}×",
                socket_run_met(run),
            )
        )
    if not any(run.sessions >= SESSIONS_TARGET for run in runs):
        rows.append(
            (
                f"{SESSIONS_TARGET} live sessions at 30 fps",
                "not run",
                "30 fps each, CPU ≤ 100 %",
                "–",
                False,
            )
        )
    return rows


if __name__ == "__main__":
    main()
