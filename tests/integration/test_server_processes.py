"""`insats serve --workers N`: N processes, each listening on its own socket of one port.

The server runs as a user runs it (a subprocess of the installed command on a migrated
SQLite file). Checks that connections are spread over the processes, that a process that
dies is replaced, that SIGTERM stops every process, and that a taken port is an error
rather than a server that never answers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from insats.cli.server_processes import reuse_port_available
from insats.db.migrate import upgrade
from insats.services.report_cache import SHARED_REPORTS_PREFIX
from tests.conftest import sqlite_url

pytestmark = pytest.mark.skipif(not reuse_port_available() or not Path("/proc").is_dir(),
                                reason="SO_REUSEPORT and /proc (Linux) are needed")

STARTUP_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    """The server processes started by the supervisor (not multiprocessing's helpers)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"spawn_main" in command:
                found.append(int(child))
    return sorted(found)


def _sockets(pid: int) -> set[str]:
    """The process's open sockets (their inodes): counting the new ones, not the total,
    keeps a socket that closes meanwhile (an earlier keep-alive) from hiding a new one."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(FileNotFoundError):  # closed meanwhile
            target = os.readlink(fd)
            if target.startswith("socket:"):
                found.add(target)
    return found


def _listening(port: int) -> int:
    """How many sockets listen on ``port`` (IPv4, from /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for row in rows
               if row.split()[3] == "0A" and int(row.split()[1].split(":")[1], 16) == port)


def _gone(pid: int) -> bool:
    """Ended: no such process, or a zombie waiting for its parent to read its status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _serve(database_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "insats", "serve", "--port", str(port), "--workers",
         str(workers)],
        env={**os.environ, "INSATS_DATABASE_URL": database_url,
             "INSATS_JOBS_IN_PROCESS": "0"},
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def _shared_report_folders() -> set[Path]:
    """The supervisors' folders of shared reports on this machine."""
    return {folder for where in (Path("/dev/shm"), Path(tempfile.gettempdir()))
            for folder in where.glob(f"{SHARED_REPORTS_PREFIX}*")}


def _wait_until(condition: object, what: str, seconds: float = STARTUP_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} within {seconds:.0f} s")


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/login", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def database_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = sqlite_url(tmp_path_factory.mktemp("serve") / "insats.db")
    upgrade(url)
    return url


@pytest.fixture
def server(database_file: str) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """A supervisor of two processes, its URL and its folder of shared reports."""
    port = _free_port()
    before = _shared_report_folders()
    process = _serve(database_file, port, workers=2)
    url = f"http://127.0.0.1:{port}"
    try:
        # both processes listen, each on its own socket, before the test starts
        _wait_until(lambda: len(_children(process.pid)) == 2 and _listening(port) == 2
                    and _answers(url), "two server processes listening and answering")
        made = _shared_report_folders() - before
        assert len(made) == 1
        yield process, url, made.pop()
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _get_login(connection: socket.socket) -> bytes:
    connection.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return connection.recv(64)


def _spread_of_a_burst(process: subprocess.Popen[bytes], port: int) -> dict[int, set[str]]:
    """Make 40 connections at once, as users signing in together, keep them open as a
    browser does, send a request on each, and return each process's open sockets."""
    connections = [socket.create_connection(("127.0.0.1", port), timeout=STARTUP_SECONDS)
                   for _ in range(40)]
    try:
        for connection in connections:
            assert _get_login(connection).startswith(b"HTTP/1.1 200")
        children = _children(process.pid)
        return {pid: _sockets(pid) for pid in children}
    finally:
        for connection in connections:
            connection.close()


def test_a_burst_of_connections_is_spread_over_the_processes(
        server: tuple[subprocess.Popen[bytes], str, Path]) -> None:
    """The kernel completes the connections before any process accepts: on one shared
    socket the first process to wake would accept them all."""
    process, url, _ = server
    before = {pid: _sockets(pid) for pid in _children(process.pid)}
    after = _spread_of_a_burst(process, int(url.rsplit(":", 1)[1]))
    gained = {pid: len(after[pid] - before[pid]) for pid in before}
    # each connection is hashed to one socket: with 40 connections over two processes,
    # fewer than 5 on one process has a chance of about 1 in 10 million
    assert sum(gained.values()) >= 40
    assert min(gained.values()) >= 5, gained


def test_connections_made_while_the_processes_start_are_spread(database_file: str) -> None:
    """The sockets listen before the processes have started: connections made meanwhile
    wait in every socket's queue, not all in the first process that is ready."""
    port = _free_port()
    process = _serve(database_file, port, workers=2)
    try:
        _wait_until(lambda: _listening(port) >= 1, "the port listening")
        sockets = _spread_of_a_burst(process, port)
        assert len(sockets) == 2
        # a process's own sockets: its listening socket and, at most, a few of its own
        counts = {pid: len(open_sockets) for pid, open_sockets in sockets.items()}
        assert min(counts.values()) >= 5 + 1, counts
    finally:
        _stop(process)


def test_a_process_that_dies_is_replaced_and_sigterm_stops_all(
        server: tuple[subprocess.Popen[bytes], str, Path]) -> None:
    """... and the folder of reports the processes shared is removed."""
    process, url, reports = server
    assert stat.S_IMODE(reports.stat().st_mode) == 0o700
    first, second = _children(process.pid)
    os.kill(first, signal.SIGKILL)
    _wait_until(lambda: len(set(_children(process.pid)) - {first}) == 2,
                "a new process in place of the killed one")
    assert second in _children(process.pid)
    port = int(url.rsplit(":", 1)[1])
    _wait_until(lambda: _listening(port) == 2 and _answers(url),
                "two processes listening after the restart")

    children = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert all(_gone(child) for child in children)
    assert not reports.exists()


def _refusal(database_file: str, port: int) -> str:
    """What ``insats serve --workers 2`` prints on ``port``, having exited with code 1."""
    process = _serve(database_file, port, workers=2)
    try:
        code = process.wait(timeout=STARTUP_SECONDS)
    finally:
        _stop(process)
    assert code == 1
    assert process.stdout is not None
    return process.stdout.read().decode()


def test_a_taken_port_is_an_error(database_file: str) -> None:
    with socket.socket() as taken:  # listening without SO_REUSEPORT: no one may share it
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        printed = _refusal(database_file, port)
    assert f"Adressen 127.0.0.1:{port} kan inte användas" in printed


def test_a_second_server_on_the_same_port_is_refused(
        server: tuple[subprocess.Popen[bytes], str, Path], database_file: str) -> None:
    """The first server's sockets share the port, so only the check that nothing answers
    there keeps a second server from joining them."""
    _, url, _ = server
    port = int(url.rsplit(":", 1)[1])
    assert "en server svarar redan" in _refusal(database_file, port)
    assert _listening(port) == 2


def test_the_processes_stop_when_the_supervisor_is_killed(
        server: tuple[subprocess.Popen[bytes], str, Path]) -> None:
    """... and remove the folder of reports the supervisor could not remove."""
    process, url, reports = server
    children = _children(process.pid)
    process.kill()
    process.wait()
    port = int(url.rsplit(":", 1)[1])
    _wait_until(lambda: _listening(port) == 0, "no process left listening", 30)
    _wait_until(lambda: all(_gone(c) for c in children), "the orphaned processes gone", 30)
    assert not reports.exists()
