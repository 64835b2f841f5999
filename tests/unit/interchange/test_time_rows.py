"""Time rows → records: hand-made rows with the Swedish errors they must give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from insats.domain.common import DomainError
from insats.domain.personnummer import make_identity
from insats.domain.time_reports import TimeEntry, TimeEntryStatus, TimeKind
from insats.interchange.errors import ErrorCollector
from insats.interchange.keys import source_tag, stable_id
from insats.interchange.mapping import ColumnMapping, ImportKind, resolve_columns
from insats.interchange.readers import SourceTable
from insats.interchange.references import References
from insats.interchange.time_reports import TimeRecord, read_time_rows

UTC = dt.UTC
HEADER = ["Id", "Anställd", "Grupp", "Brukare", "Start", "Slut", "Rast (min)", "Typ",
          "Rapporterad", "Dubbelbemanning", "Sjukhus", "Kommentar"]
IDENTITY = make_identity(dt.date(1985, 4, 12), 123)
WRONG_CHECK_DIGIT = IDENTITY.formatted()[:-1] + str((int(IDENTITY.digits[-1]) + 1) % 10)
TAG = source_tag("time", "test")


def refs() -> References:
    return References(
        today=dt.date(2026, 11, 23), employees={"E0001", "E0002"},
        groups={"G0001": "C0001", "G0009": None}, client_ids={"C0001", "C0002"},
        clients_by_pseudonym={"B-0001": "C0001", "B-0002": "C0002"},
        clients_by_identity={IDENTITY.digits: "C0001"},
    )


def row(**cells: Any) -> list[Any]:
    values = {"Id": "T1", "Anställd": "E0001", "Grupp": "G0001", "Brukare": "B-0001",
              "Start": "2026-03-02 07:00", "Slut": "2026-03-02 15:00", "Rast (min)": "30",
              "Typ": "ordinarie", "Rapporterad": "2026-03-03", "Dubbelbemanning": "nej",
              "Sjukhus": "nej", "Kommentar": ""}
    values.update(cells)
    return [values[name] for name in HEADER]


def read(rows: Sequence[list[Any]], header: list[str] = HEADER
         ) -> tuple[list[TimeRecord], ErrorCollector]:
    errors = ErrorCollector("tid.csv")
    table = SourceTable("tid.csv", header, iter(enumerate(rows, start=2)), 0, "byte")
    columns = resolve_columns(header, ImportKind.TIME, ColumnMapping(), errors)
    return read_time_rows(table, columns, refs(), TAG, errors), errors


def messages(errors: ErrorCollector) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in errors.sorted()]


def test_a_good_row_becomes_a_record_in_utc() -> None:
    records, errors = read([row(Dubbelbemanning="ja", Kommentar="Byte")])

    assert not errors
    [record] = records
    assert record.id == stable_id(TAG, "T1")
    assert (record.employee_id, record.group_id, record.client_id) == ("E0001", "G0001", "C0001")
    assert record.start == dt.datetime(2026, 3, 2, 6, tzinfo=UTC)
    assert record.end == dt.datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert record.worked_on == dt.date(2026, 3, 2)
    assert record.worked_minutes == 450
    assert record.is_double and not record.at_hospital and record.ob_claimed
    assert record.kind is TimeKind.ORDINARY and record.status is TimeEntryStatus.REPORTED
    assert record.reported_on == dt.date(2026, 3, 3) and record.comment == "Byte"


def test_every_bad_cell_of_every_row_is_reported_in_swedish() -> None:
    _, errors = read([
        row(Id="T1", Anställd="E0404"),
        row(Id="T2", Grupp="", Start="2026-02-30 07:00"),
        row(Id="T3", Brukare=WRONG_CHECK_DIGIT, Typ="semester",
            Rapporterad="igår"),
        row(Id="T4", Slut="2026-03-02 06:00", Dubbelbemanning="kanske"),
        row(Id="T5", **{"Rast (min)": "480"}),
        row(Id="T1"),
    ])

    assert messages(errors) == [
        (2, "Anställd", "Okänd anställd 'E0404'."),
        (3, "Grupp", "Värde saknas."),
        (3, "Start", "'2026-02-30 07:00' är ingen tidpunkt (ÅÅÅÅ-MM-DD TT:MM)."),
        (4, "Brukare", "Personnumret 198504… har fel kontrollsiffra."),
        (4, "Rapporterad", "'igår' är inget datum (ÅÅÅÅ-MM-DD)."),
        (4, "Typ", "'semester' är ingen giltig tidtyp (beredskap, jour, mertid, ord, "
                   "ordinarie, ordinarie tid, overtid)."),
        (5, "Dubbelbemanning", "'kanske' är inget ja/nej-värde (skriv ja eller nej)."),
        (5, "Slut", "Sluttiden måste vara efter starttiden."),
        (6, "Rast (min)", "Rasten måste vara kortare än arbetspasset."),
        (7, "Id", "Id 'T1' finns redan på rad 2."),
    ]


def test_a_client_is_found_by_personnummer_and_must_belong_to_the_group() -> None:
    records, errors = read([
        row(Id="T1", Brukare=IDENTITY.formatted()),
        row(Id="T2", Brukare="B-0002", Start="2026-03-03 07:00", Slut="2026-03-03 15:00"),
        row(Id="T3", Brukare="19900101-0017", Start="2026-03-04 07:00",
            Slut="2026-03-04 15:00"),
    ])
    assert records[0].client_id == "C0001"
    assert messages(errors) == [
        (3, "Brukare", "Brukaren hör inte till grupp G0001."),
        (4, "Brukare", "Ingen brukare har personnummer 19900101-****."),
    ]
    assert IDENTITY.digits[8:] not in str(messages(errors))


def test_a_day_column_with_clock_times_and_a_night_shift() -> None:
    header = ["Anställd", "Grupp", "Datum", "Start", "Slut", "Timmar"]
    records, errors = read([["E0001", "G0009", "2026-03-02", "22:00", "07:00", "9"],
                            ["E0002", "G0009", "2026-03-02", "8:00", "", "7,5"],
                            ["E0002", "G0009", "2026-03-03", "08:00", "16:00", "7"]],
                           header)
    assert [(r.start, r.end, r.client_id) for r in records] == [
        (dt.datetime(2026, 3, 2, 21, tzinfo=UTC), dt.datetime(2026, 3, 3, 6, tzinfo=UTC), None),
        (dt.datetime(2026, 3, 2, 7, tzinfo=UTC), dt.datetime(2026, 3, 2, 14, 30, tzinfo=UTC),
         None),
    ]
    assert messages(errors) == [
        (4, "Timmar", "7 h stämmer inte med Start, Slut och Rast (8:00)."),
    ]


def test_a_missing_end_and_hours_column_stops_before_the_rows() -> None:
    records, errors = read([["E0001", "G0001", "2026-03-02 07:00"]],
                           ["Anställd", "Grupp", "Start"])
    assert records == []
    assert messages(errors) == [
        (1, "Slut", "Kolumnen saknas i filen: ange Slut eller Timmar.")]


def test_an_attested_row_needs_attestant_and_time() -> None:
    header = [*HEADER, "Attesterad av", "Attesterad"]
    second = row(Id="T2", Start="2026-03-03 07:00", Slut="2026-03-03 15:00")
    records, errors = read([[*row(), "chef1", "2026-03-05 10:00"], [*second, "chef1", ""]],
                           header)
    assert records[0].status is TimeEntryStatus.ATTESTED
    assert records[0].attested_at == dt.datetime(2026, 3, 5, 9, tzinfo=UTC)
    assert messages(errors) == [
        (3, "Attesterad", "En attesterad rad måste ha attestant och tidpunkt.")]


@pytest.mark.parametrize(("start", "end", "pause"), [
    ("2026-03-02 07:00", "2026-03-02 15:00", "0"),
    ("2026-03-02 07:00", "2026-03-02 07:00", "0"),
    ("2026-03-02 07:00", "2026-03-02 06:00", "0"),
    ("2026-03-02 07:00", "2026-03-02 08:00", "60"),
    ("2026-03-02 07:00", "2026-03-02 08:00", "59"),
    ("2026-03-28 22:00", "2026-03-29 07:00", "30"),  # across the spring DST change
])
def test_the_row_rules_agree_with_the_time_entry(start: str, end: str, pause: str) -> None:
    records, errors = read([row(Start=start, Slut=end, **{"Rast (min)": pause})])
    from insats.interchange.moments import local_and_utc

    try:
        entry = TimeEntry(id="x", employee_id="E0001", group_id="G0001",
                          start=local_and_utc(start)[1], end=local_and_utc(end)[1],
                          break_minutes=int(pause))
    except DomainError:
        assert errors and not records
    else:
        assert not errors
        assert records[0].worked_minutes == entry.worked.value
