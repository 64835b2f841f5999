"""Small-count suppression of tables: hand examples, and a property test that no hidden
value can be computed from what is published (checked by an independent linear programme:
each hidden value's minimum and maximum given the published cells, totals and
non-negativity)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp

from insats.domain.disclosure import (
    SuppressedTable,
    exposed_entries,
    suppress_table,
    suppress_vector,
)
from insats.domain.key_figures import suppress_cells

_CAP = 10**6


def feasible_ranges(counts: Sequence[Sequence[int]], published: SuppressedTable,
                    ) -> dict[str, tuple[float, float]]:
    """Each hidden value's range by LP over non-negative reals (a hidden total with no
    upper bound reaches ``_CAP``); the constraint matrix is a network matrix, so the bounds
    are the integer bounds."""
    m, n = len(counts), len(counts[0])
    solver = pywraplp.Solver.CreateSolver("GLOP")
    assert solver is not None
    def variable(name: str, value: int | None) -> pywraplp.Variable:
        if value is None:
            return solver.NumVar(0, _CAP, name)
        return solver.NumVar(value, value, name)

    cells = [[variable(f"cell[{i}][{j}]", published.cells[i][j]) for j in range(n)]
             for i in range(m)]
    rows = [variable(f"row[{i}]", published.row_totals[i]) for i in range(m)]
    columns = [variable(f"column[{j}]", published.column_totals[j]) for j in range(n)]
    grand = variable("grand", published.grand_total)
    for i in range(m):
        solver.Add(sum(cells[i]) == rows[i])
    for j in range(n):
        solver.Add(sum(cells[i][j] for i in range(m)) == columns[j])
    solver.Add(sum(rows) == grand)
    solver.Add(sum(columns) == grand)
    hidden = [v for v in [*(c for row in cells for c in row), *rows, *columns, grand]
              if v.lb() != v.ub()]
    ranges: dict[str, tuple[float, float]] = {}
    for var in hidden:
        bounds = []
        for maximise in (False, True):
            solver.Maximize(var) if maximise else solver.Minimize(var)
            status = solver.Solve()
            assert status == pywraplp.Solver.OPTIMAL, (var.name(), status)
            bounds.append(var.solution_value())
        ranges[var.name()] = (bounds[0], bounds[1])
    return ranges


def assert_safe(counts: Sequence[Sequence[int]], published: SuppressedTable,
                limit: int = 5) -> None:
    m, n = len(counts), len(counts[0])
    truth = {f"cell[{i}][{j}]": counts[i][j] for i in range(m) for j in range(n)}
    truth |= {f"row[{i}]": sum(counts[i]) for i in range(m)}
    truth |= {f"column[{j}]": sum(r[j] for r in counts) for j in range(n)}
    truth["grand"] = sum(map(sum, counts))
    shown = {f"cell[{i}][{j}]": published.cells[i][j] for i in range(m) for j in range(n)}
    shown |= {f"row[{i}]": published.row_totals[i] for i in range(m)}
    shown |= {f"column[{j}]": published.column_totals[j] for j in range(n)}
    shown["grand"] = published.grand_total
    for name, value in shown.items():
        if value is not None:
            assert value == truth[name], name  # a shown value is the true one
        else:
            assert truth[name] != 0, f"{name}: zeros stay shown"
        if 0 < truth[name] < limit:
            assert value is None, f"{name}: a small count is hidden"
    for name, (low, high) in feasible_ranges(counts, published).items():
        assert low <= truth[name] <= high, name
        assert high - low > 0.5, f"{name} can be computed: {low}..{high} (table {counts})"


def test_a_single_small_cell_is_hidden_with_the_smallest_complements() -> None:
    counts = [[3, 10, 20], [10, 10, 20], [20, 30, 40]]
    published = suppress_table(counts)
    # A 2 x 2 rectangle of the smallest cells: each row and column can move by +-1.
    assert published.cells == ((None, None, 20), (None, None, 20), (20, 30, 40))
    assert published.row_totals == (33, 40, 90)
    assert published.column_totals == (33, 50, 80)
    assert published.grand_total == 163
    assert published.suppressed_cells == 4
    assert_safe(counts, published)


def test_zeros_and_large_counts_are_shown() -> None:
    counts = [[0, 12], [7, 0]]
    published = suppress_table(counts)
    assert published == SuppressedTable(((0, 12), (7, 0)), (12, 7), (7, 12), 19)


def test_a_small_total_is_hidden_with_its_complements() -> None:
    counts = [[2, 0, 0], [0, 6, 9], [5, 7, 8]]
    published = suppress_table(counts)
    assert published.row_totals[0] is None and published.column_totals[0] is not None
    assert_safe(counts, published)
    # A table whose only count is small: everything non-zero is hidden.
    assert suppress_table([[2, 0], [0, 0]]) == SuppressedTable(
        ((None, 0), (0, 0)), (None, 0), (None, 0), None)


def test_the_rule_of_two_is_not_enough_when_a_hidden_cell_joins_two_rectangles() -> None:
    # Every row and column has two or more hidden cells, yet (1, 2) is the only link
    # between two rectangles: the sum over rows 0-1 minus columns 0-1 gives it back.
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    assert exposed_entries(hidden, 4, 4) == {(1, 2)}
    assert exposed_entries(hidden - {(1, 2)}, 4, 4) == set()
    counts = [[1, 9, 30, 30], [9, 9, 2, 30], [30, 30, 9, 9], [30, 30, 9, 3]]
    assert_safe(counts, suppress_table(counts))


def test_vectors_and_the_key_figure_helper_are_the_same_rule() -> None:
    assert suppress_vector([1, 40, 12, 0]).cells == (None, 40, None, 0)
    assert suppress_vector([1, 40, 12, 0]).total == 53
    assert suppress_vector([2, 0]).total is None
    assert suppress_vector([]).total == 0
    for counts in ([1, 40, 12, 0], [3, 4, 30], [0, 0, 7], [2, 0], [6, 1, 6]):
        assert suppress_cells(counts) == list(suppress_vector(counts).cells)
    assert suppress_cells([6, 1, 6]) == [None, None, 6]  # ties: the first smallest


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[1, -2]])


def test_another_limit() -> None:
    assert suppress_table([[2, 3, 40]], limit=3).cells == ((None, None, 40),)
    assert suppress_table([[2, 3, 40]], limit=2).cells == ((2, 3, 40),)


_count = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 40))
_table = st.integers(1, 4).flatmap(
    lambda width: st.lists(st.lists(_count, min_size=width, max_size=width),
                           min_size=1, max_size=4))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_table)
def test_no_hidden_value_can_be_computed_from_what_is_published(
        counts: list[list[int]]) -> None:
    assert_safe(counts, suppress_table(counts))
