"""Cost entries (bokförda kostnader och intäkter) and budgets per unit and month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError, Money


class AccountCategory(StrEnum):
    WAGES = "lon"
    SOCIAL_FEES = "sociala_avgifter"
    OVERTIME = "overtid"
    SUBSTITUTES = "vikarier"
    TAXI = "taxi"
    PREMISES = "lokaler"
    PETTY_CASH = "handkassa"
    OTHER_COST = "ovrigt"
    FK_REVENUE = "intakt_fk"
    SALES_REVENUE = "intakt_forsaljning"  # other municipalities, region, providers
    INTERNAL_REVENUE = "intakt_intern"


ACCOUNT_LABELS: dict[AccountCategory, str] = {
    AccountCategory.WAGES: "Löner",
    AccountCategory.SOCIAL_FEES: "Sociala avgifter",
    AccountCategory.OVERTIME: "Övertid",
    AccountCategory.SUBSTITUTES: "Vikarier",
    AccountCategory.TAXI: "Taxi",
    AccountCategory.PREMISES: "Lokaler",
    AccountCategory.PETTY_CASH: "Handkassa",
    AccountCategory.OTHER_COST: "Övriga kostnader",
    AccountCategory.FK_REVENUE: "Intäkt Försäkringskassan",
    AccountCategory.SALES_REVENUE: "Försäljning",
    AccountCategory.INTERNAL_REVENUE: "Interna intäkter",
}

REVENUE_CATEGORIES = frozenset(
    {AccountCategory.FK_REVENUE, AccountCategory.SALES_REVENUE, AccountCategory.INTERNAL_REVENUE}
)


@dataclass(frozen=True, slots=True)
class CostEntry:
    """A booked amount; costs are positive, revenues are positive with a revenue category."""

    id: str
    unit_id: str
    cost_centre: str
    category: AccountCategory
    booked_on: dt.date
    amount: Money
    description: str = ""
    counterparty: str = ""

    @property
    def is_revenue(self) -> bool:
        return self.category in REVENUE_CATEGORIES

    @property
    def signed_result(self) -> Money:
        """Effect on the result: revenue adds, cost subtracts."""
        return self.amount if self.is_revenue else -self.amount


@dataclass(frozen=True, slots=True)
class Budget:
    """Budgeted amount for a unit, month and category (costs and revenues both positive)."""

    unit_id: str
    year: int
    month: int
    category: AccountCategory
    amount: Money

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise DomainError("budget.month", "Månaden ska vara 1–12.")
