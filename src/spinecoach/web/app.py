"""The FastAPI application: ``create_app(settings)``.

Entry point layer: it turns HTTP into service calls and service results into pages; every
rule about who may see what lives in the services (services/care.py, services/accounts.py).
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from spinecoach.bootstrap import Services, build, load_content, web_assets_dir
from spinecoach.config import Settings
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.registry import PHYSICAL_TESTS
from spinecoach.services.accounts import AccessDenied
from spinecoach.services.clinic import NotFound
from spinecoach.services.live import warm_up
from spinecoach.services.schemas import plain_message
from spinecoach.services.sensors import MAX_UPLOAD_BYTES

from . import security
from .security import CsrfFailed, Forbidden, LoginRequired, Visitor


def exercise_name(exercise_id: str) -> str:
    """An exercise's or task's name for people (its id when the library does not know it)."""
    library = load_content()
    found = library.exercises.get(exercise_id) or library.tasks.get(exercise_id)
    return found.name if found else exercise_id.replace("_", " ")


def test_name(test_id: str) -> str:
    """A physical test's name for people."""
    found = PHYSICAL_TESTS.get(test_id)
    return found.name if found else test_id


# Where FastAPI says a bad value came from; the field's own name is what a person needs.
REQUEST_PARTS = frozenset({"body", "query", "path", "header", "cookie"})

HERE = Path(__file__).parent
# An upload plus its form fields; anything larger is refused before it is read.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 2**20


def create_app(settings: Settings, *, services: Services | None = None) -> FastAPI:
    """The web app over ``settings`` (or over already built services, for tests)."""
    built = services or build(settings)
    # The live analysis's compiled filter loads in the background, not on a patient's frame.
    threading.Thread(target=warm_up, name="warm-live-analysis", daemon=True).start()
    app = FastAPI(title="spinecoach", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.services = built
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["asset"] = "/static"
    templates.env.globals["exercise_name"] = exercise_name
    templates.env.globals["test_name"] = test_name
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    vendor = web_assets_dir() / "vendor"
    app.mount("/vendor", StaticFiles(directory=vendor, check_dir=False), name="vendor")

    @app.middleware("http")
    async def who_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
            # Refused before the form parser spools it: the largest thing a page sends is a
            # sensor recording (services.sensors.MAX_UPLOAD_BYTES).
            return PlainTextResponse(
                f"request too large (at most {MAX_REQUEST_BYTES // 2**20} MiB)", status_code=413
            )
        static = request.url.path.startswith(("/static/", "/vendor/"))
        token = "" if static else request.cookies.get(security.SESSION_COOKIE, "")
        session = await run_in_threadpool(built.accounts.session, token) if token else None
        anon = None if session or static else security.anonymous_csrf(request)
        csrf = session.csrf_token if session else anon or ""
        request.state.visitor = Visitor(session=session, csrf_token=csrf)
        response = await call_next(request)
        if anon and request.cookies.get(security.ANON_CSRF_COOKIE) != anon:
            response.set_cookie(
                security.ANON_CSRF_COOKIE,
                anon,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
                path="/",
            )
        headers = response.headers
        headers.setdefault("Content-Security-Policy", security.CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        if not static:
            headers.setdefault("Cache-Control", "no-store")
        return response

    def page_error(request: Request, status: int, title: str, message: str) -> Response:
        if request.headers.get("hx-request") or request.url.path.startswith("/api"):
            return JSONResponse({"error": message}, status_code=status)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"title": title, "message": message, **context(request)},
            status_code=status,
        )

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _error: LoginRequired) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, error: Forbidden) -> Response:
        return page_error(request, 403, "Not allowed", f"This page needs a {error} account.")

    @app.exception_handler(AccessDenied)
    async def _denied(request: Request, error: AccessDenied) -> Response:
        return page_error(request, 403, "Not allowed", error.problem)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _error: CsrfFailed) -> Response:
        message = "csrf_token: missing or wrong; reload the page and try again"
        return page_error(request, 403, "Form expired", message)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, error: NotFound) -> Response:
        return page_error(request, 404, "Not found", f"{error.field}: {error.problem}")

    @app.exception_handler(InvalidInput)
    async def _invalid(request: Request, error: InvalidInput) -> Response:
        return page_error(request, 400, "Please check", f"{error.field}: {error.problem}")

    @app.exception_handler(RequestValidationError)
    async def _form_invalid(request: Request, error: RequestValidationError) -> Response:
        # A form field the browser should have checked (required, maxlength) but did not:
        # the same one line as any other bad input, never FastAPI's JSON echoing the input.
        detail = error.errors()[0]
        where = [str(part) for part in detail.get("loc", ()) if part not in REQUEST_PARTS]
        return page_error(
            request, 422, "Please check", f"{'.'.join(where) or 'form'}: {plain_message(detail)}"
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        session = security.visitor(request).session
        if session is None:
            return RedirectResponse("/login", status_code=303)
        return RedirectResponse(HOME[session.principal.role.value], status_code=303)

    from .routes import admin, auth, clinic, live, patient

    for module in (auth, patient, clinic, admin, live):
        app.include_router(module.router)
    return app


HOME = {"patient": "/today", "clinician": "/clinic", "admin": "/admin"}


def context(request: Request) -> dict[str, Any]:
    """What every template gets: the visitor, their CSRF token and their home page."""
    visiting = security.visitor(request)
    principal = visiting.session.principal if visiting.session else None
    return {
        "principal": principal,
        "csrf_token": visiting.csrf_token,
        "home": HOME[principal.role.value] if principal else "/login",
    }


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> Response:
    """A page from its template, with the common context."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, {**context(request), **values}, status_code=status_code
    )


def services_of(request: Request) -> Services:
    """The services this app was built with."""
    found: Services = request.app.state.services
    return found
