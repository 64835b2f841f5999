"""The taxi review on a small hand-built department: school trips of two months recharged
to the education department, other trips kept, roles and scope, the command line; and the
internal invoice to BoU that billing drafts from the same bookings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from click.testing import Result
from openpyxl import load_workbook

from insats.domain.access import AccessDenied
from insats.domain.billing import InvoiceKind, InvoiceStatus
from insats.domain.common import DomainError, Money
from insats.domain.contracts import Month
from insats.domain.economy import AccountCategory
from insats.domain.organisation import UnitKind
from insats.services import billing
from insats.services.review_catalogue import available_reviews, run_review
from insats.services.uow import UnitOfWork
from tests.builders import a_cost_entry, a_department, a_unit
from tests.callers import CONTROLLER, HEAD, SCHEDULER, manager_of, review_runner

TAXI = AccountCategory.TAXI
MANAGER_U01 = manager_of("U01")
SCHOOL = "Taxi skola–korttidstillsyn, {n} resor (skolskjuts, ska betalas av BoU)"


run = review_runner("taxi", dt.date(2026, 3, 1), dt.date(2026, 5, 1))


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    with uow_factory() as uow:
        uow.organisation.add_many([
            a_department(),
            a_unit(id="U01", name="Personlig assistans Norr"),
            a_unit(id="U09", name="Korttidstillsynen", kind=UnitKind.SHORT_TERM_SUPERVISION,
                   cost_centre="4109"),
        ])
        uow.economy.add_many([
            a_cost_entry(id="K1", unit_id="U09", category=TAXI, booked_on=dt.date(2026, 3, 31),
                         amount=Money(4_000_000), description=SCHOOL.format(n=100)),
            a_cost_entry(id="K2", unit_id="U09", category=TAXI, booked_on=dt.date(2026, 4, 30),
                         amount=Money(2_050_050), description=SCHOOL.format(n=50)),
            a_cost_entry(id="K3", unit_id="U01", category=TAXI, booked_on=dt.date(2026, 4, 10),
                         amount=Money(350_000), description="Taxi, resor med brukare"),
            # outside the period, and not taxi: never counted
            a_cost_entry(id="K4", unit_id="U09", category=TAXI, booked_on=dt.date(2026, 5, 1),
                         amount=Money(999_900), description=SCHOOL.format(n=20)),
            a_cost_entry(id="K5", unit_id="U09", category=AccountCategory.OTHER_COST,
                         booked_on=dt.date(2026, 4, 2), amount=Money(12_300),
                         description="Skolskjuts-material"),
        ])
        uow.commit()
    return uow_factory


def test_school_trips_are_recharged_month_by_month(world: Callable[[], UnitOfWork]) -> None:
    report = run(world)
    monthly, routes = report.tables  # type: ignore[attr-defined]
    # March: 100 trips, 40 000 kr to BoU; April: 50 trips, 20 500,50 kr, and 3 500 kr own
    assert monthly.rows == (("2026-03", 100, 4_000_000, 0), ("2026-04", 50, 2_050_050, 350_000))
    assert [monthly.column_total(i) for i in (1, 2, 3)] == [150, 6_050_050, 350_000]
    by_route = {(r[0], r[1]): r[3:] for r in routes.rows}
    assert by_route == {
        ("Skola – korttidstillsyn (skolskjuts)", "Korttidstillsynen"): (2, 150, 6_050_050),
        ("Resor med brukare", "Personlig assistans Norr"): (1, None, 350_000),
    }
    findings = " ".join(report.findings)  # type: ignore[attr-defined]
    assert "60\u00a0500\u00a0kr" in findings and "150 resor" in findings
    assert report.scope_label == "Hela avdelningen"  # type: ignore[attr-defined]


def test_roles_and_scope(world: Callable[[], UnitOfWork]) -> None:
    assert "taxi" in [n.value for n in available_reviews(CONTROLLER)]
    assert "taxi" not in [n.value for n in available_reviews(SCHEDULER)]  # no money
    assert run(world, CONTROLLER).tables[0].rows  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):
        run(world, SCHEDULER)
    own = run(world, MANAGER_U01)
    assert own.tables[0].rows == (("2026-04", 0, 0, 350_000),)  # type: ignore[attr-defined]
    assert own.scope_label == "Personlig assistans Norr"  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):
        run(world, MANAGER_U01, ["U09"])
    with pytest.raises(DomainError, match="finns inte"):
        run(world, HEAD, ["U99"])
    with pytest.raises(DomainError, match="ingen översyn"):
        run_review(world, caller=HEAD, name="taxa", start=dt.date(2026, 3, 1),
                   end=dt.date(2026, 5, 1))


def test_cli_table_csv_and_xlsx(world: Callable[[], UnitOfWork], cli: Callable[..., Result],
                                tmp_path: object) -> None:
    shown = cli("review", "taxi", "--period", "2026-03..2026-04")
    assert shown.exit_code == 0, shown.output
    assert "Internfaktura till BoU per månad" in shown.output
    assert "40\u00a0000\u00a0kr" in shown.output
    as_csv = cli("review", "taxi", "--period", "2026-03..2026-04", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output), delimiter=";"))
    assert ["2026-04", "50", "20\u00a0500\u00a0kr", "3\u00a0500\u00a0kr"] in rows
    out = f"{tmp_path}/taxi.xlsx"
    saved = cli("review", "taxi", "--period", "2026-03..2026-04", "--format", "xlsx",
                "--out", out)
    assert saved.exit_code == 0, saved.output
    book = load_workbook(out)
    assert book.sheetnames[0] == "Översyn"
    sheet = book.worksheets[1]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["2026-03", 100, 40000, 0] in values
    wrong = cli("review", "nope", "--year", "2026")
    assert wrong.exit_code != 0 and "välj bland" in str(wrong.exception)


def test_school_trips_become_the_internal_invoice_to_bou(
        world: Callable[[], UnitOfWork]) -> None:
    april = Month(2026, 4)
    result = billing.draft_invoices(world, month=april)
    (draft,) = result.drafts  # the trips with clients (U01) stay the department's own
    assert (draft.kind, draft.recipient, draft.unit_id, draft.counterparty_ref) == (
        InvoiceKind.INTERNAL_RECHARGE, "Barn och utbildning (BoU)", "U09", "förvaltning BoU")
    (line,) = draft.lines
    assert line.amount.ore == 2_050_050  # what the review's April row says BoU pays
    assert line.basis_key == "taxi:K2" and "50 resor" in line.description
    # drafting again replaces the draft; issued, the booking is never invoiced twice
    assert billing.draft_invoices(world, month=april).replaced == (draft.id,)
    issued = billing.issue_invoice(world, invoice=draft.id, on=dt.date(2026, 5, 5))
    assert issued.status is InvoiceStatus.ISSUED and issued.total.ore == 2_050_050
    assert billing.draft_invoices(world, month=april).drafts == ()
    billing.credit_invoice(world, invoice=issued.id, on=dt.date(2026, 5, 6))
    (again,) = billing.draft_invoices(world, month=april,
                                      kind=InvoiceKind.INTERNAL_RECHARGE).drafts
    assert again.total.ore == 2_050_050
    # the counterparty filter knows the department by its short name
    assert billing.draft_invoices(world, month=Month(2026, 3), counterparty="BoU"
                                  ).drafts[0].total.ore == 4_000_000
    assert billing.draft_invoices(world, month=Month(2026, 3), counterparty="1442"
                                  ).drafts == ()


def test_cli_drafts_the_internal_invoice(world: Callable[[], UnitOfWork],
                                         cli: Callable[..., Result]) -> None:
    shown = cli("billing", "invoices", "draft", "--month", "2026-03", "--kind", "intern")
    assert shown.exit_code == 0, shown.output
    assert "Barn och utbildning" in shown.output and "40 000,00 kr" in shown.output
    wrong = cli("billing", "invoices", "draft", "--month", "2026-03", "--kind", "skola")
    assert wrong.exit_code != 0 and "intern" in wrong.output
