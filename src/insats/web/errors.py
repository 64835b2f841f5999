"""One place that turns errors into answers: a Swedish page for the browser, a JSON body
with a stable code under /api. No stack trace ever reaches a user; unexpected errors are
logged server-side (without personal data in the message) and answered with 500."""

from __future__ import annotations

import contextlib
import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from insats.db.repositories._base import NotFoundError, StaleVersionError
from insats.db.shift_guards import ShiftOverlapError
from insats.domain.access import AccessDenied
from insats.domain.common import DomainError
from insats.services.auth import SignInRefused
from insats.web.deps import CsrfRejected, NotSignedIn, active_session
from insats.web.templating import render

log = logging.getLogger("insats.web")

_STATUS_TEXT = {
    400: "Felaktig begäran",
    401: "Du behöver logga in",
    403: "Åtkomst nekad",
    404: "Sidan finns inte",
    405: "Metoden stöds inte",
    409: "Någon annan har ändrat uppgiften",
    422: "Uppgifterna kunde inte tolkas",
    429: "För många försök",
    500: "Något gick fel",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_response(request: Request, status: int, code: str, message: str,
                   details: dict[str, Any] | None = None) -> Response:
    """``details`` (e.g. what someone else changed) are added to the JSON body; the page
    shows the message, which says the same in Swedish."""
    if wants_json(request):
        return JSONResponse({"code": code, "message": message, **(details or {})},
                            status_code=status, headers={"Cache-Control": "no-store"})
    with contextlib.suppress(NotSignedIn):
        active_session(request)  # so the error page shows the menu of a signed-in user
    return render(request, "errors/page.html",
                  {"status": status, "title": _STATUS_TEXT.get(status, "Fel"), "code": code,
                   "message": message}, status_code=status)


def _status_of(error: DomainError) -> int:
    if isinstance(error, AccessDenied):
        return 403
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, StaleVersionError | ShiftOverlapError):
        return 409
    if isinstance(error, SignInRefused):
        return 429 if error.code == "auth.rate_limited" else 401
    return 400


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _: NotSignedIn) -> Response:
        if wants_json(request):
            return JSONResponse({"code": "auth.required",
                                 "message": "Du behöver logga in."}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, _: CsrfRejected) -> Response:
        return error_response(request, 403, "csrf.invalid",
                              "Formuläret saknar en giltig säkerhetskod. Ladda om sidan och "
                              "försök igen.")

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> Response:
        details = error.details() if isinstance(error, StaleVersionError) else None
        return error_response(request, _status_of(error), error.code, error.message, details)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "?"
                         for e in error.errors()})
        return error_response(request, 422, "request.invalid",
                              "Ogiltiga eller saknade uppgifter: " + ", ".join(fields) + ".")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        status = error.status_code
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, f"http.{status}")
        message = {404: "Sidan eller posten finns inte.",
                   405: "Metoden stöds inte för denna adress."}.get(
            status, _STATUS_TEXT.get(status, "Fel"))
        return error_response(request, status, code, message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.error("Oväntat fel i %s %s: %s", request.method, request.url.path,
                  type(error).__name__, exc_info=error)
        return error_response(request, 500, "internal",
                              "Ett oväntat fel inträffade. Försök igen; kvarstår felet, "
                              "kontakta systemförvaltningen.")
