"""Request dependencies: who is calling (from the session cookie), what they may do, and
CSRF protection for every request that changes something."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, Request

from insats.domain.access import Caller, Capability, Viewer
from insats.services.auth import ActiveSession, resume_session
from insats.services.runtime import UowFactory

SESSION_COOKIE = "insats_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NotSignedIn(Exception):
    """No valid session: pages redirect to the sign-in page, the API answers 401."""


class CsrfRejected(Exception):
    """A changing request without the session's CSRF token."""


def uow_factory(request: Request) -> UowFactory:
    factory: UowFactory = request.app.state.uow_factory
    return factory


def client_address(request: Request) -> str:
    return request.client.host if request.client else "okänd"


def active_session(request: Request) -> ActiveSession:
    cached = getattr(request.state, "session", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    token = request.cookies.get(SESSION_COOKIE, "")
    session = resume_session(uow_factory(request), token)
    if session is None:
        raise NotSignedIn()
    request.state.session = session
    return session


async def _submitted_csrf(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def csrf_protected(request: Request,
                         session: ActiveSession = Depends(active_session)) -> ActiveSession:
    """The session, after checking the CSRF token on POST, PUT, PATCH and DELETE."""
    if request.method in UNSAFE_METHODS:
        submitted = await _submitted_csrf(request)
        if not hmac.compare_digest(submitted.encode(), session.csrf_token.encode()):
            raise CsrfRejected()
    return session


@dataclass(frozen=True, slots=True)
class Context:
    """What a route handler needs: the caller, the CSRF token and the unit-of-work factory."""

    caller: Caller
    csrf_token: str
    uow_factory: UowFactory

    @property
    def viewer(self) -> Viewer:
        return self.caller.viewer


def requires(capability: Capability | None = None) -> Callable[..., Context]:
    """A dependency: a signed-in caller with ``capability`` (any signed-in caller when None).

    The services check the viewer's scope again; this is the route's first gate.
    """

    def dependency(request: Request,
                   session: ActiveSession = Depends(csrf_protected)) -> Context:
        if capability is not None:
            session.viewer.require(capability)
        route = request.scope.get("route")
        path = getattr(route, "path", request.url.path)
        caller = Caller(session.viewer, client_address(request), f"{request.method} {path}")
        return Context(caller, session.csrf_token, uow_factory(request))

    dependency.__name__ = f"requires_{capability.value if capability else 'sign_in'}"
    return dependency
