"""Every public benchmark instance in shared/benchmarks reads, with the sizes its README gives."""

from __future__ import annotations

import pytest

from insats.optimizer.benchmarks.scoring import score_roster
from insats.optimizer.benchmarks.shift_scheduling import read_instance
from tests.benchmark_files import BENCHMARKS as FOLDER
from tests.benchmark_files import needs_benchmarks

pytestmark = needs_benchmarks


@pytest.mark.parametrize("number", range(1, 25))
def test_instance_reads_and_an_empty_roster_is_scored(number: int) -> None:
    instance = read_instance(FOLDER / f"Instance{number}.txt")

    assert instance.horizon % 7 == 0
    assert len(instance.cover) == len({(c.day, c.shift) for c in instance.cover})
    empty = score_roster(instance, [])
    # Nobody works: every cover requirement is missed and every shift-on request unmet.
    assert empty.under_cover == sum(c.requirement * c.under_weight for c in instance.cover)
    assert empty.shift_on_requests == sum(r.weight for r in instance.on_requests)
    assert empty.shift_off_requests == 0 and empty.over_cover == 0


@pytest.mark.parametrize(
    ("number", "staff", "days", "shift_types"),
    [(1, 8, 14, 1), (13, 120, 28, 18), (24, 150, 364, 32)],
)
def test_sizes_match_the_benchmark_description(
    number: int, staff: int, days: int, shift_types: int
) -> None:
    instance = read_instance(FOLDER / f"Instance{number}.txt")
    assert (len(instance.staff), instance.horizon, len(instance.shifts)) == (
        staff, days, shift_types
    )
