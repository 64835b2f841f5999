"""Reports that are expensive to compute and read often (the overview's key figures, the
hour ledger of a month) are kept for a while and refreshed in the background.

``Recomputed.get(key, compute)`` computes on the first request for a key (other requests
for the same key wait for that one computation). Once the kept value is older than
``ttl`` seconds it is still returned at once, and one background thread computes the new
value; so after the first computation no request waits for a recomputation, and a value is
never more than ``ttl`` plus one computation old. Pages say when their figures were
computed. Use cases that act on the figures (submitting claims) compute afresh instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

log = logging.getLogger("insats.report_cache")


class Recomputed(Generic[V]):
    def __init__(self, *, name: str, ttl: float = 120.0, kept: int = 16) -> None:
        self.name = name
        self.ttl = ttl
        self.kept = kept
        self._values: dict[Hashable, tuple[float, V]] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        with self._guard:
            kept = self._values.get(key)
            lock = self._locks.setdefault(key, threading.Lock())
        if kept is not None:
            if time.monotonic() - kept[0] >= self.ttl and lock.acquire(blocking=False):
                threading.Thread(target=self._refresh, args=(key, compute, lock),
                                 name=f"insats-{self.name}", daemon=True).start()
            return kept[1]
        with lock:  # the first computation of a key; the others wait for its result
            with self._guard:
                kept = self._values.get(key)
            if kept is not None:
                return kept[1]
            value = compute()
            self._keep(key, value)
        return value

    def forget(self) -> None:
        """Drop every kept value (after a change that must show at once, and in tests)."""
        with self._guard:
            self._values.clear()

    def _refresh(self, key: Hashable, compute: Callable[[], V], lock: threading.Lock) -> None:
        try:
            self._keep(key, compute())
        except Exception:  # the old value stays; the next request tries again
            log.exception("%s kunde inte räknas om", self.name)
        finally:
            lock.release()

    def _keep(self, key: Hashable, value: V) -> None:
        with self._guard:
            self._values[key] = (time.monotonic(), value)
            while len(self._values) > self.kept:
                oldest = min(self._values, key=lambda k: self._values[k][0])
                del self._values[oldest]
                self._locks.pop(oldest, None)
