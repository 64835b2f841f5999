"""Ask a client to open a new connection now and then, so the server processes share the
load over time and not only by where each client first connected.

`insats serve --workers N` gives each process a socket of its own on the same port
(``cli/server_processes.py``); the kernel places each new connection by a hash of its
addresses, and a browser (or a proxy) keeps its connection for as long as it is used. So a
process that happened to get more of the users at the start keeps them for good: in the
load benchmark eight processes held between 4 and 8 of the 50 users' connections (``ss``
during a run), and runs of the same code differed by half (all pages p95 138 and 206 ms).

The first response on a connection older than :data:`CONNECTION_MAX_AGE_SECONDS` says
``Connection: close``; the client reads the whole response and opens a new connection for
its next request, which the kernel places anew. The server says so in the response, so
no client sends on a connection the server is closing (a short keep-alive timeout spread
the load too, but the server then closed connections as clients sent on them: errors).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONNECTION_MAX_AGE_SECONDS = 20.0
FORGET_AFTER = 4096  # connections remembered before those past their age are forgotten


class ConnectionRecycling:
    """ASGI middleware: ``Connection: close`` on the first response after a connection
    (a client's address and port) is ``max_age`` seconds old."""

    def __init__(self, app: ASGIApp, *, max_age: float = CONNECTION_MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.max_age = max_age
        self.clock = clock
        self.first_seen: dict[tuple[str, int], float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] != "http" or not client:
            await self.app(scope, receive, send)
            return
        if not self._due(client[0], client[1]):
            await self.app(scope, receive, send)
            return

        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()),
                                                  (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, send_closing)

    def _due(self, host: str, port: int) -> bool:
        """Whether this request's response should close its connection."""
        now = self.clock()
        key = (host, port)
        first = self.first_seen.setdefault(key, now)
        if now - first < self.max_age:
            if len(self.first_seen) > FORGET_AFTER:
                self._forget_old(now)
            return False
        del self.first_seen[key]
        return True

    def _forget_old(self, now: float) -> None:
        """Forget connections past their age: most were closed by their clients (one that
        is still open is counted again from its next request)."""
        self.first_seen = {key: first for key, first in self.first_seen.items()
                           if now - first < self.max_age}
