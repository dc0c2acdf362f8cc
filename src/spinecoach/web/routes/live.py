"""The live-feedback WebSockets: landmarks in, counts and one cue out (docs/web.md); sensor
chunks in, levels, holds and one cue out (docs/sensors-in-the-clinic.md)."""

from __future__ import annotations

import json

import orjson
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from spinecoach.bootstrap import Services, load_analyzer_specs, load_content
from spinecoach.domain.accounts import Principal, Role
from spinecoach.domain.errors import DomainError, InvalidInput
from spinecoach.services.live import LivePractice, live_spec
from spinecoach.services.live_sensors import (
    LiveDeepActivation,
    LiveSensorSession,
    start_live_sensors,
)
from spinecoach.web.security import SESSION_COOKIE, same_origin

router = APIRouter()
MAX_MESSAGE = 16_000  # a frame of 33 landmarks is ~1 kB of JSON; a message holds at most 6
POLICY_VIOLATION = 1008


async def _signed_in(websocket: WebSocket, services: Services, role: Role) -> Principal | None:
    """The socket's signed-in principal in ``role``; otherwise the socket is closed."""
    token = websocket.cookies.get(SESSION_COOKIE, "")
    session = await run_in_threadpool(services.accounts.session, token) if token else None
    if session is None or session.principal.role is not role:
        await websocket.close(code=POLICY_VIOLATION, reason=f"sign in as a {role.value}")
        return None
    return session.principal


@router.websocket("/ws/practice/{exercise_id}")
async def practice_socket(websocket: WebSocket, exercise_id: str) -> None:
    services: Services = websocket.app.state.services
    if not same_origin(websocket.headers.get("origin"), websocket.headers.get("host")):
        await websocket.close(code=POLICY_VIOLATION, reason="origin")
        return
    principal = await _signed_in(websocket, services, Role.PATIENT)
    if principal is None:
        return
    spec = live_spec(exercise_id, library=load_content(), analyzers=load_analyzer_specs())
    if spec is None:
        await websocket.close(code=POLICY_VIOLATION, reason="no camera analysis")
        return
    refusal = await run_in_threadpool(services.care.live_refusal, principal, exercise_id)
    if refusal:
        await websocket.close(code=POLICY_VIOLATION, reason=refusal)
        return
    await websocket.accept()
    practice = LivePractice(spec, load_content())
    try:
        while True:
            text = await websocket.receive_text()
            if len(text) > MAX_MESSAGE:
                await websocket.send_json(
                    {"type": "error", "field": "message", "problem": "too large"}
                )
                continue
            try:
                message = orjson.loads(text)  # 30 frames a second a patient: the fast parser
            except orjson.JSONDecodeError:
                await websocket.send_json(
                    {"type": "error", "field": "message", "problem": "not JSON"}
                )
                continue
            if not isinstance(message, dict):
                await websocket.send_json(
                    {"type": "error", "field": "message", "problem": "must be a JSON object"}
                )
                continue
            if message.get("type") == "end":
                await websocket.send_json(practice.summary())
                await websocket.close()
                return
            await websocket.send_text(orjson.dumps(practice.feed(message)).decode())
    except WebSocketDisconnect:
        return


MAX_SENSOR_MESSAGE = 1_000_000  # a 10 s reference contraction of 8 channels at 1 kHz fits


@router.websocket("/ws/sensors/{pseudonym}")
async def sensor_socket(websocket: WebSocket, pseudonym: str) -> None:
    """Live EMG/IMU biofeedback for a patient in the clinician's care: a sensor bridge sends
    chunks, each reply carries levels, the hold timer and at most one cue (docs/
    sensors-in-the-clinic.md). Browsers always send Origin, so one that names another site is
    refused; a bridge program sends none and is identified by the clinician's session."""
    services: Services = websocket.app.state.services
    origin = websocket.headers.get("origin")
    if origin is not None and not same_origin(origin, websocket.headers.get("host")):
        await websocket.close(code=POLICY_VIOLATION, reason="origin")
        return
    principal = await _signed_in(websocket, services, Role.CLINICIAN)
    if principal is None:
        return
    try:
        await run_in_threadpool(
            services.care.audit_access, principal, pseudonym, "live", "sensor biofeedback"
        )
    except DomainError:
        await websocket.close(code=POLICY_VIOLATION, reason="no such patient in your care")
        return
    await websocket.accept()
    live: LiveSensorSession | None = None
    try:
        while True:
            text = await websocket.receive_text()
            try:
                if len(text) > MAX_SENSOR_MESSAGE:
                    raise InvalidInput("message", "too large")
                message = json.loads(text)
                if not isinstance(message, dict):
                    raise InvalidInput("message", "must be a JSON object")
                if message.get("type") == "start":
                    live = start_live_sensors(message)
                    await websocket.send_json({"type": "started"})
                elif message.get("type") == "end":
                    summary = live.feedback.summary().as_dict() if live else {}
                    await websocket.send_json({"type": "summary", **summary})
                    await websocket.close()
                    return
                elif live is None:
                    raise InvalidInput("type", "send a start message first")
                elif message.get("type") == "reference":
                    if not isinstance(live, LiveDeepActivation):
                        raise InvalidInput("type", "a reference contraction is for EMG sessions")
                    await websocket.send_json(await run_in_threadpool(live.set_reference, message))
                else:
                    # numpy/scipy/numba work off the event loop: other sockets keep flowing
                    await websocket.send_json(await run_in_threadpool(live.feed, message))
            except (json.JSONDecodeError, RecursionError):
                await websocket.send_json(
                    {"type": "error", "field": "message", "problem": "not JSON"}
                )
            except InvalidInput as error:
                await websocket.send_json(
                    {"type": "error", "field": error.field, "problem": error.problem}
                )
    except WebSocketDisconnect:
        return
