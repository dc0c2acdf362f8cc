"""Sessions, CSRF and headers: the web edge of the account rules in services/accounts.py.

- The session cookie holds a random token (its hash is the server's key): HttpOnly, SameSite=Lax,
  Secure whenever the request came over HTTPS, renewed at every sign-in (no fixation).
- Every state-changing request (POST) must carry the CSRF token: the session's own token once
  signed in; before sign-in (the login and invitation forms) a double-submit cookie.
- WebSockets check the Origin header against the host (no cross-site WebSocket hijacking).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request
from starlette.responses import Response

from spinecoach.domain.accounts import Principal, Role
from spinecoach.services.accounts import ActiveSession, SignedIn, same_token

SESSION_COOKIE = "sc_session"
ANON_CSRF_COOKIE = "sc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

# Content Security Policy: our own scripts only; MediaPipe's wasm needs 'wasm-unsafe-eval' and
# its Emscripten loader 'unsafe-eval' (no inline script anywhere, so XSS stays contained).
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; "
    "style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


class LoginRequired(Exception):
    """No valid session: pages redirect to the sign-in page, APIs answer 401."""


class Forbidden(Exception):
    """Signed in, but this page is for another role."""


class CsrfFailed(Exception):
    """A state-changing request without the right CSRF token."""


@dataclass(frozen=True)
class Visitor:
    """Who is asking: the session (None when signed out) and the CSRF token for their forms."""

    session: ActiveSession | None
    csrf_token: str

    @property
    def principal(self) -> Principal:
        if self.session is None:
            raise LoginRequired
        return self.session.principal

    def require(self, role: Role) -> Principal:
        principal = self.principal
        if principal.role is not role:
            raise Forbidden(role.value)
        return principal


def visitor(request: Request) -> Visitor:
    """The visitor of this request (set by the middleware in app.py)."""
    found: Visitor = request.state.visitor
    return found


def anonymous_csrf(request: Request) -> str:
    """The double-submit token for forms shown before sign-in (new if the cookie is absent)."""
    return request.cookies.get(ANON_CSRF_COOKIE) or secrets.token_urlsafe(32)


async def check_csrf(request: Request) -> None:
    """Refuse a POST whose form field or header does not carry the visitor's CSRF token."""
    given = request.headers.get(CSRF_HEADER, "")
    if not given:
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        given = value if isinstance(value, str) else ""
    expected = visitor(request).csrf_token
    if not same_token(given, expected):
        raise CsrfFailed


def start_session(request: Request, response: Response, signed_in: SignedIn) -> None:
    """Give the browser its new session cookie (and drop the pre-sign-in CSRF cookie)."""
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
        max_age=12 * 3600,
    )
    response.delete_cookie(ANON_CSRF_COOKIE, path="/")


def end_session(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")


def same_origin(origin: str | None, host: str | None) -> bool:
    """A WebSocket's Origin header names this very host (scheme aside)."""
    if not origin or not host:
        return False
    return origin.split("://", 1)[-1].rstrip("/") == host
