"""The pools that price a round's employees: worker processes give what threads give, each
worker keeps its employees from round to round, and a worker's failure is told."""

from __future__ import annotations

import multiprocessing
import random
from types import SimpleNamespace

import pytest

from insats.optimizer import pricers as pricers_module
from insats.optimizer.benchmarks.adapter import to_planning_instance
from insats.optimizer.benchmarks.shift_scheduling import read_instance
from insats.optimizer.model import Prepared
from insats.optimizer.pricers import (
    ProcessPricers,
    ThreadPricers,
    _serve,
    pricers_for,
)
from tests.benchmark_files import BENCHMARKS, needs_benchmarks
from tests.planning_builders import an_employee, an_instance


def _duals(prep: Prepared, seed: int) -> dict[tuple[str, int, str], float]:
    rng = random.Random(seed)
    return {key: rng.uniform(0, 150) for key in prep.demand}


@needs_benchmarks
def test_worker_processes_price_exactly_as_threads_do_round_after_round() -> None:
    prep = Prepared.of(to_planning_instance(read_instance(BENCHMARKS / "Instance7.txt")))
    employees = list(prep.instance.employees)
    mus = {e: 0.0 for e in employees}
    in_threads = ThreadPricers(prep, 2)
    in_processes = ProcessPricers(prep, 2)
    try:
        assert {p.name for p in in_processes.processes} == {
            "insats-pricing-0", "insats-pricing-1"}
        for round_ in range(3):  # the Lagrangian prices carry over between rounds
            duals = _duals(prep, round_)
            # a subset in another order, as a dive asks: answers come back in that order
            asked = employees[::-1] if round_ != 1 else employees[3:9]
            expected = in_threads.price(asked, duals, mus, 1.0, 0, False)
            got = in_processes.price(asked, duals, mus, 1.0, 0, False)
            assert got == expected
            assert all(found for found, _, _ in got)
        assert in_processes.without_programme == in_threads.without_programme == frozenset()
    finally:
        in_threads.close()
        in_processes.close()
    assert all(not p.is_alive() for p in in_processes.processes)
    # each worker told its peak memory on closing (numpy and OR-tools alone take more)
    assert pricers_module.workers_peak_mib() > 2 * 40


def test_small_instances_are_priced_in_threads_and_large_ones_in_processes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    staff = tuple(an_employee(f"E{i}") for i in range(4))
    prep = Prepared.of(an_instance(7, employees=staff))
    small = pricers_for(prep, workers=2)
    small.close()
    assert isinstance(small, ThreadPricers)
    monkeypatch.setattr(pricers_module, "PROCESS_MIN_EMPLOYEE_DAYS", 28)
    large = pricers_for(prep, workers=2)
    large.close()
    assert isinstance(large, ProcessPricers)
    alone = pricers_for(prep, workers=1)  # one worker: no process to gain from
    alone.close()
    assert isinstance(alone, ThreadPricers)
    # a multiprocessing pool's worker is daemonic and may not start processes
    monkeypatch.setattr(pricers_module.multiprocessing, "current_process",
                        lambda: SimpleNamespace(daemon=True))
    in_a_pool = pricers_for(prep, workers=2)
    in_a_pool.close()
    assert isinstance(in_a_pool, ThreadPricers)


def test_a_worker_that_fails_sends_its_traceback_and_the_parent_raises_it() -> None:
    prep = Prepared.of(an_instance(7))
    ours, theirs = multiprocessing.Pipe()
    ours.send((["nobody"], {}, {}, 1.0, 0, False, False))
    _serve(theirs, prep, ["A"])  # runs here: builds A, answers, then fails on "nobody"
    kind, without = ours.recv()
    assert (kind, without) == ("ok", [])
    with pytest.raises(RuntimeError, match="prissättningsprocess") as raised:
        pricers_module._answer(ours)
    assert "KeyError: 'nobody'" in str(raised.value)
