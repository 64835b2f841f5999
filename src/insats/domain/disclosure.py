"""Small-count suppression of tables with totals (statistical disclosure control).

A table of counts is published with its row totals, column totals and grand total. Counts
1 to ``limit - 1`` are hidden (primary suppression), and so are totals of that size. A
reader who knows the published cells and totals could otherwise compute a hidden count
back ("the subtraction attack"): a row with one hidden cell gives it as the row total
minus the others, and combinations of rows and columns can pin down cells that no single
row gives away. So further cells are hidden (secondary, complementary suppression) until
no hidden value can be recovered exactly.

Why the check below is exact. Put the totals into the table as an extra row and column
with the sign flipped: ``y[i][j] = count`` inside, ``y[i][n] = -row_total``,
``y[m][j] = -column_total`` and ``y[m][n] = grand_total``. Then every row and every column
of ``y`` sums to zero, and those are all the equations a reader has. Read the extended
table as a bipartite graph (a node per row, a node per column, an edge per entry). Two
tables that agree on the published entries differ by a vector that is zero on published
entries and sums to zero at every node: a circulation on the graph of hidden entries.

- If a hidden entry is a *bridge* of that graph (it lies on no cycle), a circulation is
  zero on it (cut the bridge: the sums at the nodes on one side add up to plus or minus
  its value), so its value is determined: exposed.
- If it lies on a cycle, add +1 and -1 alternately around the cycle. Zeros are never
  hidden, so every hidden count is at least 1 (and every hidden total at least 1), and the
  result is another non-negative table with the same published entries: the entry's
  feasible range is not a single value.

So the table is safe exactly when the graph of hidden entries has no bridge (which implies
the familiar rule that every row and column has zero or at least two hidden entries; a
2 x 2 rectangle of hidden cells is a cycle). While there is a bridge, the cheapest path
that closes a cycle through it is found with Dijkstra (published entries cost their value,
hidden ones nothing, zeros cannot be used; a total costs a little more than a cell of the
same value) and its entries are hidden: small values are lost rather than large ones. The
loop ends: when every non-zero entry is hidden, none is a bridge (doubling all hidden
entries gives another table with the same published zeros).

A single row of counts with a total (:func:`suppress_vector`) is the one-row table: its
column totals repeat its cells.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from insats.domain.access import SMALL_COUNT_LIMIT

__all__ = [
    "SuppressedTable",
    "SuppressedVector",
    "exposed_entries",
    "suppress_table",
    "suppress_vector",
]

Entry = tuple[int, int]
"""A position in the extended table: ``(row, column)``; row ``m`` and column ``n`` are the
totals (``(m, n)`` the grand total)."""
Node = tuple[str, int]
"""A row (``("r", i)``) or a column (``("c", j)``) of the extended table."""


@dataclass(frozen=True, slots=True)
class SuppressedTable:
    """A table as published: ``None`` where a value is suppressed."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    grand_total: int | None

    @property
    def suppressed_cells(self) -> int:
        return sum(value is None for row in self.cells for value in row)


@dataclass(frozen=True, slots=True)
class SuppressedVector:
    """A row of counts and its total as published."""

    cells: tuple[int | None, ...]
    total: int | None


def suppress_table(counts: Sequence[Sequence[int]], *,
                   limit: int = SMALL_COUNT_LIMIT) -> SuppressedTable:
    """``counts`` (rows of equal length, non-negative) with its totals, small counts and
    enough complements suppressed that no hidden value can be computed from the rest.

    Raises:
        ValueError: rows of different lengths or a negative count.
    """
    table = _extended(counts)
    m, n = len(table) - 1, len(table[0]) - 1
    hidden = {(i, j) for i in range(m + 1) for j in range(n + 1)
              if 0 < abs(table[i][j]) < limit}
    while True:
        bridges = exposed_entries(hidden, m, n)
        if not bridges:
            break
        hidden |= _cheapest_cycle(min(bridges), table, hidden)

    def shown(i: int, j: int) -> int | None:
        return None if (i, j) in hidden else abs(table[i][j])

    return SuppressedTable(
        cells=tuple(tuple(shown(i, j) for j in range(n)) for i in range(m)),
        row_totals=tuple(shown(i, n) for i in range(m)),
        column_totals=tuple(shown(m, j) for j in range(n)),
        grand_total=shown(m, n),
    )


