"""The shape every review answers in, and the taxi routes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from insats.domain.common import DomainError, Money
from insats.domain.reviews import (
    CellKind,
    ReviewColumn,
    ReviewName,
    ReviewTable,
    format_cell,
    review_name,
)
from insats.domain.taxi import EDUCATION, OWN, classify
from tests.builders import a_cost_entry

NBSP = "\u00a0"


def test_a_row_must_have_a_value_per_column() -> None:
    columns = (ReviewColumn("Månad"), ReviewColumn("Belopp", CellKind.MONEY))
    with pytest.raises(DomainError, match="rad 2 har 1 värden men 2 kolumner"):
        ReviewTable("T", columns, (("2026-01", 100), ("2026-02",)))


def test_totals_are_summed_for_counts_hours_and_money_only() -> None:
    table = ReviewTable("T", (ReviewColumn("Månad"), ReviewColumn("Resor", CellKind.COUNT),
                              ReviewColumn("Belopp", CellKind.MONEY)),
                        (("2026-01", 3, 10_050), ("2026-02", None, 99_950)), totals=True)
    assert [table.column_total(i) for i in range(3)] == [None, 3, 110_000]


def test_cells_in_swedish_formats() -> None:
    assert format_cell(CellKind.MONEY, 123_456_78) == f"123{NBSP}457{NBSP}kr"
    assert format_cell(CellKind.HOURS, 90) == f"1,5{NBSP}h"
    assert format_cell(CellKind.PERCENT, Decimal("12.5")) == f"12,5{NBSP}%"
    assert format_cell(CellKind.COUNT, 1234) == f"1{NBSP}234"
    assert format_cell(CellKind.DATE, dt.date(2026, 3, 1)) == "2026-03-01"
    assert format_cell(CellKind.COUNT, None) == "–"


def test_an_unknown_review_names_those_there_are() -> None:
    assert review_name(" taxi ", [ReviewName.TAXI]) is ReviewName.TAXI
    with pytest.raises(DomainError, match="välj bland taxi"):
        review_name("taxa", [ReviewName.TAXI])
    with pytest.raises(DomainError, match="ingen översyn"):
        review_name("density", [ReviewName.TAXI])


@pytest.mark.parametrize(("text", "payer", "trips"), [
    ("Taxi skola–korttidstillsyn, 152 resor (skolskjuts, ska betalas av BoU)", EDUCATION, 152),
    ("Skolskjuts vecka 12", EDUCATION, None),
    ("Taxi, resor med brukare", OWN, None),
    ("Taxi till tandläkare, 3 resor", OWN, 3),
])
def test_taxi_bookings_are_classified_by_route(text: str, payer: str,
                                               trips: int | None) -> None:
    trip = classify(a_cost_entry(description=text, amount=Money(10_000)))
    assert (trip.route.payer, trip.trips, trip.recharged) == (payer, trips, payer != OWN)
