"""The key-figure catalogue: one definition per code, the formulas, how sums add up
over units and months, and which cells the committee may not see."""

from __future__ import annotations

from decimal import Decimal

from insats.domain.disclosure import exposed_entries
from insats.domain.figure_catalogue import (
    DEFINITIONS,
    FigureCell,
    FigureCode,
    FigureSums,
    definition,
    figure_values,
    format_cell,
    hidden_by_counts,
    period_sums,
    ratio,
    scope_sums,
    year_end_forecast,
)


def test_every_code_is_defined_once_with_its_kolada_id() -> None:
    assert [d.code for d in DEFINITIONS] == list(FigureCode)
    assert definition(FigureCode.KOLADA_N28006).kolada_id == "N28006"
    assert all(d.name and d.formula and d.sources for d in DEFINITIONS)


def test_a_ratio_without_basis_is_none() -> None:
    assert ratio(1, 0) is None
    assert ratio(3, 4) == Decimal("0.75")


def test_year_end_forecast_extrapolates_the_average_overrun() -> None:
    # end of March: outcome 330, budget 300 so far, 900 left: 330 + 900 + 10 × 9
    assert year_end_forecast(outcome_to_date=330, budget_to_date=300, budget_rest=900,
                             months_elapsed=3) == Decimal(1320)
    # December: the outcome itself
    assert year_end_forecast(outcome_to_date=1200, budget_to_date=1000, budget_rest=0,
                             months_elapsed=12) == Decimal(1200)
    assert year_end_forecast(outcome_to_date=0, budget_to_date=0, budget_rest=0,
                             months_elapsed=0) is None


def test_a_period_is_a_ratio_of_sums_not_a_mean_of_ratios() -> None:
    # month 1: 100 kr / 1 h = 100; month 2: 300 kr / 2 h = 150; the period 400 kr / 3 h
    # (not 125); continuity 4 pairs / 2 clients, then 2 / 2: the period 6 / 4 = 1.5
    january = FigureSums(outcome_net=10_000, performed_minutes=60, months=1,
                         assistant_pairs=4, served_client_months=2, client_months=2,
                         months_elapsed=1)
    february = FigureSums(outcome_net=30_000, performed_minutes=120, months=1,
                          assistant_pairs=2, served_client_months=2, client_months=4,
                          months_elapsed=2, clients_on_1_october=None)
    period = period_sums([january, february])
    values = figure_values(period)
    assert values[FigureCode.NET_COST_PER_HOUR] == Decimal(400) / 3  # 400 kr / 3 h
    assert values[FigureCode.ASSISTANTS_PER_CLIENT] == Decimal("1.5")
    # 400 kr / average of 2 and 4 clients
    assert values[FigureCode.COST_PER_CLIENT] == Decimal(400) / 3
    assert period.months_elapsed == 2  # as of the last month


def test_scopes_add_up_units_but_not_their_dates() -> None:
    a = FigureSums(outcome_net=100, months=1, months_elapsed=10, inhabitants=1000,
                   clients_on_1_october=3, assistance_units=1)
    b = FigureSums(outcome_net=50, months=1, months_elapsed=10, inhabitants=1000,
                   clients_on_1_october=None)
    total = scope_sums([a, b])
    assert (total.outcome_net, total.months, total.months_elapsed, total.inhabitants,
            total.clients_on_1_october, total.assistance_units) == (150, 1, 10, 1000, 3, 1)
    assert figure_values(b)[FigureCode.KOLADA_N28006] is None  # not personal assistance


def test_hidden_cells_cannot_be_computed_from_the_totals() -> None:
    counts = [[3, 7, 8], [9, 9, 9], [6, 2, 12]]
    hidden = hidden_by_counts(counts)
    assert (0, 0) in hidden.cells and (2, 1) in hidden.cells
    extended = ({*hidden.cells} | {(i, 3) for i in hidden.unit_totals}
                | {(3, j) for j in hidden.months} | ({(3, 3)} if hidden.total else set()))
    assert not exposed_entries(extended, 3, 3)


def test_a_small_unit_hides_its_period_even_when_its_months_add_up_to_five() -> None:
    # unit 0 has 2 clients every month (6 client-months): its period value is hidden,
    # and so are a month's and the period's total so that it cannot be computed back
    counts = [[2, 2, 2], [10, 10, 10], [12, 11, 10]]
    hidden = hidden_by_counts(counts)
    assert 0 in hidden.unit_totals
    assert hidden.total
    extended = ({*hidden.cells} | {(i, 3) for i in hidden.unit_totals}
                | {(3, j) for j in hidden.months} | {(3, 3)})
    assert not exposed_entries(extended, 3, 3)


def test_cells_for_people() -> None:
    percent = definition(FigureCode.SICK_RATE_SHORT)
    kronor = definition(FigureCode.OUTCOME)
    assert format_cell(percent, FigureCell(Decimal("26.666"))) == "26,7\u00a0%"
    assert format_cell(kronor, FigureCell(Decimal("1234567.4"))) == "1\u00a0234\u00a0567"
    assert format_cell(kronor, FigureCell(None, suppressed=True)) == "x"
    assert format_cell(kronor, FigureCell(None)) == "–"
