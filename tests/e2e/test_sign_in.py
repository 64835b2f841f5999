"""Signing in and out in a real browser, the menu per role, and pages without console
errors (a Content-Security-Policy violation shows up as one)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from insats.domain.access import ROLE_LABELS
from tests.e2e.conftest import BrowserLog, LiveServer, sign_in
from tests.web.conftest import ROLES

pytestmark = pytest.mark.browser


def _path_of(url: str, live_server: LiveServer) -> str:
    assert url.startswith(live_server.base_url), url
    return url[len(live_server.base_url):]


@pytest.mark.parametrize("username", ROLES)
def test_each_role_signs_in_through_the_form_and_lands_on_the_overview(
        page: Page, live_server: LiveServer, username: str) -> None:
    sign_in(page, live_server, username)
    assert _path_of(page.url, live_server) == "/"
    account = live_server.demo.accounts[username]
    header = page.locator("header.topbar .who")
    expect(header).to_contain_text(account.display_name)
    expect(header).to_contain_text(ROLE_LABELS[account.role])
    expect(page.locator("header.topbar button", has_text="Logga ut")).to_be_visible()


def test_a_wrong_password_says_why_in_swedish_and_keeps_the_user_name(
        page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "ekonom", "inte-rätt-lösenord")
    assert _path_of(page.url, live_server).startswith("/login")
    expect(page.locator(".error[role=alert]")).to_have_text("Fel användarnamn eller lösenord.")
    expect(page.locator("#username")).to_have_value("ekonom")
    expect(page.locator("#password")).to_have_value("")
    expect(page.locator("header.topbar .who")).to_have_count(0)  # still not signed in


def test_logout_ends_the_session_even_for_a_replayed_cookie(
        page: Page, live_server: LiveServer, browser: Browser) -> None:
    sign_in(page, live_server, "samordnare")
    old_cookies = page.context.cookies()
    assert any(c["name"] == "insats_session" for c in old_cookies)
    with page.expect_navigation():
        page.locator("header.topbar form[action='/logout'] button").click()
    assert _path_of(page.url, live_server).startswith("/login")
    assert not any(c["name"] == "insats_session" for c in page.context.cookies())

    page.goto(live_server.url("/"))
    assert _path_of(page.url, live_server).startswith("/login")

    replay = browser.new_context(base_url=live_server.base_url)
    try:
        replay.add_cookies(old_cookies)  # type: ignore[arg-type]
        replayed = replay.new_page()
        replayed.goto(live_server.url("/"))
        assert _path_of(replayed.url, live_server).startswith("/login")
        expect(replayed.locator("#username")).to_be_visible()
    finally:
        replay.close()


def test_the_committee_has_no_client_menu_and_is_refused_the_client_list(
        page: Page, live_server: LiveServer) -> None:
    sign_in(page, live_server, "namnd")
    menu = page.locator("nav.mainnav")
    expect(menu.get_by_role("link", name="Översikt")).to_be_visible()
    expect(menu.get_by_role("link", name="Brukare", exact=True)).to_have_count(0)
    response = page.goto(live_server.url("/clients"))
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_contain_text("Åtkomst nekad")
    expect(page.locator("body")).not_to_contain_text("Traceback")


def _menu_paths(page: Page) -> list[str]:
    hrefs = page.locator("nav.mainnav a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if h]


@pytest.mark.parametrize("username", ROLES)
def test_every_page_in_the_menu_loads_without_console_errors(
        page: Page, live_server: LiveServer, browser_log: BrowserLog, username: str) -> None:
    sign_in(page, live_server, username)
    paths = _menu_paths(page)
    assert "/" in paths
    visited = []
    for path in paths:
        response = page.goto(live_server.url(path))
        page.wait_for_load_state("load")
        assert response is not None
        assert response.status == 200, f"{path}: {response.status}"
        visited.append(path)
    assert browser_log.console_errors == [], f"{username} on {visited}"


def test_the_sign_in_page_has_a_strict_content_security_policy(
        page: Page, live_server: LiveServer, browser_log: BrowserLog) -> None:
    response = page.goto(live_server.url("/login"))
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self'(;|$)", policy)
    assert "unsafe-inline" not in policy
    assert browser_log.console_errors == []
