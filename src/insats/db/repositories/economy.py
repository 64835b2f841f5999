"""Booked costs and revenues, and budgets."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from insats.db.models.economy import BudgetRow, CostEntryRow
from insats.db.repositories._base import TableRepository, add_in_runs, part_for
from insats.domain.common import Money, Period
from insats.domain.economy import AccountCategory, Budget, CostEntry


class CostEntryTable(TableRepository[CostEntry, CostEntryRow]):
    model = CostEntryRow
    label = "Verifikationsraden"

    def to_values(self, entity: CostEntry) -> dict[str, Any]:
        return {
            "id": entity.id,
            "unit_id": entity.unit_id,
            "cost_centre": entity.cost_centre,
            "category": entity.category,
            "booked_on": entity.booked_on,
            "amount_ore": entity.amount.ore,
            "description": entity.description,
            "counterparty": entity.counterparty,
        }

    def to_entity(self, row: CostEntryRow) -> CostEntry:
        return CostEntry(
            id=row.id,
            unit_id=row.unit_id,
            cost_centre=row.cost_centre,
            category=row.category,
            booked_on=row.booked_on,
            amount=Money(row.amount_ore),
            description=row.description,
            counterparty=row.counterparty,
        )


class BudgetTable(TableRepository[Budget, BudgetRow]):
    model = BudgetRow
    label = "Budgetraden"

    def key_of(self, entity: Budget) -> Any:
        return (entity.unit_id, entity.year, entity.month, entity.category)

    def to_values(self, entity: Budget) -> dict[str, Any]:
        return {
            "unit_id": entity.unit_id,
            "year": entity.year,
            "month": entity.month,
            "category": entity.category,
            "amount_ore": entity.amount.ore,
        }

    def to_entity(self, row: BudgetRow) -> Budget:
        return Budget(
            unit_id=row.unit_id,
            year=row.year,
            month=row.month,
            category=row.category,
            amount=Money(row.amount_ore),
        )


class EconomyRepository:
    """Cost entries (``get`` by id) and budgets (``get_budget`` by unit, month, category)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cost_entries = CostEntryTable(session)
        self.budgets = BudgetTable(session)
        self._parts: dict[type[Any], TableRepository[Any, Any]] = {
            CostEntry: self.cost_entries,
            Budget: self.budgets,
        }

    def add(self, entity: CostEntry | Budget) -> None:
        part_for(self._parts, entity).add(entity)

    def add_many(self, entities: Iterable[CostEntry | Budget]) -> int:
        return add_in_runs(self._parts, entities)

    def update(self, entity: CostEntry | Budget) -> None:
        part_for(self._parts, entity).update(entity)

    def get(self, entry_id: str) -> CostEntry | None:
        return self.cost_entries.get(entry_id)

    def get_budget(
        self, unit_id: str, year: int, month: int, category: AccountCategory
    ) -> Budget | None:
        return self.budgets.get((unit_id, year, month, category))

    def entries_of_unit(self, unit_id: str, period: Period) -> list[CostEntry]:
        statement = select(CostEntryRow).where(
            CostEntryRow.unit_id == unit_id, CostEntryRow.booked_on >= period.start
        )
        if period.end is not None:
            statement = statement.where(CostEntryRow.booked_on < period.end)
        return self.cost_entries._list(
            statement.order_by(CostEntryRow.booked_on, CostEntryRow.id)
        )

    def entries_of_category(self, category: AccountCategory, unit_ids: Collection[str],
                            period: Period) -> list[CostEntry]:
        """Booked entries of one account category in the units and ``period``, by date."""
        if not unit_ids:
            return []
        statement = select(CostEntryRow).where(
            CostEntryRow.category == category, CostEntryRow.unit_id.in_(sorted(unit_ids)),
            CostEntryRow.booked_on >= period.start)
        if period.end is not None:
            statement = statement.where(CostEntryRow.booked_on < period.end)
        return self.cost_entries._list(
            statement.order_by(CostEntryRow.booked_on, CostEntryRow.id))

    def entries_of_month(self, unit_id: str, year: int, month: int) -> list[CostEntry]:
        return self.entries_of_unit(unit_id, Period.month(year, month))

    def totals_by_category(
        self, unit_id: str, year: int, month: int
    ) -> dict[AccountCategory, Money]:
        """Booked amount per category for one unit and month, summed in SQL."""
        period = Period.month(year, month)
        rows = self.session.execute(
            select(CostEntryRow.category, func.sum(CostEntryRow.amount_ore))
            .where(
                CostEntryRow.unit_id == unit_id,
                CostEntryRow.booked_on >= period.start,
                CostEntryRow.booked_on < period.end,
            )
            .group_by(CostEntryRow.category)
        ).all()
        return {AccountCategory(category): Money(int(total or 0)) for category, total in rows}

    def budgets_of_unit(self, unit_id: str, year: int) -> list[Budget]:
        return self.budgets._list(
            select(BudgetRow)
            .where(BudgetRow.unit_id == unit_id, BudgetRow.year == year)
            .order_by(BudgetRow.month, BudgetRow.category)
        )