def suppress_vector(counts: Sequence[int], *, limit: int = SMALL_COUNT_LIMIT) -> SuppressedVector:
    """A single row of counts with its total (see :func:`suppress_table`)."""
    table = suppress_table([counts], limit=limit)
    return SuppressedVector(cells=table.cells[0], total=table.row_totals[0])


def exposed_entries(hidden: set[Entry], rows: int, columns: int) -> set[Entry]:
    """The hidden entries of an extended table with ``rows`` x ``columns`` cells that a
    reader can compute (bridges of the graph of hidden entries; see the module docstring).
    """
    adjacency: dict[Node, list[tuple[Node, Entry]]] = {}
    for i, j in hidden:
        if not (0 <= i <= rows and 0 <= j <= columns):
            raise ValueError(f"entry {(i, j)} outside the table")
        adjacency.setdefault(("r", i), []).append((("c", j), (i, j)))
        adjacency.setdefault(("c", j), []).append((("r", i), (i, j)))
    order: dict[Node, int] = {}
    low: dict[Node, int] = {}
    bridges: set[Entry] = set()
    for root in sorted(adjacency):
        if root in order:
            continue
        # Iterative Tarjan: (node, edge it was reached by, iterator over its neighbours).
        order[root] = low[root] = len(order)
        stack: list[tuple[Node, Entry | None, Iterator[tuple[Node, Entry]]]] = [
            (root, None, iter(adjacency[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for neighbour, edge in neighbours:
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, edge, iter(adjacency[neighbour])))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if stack and via is not None:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.add(via)
    return bridges


def _extended(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    """The counts with their totals as an extra row and column, signs as in the module
    docstring (only the absolute values matter to the caller)."""
    width = len(counts[0]) if counts else 0
    table: list[list[int]] = []
    for row in counts:
        if len(row) != width:
            raise ValueError("all rows of a table must have the same length")
        if any(value < 0 for value in row):
            raise ValueError("counts cannot be negative")
        table.append([*row, -sum(row)])
    columns = [-sum(row[j] for row in counts) for j in range(width)]
    table.append([*columns, sum(sum(row) for row in counts)])
    return table


def _cheapest_cycle(bridge: Entry, table: list[list[int]], hidden: set[Entry]) -> set[Entry]:
    """The published entries to hide so that ``bridge`` lies on a cycle of hidden entries:
    the cheapest path from its row to its column not using it (hidden entries free, a
    published one costs its value, a total a little more than a cell; zeros unusable)."""
    m, n = len(table) - 1, len(table[0]) - 1
    start: Node = ("r", bridge[0])
    goal: Node = ("c", bridge[1])
    Cost = tuple[int, int, int]
    best: dict[Node, Cost] = {start: (0, 0, 0)}
    previous: dict[Node, tuple[Node, Entry]] = {}
    queue: list[tuple[Cost, Node]] = [((0, 0, 0), start)]
    while queue:
        cost, node = heapq.heappop(queue)
        if node == goal:
            break
        if cost > best[node]:
            continue
        kind, index = node
        others = range(n + 1) if kind == "r" else range(m + 1)
        for other in others:
            entry = (index, other) if kind == "r" else (other, index)
            value = abs(table[entry[0]][entry[1]])
            if entry == bridge or value == 0:
                continue
            if entry in hidden:
                step: Cost = (0, 0, 0)
            else:
                step = (value, int(entry[0] == m or entry[1] == n), 1)
            total = (cost[0] + step[0], cost[1] + step[1], cost[2] + step[2])
            neighbour = ("c", other) if kind == "r" else ("r", other)
            if neighbour not in best or total < best[neighbour]:
                best[neighbour] = total
                previous[neighbour] = (node, entry)
                heapq.heappush(queue, (total, neighbour))
    if goal not in previous:  # cannot happen: a non-zero entry always lies on a cycle
        raise AssertionError(f"no cycle through {bridge}")
    added: set[Entry] = set()
    node = goal
    while node != start:
        node, entry = previous[node]
        if entry not in hidden:
            added.add(entry)
    return added
