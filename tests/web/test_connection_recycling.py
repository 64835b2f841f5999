"""Clients are asked to reconnect now and then (web/connections.py), so that the server
processes' kernel-placed connections are placed anew: on a real uvicorn server and client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Coroutine, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from insats.web.connections import FORGET_AFTER, ConnectionRecycling


async def _client_port(scope: Scope, receive: Receive, send: Send) -> None:
    """A tiny application answering with the port of the client's connection."""
    body = str(scope["client"][1]).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def server_url() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = ConnectionRecycling(_client_port, max_age=0.5)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(10)


def test_a_connection_older_than_its_age_is_closed_and_the_client_reconnects(
        server_url: str) -> None:
    with httpx.Client() as client:
        first = client.get(server_url)
        again = client.get(server_url)
        assert first.text == again.text  # one kept connection
        assert "connection" not in again.headers
        time.sleep(0.6)
        closing = client.get(server_url)
        assert closing.status_code == 200 and closing.headers["connection"] == "close"
        assert closing.text == first.text
        after = client.get(server_url)  # a new connection, without an error
        assert after.status_code == 200 and after.text != first.text
        assert "connection" not in after.headers


def _complete(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine that never waits, without an event loop (another test of the
    session may have left one running in this thread, where asyncio.run refuses)."""
    with pytest.raises(StopIteration):
        coroutine.send(None)


def test_connections_are_counted_apart_and_old_ones_forgotten() -> None:
    now = [0.0]
    seen: list[list[tuple[bytes, bytes]]] = []

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            seen.append(list(message["headers"]))  # type: ignore[arg-type]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})

    recycling = ConnectionRecycling(app, max_age=10, clock=lambda: now[0])

    def request(port: int) -> bool:
        scope = {"type": "http", "client": ("192.0.2.1", port)}
        _complete(recycling(scope, None, send))  # type: ignore[arg-type]
        return (b"connection", b"close") in seen[-1]

    assert not request(1000)
    now[0] = 5
    assert not request(1001) and not request(1000)
    now[0] = 10
    assert request(1000)  # ten seconds old: asked to reconnect
    assert not request(1001)  # five seconds old
    assert not request(1000)  # the same address and port again: a new connection
    now[0] = 100
    assert request(1001)
    assert set(recycling.first_seen) == {("192.0.2.1", 1000)}


def test_connections_past_their_age_are_forgotten_when_many_are_remembered() -> None:
    now = [0.0]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("not called")

    recycling = ConnectionRecycling(app, max_age=10, clock=lambda: now[0])
    for port in range(FORGET_AFTER):
        assert not recycling._due("192.0.2.1", port)
    now[0] = 11
    assert not recycling._due("192.0.2.2", 1)  # one more than remembered: the old go
    assert set(recycling.first_seen) == {("192.0.2.2", 1)}
