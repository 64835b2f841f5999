"""Fixtures for the browser tests: the demo department served by uvicorn on a free port,
and Debian's headless chromium driven by Playwright.

The demo database (three months of history and the demo accounts) is built once per
session and backend with the same builder as the web tests, then served by a real
uvicorn server in a background thread, so the browser talks HTTP to the application as
a user would. Chromium is never downloaded: the tests use /usr/bin/chromium and are
skipped when it is missing, unless ``INSATS_REQUIRE_BROWSER=1`` (set by CI) makes that a
failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.conftest import BACKENDS
from tests.web.conftest import DemoWeb, demo_on_postgresql, demo_on_sqlite

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}
STARTUP_TIMEOUT_S = 30.0


# --- the application on a real port -------------------------------------------------------
class _ServerThread:
    """uvicorn serving ``app`` on an already bound socket, in a daemon thread."""

    def __init__(self, app: FastAPI) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.socket]},
                                       name=f"uvicorn-{self.port}", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.server.started:
                try:
                    if httpx.get(f"{self.base_url}/login", timeout=2).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            if not self.thread.is_alive():
                break
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"the web server did not answer on {self.base_url} within "
                    f"{STARTUP_TIMEOUT_S:.0f} s")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@dataclass(frozen=True)
class LiveServer:
    """A running server on the demo department and the facts about it tests need."""

    base_url: str
    backend: str
    demo: DemoWeb

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture(scope="session")
def _e2e_demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> DemoWeb:
    return demo_on_sqlite(tmp_path_factory, "e2e")


@pytest.fixture(scope="session")
def _e2e_demo_postgresql() -> Iterator[DemoWeb]:
    with demo_on_postgresql("insats_e2e") as demo:
        yield demo


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The demo department served over HTTP, on each backend in turn."""
    demo: DemoWeb = request.getfixturevalue(f"_e2e_demo_{request.param}")
    server = _ServerThread(demo.app)
    server.start()
    try:
        yield LiveServer(server.base_url, request.param, demo)
    finally:
        server.stop()


# --- the browser ----------------------------------------------------------------------------
def _chromium_or_skip() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("INSATS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"INSATS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing "
                    "(apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = _chromium_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable),
                                              args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class BrowserLog:
    """What the page said in its console, and uncaught script errors."""

    console_errors: list[str]

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({location})")


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog([])


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, browser_log: BrowserLog) -> Iterator[Page]:
    """A fresh browser context (no cookies) at laptop size, Swedish, with its console
    errors and uncaught exceptions collected in ``browser_log``."""
    context = browser.new_context(viewport=LAPTOP, locale="sv-SE",  # type: ignore[arg-type]
                                  base_url=live_server.base_url)
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    new_page.on("console", browser_log.record)
    new_page.on("pageerror", lambda error: browser_log.console_errors.append(
        f"uncaught: {error}"))
    try:
        yield new_page
    finally:
        context.close()


def sign_in(page: Page, live_server: LiveServer, username: str,
            password: str | None = None, *, start: str = "/") -> None:
    """Sign in through the real form, starting from ``start`` (which redirects there)."""
    account = live_server.demo.accounts[username]
    page.goto(live_server.url(start))
    assert "/login" in page.url, f"expected the sign-in page, got {page.url}"
    page.fill("#username", username)
    page.fill("#password", account.password if password is None else password)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")


def screenshot_dir(config: pytest.Config) -> Path:
    path = config.rootpath / "test-output" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
