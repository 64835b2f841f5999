"""Kept reports: computed once, then served stale while one background thread recomputes
them, so no request waits for a recomputation (services.report_cache)."""

from __future__ import annotations

import threading

from insats.services.report_cache import Recomputed


def _join_refreshes() -> None:
    for thread in threading.enumerate():
        if thread.name == "insats-test":
            thread.join(timeout=5)


def test_a_value_is_computed_once_then_refreshed_in_the_background() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    cache: Recomputed[int] = Recomputed(name="test", ttl=3600)
    assert cache.get("k", compute) == 1 and cache.get("k", compute) == 1
    assert len(calls) == 1
    cache.ttl = 0.0
    assert cache.get("k", compute) == 1  # stale, served at once
    _join_refreshes()
    cache.ttl = 3600
    assert cache.get("k", compute) == 2 and len(calls) == 2


def test_concurrent_first_requests_compute_once() -> None:
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow() -> str:
        calls.append(1)
        started.set()
        release.wait(5)
        return "ready"

    cache: Recomputed[str] = Recomputed(name="test")
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", slow)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    started.wait(5)
    release.set()
    for thread in threads:
        thread.join(5)
    assert results == ["ready"] * 4 and len(calls) == 1


def test_a_failed_refresh_keeps_the_old_value() -> None:
    cache: Recomputed[int] = Recomputed(name="test", ttl=0.0)
    assert cache.get("k", lambda: 7) == 7

    def broken() -> int:
        raise RuntimeError("databasen svarar inte")

    assert cache.get("k", broken) == 7
    _join_refreshes()
    assert cache.get("k", broken) == 7


def test_only_the_newest_values_are_kept() -> None:
    cache: Recomputed[str] = Recomputed(name="test", kept=2)
    for key in ("a", "b", "c"):
        cache.get(key, lambda key=key: key)
    recomputed: list[str] = []
    cache.get("a", lambda: recomputed.append("a") or "a2")
    assert recomputed == ["a"]
