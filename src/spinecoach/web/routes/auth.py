"""Sign-in, sign-out and accepting an invitation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from spinecoach.domain.errors import InvalidInput
from spinecoach.services.accounts import SignInRefused
from spinecoach.web.app import HOME, render, services_of
from spinecoach.web.security import check_csrf, end_session, start_session

router = APIRouter()


def _safe_next(target: str, fallback: str) -> str:
    """Only a local path (never //host or a scheme): no open redirect after sign-in."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:
    return render(request, "login.html", next=next, error=None)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    client = request.client.host if request.client else "unknown"
    try:
        signed_in = services_of(request).accounts.sign_in(
            username=username, password=password, client=client
        )
    except SignInRefused as error:
        return render(request, "login.html", status_code=401, next=next, error=error.problem)
    home = HOME[signed_in.principal.role.value]
    response = RedirectResponse(_safe_next(next, home), status_code=303)
    start_session(request, response, signed_in)
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    token = request.cookies.get("sc_session", "")
    if token:
        services_of(request).accounts.sign_out(token)
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response


@router.get("/invite/{token}")
def invite_page(request: Request, token: str) -> Response:
    pseudonym = services_of(request).accounts.invite_for(token)
    return render(request, "invite.html", token=token, pseudonym=pseudonym, error=None)


@router.post("/invite/{token}", dependencies=[Depends(check_csrf)])
def accept_invite(
    request: Request,
    token: str,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
    password_again: Annotated[str, Form(max_length=200)],
) -> Response:
    accounts = services_of(request).accounts
    pseudonym = accounts.invite_for(token)
    try:
        if password != password_again:
            raise InvalidInput("password_again", "the two passwords differ")
        signed_in = accounts.accept_invite(token=token, username=username, password=password)
    except InvalidInput as error:
        message = f"{error.field}: {error.problem}"
        return render(
            request, "invite.html", status_code=400, token=token, pseudonym=pseudonym, error=message
        )
    response = RedirectResponse("/today", status_code=303)
    start_session(request, response, signed_in)
    return response
