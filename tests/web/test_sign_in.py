"""Signing in and out, sessions, rate limiting, CSRF and the security headers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from insats.services.auth import (
    IDLE_TIMEOUT,
    MAX_FAILURES_PER_USER,
    SignInRefused,
    resume_session,
    sign_in,
)
from insats.services.runtime import uow_factory_for
from tests.web.conftest import DemoWeb, form_token

pytestmark = pytest.mark.slow


def _post_login(client: TestClient, username: str, password: str) -> object:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "login_csrf": form_token(page.text, "login_csrf"),
                                       "next": "/clients"}, follow_redirects=False)


def test_pages_redirect_to_sign_in_and_api_answers_401(demo_web: DemoWeb) -> None:
    client = TestClient(demo_web.app)
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    api = client.get("/api/units")
    assert api.status_code == 401 and api.json()["code"] == "auth.required"


def test_sign_in_sets_a_hardened_cookie_and_goes_to_the_asked_page(demo_web: DemoWeb) -> None:
    client = TestClient(demo_web.app)
    account = demo_web.accounts["avdelningschef"]
    response = _post_login(client, account.username, account.password)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/clients"  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"].lower()  # type: ignore[attr-defined]
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_a_wrong_password_keeps_the_user_name_and_says_why_in_swedish(
        demo_web: DemoWeb) -> None:
    client = TestClient(demo_web.app)
    response = _post_login(client, "ekonom", "fel-lösenord-123")
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert "Fel användarnamn eller lösenord" in response.text  # type: ignore[attr-defined]
    assert 'value="ekonom"' in response.text  # type: ignore[attr-defined]


def test_sign_in_is_refused_after_repeated_failures_even_with_the_right_password(
        demo_web: DemoWeb) -> None:
    factory = uow_factory_for(demo_web.url)
    import secrets

    from insats.domain.access import Role
    from insats.services.auth import create_account
    name = f"ratelimit-{secrets.token_hex(3)}"
    create_account(factory, username=name, display_name="Test", role=Role.COMMITTEE,
                   password="rätt-lösenord-123")
    for _ in range(MAX_FAILURES_PER_USER):
        with pytest.raises(SignInRefused) as refused:
            sign_in(factory, username=name, password="fel", remote_addr="10.0.0.9")
        assert refused.value.code == "auth.invalid"
    with pytest.raises(SignInRefused) as limited:
        sign_in(factory, username=name, password="rätt-lösenord-123", remote_addr="10.0.0.9")
    assert limited.value.code == "auth.rate_limited"


def test_a_session_ends_after_30_idle_minutes(demo_web: DemoWeb) -> None:
    factory = uow_factory_for(demo_web.url)
    account = demo_web.accounts["namnd"]
    started = dt.datetime.now(dt.UTC)
    signed = sign_in(factory, username=account.username, password=account.password,
                     remote_addr="10.0.0.1", now=started)
    assert resume_session(factory, signed.token, now=started + dt.timedelta(minutes=29))
    later = started + dt.timedelta(minutes=29) + IDLE_TIMEOUT + dt.timedelta(seconds=1)
    assert resume_session(factory, signed.token, now=later) is None
    # once timed out it stays ended, even if asked with an earlier clock
    assert resume_session(factory, signed.token, now=started) is None


def test_a_session_ends_twelve_hours_after_sign_in_however_active(demo_web: DemoWeb) -> None:
    factory = uow_factory_for(demo_web.url)
    account = demo_web.accounts["namnd"]
    started = dt.datetime.now(dt.UTC)
    signed = sign_in(factory, username=account.username, password=account.password,
                     remote_addr="10.0.0.1", now=started)
    moment = started
    for _ in range(23):  # active every 29 minutes for 11 h 7 min
        moment += dt.timedelta(minutes=29)
        assert resume_session(factory, signed.token, now=moment) is not None
    too_late = started + dt.timedelta(hours=12, seconds=1)
    assert resume_session(factory, signed.token, now=too_late) is None


def test_logout_ends_the_session_on_the_server(
        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("samordnare")
    token = client.cookies.get("insats_session")
    response = client.post("/logout", data={"csrf_token": client.csrf},  # type: ignore[attr-defined]
                           follow_redirects=False)
    assert response.status_code == 303
    replay = TestClient(client.app)
    replay.cookies.set("insats_session", token or "")
    assert replay.get("/", follow_redirects=False).status_code == 303


def test_a_post_without_the_csrf_token_is_refused(
        signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("avdelningschef")
    response = client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert "säkerhetskod" in response.text
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_security_headers_and_no_store(signed_in: Callable[[str], TestClient]) -> None:
    response = signed_in("avdelningschef").get("/")
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    static = TestClient(response.request and signed_in("namnd").app).get("/static/app.css")
    assert static.status_code == 200 and "no-store" not in static.headers["cache-control"]


def test_an_unknown_page_is_a_swedish_404_without_internals(
        signed_in: Callable[[str], TestClient]) -> None:
    response = signed_in("avdelningschef").get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text and "Traceback" not in response.text


def test_the_page_icon_is_linked_and_favicon_ico_points_to_it(demo_web: DemoWeb) -> None:
    client = TestClient(demo_web.app)
    login = client.get("/login")
    assert '<link rel="icon" href="/static/favicon.svg"' in login.text
    asked = client.get("/favicon.ico", follow_redirects=False)
    assert asked.status_code == 301 and asked.headers["location"] == "/static/favicon.svg"
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.text.startswith("<svg")
