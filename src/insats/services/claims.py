"""Use cases: FK claims per client and month, submitting them as numbered, immutable claim
invoices, settlement-period reconciliation, and the municipality's 20-hour share.

A claim's figures come from the hour ledger (:mod:`insats.services.ledger`), so a claim
holds exactly the FK-billable time: eligible, within the grant, performed by the
municipality. A month that a retroactive SFB decision made billable (an LSS case that
became an SFB case) is claimed as re-billing (``fk_omfakturering``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from insats.domain.access import AccessDenied, AuditAction, Caller, Capability
from insats.domain.billing import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from insats.domain.common import DomainError, Money, Period, add_months
from insats.domain.decisions import Decision, Insats, LegalBasis
from insats.domain.fk_claims import (
    Claim,
    ClaimStatus,
    MunicipalShareCharge,
    Settlement,
    claim_status,
    municipal_share_estimate,
    unattested_minutes,
)
from insats.domain.formatting import format_hours
from insats.domain.ledger import Figure
from insats.domain.settlement import claim_deadline, grant_spans, period_containing
from insats.services.audit import Touched, log
from insats.services.ledger import (
    FK_RATE_KEYS,
    UowFactory,
    Window,
    fk_rate,
    ledger_report,
    money_scope,
)
from insats.services.uow import UnitOfWork

FK_RECIPIENT = "Försäkringskassan"
CLAIM_KINDS = (InvoiceKind.FK_CLAIM, InvoiceKind.FK_REBILLING)
SUBMITTABLE = frozenset({ClaimStatus.READY, ClaimStatus.OVERDUE})
DEADLINE_DAY_KEY = "fk.report_deadline_day_of_second_month"


@dataclass(frozen=True, slots=True)
class ClaimRow:
    claim: Claim
    pseudonym: str
    unit_id: str
    rate_ore: int  # FK's rate on the month's first day, for the claim line


def _fk_decision(decisions: list[Decision], month: Period) -> Decision | None:
    """The SFB personal-assistance decision in force in the month (the latest one)."""
    found = [d for d in decisions if d.legal_basis is LegalBasis.SFB
             and d.insats is Insats.PERSONAL_ASSISTANCE and d.period.overlaps(month)]
    return max(found, key=lambda d: (d.period.start, d.decided_on), default=None)


def _submitted(uow: UnitOfWork, month: dt.date) -> dict[str, tuple[int, int, dt.date]]:
    """Client → (minutes, öre, last issue day) in issued claims for the month."""
    result: dict[str, tuple[int, int, dt.date]] = {}
    for invoice in uow.billing.of_month(month, kinds=CLAIM_KINDS):
        if invoice.status is not InvoiceStatus.ISSUED or invoice.issued_on is None:
            continue
        for line in invoice.lines:
            if line.client_id is None:
                continue
            minutes, ore, day = result.get(line.client_id, (0, 0, invoice.issued_on))
            result[line.client_id] = (minutes + (line.quantity_minutes or 0),
                                      ore + line.amount.ore, max(day, invoice.issued_on))
    return result


def month_claims(uow_factory: UowFactory, *, year: int, month: int, as_of: dt.date,
                 unit_ids: Collection[str] | None = None,
                 caller: Caller | None = None, kept: bool = False) -> list[ClaimRow]:
    """Every SFB client's claim for the month, with its deadline and status (with a
    ``caller``: of the units in their scope). ``kept``: the hours come from the kept
    ledger (pages; see ``ledger_report``), the submitted claims are always read afresh."""
    window = Window.month(year, month)
    report = ledger_report(uow_factory, window=window, as_of=as_of, unit_ids=unit_ids,
                           caller=caller, kept=kept)
    period = Period(window.start, window.end)
    rows: list[ClaimRow] = []
    with uow_factory() as uow:
        book = uow.rules.rule_book(DEADLINE_DAY_KEY, *FK_RATE_KEYS)
        deadline_day = book.number(DEADLINE_DAY_KEY, window.start)
        submitted = _submitted(uow, window.start)
        decisions: dict[str, list[Decision]] = {}
        for decision in uow.decisions.of_clients(
                [r.client_id for r in report.rows], period=period,
                legal_basis=LegalBasis.SFB, insats=Insats.PERSONAL_ASSISTANCE):
            decisions.setdefault(decision.client_id, []).append(decision)
        for row in report.rows:
            figures = row.figures
            fk = _fk_decision(decisions.get(row.client_id, []), period)
            if fk is None or (figures.ore(Figure.GRANTED) == 0
                              and figures.minutes(Figure.BILLABLE) == 0):
                continue
            deadline = claim_deadline(window.start, fk.decided_on, deadline_day)
            minutes, ore, day = submitted.get(row.client_id, (0, 0, None))
            billable = figures.minutes(Figure.BILLABLE)
            unattested = unattested_minutes(figures)
            status = claim_status(
                month=window.start, billable_minutes=billable, unattested_minutes=unattested,
                outstanding_minutes=billable - minutes, deadline=deadline,
                submitted_on=day, as_of=as_of)
            retroactive = fk.decided_on >= window.end
            claim = Claim(row.client_id, window.start, billable, figures.ore(Figure.BILLABLE),
                          unattested, deadline, retroactive, day, minutes, ore, status)
            rate_day = max(window.start, fk.period.start)
            rows.append(ClaimRow(claim, row.pseudonym, row.unit_id,
                                 fk_rate(book, fk, rate_day)))
    return rows


def submit_claims(uow_factory: UowFactory, *, year: int, month: int, as_of: dt.date,
                  on: dt.date | None = None, pseudonyms: Collection[str] | None = None,
                  unit_ids: Collection[str] | None = None,
                  caller: Caller | None = None) -> list[Invoice]:
    """Issue one numbered claim per client for what is billable and not yet claimed.

    Only claims that are ready (attested, month over) or overdue are sent; a claim that
    was already sent gets a supplementary one for time added since. All in one
    transaction: either every claim is issued or none.

    With a ``caller`` (the web): only a department-wide role that sees money may submit,
    and every issued claim is written to the access log in the same transaction.
    """
    if caller is not None:
        caller.viewer.require(Capability.VIEW_MONEY)
        if not caller.viewer.department_wide:
            raise AccessDenied("Räkningar till Försäkringskassan skickas för hela "
                               "avdelningen av ekonom eller avdelningschef.")
    day = on or as_of
    rows = [r for r in month_claims(uow_factory, year=year, month=month, as_of=as_of,
                                    unit_ids=unit_ids, caller=caller)
            if pseudonyms is None or r.pseudonym in pseudonyms]
    if pseudonyms is not None:
        missing = set(pseudonyms) - {r.pseudonym for r in rows}
        if missing:
            raise DomainError("claims.unknown_client",
                              f"Ingen FK-fakturering för {', '.join(sorted(missing))} "
                              f"{year}-{month:02d}.")
    sendable = [r for r in rows if r.claim.status in SUBMITTABLE
                or (r.claim.submitted_on is not None and r.claim.outstanding_minutes > 0
                    and r.claim.unattested_minutes == 0)]
    issued: list[Invoice] = []
    with uow_factory() as uow:
        for row in sendable:
            claim = row.claim
            if claim.outstanding_minutes <= 0 or claim.outstanding_ore <= 0:
                continue
            kind = InvoiceKind.FK_REBILLING if claim.retroactive else InvoiceKind.FK_CLAIM
            supplement = " (tillägg)" if claim.submitted_on is not None else ""
            line = InvoiceLine(
                description=(f"Assistansersättning {row.pseudonym} {year}-{month:02d}"
                             f"{supplement}: {format_hours(claim.outstanding_minutes, 2)}"),
                quantity_minutes=claim.outstanding_minutes, quantity=1,
                unit_price=Money(row.rate_ore), amount=Money(claim.outstanding_ore),
                client_id=claim.client_id, basis_key=f"FK:{claim.client_id}:{year}-{month:02d}")
            draft = Invoice(id=f"F{uuid.uuid4().hex[:12]}", kind=kind, recipient=FK_RECIPIENT,
                            unit_id=row.unit_id, lines=(line,), billing_month=claim.month,
                            counterparty_ref="FK", payment_days=0)
            uow.billing.add(draft)
            number = uow.billing.allocate_number(day.year)
            final = draft.issue(number=number, on=day, payment_days=0)
            uow.billing.update(final)
            issued.append(final)
            if caller is not None:
                log(uow, caller, AuditAction.CREATE,
                    [Touched("invoice", final.id, claim.client_id, row.unit_id)])
        uow.commit()
    return issued


def settlements(uow_factory: UowFactory, *, on: dt.date, as_of: dt.date,
                unit_ids: Collection[str] | None = None,
                caller: Caller | None = None, kept: bool = False
                ) -> list[tuple[str, Settlement]]:
    """(pseudonym, settlement) for every SFB client's settlement period containing ``on``
    (with a ``caller``: of the units in their scope; ``kept`` as for ``month_claims``)."""
    report = ledger_report(uow_factory, window=Window.period_on(on), as_of=as_of,
                           unit_ids=unit_ids, caller=caller, kept=kept)
    result: list[tuple[str, Settlement]] = []
    with uow_factory() as uow:
        decisions: dict[str, list[Decision]] = {}
        for decision in uow.decisions.of_clients([r.client_id for r in report.rows]):
            decisions.setdefault(decision.client_id, []).append(decision)
        claimed: dict[tuple[str, dt.date], int] = {}
        if report.rows:
            cursor = min(r.start for r in report.rows).replace(day=1)
            last = max(r.end for r in report.rows)
            while cursor < last:
                for client_id, (_, ore, _) in _submitted(uow, cursor).items():
                    claimed[(client_id, cursor)] = ore
                cursor = add_months(cursor, 1)
        horizon = max((r.end for r in report.rows), default=on)
        for row in report.rows:
            period = period_containing(
                grant_spans(decisions.get(row.client_id, []), horizon), on)
            if period is None or not period.span.is_fk:
                continue
            figures = row.figures
            result.append((row.pseudonym, Settlement(
                client_id=row.client_id, start=row.start, end=row.end,
                paid_in_advance=period.span.decision.paid_in_advance,
                final_settlement_by=period.final_settlement_by,
                granted_minutes=figures.minutes(Figure.GRANTED)
                + figures.minutes(Figure.GRANTED_DOUBLE),
                billable_minutes=figures.minutes(Figure.BILLABLE),
                beyond_minutes=figures.minutes(Figure.BEYOND),
                not_payable_minutes=figures.not_payable_minutes,
                granted_ore=figures.ore(Figure.GRANTED) + figures.ore(Figure.GRANTED_DOUBLE),
                billable_ore=figures.ore(Figure.BILLABLE),
                not_payable_ore=figures.not_payable_ore,
                claimed_ore=sum(ore for (client_id, month), ore in claimed.items()
                                if client_id == row.client_id
                                and row.start <= month < row.end),
                closed=as_of >= row.end,
            )))
    return result


@dataclass(frozen=True, slots=True)
class ShareRow:
    pseudonym: str
    unit_id: str
    provider_id: str
    granted_minutes_per_week: int
    estimate_ore: int
    invoiced: MunicipalShareCharge | None = None
    provider_name: str = ""

    @property
    def cost_ore(self) -> int:
        """FK's invoice once recorded, else the estimate."""
        return self.estimate_ore if self.invoiced is None else self.invoiced.amount_ore


