"""The approval queue checks units in batches (``services.time_approval.month_batches``):
whatever the batch size, every entry gets the flags that one check of the whole department
gives it (seed 7's demo department, October 2026, both backends)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.db.repositories.time_checks import entries_of_groups
from insats.domain.calendar import local_datetime
from insats.domain.common import Period
from insats.domain.time_checks import TimeFlag, counting
from insats.services import time_approval
from insats.services.time_approval import flags_of, month_batches
from insats.services.uow import UnitOfWork

OCTOBER = Period.month(2026, 10)


def _key(flag: TimeFlag) -> tuple[str, tuple[str, ...], str]:
    return flag.code.value, flag.entry_ids, flag.text


def _check(factory: Callable[[], UnitOfWork], batch_groups: int,
           monkeypatch: pytest.MonkeyPatch,
           ) -> tuple[list[tuple[str, ...]], dict[str, list[tuple[str, tuple[str, ...], str]]]]:
    monkeypatch.setattr(time_approval, "BATCH_GROUPS", batch_groups)
    batches: list[tuple[str, ...]] = []
    flags: dict[str, list[tuple[str, tuple[str, ...], str]]] = {}
    assert OCTOBER.end is not None
    with factory() as uow:
        units = [u.id for u in uow.organisation.units()]
        for batch in month_batches(uow, units, OCTOBER):
            batches.append(batch.unit_ids)
            groups = {g.unit_id for g in batch.groups.values()}
            assert groups <= set(batch.unit_ids)  # whole units, only theirs
            assert [e.id for e in batch.entries] == [e.id for e in entries_of_groups(
                uow.session, batch.groups, local_datetime(OCTOBER.start, dt.time()),
                local_datetime(OCTOBER.end, dt.time()))]
            found = flags_of(uow, counting(batch.entries), OCTOBER, known=batch.entries,
                             read_groups=batch.groups)
            assert not flags.keys() & found.keys()  # each entry checked once
            flags.update({i: sorted(_key(f) for f in fs) for i, fs in found.items()})
    return batches, flags


@pytest.mark.parametrize("batch_groups", [1, 7])
def test_checking_in_batches_flags_what_one_check_of_everything_flags(
        autumn_demo: Callable[[], UnitOfWork], batch_groups: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    whole_batches, whole = _check(autumn_demo, 10**6, monkeypatch)
    batches, flags = _check(autumn_demo, batch_groups, monkeypatch)
    assert len(whole_batches) == 1
    assert len(batches) > 3
    assert [u for b in batches for u in b] == list(whole_batches[0])  # in order, each once
    assert sum(1 for found in whole.values() if found) > 100  # there is something to find
    assert flags == whole


def test_a_batch_is_the_fewest_whole_units_that_reach_the_batch_size(
        autumn_demo: Callable[[], UnitOfWork], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time_approval, "BATCH_GROUPS", 7)
    with autumn_demo() as uow:
        units = [u.id for u in uow.organisation.units()]
        batches = list(month_batches(uow, units, OCTOBER))
        sizes = {unit_id: 0 for unit_id in units}
        for batch in batches:
            for group in batch.groups.values():
                sizes[group.unit_id] += 1
    for batch in batches[:-1]:
        assert sum(sizes[u] for u in batch.unit_ids) >= 7
        assert sum(sizes[u] for u in batch.unit_ids[:-1]) < 7
    assert sum(sizes[u] for u in batches[-1].unit_ids[:-1]) < 7
