"""Overlaps of one employee's time, in the file and against stored rows."""

from __future__ import annotations

import datetime as dt

from insats.interchange.overlaps import find_overlaps

UTC = dt.UTC


def at(hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, tzinfo=UTC)


def test_touching_rows_do_not_overlap_but_crossing_ones_do() -> None:
    found = find_overlaps([
        ("E1", at(6), at(10), 2, "a"),
        ("E1", at(10), at(14), 3, "b"),  # touches a
        ("E1", at(13), at(15), 4, "c"),  # overlaps b
        ("E2", at(13), at(15), 5, "d"),  # another employee
    ])
    assert found == [(4, "Överlappar rad 3 för anställd E1.")]


def test_a_stored_row_is_named_by_its_local_time_and_reported_on_the_file_row() -> None:
    found = find_overlaps([
        ("E1", at(5), at(9), 0, "stored"),
        ("E1", at(8), at(12), 7, "new"),
        ("E1", at(20), at(22), 0, "x"),
        ("E1", at(21), at(23), 0, "y"),  # two stored rows: not the file's business
    ])
    assert found == [
        (7, "Överlappar redan sparad tid för anställd E1 (2026-03-02 06:00–2026-03-02 10:00).")
    ]


def test_a_long_row_overlapping_several_later_rows_reports_each() -> None:
    found = find_overlaps([
        ("E1", at(0), at(12), 2, "long"),
        ("E1", at(2), at(3), 3, "x"),
        ("E1", at(4), at(5), 4, "y"),
    ])
    assert [row for row, _ in found] == [3, 4]
