"""Reports that are expensive to compute and read often (the overview's key figures, the
hour ledger of a month) are kept for a while and refreshed in the background.

``Recomputed.get(key, compute)`` computes on the first request for a key (other requests
for the same key wait for that one computation). Once the kept value is older than
``ttl`` seconds it is still returned at once, and one background thread computes the new
value; so after the first computation no request waits for a recomputation, and a value is
never more than ``ttl`` plus one computation old. Pages say when their figures were
computed. Use cases that act on the figures (submitting claims) compute afresh instead.

Several server processes (``insats serve --workers N``) share their kept values through
:class:`SharedReports`, a private directory of the server: the first process to need a
value (or a refresh) computes it under a lock on the key's file, writes it, and the other
processes wait for that lock and read the value instead of computing it again. Without it
each of N processes would compute every report itself, all at about the same time every
``ttl`` seconds (a whole department's ledger is seconds of CPU). The directory is made by
the supervisor with mode 0700 (in memory, ``/dev/shm``, where there is one) and removed
when it stops; only the server's own user can write the pickled values it reads.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import pickle
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

V = TypeVar("V")

log = logging.getLogger("insats.report_cache")

SHARED_REPORTS_PREFIX = "insats-rapporter-"


class SharedReports:
    """Kept values shared by the processes of one server: one pickle file per key (and a
    lock file beside it) under ``directory/<cache name>/``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @staticmethod
    def create() -> SharedReports:
        """A new private directory (mode 0700), in memory where the machine has
        ``/dev/shm``, so no report is written to a disk."""
        memory = Path("/dev/shm")
        where = memory if memory.is_dir() and os.access(memory, os.W_OK) else None
        return SharedReports(Path(tempfile.mkdtemp(prefix=SHARED_REPORTS_PREFIX, dir=where)))

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def _path(self, cache: str, key: str) -> Path:
        folder = self.directory / cache
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder / hashlib.sha256(key.encode()).hexdigest()[:40]

    @contextmanager
    def locked(self, cache: str, key: str) -> Iterator[None]:
        """Hold the key's lock (waiting for another process that holds it)."""
        with open(self._path(cache, key).with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def read(self, cache: str, key: str) -> tuple[float, Any] | None:
        """(when computed, as time.time(); the value), or None if no process wrote one."""
        try:
            with open(self._path(cache, key), "rb") as file:
                found: tuple[float, Any] = pickle.load(file)
        except FileNotFoundError:
            return None
        return found

    def write(self, cache: str, key: str, at: float, value: Any) -> None:
        path = self._path(cache, key)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with open(partial, "wb") as file:
            pickle.dump((at, value), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)  # a reader sees the old file or the whole new one

    def forget(self, cache: str) -> None:
        for path in (self.directory / cache).glob("*"):
            if path.suffix != ".lock":
                path.unlink(missing_ok=True)


_shared: SharedReports | None = None


def share_between_processes(reports: SharedReports | None) -> None:
    """Keep every report of this process in ``reports`` (None: in this process only)."""
    global _shared
    _shared = reports


class Recomputed(Generic[V]):
    def __init__(self, *, name: str, ttl: float = 120.0, kept: int = 16) -> None:
        self.name = name
        self.ttl = ttl
        self.kept = kept
        self._values: dict[Hashable, tuple[float, V]] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V], *, shared_as: str | None = None) -> V:
        """The kept value of ``key`` (see the module docstring). ``shared_as`` names the
        key among the server's processes when they share their reports: a text that
        means the same value in every process (``key`` may hold objects of this process)."""
        obtain = self._obtainer(compute, shared_as)
        with self._guard:
            kept = self._values.get(key)
            lock = self._locks.setdefault(key, threading.Lock())
        if kept is not None:
            if time.time() - kept[0] >= self.ttl and lock.acquire(blocking=False):
                threading.Thread(target=self._refresh, args=(key, obtain, lock),
                                 name=f"insats-{self.name}", daemon=True).start()
            return kept[1]
        with lock:  # the first computation of a key; the others wait for its result
            with self._guard:
                kept = self._values.get(key)
            if kept is not None:
                return kept[1]
            at, value = obtain()
            self._keep(key, at, value)
        return value

    def _obtainer(self, compute: Callable[[], V],
                  shared_as: str | None) -> Callable[[], tuple[float, V]]:
        """A function giving (when computed, value): computed here, or, when the processes
        share their reports, read from the shared directory if another process computed
        it less than ``ttl`` ago (waiting for a process computing it now)."""
        shared = _shared
        if shared is None or shared_as is None:
            return lambda: (time.time(), compute())
        name = shared_as

        def obtain() -> tuple[float, V]:
            with shared.locked(self.name, name):
                found = shared.read(self.name, name)
                if found is not None and time.time() - found[0] < self.ttl:
                    return found
                value = compute()
                at = time.time()
                shared.write(self.name, name, at, value)
                return at, value

        return obtain

    def forget(self) -> None:
        """Drop every kept value (after a change that must show at once, and in tests),
        and the values shared with this server's other processes; those processes
        keep theirs until their ``ttl`` has passed."""
        with self._guard:
            self._values.clear()
        if _shared is not None:
            _shared.forget(self.name)

    def _refresh(self, key: Hashable, obtain: Callable[[], tuple[float, V]],
                 lock: threading.Lock) -> None:
        try:
            self._keep(key, *obtain())
        except Exception:  # the old value stays; the next request tries again
            log.exception("%s kunde inte räknas om", self.name)
        finally:
            lock.release()

    def _keep(self, key: Hashable, at: float, value: V) -> None:
        with self._guard:
            self._values[key] = (at, value)
            while len(self._values) > self.kept:
                oldest = min(self._values, key=lambda k: self._values[k][0])
                del self._values[oldest]
                self._locks.pop(oldest, None)
