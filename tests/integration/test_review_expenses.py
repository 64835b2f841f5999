"""The expenses review on a small hand-built department, March–April 2026.

U01 has card HK1 (three purchases in the period: bio 150 kr, lunch 95,50 kr and
consumables 300 kr, which are not an accompanying activity) and an unused card HK3, and
an approved claim (120 kr, 15 March: the routine's start) and a submitted one (60 kr);
U02 has card HK2 (café 80 kr in April, bowling in May outside the period) and a draft.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from click.testing import Result

from insats.domain.access import AccessDenied
from insats.domain.common import Money
from insats.domain.expenses import CardPurchase, ClaimStatus, ExpenseClaim, PettyCashCard
from insats.domain.organisation import UnitKind
from insats.services.review_expenses import INTRODUCE_FIRST, PHASE_OUT_CLAIMS, PHASE_OUT_UNUSED
from insats.services.uow import UnitOfWork
from tests.builders import a_department, a_unit, an_employee
from tests.callers import CONTROLLER, SCHEDULER, manager_of, review_runner

run = review_runner("expenses", dt.date(2026, 3, 1), dt.date(2026, 5, 1))
AT = dt.datetime(2026, 4, 20, 9, tzinfo=dt.UTC)
ACTIVITY = "Handkassekort: medföljande aktivitet ({})"


def purchase(id: str, card: str, day: dt.date, ore: int, text: str) -> CardPurchase:
    return CardPurchase(id=id, card_id=card, bought_on=day, amount=Money(ore),
                        merchant="Butik", text=text)


def claim(id: str, unit: str, day: dt.date, ore: int, status: ClaimStatus) -> ExpenseClaim:
    return ExpenseClaim(id=id, employee_id="E1" if unit == "U01" else "E2", unit_id=unit,
                        cost_centre="4101", spent_on=day, amount=Money(ore),
                        description="Bio med brukare", receipt_reference="KV", created_by="ec",
                        created_at=AT, status=status,
                        submitted_at=None if status is ClaimStatus.DRAFT else AT)


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    with uow_factory() as uow:
        uow.organisation.add_many([
            a_department(), a_unit(id="U01"),
            a_unit(id="U02", name="Korttidshemmet", kind=UnitKind.SHORT_TERM_STAY)])
        uow.staff.add_many([an_employee(id="E1", home_unit_id="U01"),
                            an_employee(id="E2", home_unit_id="U02", given_name="Omar")])
        uow.expenses.add_many([
            PettyCashCard(id="HK1", unit_id="U01", holder_employee_id="E1", label="Kort 1",
                          issued_on=dt.date(2024, 1, 1)),
            PettyCashCard(id="HK2", unit_id="U02", holder_employee_id="E2", label="Kort 2",
                          issued_on=dt.date(2024, 1, 1)),
            PettyCashCard(id="HK3", unit_id="U01", holder_employee_id="E1", label="Kort 3",
                          issued_on=dt.date(2024, 1, 1))])
        uow.expenses.add_many([
            purchase("P1", "HK1", dt.date(2026, 3, 5), 150_00, ACTIVITY.format("bio")),
            purchase("P2", "HK1", dt.date(2026, 3, 20), 95_50, ACTIVITY.format("lunch")),
            purchase("P3", "HK1", dt.date(2026, 4, 2), 300_00, "Förbrukningsmaterial"),
            purchase("P4", "HK2", dt.date(2026, 4, 10), 80_00, ACTIVITY.format("café")),
            purchase("P5", "HK2", dt.date(2026, 5, 2), 200_00, ACTIVITY.format("bowling"))])
        uow.expenses.add_many([
            claim("C1", "U01", dt.date(2026, 3, 15), 120_00, ClaimStatus.APPROVED),
            claim("C2", "U01", dt.date(2026, 4, 3), 60_00, ClaimStatus.SUBMITTED),
            claim("C3", "U02", dt.date(2026, 3, 1), 50_00, ClaimStatus.DRAFT)])
        uow.commit()
    return uow_factory


def test_card_use_what_can_move_and_which_cards_go(world: Callable[[], UnitOfWork]) -> None:
    report = run(world)
    monthly, categories, cards, claims = report.tables
    assert monthly.rows == (("Korttidshemmet", "2026-04", 1, 80_00),
                            ("Personlig assistans Norr", "2026-03", 2, 245_50),
                            ("Personlig assistans Norr", "2026-04", 1, 300_00))
    assert categories.rows == (("övrigt", 1, 300_00, "Nej"), ("bio", 1, 150_00, "Ja"),
                               ("lunch", 1, 95_50, "Ja"), ("café", 1, 80_00, "Ja"))
    by_card = {r[0]: (r[3], r[4], r[5], r[6], r[7]) for r in cards.rows}
    assert by_card == {
        "Kort 1": (3, 545_50, dt.date(2026, 4, 2), 1, PHASE_OUT_CLAIMS),
        "Kort 2": (1, 80_00, dt.date(2026, 4, 10), 0, INTRODUCE_FIRST),
        "Kort 3": (0, 0, None, 1, PHASE_OUT_UNUSED),  # U01's claims too
    }
    assert claims.rows == (("Personlig assistans Norr", "Attesterad", 1, 120_00),
                           ("Personlig assistans Norr", "Inskickad", 1, 60_00))
    text = " ".join(report.findings)
    assert "4 köp för 626\u00a0kr på 3 kort" in text
    assert "3 köp (326\u00a0kr, 52,0\u00a0% av beloppet)" in text  # 325,50 of 625,50 kr
    assert "Kort som kan avvecklas nu: Kort 1 (Personlig assistans Norr), Kort 3" in text
    assert "1 kort behövs" in text
    assert "infördes 2026-03-15" in text and "2 inskickade utlägg, varav 1 attesterade" in text


def test_roles_and_scope(world: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(AccessDenied):
        run(world, SCHEDULER)
    assert len(run(world, CONTROLLER).tables[2].rows) == 3
    own = run(world, manager_of("U02"))
    assert [r[0] for r in own.tables[2].rows] == ["Kort 2"]
    assert own.tables[3].rows == ()
    assert "Inga utlägg är inskickade ännu" in " ".join(own.findings)


def test_cli_table_and_csv(world: Callable[[], UnitOfWork], cli: Callable[..., Result]) -> None:
    shown = cli("review", "expenses", "--period", "2026-03..2026-04")
    assert shown.exit_code == 0, shown.output
    assert "Handkassekort" in shown.output and "Avveckla nu" in shown.output
    as_csv = cli("review", "expenses", "--period", "2026-03..2026-04", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output), delimiter=";"))
    assert ["övrigt", "1", "300\u00a0kr", "Nej"] in rows
