"""The live-feedback WebSocket: landmarks in, counts and one cue out (docs/web.md)."""

from __future__ import annotations

import json

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from spinecoach.bootstrap import Services, load_analyzer_specs, load_content
from spinecoach.domain.accounts import Role
from spinecoach.services.live import LivePractice, live_spec
from spinecoach.web.security import SESSION_COOKIE, same_origin

router = APIRouter()
MAX_MESSAGE = 16_000  # 33 landmarks as JSON are ~2 kB; anything far larger is refused
POLICY_VIOLATION = 1008


@router.websocket("/ws/practice/{exercise_id}")
async def practice_socket(websocket: WebSocket, exercise_id: str) -> None:
    services: Services = websocket.app.state.services
    if not same_origin(websocket.headers.get("origin"), websocket.headers.get("host")):
        await websocket.close(code=POLICY_VIOLATION, reason="origin")
        return
    token = websocket.cookies.get(SESSION_COOKIE, "")
    session = await run_in_threadpool(services.accounts.session, token) if token else None
    if session is None or session.principal.role is not Role.PATIENT:
        await websocket.close(code=POLICY_VIOLATION, reason="sign in as a patient")
        return
    spec = live_spec(exercise_id, library=load_content(), analyzers=load_analyzer_specs())
    if spec is None:
        await websocket.close(code=POLICY_VIOLATION, reason="no camera analysis")
        return
    refusal = await run_in_threadpool(services.care.live_refusal, session.principal, exercise_id)
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
                message = json.loads(text)
            except json.JSONDecodeError:
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
            await websocket.send_json(practice.feed(message))
    except WebSocketDisconnect:
        return
