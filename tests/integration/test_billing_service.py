"""Contract invoices end to end on SQLite and PostgreSQL: draft → issue → credit → re-draft."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from insats.db.repositories._base import StaleVersionError
from insats.domain.billing import InvoiceKind, InvoiceStatus
from insats.domain.common import DomainError, Money
from insats.domain.contracts import Month
from insats.services import billing
from insats.services.uow import UnitOfWork
from tests.billing_builders import (
    a_basansvar_contract,
    a_place_contract,
    a_stay,
    an_attested_entry,
    an_hsl_contract,
    billing_world,
)
from tests.builders import stockholm

Factory = Callable[[], UnitOfWork]
OCT = Month(2026, 10)
ISSUE_DAY = dt.date(2026, 11, 5)


def store(uow_factory: Factory) -> None:
    world = billing_world()
    with uow_factory() as uow:
        uow.organisation.add_many(world[:3])
        uow.providers.add_many(world[3:5])
        uow.clients.add_many(world[5:8])
        uow.staff.add_many(world[8:9])
        uow.decisions.add_many(world[9:10])
        uow.scheduling.add_many(world[10:11])
        uow.time_reports.add_many([
            an_attested_entry(id="T1", start=stockholm(2026, 10, 1, 7),
                              end=stockholm(2026, 10, 1, 15)),
            an_attested_entry(id="T2", start=stockholm(2026, 10, 2, 7),
                              end=stockholm(2026, 10, 2, 15), break_minutes=30),
        ])
        uow.stays.add_many([a_stay(), a_stay(id="ST2", start=stockholm(2026, 10, 5, 10),
                                             end=stockholm(2026, 10, 5, 18))])
        uow.commit()
    for contract in (a_basansvar_contract(), a_place_contract(), an_hsl_contract()):
        billing.add_contract(uow_factory, contract=contract)


@pytest.fixture
def stored(uow_factory: Factory) -> Factory:
    store(uow_factory)
    return uow_factory


def by_kind(result: billing.DraftResult) -> dict[InvoiceKind, list]:  # type: ignore[type-arg]
    found: dict[InvoiceKind, list] = {}  # type: ignore[type-arg]
    for invoice in result.drafts:
        found.setdefault(invoice.kind, []).append(invoice)
    return found


def test_drafting_a_month_gives_one_invoice_per_kind_counterparty_and_unit(
        stored: Factory) -> None:
    result = billing.draft_invoices(stored, month=OCT)

    drafts = by_kind(result)
    assert sorted(drafts) == sorted([InvoiceKind.PROVIDER_BASANSVAR,
                                     InvoiceKind.MUNICIPALITY_PLACE, InvoiceKind.REGION_HSL])
    basansvar = drafts[InvoiceKind.PROVIDER_BASANSVAR][0]
    assert basansvar.recipient == "Frihetsassistans Sjuhärad AB"
    assert basansvar.counterparty_ref == "559123-4567" and basansvar.unit_id == "U01"
    assert basansvar.total == Money(527_775)  # 15,5 h × 340,50 kr
    place = drafts[InvoiceKind.MUNICIPALITY_PLACE][0]
    assert place.unit_id == "U02" and place.counterparty_ref == "kommun 1442"
    assert place.total == Money.kronor("12 450,00")  # 5, 30, 31 Oct × 4 150 kr
    hsl = drafts[InvoiceKind.REGION_HSL][0]
    assert hsl.total == Money.kronor("6 122,50")  # 210 min × 31/7 = 930 min = 15,5 h × 395 kr
    assert len(result.created) == 3 and result.replaced == ()
    listed = billing.list_invoices(stored, month=OCT, status=InvoiceStatus.DRAFT)
    assert {i.id for i in listed} == set(result.created)


def test_drafting_again_replaces_the_draft_in_place(stored: Factory) -> None:
    first = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.PROVIDER_BASANSVAR)
    draft_id = first.created[0]
    version = billing.show_invoice(stored, invoice=draft_id).version
    with stored() as uow:  # a shift attested after the first draft
        uow.time_reports.add(an_attested_entry(id="T3", start=stockholm(2026, 10, 3, 7),
                                               end=stockholm(2026, 10, 3, 15)))
        uow.commit()

    again = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.PROVIDER_BASANSVAR)

    assert again.created == () and again.replaced == (draft_id,)
    view = billing.show_invoice(stored, invoice=draft_id)
    assert view.version == version + 1
    assert view.invoice.lines[0].quantity_minutes == 930 + 480
    assert len(billing.list_invoices(stored, month=OCT)) == 1
    # a stale version is refused when issuing
    with pytest.raises(DomainError) as error:
        billing.issue_invoice(stored, invoice=draft_id, on=ISSUE_DAY, expected_version=version)
    assert error.value.code == "concurrency.stale"


def test_issue_numbers_gaplessly_and_freezes_the_snapshot(stored: Factory) -> None:
    drafts = billing.draft_invoices(stored, month=OCT).drafts

    issued = [billing.issue_invoice(stored, invoice=d.id, on=ISSUE_DAY) for d in drafts]

    assert [i.number for i in issued] == ["2026-00001", "2026-00002", "2026-00003"]
    assert all(i.due_on == ISSUE_DAY + dt.timedelta(days=30) for i in issued)
    with pytest.raises(DomainError) as error:
        billing.issue_invoice(stored, invoice=issued[0].id, on=ISSUE_DAY)
    assert error.value.code == "invoice.already_issued"
    with stored() as uow, pytest.raises(DomainError) as error:
        uow.billing.update(issued[0])
    assert error.value.code == "invoice.issued_immutable"
    # a failed issue (empty series untouched) leaves no gap
    with pytest.raises(DomainError):
        billing.issue_invoice(stored, invoice="nope", on=ISSUE_DAY)
    next_year = billing.draft_invoices(stored, month=Month(2026, 11),
                                       kind=InvoiceKind.MUNICIPALITY_PLACE).drafts[0]
    assert billing.issue_invoice(stored, invoice=next_year.id,
                                 on=dt.date(2027, 1, 4)).number == "2027-00001"


def test_issued_lines_are_never_billed_twice(stored: Factory) -> None:
    first = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.PROVIDER_BASANSVAR)
    billing.issue_invoice(stored, invoice=first.created[0], on=ISSUE_DAY)

    again = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.PROVIDER_BASANSVAR)
    assert again.drafts == () and again.created == ()

    with stored() as uow:  # a late-attested shift gives a supplement only
        uow.time_reports.add(an_attested_entry(id="T3", start=stockholm(2026, 10, 3, 7),
                                               end=stockholm(2026, 10, 3, 15)))
        uow.commit()
    supplement = billing.draft_invoices(stored, month=OCT,
                                        kind=InvoiceKind.PROVIDER_BASANSVAR).drafts[0]
    line = supplement.lines[0]
    assert (line.quantity_minutes, line.quantity, line.amount) == (480, 1, Money(272_400))
    assert line.description.startswith("Tillägg (tidigare fakturerat 15,50 h)")


def test_credit_reverses_exactly_and_a_corrected_draft_can_follow(stored: Factory) -> None:
    draft = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.MUNICIPALITY_PLACE)
    original = billing.issue_invoice(stored, invoice=draft.created[0], on=ISSUE_DAY)

    note = billing.credit_invoice(stored, invoice=original.number or "",
                                  on=dt.date(2026, 11, 10))

    assert note.number == "2026-00002" and note.credits_invoice_id == original.id
    assert note.status is InvoiceStatus.ISSUED and note.total == -original.total
    assert [ln.amount for ln in note.lines] == [-ln.amount for ln in original.lines]
    view = billing.show_invoice(stored, invoice=original.id)
    assert view.invoice == original and [n.id for n in view.credit_notes] == [note.id]
    with pytest.raises(DomainError) as error:
        billing.credit_invoice(stored, invoice=original.id)
    assert error.value.code == "invoice.already_credited"
    # the stay was really only two nights: correct it, then draft again
    with stored() as uow:
        uow.stays.delete("ST2")
        uow.commit()
    corrected = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.MUNICIPALITY_PLACE)
    assert corrected.drafts[0].total == Money.kronor("8 300,00")
    assert corrected.drafts[0].lines[0].description.startswith("Korttidsvistelse")
    reissued = billing.issue_invoice(stored, invoice=corrected.created[0], on=ISSUE_DAY)
    assert reissued.number == "2026-00003"


def test_overbilled_basis_is_reported_not_drafted(stored: Factory) -> None:
    draft = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.MUNICIPALITY_PLACE)
    billing.issue_invoice(stored, invoice=draft.created[0], on=ISSUE_DAY)
    with stored() as uow:
        uow.stays.delete("ST2")
        uow.commit()

    result = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.MUNICIPALITY_PLACE)

    assert result.drafts == ()
    assert [(n.billed, n.now) for n in result.overbilled] == [
        (Money.kronor("12 450,00"), Money.kronor("8 300,00"))]


def test_a_draft_with_nothing_left_to_bill_is_removed(stored: Factory) -> None:
    first = billing.draft_invoices(stored, month=OCT, unit_id="U02")
    assert [d.kind for d in first.drafts] == [InvoiceKind.MUNICIPALITY_PLACE]
    with stored() as uow:
        uow.stays.delete("ST0001")
        uow.stays.delete("ST2")
        uow.commit()
    again = billing.draft_invoices(stored, month=OCT, counterparty="1442")
    assert again.removed == first.created
    assert billing.list_invoices(stored, month=OCT) == []


def test_export_reads_back_with_openpyxl(stored: Factory) -> None:
    draft = billing.draft_invoices(stored, month=OCT, kind=InvoiceKind.PROVIDER_BASANSVAR)
    invoice = billing.issue_invoice(stored, invoice=draft.created[0], on=ISSUE_DAY)
    buffer = io.BytesIO()

    billing.export_invoice(stored, invoice=invoice.id, out=buffer)

    buffer.seek(0)
    ws = load_workbook(buffer)["2026-00001"]
    head = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value
            for r in range(1, 13)}
    assert head["Faktura"] == "2026-00001"
    assert head["Mottagare"] == "Frihetsassistans Sjuhärad AB"
    assert head["Motpartens referens"] == "559123-4567"
    assert head["Avser månad"] == "oktober 2026"
    assert head["Fakturadatum"].date() == ISSUE_DAY
    assert head["Förfallodatum"].date() == dt.date(2026, 12, 5)
    assert head["Att betala"] == 5277.75
    header = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == "Rad")
    assert ws.freeze_panes == f"A{header + 1}"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=header)]
    assert rows[0][:3] == ["Rad", "Beskrivning", "Brukare"]
    assert rows[1][0] == 1 and "B-0001" in rows[1][1] and rows[1][2] == "B-0001"
    assert rows[1][3:] == [15.5, 2, 340.5, 5277.75]
    assert rows[2][0] == "Summa" and rows[2][6] == 5277.75


def test_overlapping_contract_is_refused(stored: Factory) -> None:
    with pytest.raises(DomainError) as error:
        billing.add_contract(stored, contract=a_basansvar_contract(id="K0099"))
    assert error.value.code == "contract.overlap"
    assert len(billing.list_contracts(stored)) == 3


def test_concurrent_edit_of_a_draft_is_refused(stored: Factory) -> None:
    draft_id = billing.draft_invoices(stored, month=OCT, unit_id="U02").created[0]
    with stored() as first:
        mine = first.billing.get(draft_id)
        assert mine is not None
        billing.draft_invoices(stored, month=OCT, unit_id="U02")  # someone re-drafts
        with pytest.raises(StaleVersionError):
            first.billing.update(mine)
