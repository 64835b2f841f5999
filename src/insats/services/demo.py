"""Use case: load the deterministic demo department into the database, all or nothing."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from insats.db.maintenance import (
    REFERENCE_TABLES,
    empty_tables,
    has_department,
    refresh_statistics,
)
from insats.demo import DemoDepartment, content_hash, generate_department
from insats.demo.shards import SHARD_SCALE, combined_hash, generate_shards, shard_scales
from insats.domain.common import DomainError, Period
from insats.services.rules import add_missing_bundled_parameters
from insats.services.uow import UnitOfWork

DEMO_HISTORY = Period(dt.date(2025, 1, 1), dt.date(2026, 11, 1))


def recent_history(months: int | None) -> Period:
    """The demo's last ``months`` months (all of it when None or longer), for trials at a
    large scale."""
    assert DEMO_HISTORY.end is not None
    start = DEMO_HISTORY.end
    for _ in range(months or 0):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    if months is None or start < DEMO_HISTORY.start:
        return DEMO_HISTORY
    return Period(start, DEMO_HISTORY.end)

COUNT_LABELS: dict[str, str] = {
    "units": "Enheter",
    "providers": "Anordnare",
    "clients": "Brukare",
    "decisions": "Beslut",
    "employees": "Anställda",
    "groups": "Assistansgrupper",
    "memberships": "Gruppmedlemskap",
    "templates": "Schemarader",
    "shifts": "Planerade pass",
    "time_entries": "Tidrapporter",
    "absences": "Frånvaroperioder",
    "activities": "Möten och utbildningar",
    "cost_entries": "Bokförda poster",
    "budgets": "Budgetposter",
    "actions": "Åtgärder",
    "contracts": "Avtal",
    "stays": "Vistelser",
    "action_targets": "Mål för åtgärder",
    "action_follow_ups": "Uppföljningar av åtgärder",
    "premises": "Lokaler",
    "premises_uses": "Nyttjanden av lokaler",
    "petty_cash_cards": "Handkassekort",
    "card_purchases": "Kortköp",
    "expense_claims": "Utlägg",
}


@dataclass(frozen=True, slots=True)
class DemoLoadReport:
    skipped: bool
    counts: dict[str, int]
    content_hash: str
    seconds: float


def load_demo_department(
    uow_factory: Callable[[], UnitOfWork],
    *,
    seed: int = 2026,
    scale: int = 1,
    replace: bool = False,
    if_empty: bool = False,
    history: Period = DEMO_HISTORY,
    shard_scale: int = SHARD_SCALE,
    on_shard: Callable[[int, int], None] | None = None,
) -> DemoLoadReport:
    """Generate the demo department and store it in one transaction.

    Above ``shard_scale`` clusters the department is generated and stored shard by shard
    (``demo.shards``): each shard is written and dropped before the next is made, so
    memory stays that of one shard, while all of them go into the same transaction, so
    a failure anywhere (or an interrupted load) leaves the database as it was.

    Args:
        replace: empty the department data first (rule parameters are kept).
        if_empty: do nothing when a department is already stored.
        history: the months of schedules, time and costs to generate (tests use less).
        shard_scale: the most clusters generated at once (tests make it small).
        on_shard: told (shards stored, shards in all) after each shard, for progress.

    Raises:
        DomainError: ``demo.not_empty`` when data exists and neither flag is given.
    """
    started = time.perf_counter()
    with uow_factory() as uow:
        if has_department(uow.session):
            if if_empty:
                return DemoLoadReport(True, {}, "", time.perf_counter() - started)
            if not replace:
                raise DomainError(
                    "demo.not_empty",
                    "Databasen innehåller redan en avdelning. Använd --replace för att "
                    "ersätta den eller --if-empty för att behålla den.",
                )
            empty_tables(uow.session.connection(), keep=REFERENCE_TABLES)
        add_missing_bundled_parameters(uow)
        counts: dict[str, int] = {}
        hashes: list[str] = []
        total = len(shard_scales(scale, shard_scale))
        for shard in _departments(seed, scale, history, shard_scale):
            for label, count in _store(uow, shard, first=not hashes).items():
                counts[label] = counts.get(label, 0) + count
            hashes.append(content_hash(shard))
            del shard
            if on_shard is not None:
                on_shard(len(hashes), total)
        uow.commit()
        engine = uow.session.get_bind()
    refresh_statistics(engine)  # type: ignore[arg-type]
    return DemoLoadReport(False, counts, combined_hash(hashes),
                          time.perf_counter() - started)


def _departments(seed: int, scale: int, history: Period,
                 shard_scale: int) -> Iterator[DemoDepartment]:
    """The department in one piece up to ``shard_scale`` clusters (through this module's
    ``generate_department``, which the test session caches), else its shards."""
    end = history.end or history.start
    if len(shard_scales(scale, shard_scale)) == 1:
        yield generate_department(seed=seed, scale=scale, start=history.start, end=end)
    else:
        yield from generate_shards(seed=seed, scale=scale, start=history.start, end=end,
                                   shard_scale=shard_scale)


def _store(uow: UnitOfWork, department: DemoDepartment, *,
           first: bool = True) -> dict[str, int]:
    """Write every collection through its repository; returns Swedish label → count.
    A later shard (not ``first``) shares the first one's department row."""
    heads = [department.department] if first else []
    uow.organisation.add_many([*heads, *department.units])
    writes: list[tuple[str, Callable[[], int]]] = [
        ("units", lambda: len(department.units)),
        ("providers", lambda: uow.providers.add_many(department.providers)),
        ("clients", lambda: uow.clients.add_many(department.clients)),
        ("employees", lambda: uow.staff.add_many(department.employees)),
        ("decisions", lambda: uow.decisions.add_many(department.decisions)),
        ("groups", lambda: uow.scheduling.add_many(department.groups)),
        ("memberships", lambda: uow.scheduling.add_many(department.memberships)),
        ("templates", lambda: uow.scheduling.add_many(department.templates)),
        ("shifts", lambda: uow.scheduling.add_many(department.shifts)),
        ("time_entries", lambda: uow.time_reports.add_many(department.time_entries)),
        ("absences", lambda: uow.absences.add_many(department.absences)),
        ("activities", lambda: uow.activities.add_many(department.activities)),
        ("cost_entries", lambda: uow.economy.add_many(department.cost_entries)),
        ("budgets", lambda: uow.economy.add_many(department.budgets)),
        ("actions", lambda: uow.actions.add_many(department.actions)),
        ("contracts", lambda: uow.contracts.add_many(department.contracts)),
        ("stays", lambda: uow.stays.add_many(department.stays)),
        ("action_targets", lambda: uow.actions.add_many(department.action_targets)),
        ("action_follow_ups", lambda: uow.actions.add_many(department.action_follow_ups)),
        ("premises", lambda: uow.premises.add_many(department.premises)),
        ("premises_uses", lambda: uow.premises.add_many(department.premises_uses)),
        ("petty_cash_cards", lambda: uow.expenses.add_many(department.petty_cash_cards)),
        ("card_purchases", lambda: uow.expenses.add_many(department.card_purchases)),
        ("expense_claims", lambda: uow.expenses.add_many(department.expense_claims)),
    ]
    return {COUNT_LABELS[name]: write() for name, write in writes}
