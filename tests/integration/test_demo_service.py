"""Loading the demo department through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text

from insats.demo import DemoDepartment, content_hash, counts, generate_department
from insats.domain.calendar import local_date
from insats.domain.common import DomainError, Period
from insats.domain.rules import Certainty, ParameterUnit, RuleParameter, bundled_parameters
from insats.domain.time_reports import TimeEntryStatus, TimeKind
from insats.services import demo, summary
from insats.services.uow import UnitOfWork

SHORT_HISTORY = Period(dt.date(2026, 9, 1), dt.date(2026, 11, 1))
TABLE_OF = {
    "units": "units", "providers": "providers", "clients": "clients",
    "decisions": "decisions", "employees": "employees", "groups": "assistance_groups",
    "memberships": "group_memberships", "templates": "shift_templates",
    "shifts": "planned_shifts", "time_entries": "time_entries", "absences": "absences",
    "activities": "activities", "cost_entries": "cost_entries", "budgets": "budgets",
    "actions": "actions", "stays": "client_stays", "contracts": "billing_contracts",
    "action_targets": "action_targets", "action_follow_ups": "action_follow_ups",
}

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture(scope="module")
def generated() -> DemoDepartment:
    return generate_department(seed=7, start=SHORT_HISTORY.start, end=SHORT_HISTORY.end or
                               SHORT_HISTORY.start)


def _table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for name, table in TABLE_OF.items()
        }


def test_every_generated_row_is_stored(
    uow_factory: UowFactory, engine: Engine, generated: DemoDepartment
) -> None:
    report = demo.load_demo_department(uow_factory, seed=7, history=SHORT_HISTORY)

    assert not report.skipped
    assert report.content_hash == content_hash(generated)
    assert _table_counts(engine) == counts(generated)
    with engine.connect() as connection:
        stored_rules = connection.execute(text("SELECT count(*) FROM rule_parameters"))
        assert stored_rules.scalar_one() == len(bundled_parameters())


def test_second_load_is_refused_and_changes_nothing(
    uow_factory: UowFactory, engine: Engine
) -> None:
    demo.load_demo_department(uow_factory, seed=7, history=SHORT_HISTORY)
    before = _table_counts(engine)

    with pytest.raises(DomainError) as error:
        demo.load_demo_department(uow_factory, seed=8, history=SHORT_HISTORY)

    assert error.value.code == "demo.not_empty"
    assert _table_counts(engine) == before
    assert demo.load_demo_department(
        uow_factory, seed=8, history=SHORT_HISTORY, if_empty=True
    ).skipped


def test_replace_loads_the_other_seed_and_keeps_corrected_rules(
    uow_factory: UowFactory, engine: Engine
) -> None:
    demo.load_demo_department(uow_factory, seed=7, history=SHORT_HISTORY)
    corrected = RuleParameter(
        key="fk.schablon_per_hour", valid_from=dt.date(2027, 1, 1), value=35000,
        unit=ParameterUnit.ORE, source="Regeringsbeslut (test)", certainty=Certainty.CONFIRMED,
    )
    with uow_factory() as uow:
        uow.rules.add(corrected)
        uow.commit()

    report = demo.load_demo_department(uow_factory, seed=8, history=SHORT_HISTORY,
                                       replace=True)

    other = generate_department(seed=8, start=SHORT_HISTORY.start,
                                end=SHORT_HISTORY.end or SHORT_HISTORY.start)
    assert report.content_hash == content_hash(other)
    assert _table_counts(engine) == counts(other)
    with uow_factory() as uow:
        assert uow.rules.get((corrected.key, corrected.valid_from)) == corrected


def test_a_failure_half_way_leaves_the_database_empty(
    uow_factory: UowFactory, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from insats.db.repositories.actions import ActionRepository

    def fail(self: object, entities: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ActionRepository, "add_many", fail)  # actions are written last
    with pytest.raises(RuntimeError):
        demo.load_demo_department(uow_factory, seed=7, history=SHORT_HISTORY)

    assert set(_table_counts(engine).values()) == {0}


def test_summary_figures_agree_with_the_generated_department(
    uow_factory: UowFactory, generated: DemoDepartment
) -> None:
    demo.load_demo_department(uow_factory, seed=7, history=SHORT_HISTORY)
    on = dt.date(2026, 11, 1)

    result = summary.department_summary(uow_factory, on=on)

    assert result.month == (2026, 10)
    october = Period.month(2026, 10)
    unit_of_client = {c.id: c.unit_id for c in generated.clients}
    clients_by_unit: dict[str, set[str]] = defaultdict(set)
    for decision in generated.decisions:
        if decision.active_on(on):
            clients_by_unit[unit_of_client[decision.client_id]].add(decision.client_id)
    unit_of_group = {g.id: g.unit_id for g in generated.groups}
    performed: dict[str, int] = defaultdict(int)
    overtime: dict[str, int] = defaultdict(int)
    extra: dict[str, int] = defaultdict(int)
    for entry in generated.time_entries:
        if entry.status is TimeEntryStatus.REJECTED or not october.contains(
            local_date(entry.start)
        ):
            continue
        performed[unit_of_group[entry.group_id]] += entry.worked.value
        if entry.kind is TimeKind.OVERTIME:
            overtime[unit_of_group[entry.group_id]] += entry.worked.value
        if entry.kind is TimeKind.EXTRA:
            extra[unit_of_group[entry.group_id]] += entry.worked.value
    names = {u.id: u.name for u in generated.units}
    by_name = {row.unit_name: row for row in result.units}
    assert set(by_name) == set(names.values())
    for unit_id, name in names.items():
        row = by_name[name]
        assert row.clients == len(clients_by_unit[unit_id]), name
        assert row.performed_minutes == performed[unit_id], name
        assert row.overtime_minutes == overtime[unit_id], name
        assert row.extra_minutes == extra[unit_id], name
    assert result.total.performed_minutes == sum(performed.values()) > 0
    assert result.total.employees == sum(
        1 for e in generated.employees if e.employed_on(on)
    )


def test_summary_of_an_empty_database_says_what_to_do(uow_factory: UowFactory) -> None:
    with pytest.raises(DomainError) as error:
        summary.department_summary(uow_factory, on=dt.date(2026, 11, 22))
    assert error.value.code == "department.empty"
    assert "insats demo load" in error.value.message


def test_a_sharded_load_stores_the_sum_of_its_shards_once_each(
    uow_factory: UowFactory, engine: Engine
) -> None:
    from insats.demo.shards import generate_shards, sharded_hash

    shards = list(generate_shards(seed=7, scale=2, start=SHORT_HISTORY.start,
                                  end=SHORT_HISTORY.end or SHORT_HISTORY.start,
                                  shard_scale=1))
    progress: list[tuple[int, int]] = []

    report = demo.load_demo_department(uow_factory, seed=7, scale=2, history=SHORT_HISTORY,
                                       shard_scale=1, on_shard=lambda *p: progress.append(p))

    expected = {name: sum(counts(shard)[name] for shard in shards) for name in TABLE_OF}
    assert _table_counts(engine) == expected
    assert expected["providers"] == counts(shards[0])["providers"] > 0
    assert expected["actions"] == counts(shards[0])["actions"] > 0
    assert progress == [(1, 2), (2, 2)]
    assert report.content_hash == sharded_hash(
        seed=7, scale=2, start=SHORT_HISTORY.start,
        end=SHORT_HISTORY.end or SHORT_HISTORY.start, shard_scale=1)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM departments")).scalar_one() == 1
        assert connection.execute(text(
            "SELECT count(*) FROM employees WHERE position = 'avdelningschef'")
        ).scalar_one() == 1
        stored_rules = connection.execute(text("SELECT count(*) FROM rule_parameters"))
        assert stored_rules.scalar_one() == len(bundled_parameters())


def test_a_sharded_load_failing_in_a_later_shard_leaves_the_database_empty(
    uow_factory: UowFactory, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from insats.db.repositories.time_reports import TimeEntryRepository

    original = TimeEntryRepository.add_many
    calls: list[int] = []

    def fail_the_second_time(self: TimeEntryRepository, entities: object) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, entities)  # type: ignore[arg-type]

    monkeypatch.setattr(TimeEntryRepository, "add_many", fail_the_second_time)
    with pytest.raises(RuntimeError):
        demo.load_demo_department(uow_factory, seed=7, scale=2, history=SHORT_HISTORY,
                                  shard_scale=1)

    assert len(calls) == 2
    assert set(_table_counts(engine).values()) == {0}


def test_recent_history_is_the_demos_last_months() -> None:
    assert demo.recent_history(3) == Period(dt.date(2026, 8, 1), dt.date(2026, 11, 1))
    assert demo.recent_history(1) == Period(dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    assert demo.recent_history(None) == demo.DEMO_HISTORY
    assert demo.recent_history(40) == demo.DEMO_HISTORY