def municipal_shares(uow_factory: UowFactory, *, year: int, month: int,
                     unit_ids: Collection[str] | None = None,
                     caller: Caller | None = None) -> list[ShareRow]:
    """The municipality's estimated cost for the first 20 hours a week of SFB clients whose
    assistance a private provider performs (§1.3; replace with FK's invoice when it comes).
    With a ``caller``: of the units in their scope."""
    period = Period.month(year, month)
    assert period.end is not None
    rows: list[ShareRow] = []
    with uow_factory() as uow:
        if caller is not None:
            unit_ids = money_scope(uow, caller, unit_ids)
        book = uow.rules.rule_book()
        invoiced = uow.shares.of_month(period.start)
        providers = {p.id: p for p in uow.providers.all()}
        municipal = {p.id for p in providers.values() if p.is_municipal}
        clients = {c.id: c for c in uow.clients.all()
                   if unit_ids is None or c.unit_id in unit_ids}
        for decision in uow.decisions.of_clients(list(clients)):
            if (decision.legal_basis is not LegalBasis.SFB
                    or decision.provider_id in municipal
                    or decision.granted_minutes_per_week is None):
                continue
            overlap = decision.period.intersection(period)
            if overlap is None or overlap.end is None:
                continue
            schablon = book.money("fk.schablon_per_hour", overlap.start).ore
            share = book.minutes("fk.municipal_share_hours_per_week", overlap.start).value
            client = clients[decision.client_id]
            provider = providers.get(decision.provider_id)
            rows.append(ShareRow(client.pseudonym, client.unit_id, decision.provider_id,
                                 decision.granted_minutes_per_week, municipal_share_estimate(
                                     granted_minutes_per_week=decision.granted_minutes_per_week,
                                     share_minutes_per_week=share, days=overlap.days,
                                     schablon_ore_per_hour=schablon),
                                 invoiced.get(client.id),
                                 provider.name if provider is not None else ""))
    return sorted(rows, key=lambda r: r.pseudonym)


def record_municipal_share(uow_factory: UowFactory, *, pseudonym: str, year: int, month: int,
                           amount_ore: int, reference: str, on: dt.date) -> MunicipalShareCharge:
    """Record FK's invoice for a client's month; a second invoice for the same month
    replaces the first (a correction), refused if someone changed it meanwhile."""
    first = dt.date(year, month, 1)
    with uow_factory() as uow:
        client = uow.clients.by_pseudonym(pseudonym)
        if client is None:
            raise DomainError("claims.unknown_client", f"Ingen brukare med koden {pseudonym!r}.")
        existing = uow.shares.of_month(first).get(client.id)
        charge = MunicipalShareCharge(
            id=existing.id if existing else f"K{uuid.uuid4().hex[:12]}", client_id=client.id,
            month=first, amount_ore=amount_ore, reference=reference, recorded_on=on)
        if existing is None:
            uow.shares.add(charge)
        else:
            uow.shares.update(charge)
        uow.commit()
    return charge
