"""Billing contracts (avtal) and the invoice lines they give for a month.

Sources: domain-rules.md §2 (basansvar: "configurable contract rules with a per-hour
price (often the schablon), a start date, an end date and the reason for stepping in"),
§8 (places bought by other municipalities: "contract-based prices per period"), and
"What the system must encode" items 7–8. No statute sets these prices; they are agreements,
so they are data here, one row per price and period: a price change is a new contract row.

Three kinds are billed from contracts:

- ``PROVIDER_BASANSVAR``: the municipality performed the assistance for a private
  provider's client. Billed: attested time entries (not beredskap) in the client's
  assistance groups that start, Stockholm time, on a day the contract covers, per hour.
  Without a ``client_id`` the contract covers every client whose personal-assistance
  decision in force that day names the contract's provider.
- ``MUNICIPALITY_PLACE``: another municipality's resident stayed at one of our
  korttidshem. Billed: stay days (dygn) per calendar month, per day. A stay counts every
  Stockholm date from its first up to, not including, its last (nights spent); a stay that
  begins and ends on the same date counts one day. Overlapping stays count a date once.
- ``REGION_HSL``: delegated health-care tasks (hälso- och sjukvårdsuppgifter) performed by
  our staff for a client, paid by the region. Time entries do not say which minutes were
  HSL, so the basis is the agreed time per week in the contract, pro rata per day:
  ``minutes = round(agreed minutes per week × billable days / 7)``, where a billable day is
  a day the contract covers on which the client was not in hospital the whole day (the
  region then cares for the client itself).

Rounding: quantities are whole minutes or whole days. A line's amount is
``minutes × price per hour / 60`` (or ``days × price per day``) rounded once, half away
from zero, to whole öre; the invoice total is the sum of its lines (no öresavrundning).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.billing import InvoiceKind, InvoiceLine
from insats.domain.calendar import UTC, local_date, local_datetime, month_label
from insats.domain.clients import Client
from insats.domain.common import DomainError, Money, Period
from insats.domain.decisions import Decision, Insats
from insats.domain.formatting import format_number
from insats.domain.scheduling import AssistanceGroup
from insats.domain.stays import ClientStay, StayKind
from insats.domain.time_reports import TimeEntry, TimeKind

MINUTES_PER_WEEK = 7 * 24 * 60
ONE_DAY = dt.timedelta(days=1)


class PriceUnit(StrEnum):
    HOUR = "timme"
    DAY = "dygn"


PRICE_UNIT_LABELS: dict[PriceUnit, str] = {PriceUnit.HOUR: "kr/tim", PriceUnit.DAY: "kr/dygn"}

CONTRACT_PRICE_UNIT: dict[InvoiceKind, PriceUnit] = {
    InvoiceKind.PROVIDER_BASANSVAR: PriceUnit.HOUR,
    InvoiceKind.MUNICIPALITY_PLACE: PriceUnit.DAY,
    InvoiceKind.REGION_HSL: PriceUnit.HOUR,
}

INVOICE_KIND_LABELS: dict[InvoiceKind, str] = {
    InvoiceKind.PROVIDER_BASANSVAR: "Basansvar (privat anordnare)",
    InvoiceKind.MUNICIPALITY_PLACE: "Köpt plats (annan kommun)",
    InvoiceKind.REGION_HSL: "Delegerad HSL (regionen)",
    InvoiceKind.FK_REBILLING: "Omfakturering FK",
    InvoiceKind.FK_CLAIM: "Räkning FK",
    InvoiceKind.INTERNAL_RECHARGE: "Internfaktura (annan förvaltning)",
}


def round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in exact integers."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient = (2 * abs(numerator) + denominator) // (2 * denominator)
    return quotient if numerator >= 0 else -quotient


def hourly_amount(minutes: int, price_per_hour: Money) -> Money:
    """``minutes`` at ``price_per_hour``, rounded once to whole öre (half away from zero)."""
    return Money(round_half_up(minutes * price_per_hour.ore, 60))


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month that is billed."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2100:
            raise DomainError("month.invalid", f"Ogiltig månad: {self.year}-{self.month:02d}.")

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2026-10`` → Month(2026, 10)."""
        year, _, month = text.strip().partition("-")
        if not (len(year) == 4 and year.isdigit() and month.isdigit() and len(month) <= 2):
            raise DomainError("month.format", f"Ange månaden som ÅÅÅÅ-MM, inte {text!r}.")
        return cls(int(year), int(month))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def period(self) -> Period:
        return Period.month(self.year, self.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def label(self) -> str:
        return month_label(self.year, self.month)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class Counterparty:
    """Who is billed: a company (organisation number), a municipality (SCB code) or another
    department of the municipality itself (an internal invoice, e.g. ``BoU``)."""

    name: str
    organisation_number: str | None = None
    municipality_code: str | None = None
    internal_department: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise DomainError("counterparty.name", "Motparten måste ha ett namn.")
        if (self.organisation_number is None and self.municipality_code is None
                and not (self.internal_department or "").strip()):
            raise DomainError("counterparty.reference",
                              "Ange motpartens organisationsnummer eller kommunkod.")
        if self.organisation_number is not None:
            digits = self.organisation_number.replace("-", "")
            if not (len(digits) == 10 and digits.isdigit()):
                raise DomainError(
                    "counterparty.organisation_number",
                    f"Organisationsnumret {self.organisation_number!r} ska ha tio siffror.")
        code = self.municipality_code
        if code is not None and not (len(code) == 4 and code.isdigit()):
            raise DomainError("counterparty.municipality_code",
                              f"Kommunkoden {code!r} ska vara fyra siffror (SCB).")

    @property
    def reference(self) -> str:
        """A stable key for the counterparty: ``kommun 1442``, the organisation number or
        ``förvaltning BoU``."""
        if self.internal_department:
            return f"förvaltning {self.internal_department}"
        if self.municipality_code is not None:
            return f"kommun {self.municipality_code}"
        return str(self.organisation_number)


@dataclass(frozen=True, slots=True)
class BillingContract:
    """One agreed price for one period.

    Attributes:
        kind: which invoices the contract gives (basansvar, köpt plats, HSL).
        price: per hour (basansvar, HSL) or per day (köpt plats), see ``price_unit``.
        valid: the dates the price applies to, ``[start, end)``; end None = tills vidare.
        reason: why the contract exists (for basansvar: why the municipality stepped in).
        payment_days: the payment term; the due date is the issue date plus this.
        provider_id: the private provider (basansvar; required).
        client_id: one client only (required for HSL; optional otherwise).
        unit_id: one of our units only (e.g. the korttidshem); optional.
        hsl_minutes_per_week: the agreed HSL time per week (HSL only; required).
    """

    id: str
    kind: InvoiceKind
    counterparty: Counterparty
    price: Money
    valid: Period
    reason: str
    payment_days: int = 30
    provider_id: str | None = None
    client_id: str | None = None
    unit_id: str | None = None
    hsl_minutes_per_week: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in CONTRACT_PRICE_UNIT:
            raise DomainError("contract.kind",
                              "Avtal finns bara för basansvar, köpta platser och HSL.")
        if self.price.ore <= 0:
            raise DomainError("contract.price", "Avtalets pris måste vara större än noll.")
        if not self.reason.strip():
            raise DomainError("contract.reason", "Ange skälet till avtalet.")
        if not 0 <= self.payment_days <= 120:
            raise DomainError("contract.payment_days",
                              "Betalningsvillkoret ska vara 0–120 dagar.")
        if self.valid.end is not None and self.valid.end == self.valid.start:
            raise DomainError("contract.period", "Avtalets giltighetstid är tom.")
        self._check_kind()

    def _check_kind(self) -> None:
        if self.kind is InvoiceKind.PROVIDER_BASANSVAR:
            if self.provider_id is None:
                raise DomainError("contract.provider",
                                  "Ett basansvarsavtal måste ange den privata anordnaren.")
            if self.counterparty.organisation_number is None:
                raise DomainError("contract.counterparty",
                                  "Anordnaren faktureras på sitt organisationsnummer.")
        if self.kind is InvoiceKind.MUNICIPALITY_PLACE and (
                self.counterparty.municipality_code is None):
            raise DomainError("contract.municipality",
                              "Ett platsavtal måste ange den köpande kommunens kommunkod.")
        if self.kind is InvoiceKind.REGION_HSL:
            if self.client_id is None:
                raise DomainError("contract.client", "Ett HSL-avtal gäller en brukare.")
            minutes = self.hsl_minutes_per_week
            if minutes is None or not 0 < minutes <= MINUTES_PER_WEEK:
                raise DomainError("contract.hsl_minutes",
                                  "Ange avtalad HSL-tid per vecka (mer än 0, högst 168 h).")
        elif self.hsl_minutes_per_week is not None:
            raise DomainError("contract.hsl_minutes",
                              "Avtalad HSL-tid per vecka hör bara till HSL-avtal.")

    @property
    def price_unit(self) -> PriceUnit:
        return CONTRACT_PRICE_UNIT[self.kind]

    @property
    def scope(self) -> tuple[str, str, str | None, str | None, str | None]:
        """What the contract prices; two contracts with the same scope must not overlap."""
        return (self.kind.value, self.counterparty.reference, self.provider_id,
                self.client_id, self.unit_id)

    @property
    def specificity(self) -> int:
        return (self.client_id is not None) + (self.unit_id is not None)

    @property
    def price_label(self) -> str:
        return f"{self.price.format_sv()}/{'tim' if self.price_unit is PriceUnit.HOUR else 'dygn'}"


def check_no_overlap(contracts: Iterable[BillingContract]) -> None:
    """Contracts with the same scope must not overlap in time (a new price is a new row)."""
    by_scope: dict[tuple[str, str, str | None, str | None, str | None],
                   list[BillingContract]] = defaultdict(list)
    for contract in contracts:
        for other in by_scope[contract.scope]:
            if other.id != contract.id and other.valid.overlaps(contract.valid):
                raise DomainError(
                    "contract.overlap",
                    f"Avtal {contract.id} överlappar avtal {other.id} för samma motpart och "
                    "omfattning; avsluta det gamla avtalet dagen före det nya börjar.")
        by_scope[contract.scope].append(contract)


def _pick(candidates: Sequence[BillingContract], what: str) -> BillingContract | None:
    """The most specific contract among those that match; a tie is an error."""
    if not candidates:
        return None
    best = max(c.specificity for c in candidates)
    top = [c for c in candidates if c.specificity == best]
    if len(top) > 1:
        ids = ", ".join(sorted(c.id for c in top))
        raise DomainError("contract.ambiguous",
                          f"Flera avtal ({ids}) gäller för {what}; avgränsa avtalen.")
    return top[0]


@dataclass(frozen=True, slots=True)
class ComputedLine:
    """An invoice line before it is put on an invoice: who pays and which unit earns it."""

    kind: InvoiceKind
    counterparty: Counterparty
    unit_id: str
    payment_days: int
    line: InvoiceLine


def _basis_key(contract: BillingContract, client_id: str, unit_id: str, month: Month) -> str:
    return f"{contract.id}:{client_id}:{unit_id}:{month}"


def _span(contract: BillingContract, month: Month) -> str:
    covered = contract.valid.intersection(month.period)
    assert covered is not None and covered.end is not None
    last = covered.end - dt.timedelta(days=1)
    return f"{covered.start.isoformat()}–{last.isoformat()}"


def _hours_text(minutes: int) -> str:
    return f"{format_number(minutes / 60, 2)} h"


def _hour_line(contract: BillingContract, *, month: Month, unit_id: str, client: Client,
               minutes: int, count: int, text: str) -> ComputedLine:
    line = InvoiceLine(
        description=(f"{text}, {client.pseudonym}, {_span(contract, month)}: "
                     f"{_hours_text(minutes)} à {contract.price_label}"),
        quantity_minutes=minutes, quantity=count, unit_price=contract.price,
        amount=hourly_amount(minutes, contract.price), client_id=client.id,
        basis_key=_basis_key(contract, client.id, unit_id, month), contract_id=contract.id)
    return ComputedLine(contract.kind, contract.counterparty, unit_id, contract.payment_days,
                        line)


def provider_of(decisions: Iterable[Decision], client_id: str, day: dt.date) -> str | None:
    """The provider named by the client's personal-assistance decision in force on ``day``."""
    for decision in decisions:
        if (decision.client_id == client_id and decision.insats is Insats.PERSONAL_ASSISTANCE
                and decision.period.contains(day)):
            return decision.provider_id
    return None


def basansvar_lines(contracts: Iterable[BillingContract], *, month: Month,
                    entries: Iterable[TimeEntry], groups: Iterable[AssistanceGroup],
                    clients: Iterable[Client], decisions: Iterable[Decision]
                    ) -> list[ComputedLine]:
    """One line per contract, client and unit: the attested hours the municipality performed.

    An entry belongs to the day (and month) its shift starts, Stockholm time.
    """
    chosen = [c for c in contracts if c.kind is InvoiceKind.PROVIDER_BASANSVAR
              and c.valid.overlaps(month.period)]
    if not chosen:
        return []
    group_by_id = {g.id: g for g in groups}
    client_by_id = {c.id: c for c in clients}
    decisions_by_client: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        decisions_by_client[decision.client_id].append(decision)
    minutes: dict[tuple[str, str, str], int] = defaultdict(int)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    by_id = {c.id: c for c in chosen}
    for entry in entries:
        if not entry.is_attested or entry.kind is TimeKind.STAND_BY:
            continue
        group = group_by_id.get(entry.group_id)
        client_id = entry.client_id or (group.client_id if group else None)
        day = local_date(entry.start)
        if group is None or client_id is None or not month.period.contains(day):
            continue
        provider = provider_of(decisions_by_client[client_id], client_id, day)
        candidates = [
            c for c in chosen if c.valid.contains(day)
            and (c.unit_id is None or c.unit_id == group.unit_id)
            and (c.client_id == client_id
                 or (c.client_id is None and provider == c.provider_id))
        ]
        contract = _pick(candidates, f"pass {day.isoformat()} i grupp {group.id}")
        if contract is None:
            continue
        key = (contract.id, client_id, group.unit_id)
        minutes[key] += entry.worked.value
        counts[key] += 1
    result = []
    for key in sorted(minutes):
        contract_id, client_id, unit_id = key
        contract = by_id[contract_id]
        result.append(_hour_line(
            contract, month=month, unit_id=unit_id, client=client_by_id[client_id],
            minutes=minutes[key], count=counts[key],
            text="Personlig assistans utförd av kommunen under basansvar"))
    return result


def stay_days(stay: ClientStay) -> list[dt.date]:
    """The Stockholm dates a stay is billed for: nights spent, at least one day."""
    first, last = local_date(stay.start), local_date(stay.end)
    if last <= first:
        return [first]
    return [first + dt.timedelta(days=n) for n in range((last - first).days)]


def place_lines(contracts: Iterable[BillingContract], *, month: Month,
                stays: Iterable[ClientStay], clients: Iterable[Client],
                unit_names: Mapping[str, str] | None = None) -> list[ComputedLine]:
    """One line per contract, client and korttidshem: the stay days in ``month``."""
    chosen = [c for c in contracts if c.kind is InvoiceKind.MUNICIPALITY_PLACE
              and c.valid.overlaps(month.period)]
    if not chosen:
        return []
    client_by_id = {c.id: c for c in clients}
    days: dict[tuple[str, str], set[dt.date]] = defaultdict(set)  # (client, unit) → dates
    for stay in stays:
        client = client_by_id.get(stay.client_id)
        if stay.kind is not StayKind.SHORT_TERM_STAY or stay.unit_id is None or client is None:
            continue
        days[(client.id, stay.unit_id)].update(
            d for d in stay_days(stay) if month.period.contains(d))
    counted: dict[tuple[str, str, str], int] = defaultdict(int)
    by_id = {c.id: c for c in chosen}
    for (client_id, unit_id), dates in sorted(days.items()):
        home = client_by_id[client_id].home_municipality_code
        for day in sorted(dates):
            candidates = [
                c for c in chosen if c.valid.contains(day)
                and c.counterparty.municipality_code == home
                and (c.client_id is None or c.client_id == client_id)
                and (c.unit_id is None or c.unit_id == unit_id)
            ]
            contract = _pick(candidates, f"vistelsedygn {day.isoformat()}")
            if contract is not None:
                counted[(contract.id, client_id, unit_id)] += 1
    names = unit_names or {}
    result = []
    for (contract_id, client_id, unit_id), count in sorted(counted.items()):
        contract = by_id[contract_id]
        client = client_by_id[client_id]
        place = names.get(unit_id, unit_id)
        line = InvoiceLine(
            description=(f"Korttidsvistelse {place}, {client.pseudonym}, "
                         f"{_span(contract, month)}: {count} dygn à {contract.price_label}"),
            quantity_minutes=None, quantity=count, unit_price=contract.price,
            amount=Money(count * contract.price.ore), client_id=client_id,
            basis_key=_basis_key(contract, client_id, unit_id, month), contract_id=contract.id)
        result.append(ComputedLine(contract.kind, contract.counterparty, unit_id,
                                   contract.payment_days, line))
    return result


def hospital_days(stays: Iterable[ClientStay], client_id: str) -> set[dt.date]:
    """Dates on which the client was in hospital the whole day (Stockholm time)."""
    result: set[dt.date] = set()
    for stay in stays:
        if stay.client_id != client_id or stay.kind is not StayKind.HOSPITAL:
            continue
        start, end = stay.start.astimezone(UTC), stay.end.astimezone(UTC)
        day, last = local_date(stay.start), local_date(stay.end)
        while day < last:
            midnight = local_datetime(day, dt.time(0, 0))
            if start <= midnight and local_datetime(day + ONE_DAY, dt.time(0, 0)) <= end:
                result.add(day)
            day += ONE_DAY
    return result


def hsl_lines(contracts: Iterable[BillingContract], *, month: Month,
              clients: Iterable[Client], stays: Iterable[ClientStay]) -> list[ComputedLine]:
    """One line per HSL contract: agreed minutes per week pro rata for the billable days."""
    client_by_id = {c.id: c for c in clients}
    stay_list = list(stays)
    result = []
    for contract in sorted(contracts, key=lambda c: c.id):
        if contract.kind is not InvoiceKind.REGION_HSL:
            continue
        covered = contract.valid.intersection(month.period)
        client = client_by_id.get(contract.client_id or "")
        if covered is None or client is None:
            continue
        away = hospital_days(stay_list, client.id)
        days = sum(1 for d in covered.iter_days() if d not in away)
        if days == 0:
            continue
        assert contract.hsl_minutes_per_week is not None
        minutes = round_half_up(contract.hsl_minutes_per_week * days, 7)
        unit_id = contract.unit_id or client.unit_id
        weekly = _hours_text(contract.hsl_minutes_per_week)
        result.append(_hour_line(
            contract, month=month, unit_id=unit_id, client=client, minutes=minutes,
            count=days,
            text=f"Delegerade HSL-insatser ({weekly}/vecka × {days} dagar / 7)"))
    return result


def month_lines(contracts: Sequence[BillingContract], *, month: Month,
                entries: Iterable[TimeEntry] = (), groups: Iterable[AssistanceGroup] = (),
                clients: Iterable[Client] = (), decisions: Iterable[Decision] = (),
                stays: Iterable[ClientStay] = (),
                unit_names: Mapping[str, str] | None = None) -> list[ComputedLine]:
    """Every contract-based line for ``month``, basansvar, then places, then HSL."""
    check_no_overlap(contracts)
    client_list, stay_list = list(clients), list(stays)
    return [
        *basansvar_lines(contracts, month=month, entries=entries, groups=groups,
                         clients=client_list, decisions=decisions),
        *place_lines(contracts, month=month, stays=stay_list, clients=client_list,
                     unit_names=unit_names),
        *hsl_lines(contracts, month=month, clients=client_list, stays=stay_list),
    ]


@dataclass(frozen=True, slots=True)
class Overbilled:
    """A basis already billed for more than it now comes to: credit and re-draft."""

    basis_key: str
    description: str
    billed: Money
    now: Money


def outstanding(lines: Iterable[InvoiceLine], billed: Iterable[InvoiceLine]
                ) -> tuple[list[InvoiceLine], list[Overbilled]]:
    """What is left to bill once issued invoices and credit notes are netted.

    ``billed`` holds the lines of every issued invoice and credit note (credit lines are
    negative). A basis with nothing billed gives its line unchanged; one billed in part
    gives a supplementary line for the difference; one billed for more than it now
    comes to gives no line and an ``Overbilled`` note (credit the invoice, then re-draft).
    """
    net: dict[str, tuple[int, int, int]] = {}
    for line in billed:
        if line.basis_key is None:
            continue
        minutes, quantity, amount = net.get(line.basis_key, (0, 0, 0))
        net[line.basis_key] = (minutes + (line.quantity_minutes or 0),
                               quantity + line.quantity, amount + line.amount.ore)
    result: list[InvoiceLine] = []
    notes: list[Overbilled] = []
    for line in lines:
        key = line.basis_key
        if key is None or key not in net or net[key] == (0, 0, 0):
            result.append(line)
            continue
        minutes, quantity, amount = net[key]
        d_minutes = (line.quantity_minutes or 0) - minutes
        d_quantity, d_amount = line.quantity - quantity, line.amount.ore - amount
        if (d_minutes, d_quantity, d_amount) == (0, 0, 0):
            continue
        if d_minutes < 0 or d_quantity < 0 or d_amount < 0:
            notes.append(Overbilled(key, line.description, Money(amount), line.amount))
            continue
        done = _hours_text(minutes) if line.quantity_minutes is not None else f"{quantity} dygn"
        result.append(InvoiceLine(
            description=f"Tillägg (tidigare fakturerat {done}): {line.description}",
            quantity_minutes=None if line.quantity_minutes is None else d_minutes,
            quantity=d_quantity, unit_price=line.unit_price, amount=Money(d_amount),
            client_id=line.client_id, basis_key=key, contract_id=line.contract_id))
    return result, notes
