"""The pool simulation read from the database, on each backend: who covered what (with
rejected and corrected entries and unstaffed shifts), who may run it, and the access log.
The check against the demo's recorded history is in test_pool_demo.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.common import Period
from insats.domain.pool_model import CoverSource
from insats.domain.pool_simulation import CoverPolicy
from insats.services.pool_simulation import pool_basis, simulate_pool
from insats.services.uow import UnitOfWork
from tests.pool_world import FIRST, RECORDED, TODAY, build_pool_world

Factory = Callable[[], UnitOfWork]
HEAD = Caller(Viewer("a1", "avd", "Avdelningschef", Role.DEPARTMENT_HEAD), route="test")
CONTROLLER = Caller(Viewer("a4", "eko", "Ekonom", Role.CONTROLLER), route="test")
MANAGER = Caller(Viewer("a2", "ec", "Enhetschef", Role.UNIT_MANAGER, frozenset({"U01"})))


@pytest.fixture
def world(uow_factory: Factory) -> Factory:
    with uow_factory() as uow:
        build_pool_world(uow)
        uow.commit()
    return uow_factory


def test_the_history_counts_each_kind_of_cover_once(world: Factory) -> None:
    basis = pool_basis(world, caller=HEAD, today=TODAY)

    model = basis.model
    assert basis.history == Period(FIRST, dt.date(2026, 4, 1))
    assert model.history_weeks == 12 and model.pool_size == 1
    assert {s.value: m for s, m in model.recorded.items()} == RECORDED
    assert model.staff == 6  # E0001–E0005 and C1; P1 is hourly
    assert basis.costs.per_hour[CoverSource.POOL] == pytest.approx(17_250 * 1.4)
    assert basis.costs.per_hour[CoverSource.COLLEAGUE] == 0
    assert basis.min_shifts_per_month == 4


def test_the_simulation_reports_every_size_and_today_and_validates(world: Factory) -> None:
    report = simulate_pool(world, caller=HEAD, sizes=[0, 2], runs=200, seed=1,
                           policies=list(CoverPolicy), today=TODAY)

    for outcome in report.simulation.policies:
        assert [s.size for s in outcome.sizes] == [0, 1, 2]
    check = report.validation
    assert (check.policy, check.size) == (CoverPolicy.POOL_FIRST, 1)
    assert check.recorded_overtime == pytest.approx(720 * 52 / 12)


def test_a_department_wide_role_may_simulate_but_not_a_unit_manager(world: Factory) -> None:
    assert pool_basis(world, caller=CONTROLLER, today=TODAY).model.pool_size == 1
    with pytest.raises(AccessDenied):
        pool_basis(world, caller=MANAGER, today=TODAY)


def test_the_aggregate_read_is_logged_per_unit_and_kind(world: Factory) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)

    pool_basis(world, caller=HEAD, today=TODAY)

    with world() as uow:
        events = uow.audit.between(before, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    assert sorted((e.object_kind, e.unit_id, e.object_id, e.username) for e in events) == [
        ("absence", "U01", None, "avd"), ("absence", "U02", None, "avd"),
        ("time_entry", "U01", None, "avd"), ("time_entry", "U02", None, "avd")]


def test_without_reported_time_there_is_nothing_to_simulate(uow_factory: Factory) -> None:
    with pytest.raises(Exception) as refused:
        pool_basis(uow_factory, caller=HEAD, today=TODAY)
    assert getattr(refused.value, "code", "") == "pool.history"
