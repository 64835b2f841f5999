"""Kept reports shared by the server's processes (services.report_cache.SharedReports):
real processes, a real directory and real file locks."""

from __future__ import annotations

import multiprocessing
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from insats.services.report_cache import Recomputed, SharedReports, share_between_processes

COMPUTE_SECONDS = 0.5


def _get_in_a_process(reports: SharedReports, ttl: float, computed_log: str,
                      results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One server process asking for the report 'k' (the target of a spawned process)."""
    share_between_processes(reports)
    cache: Recomputed[str] = Recomputed(name="rapport", ttl=ttl)

    def compute() -> str:
        with open(computed_log, "a") as log:
            log.write("computed\n")
        time.sleep(COMPUTE_SECONDS)  # long enough for the others to ask meanwhile
        return f"beräknad {time.time()}"

    results.put(cache.get("k", compute, shared_as="k"))


def _ask_at_once(reports: SharedReports, ttl: float, computed_log: Path,
                 processes: int) -> list[str]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    started = [context.Process(target=_get_in_a_process,
                               args=(reports, ttl, str(computed_log), results))
               for _ in range(processes)]
    for process in started:
        process.start()
    answers = [results.get(timeout=60) for _ in started]
    for process in started:
        process.join(30)
        assert process.exitcode == 0
    return answers


def _computations(computed_log: Path) -> int:
    return len(computed_log.read_text().splitlines()) if computed_log.exists() else 0


@pytest.fixture
def reports() -> Iterator[SharedReports]:
    shared = SharedReports.create()
    yield shared
    shared.remove()


def test_processes_asking_at_once_compute_the_report_once(reports: SharedReports,
                                                          tmp_path: Path) -> None:
    computed_log = tmp_path / "computed.txt"
    answers = _ask_at_once(reports, 300.0, computed_log, processes=4)
    assert _computations(computed_log) == 1
    assert len(set(answers)) == 1  # every process shows the one computed value

    later = _ask_at_once(reports, 300.0, computed_log, processes=2)
    assert _computations(computed_log) == 1 and later == answers[:2]


def test_a_report_older_than_its_ttl_is_computed_again_once(reports: SharedReports,
                                                            tmp_path: Path) -> None:
    computed_log = tmp_path / "computed.txt"
    first = _ask_at_once(reports, 2.0, computed_log, processes=1)
    time.sleep(2.5)
    again = _ask_at_once(reports, 2.0, computed_log, processes=3)
    assert _computations(computed_log) == 2
    assert len(set(again)) == 1 and again[0] != first[0]


def test_forgetting_drops_the_shared_value(reports: SharedReports) -> None:
    share_between_processes(reports)
    try:
        calls: list[int] = []

        def compute() -> int:
            calls.append(1)
            return len(calls)

        first: Recomputed[int] = Recomputed(name="rapport", ttl=300)
        other_process: Recomputed[int] = Recomputed(name="rapport", ttl=300)
        assert first.get("k", compute, shared_as="k") == 1
        assert other_process.get("k", compute, shared_as="k") == 1 and len(calls) == 1
        first.forget()
        assert Recomputed(name="rapport", ttl=300).get("k", compute, shared_as="k") == 2
        # a key named only in this process is not shared
        assert Recomputed(name="rapport", ttl=300).get("k", compute) == 3
    finally:
        share_between_processes(None)


def test_the_directory_is_private_and_removed(reports: SharedReports) -> None:
    assert stat.S_IMODE(reports.directory.stat().st_mode) == 0o700
    reports.write("rapport", "k", time.time(), {"brukare": "B1"})
    assert reports.read("rapport", "k") is not None
    reports.remove()
    assert not reports.directory.exists()
