"""The administrator's page: accounts and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from spinecoach.domain.accounts import Role
from spinecoach.domain.errors import InvalidInput
from spinecoach.web.app import render, services_of
from spinecoach.web.security import check_csrf, visitor

router = APIRouter(prefix="/admin")
Field = Annotated[str, Form(max_length=200)]


@router.get("")
def admin(request: Request) -> Response:
    principal = visitor(request).require(Role.ADMIN)
    accounts = services_of(request).accounts
    return render(
        request,
        "admin/admin.html",
        users=accounts.users(principal=principal),
        events=accounts.audit_log(principal=principal, limit=200),
    )


@router.post("/users", dependencies=[Depends(check_csrf)])
def create_user(
    request: Request, username: Field, password: Field, role: Field, display_name: Field = ""
) -> Response:
    principal = visitor(request).require(Role.ADMIN)
    try:
        wanted = Role(role)
    except ValueError:
        raise InvalidInput("role", "must be clinician or admin") from None
    services_of(request).accounts.create_user(
        principal=principal,
        username=username,
        password=password,
        role=wanted,
        display_name=display_name,
    )
    return RedirectResponse("/admin?created=1", status_code=303)


@router.post("/users/{username}/active", dependencies=[Depends(check_csrf)])
def set_active(request: Request, username: str, active: Field) -> Response:
    principal = visitor(request).require(Role.ADMIN)
    services_of(request).accounts.set_active(
        principal=principal, username=username, active=active == "yes"
    )
    return RedirectResponse("/admin", status_code=303)
