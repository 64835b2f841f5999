"""Rendering pages: one Jinja2 environment with Swedish formats and the translator.

``render`` answers an htmx request (header ``HX-Request``) with the page's content block
only, so the same route serves the full page and its partial. Every rendered page is
marked ``Cache-Control: no-store`` (they may hold personal data).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from insats.domain.access import ROLE_LABELS, Capability
from insats.web import formats
from insats.web.i18n import DEFAULT_LANGUAGE, LANGUAGE_COOKIE, LANGUAGES, translator


def make_templates() -> Jinja2Templates:
    # The templates ship with the package and never change while serving: no file check
    # on every render (auto_reload).
    environment = Environment(loader=PackageLoader("insats.web", "templates"),
                              autoescape=select_autoescape(["html", "svg"]),
                              trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    environment.filters.update(formats.FILTERS)
    environment.globals.update(Capability=Capability, ROLE_LABELS=ROLE_LABELS)
    return Jinja2Templates(env=environment)


def language_of(request: Request) -> str:
    language = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    language = language_of(request)
    session = getattr(request.state, "session", None)
    values: dict[str, Any] = {
        "request": request,
        "_": translator(language),
        "language": language,
        "partial": is_htmx(request) and request.headers.get("HX-Target") != "body",
        "viewer": session.viewer if session else None,
        "csrf_token": session.csrf_token if session else "",
        "path": request.url.path,
    }
    values.update(context or {})
    response = templates.TemplateResponse(request, template, values, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response
