"""Several server processes on one port, each listening on a socket of its own.

uvicorn's own ``--workers`` shares one listening socket between its processes. The
process whose event loop wakes first accepts every connection waiting (asyncio accepts up
to the backlog at a time), and a browser or client keeps its connection for many requests,
so under a burst of sign-ins one process ends up serving most users on one core while the
others idle (measured: one of four processes used 96 s of CPU, the other three 16–17 s
each, in the same load; docs/benchmarks.md, "Server processes that share the load").

Here every process serves a socket of its own, bound to the same address with
``SO_REUSEPORT``, and the kernel spreads new connections evenly over the sockets (by a hash
of the connection's addresses). The supervisor binds the sockets, starts the processes,
restarts one that dies, and stops them all on SIGINT or SIGTERM. Where ``SO_REUSEPORT`` is
missing (not Linux or BSD), :func:`reuse_port_available` is false and ``insats serve`` uses
uvicorn's workers.

The processes share their kept reports (the key figures, the ledger of a month) through a
private directory the supervisor makes and removes (``services.report_cache``), so one
process computes each report and the others read it.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

from insats.services.report_cache import SharedReports, share_between_processes

# A process that ends within this many seconds of its own start failed to start; after
# this many such failures in a row (the database unreachable, say) the supervisor stops
# rather than restarting for ever.
STARTUP_SECONDS = 10.0
FAILED_STARTS = 3
CHECK_EVERY = 0.5
ORPHAN_CHECK_EVERY = 1.0
BACKLOG = 2048  # uvicorn's default

# How long a thread holding the GIL may run before another thread that wants it gets it
# (Python's default: 5 ms). A request thread that gets an answer from the database must
# take the GIL back; while another request of the same process computes, it waited up to
# 5 ms after each of a page's 5-17 statements. 1 ms cut the all-pages p95 of the load
# benchmark from 123-156 ms to 106 ms (docs/benchmarks.md, "Web load").
SWITCH_INTERVAL_SECONDS = 0.001


def tune_for_serving() -> None:
    """Set this server process's interpreter for many short requests in threads."""
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


def reuse_port_available() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def in_use(host: str, port: int) -> bool:
    """Whether a server already answers on ``host:port``. With ``SO_REUSEPORT`` a second
    server started on the port would otherwise join the first and share its connections
    (two versions of the application answering at random)."""
    target = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    try:
        with socket.create_connection((target, port), timeout=1.0):
            return True
    except OSError:
        return False


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other processes may bind too."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, protocol)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def _stop_when_orphaned(parent: int, reports: SharedReports | None) -> None:
    """Stop this process (as SIGTERM would) once its supervisor is gone, even if the
    supervisor was killed and could not stop it; the shared reports, which the
    supervisor would have removed, are removed."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_EVERY)
    if reports is not None:
        reports.remove()
    os.kill(os.getpid(), signal.SIGTERM)


def _serve_one(app: str, sock: socket.socket, options: dict[str, Any], parent: int,
               reports: SharedReports | None) -> None:
    """One server process (the target of each child), on its socket from the supervisor,
    sharing its kept reports with the other processes."""
    import uvicorn

    tune_for_serving()
    share_between_processes(reports)
    threading.Thread(target=_stop_when_orphaned, args=(parent, reports), name="insats-orphan",
                     daemon=True).start()
    config = uvicorn.Config(app, factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Owns one listening socket per process. The sockets listen before any process has
    started, so connections made while the processes start (or while one is restarted)
    wait in their socket's queue, spread as evenly as later ones, instead of all going to
    the first process that is ready."""

    def __init__(self, app: str, host: str, port: int, processes: int,
                 options: dict[str, Any]) -> None:
        self.app = app
        self.address = (host, port)
        self.options = {"host": host, "port": port, **options}
        self.count = processes
        self.context = multiprocessing.get_context("spawn")
        self.sockets: list[socket.socket] = []
        self.children: list[tuple[BaseProcess, float]] = []
        self.stopping = False
        self.reports: SharedReports | None = None  # made by run()

    def _start(self, index: int) -> tuple[BaseProcess, float]:
        child = self.context.Process(
            target=_serve_one,
            args=(self.app, self.sockets[index], self.options, os.getpid(), self.reports),
            name=f"insats-serve-{index}", daemon=False)
        child.start()
        return child, time.monotonic()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        """Serve until SIGINT or SIGTERM; the exit code (non-zero when the processes
        failed to start :data:`FAILED_STARTS` times in a row).

        Raises:
            OSError: a server already answers on the address, or it cannot be bound
                (not an address of this machine, say).
        """
        if in_use(*self.address):
            raise OSError(errno.EADDRINUSE, "en server svarar redan på adressen")
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        failed_in_a_row = 0
        self.reports = SharedReports.create()
        try:
            for _ in range(self.count):
                sock = listening_socket(*self.address)
                sock.listen(BACKLOG)
                self.sockets.append(sock)
            self.children = [self._start(index) for index in range(self.count)]
            while not self.stopping:
                time.sleep(CHECK_EVERY)
                for index, (child, started) in enumerate(self.children):
                    if child.is_alive() or self.stopping:
                        continue
                    child.join()
                    if time.monotonic() - started < STARTUP_SECONDS:
                        failed_in_a_row += 1
                        if failed_in_a_row >= FAILED_STARTS:
                            return child.exitcode or 1
                    else:
                        failed_in_a_row = 0
                    self.children[index] = self._start(index)
            return 0
        finally:
            for child, _ in self.children:
                if child.is_alive():
                    child.terminate()  # SIGTERM: uvicorn finishes the requests under way
            for child, _ in self.children:
                child.join(30)
                if child.is_alive():
                    child.kill()
                    child.join()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            for sock in self.sockets:
                sock.close()
            if self.reports is not None:
                self.reports.remove()


def serve_processes(app: str, *, host: str, port: int, processes: int,
                    **options: Any) -> int:
    """Run ``processes`` uvicorn servers of the application factory ``app`` on
    ``host:port``; ``options`` are passed to each uvicorn.Config. Returns the exit code.

    Raises:
        OSError: a server already answers on the address, or it cannot be bound.
    """
    return Supervisor(app, host, port, processes, options).run()
