"""Sign in, sign out, the language switch and the icon browsers ask for.

The sign-in form is protected against login CSRF with a double-submit token: a random
value in a short-lived cookie that the form must echo.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from insats.services.auth import (
    ABSOLUTE_TIMEOUT,
    ActiveSession,
    SignInRefused,
    sign_in,
    sign_out,
)
from insats.web.deps import (
    SESSION_COOKIE,
    client_address,
    csrf_protected,
    uow_factory,
)
from insats.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

LOGIN_CSRF_COOKIE = "insats_login_csrf"


def _safe_next(target: str | None) -> str:
    """Only a local path may be the target after sign-in (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_page(request: Request, *, username: str = "", error: str | None = None,
                next_path: str = "/", status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "auth/login.html",
                      {"login_csrf": token, "username": username, "error": error,
                       "next": next_path}, status_code=status_code)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=1800, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/login")
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, next_path=_safe_next(next))


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""),
          login_csrf: str = Form(""), next: str = Form("/")) -> Response:
    target = _safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), login_csrf.encode()):
        return _login_page(request, username=username, next_path=target, status_code=403,
                           error="Formuläret har gått ut. Försök igen.")
    try:
        signed_in = sign_in(uow_factory(request), username=username.strip(),
                            password=password, remote_addr=client_address(request))
    except SignInRefused as refused:
        status = 429 if refused.code == "auth.rate_limited" else 401
        return _login_page(request, username=username, next_path=target,
                           error=refused.message, status_code=status)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, signed_in.token,
                        max_age=int(ABSOLUTE_TIMEOUT.total_seconds()), httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, session: ActiveSession = Depends(csrf_protected)) -> Response:
    sign_out(uow_factory(request), request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/language/{language}")
def choose_language(request: Request, language: str, back: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(back), status_code=303)
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="lax",
                            secure=request.url.scheme == "https", path="/")
    return response


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico on their own (a PDF or a download opened in a tab);
    the pages link the vendored SVG icon, which this points to."""
    return RedirectResponse("/static/favicon.svg", status_code=301)
