"""Imports on SQLite and PostgreSQL: all or nothing, every bad row at once, idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select, text

from insats.db.models.imports import ImportBatchRow
from insats.db.models.time_reports import TimeEntryRow
from insats.domain.common import Period
from insats.domain.decisions import Insats, LegalBasis
from insats.domain.time_reports import TimeEntryStatus, TimeKind
from insats.interchange.errors import ErrorCollector, FileProblem, ImportRejected
from insats.interchange.keys import source_tag, stable_id
from insats.services.imports import ImportProgress, import_file
from insats.services.uow import UnitOfWork
from tests.builders import a_small_department, a_time_entry, stockholm

UowFactory = Callable[[], UnitOfWork]
UTC = dt.UTC
TIME_HEADER = ["Id", "Anställd", "Grupp", "Brukare", "Start", "Slut", "Rast (min)", "Typ",
               "Rapporterad", "Dubbelbemanning", "Sjukhus", "Kommentar"]
GOOD_TIME = [
    ["T1", "E0001", "G0001", "B-0001", "2026-03-02 07:00", "2026-03-02 15:00", "30",
     "ordinarie", "2026-03-03", "nej", "nej", ""],
    ["T2", "E0002", "G0001", "B-0001", "2026-03-02 15:00", "2026-03-02 22:00", "0",
     "jour", "2026-03-03", "ja", "nej", "Kväll"],
    ["T3", "E0004", "G0002", "", "2026-03-02 08:00", "2026-03-02 16:00", "0",
     "övertid", "", "nej", "ja", ""],
]


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *,
              delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
               sheet: str = "Tid") -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Info"
    first.append(["Export från tidsystemet"])
    worksheet = book.create_sheet(sheet)
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def world(uow_factory: UowFactory) -> UowFactory:
    seed_world(uow_factory)
    return uow_factory


def seed_world(uow_factory: UowFactory) -> None:
    """The small department: employees E0001–E0005, E0100, E9001; groups G0001 (client
    C0001, B-0001) and G0002 (C0002, B-0002); provider P01; decisions BE0001, BE0002."""
    department = a_small_department()
    with uow_factory() as uow:
        uow.organisation.add_many([department.department, department.unit])
        uow.providers.add(department.provider)
        uow.clients.add_many(department.clients)
        uow.staff.add_many(department.employees)
        uow.decisions.add_many(department.decisions)
        uow.scheduling.add_many([*department.groups, *department.memberships])
        uow.commit()


def stored_time(factory: UowFactory) -> dict[str, Any]:
    with factory() as uow:
        return {entry.id: entry for entry in uow.time_reports.of_group(
            "G0001", stockholm(2026, 1, 1), stockholm(2027, 1, 1))} | {
            entry.id: entry for entry in uow.time_reports.of_group(
                "G0002", stockholm(2026, 1, 1), stockholm(2027, 1, 1))}


def counts(factory: UowFactory) -> tuple[int, int]:
    with factory() as uow:
        return (uow.time_reports.count(),
                int(uow.session.scalar(select(func.count()).select_from(ImportBatchRow)) or 0))


def tid(external: str, source: str | None = None) -> str:
    return stable_id(source_tag("time", source), external)


# -- a good file, and importing it again -----------------------------------------------------
def test_a_good_csv_imports_and_importing_it_again_changes_nothing(
    world: UowFactory, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "tid.csv", TIME_HEADER, GOOD_TIME)

    report = import_file(world, kind="time", path=path)

    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    entries = stored_time(world)
    first = entries[tid("T1")]
    assert first.start == dt.datetime(2026, 3, 2, 6, tzinfo=UTC)
    assert first.end == dt.datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert (first.employee_id, first.client_id, first.break_minutes) == ("E0001", "C0001", 30)
    assert first.worked.value == 450 and first.reported_on == dt.date(2026, 3, 3)
    second = entries[tid("T2")]
    assert second.kind is TimeKind.ON_CALL and second.is_double and second.comment == "Kväll"
    third = entries[tid("T3")]
    assert third.client_id == "C0002"  # the group's client when the column is empty
    assert third.kind is TimeKind.OVERTIME and third.at_hospital

    again = import_file(world, kind="time", path=path)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert stored_time(world) == entries
    with world() as uow:
        assert [uow.time_reports.version_of(key) for key in sorted(entries)] == [1, 1, 1]
        batches = uow.imports.batches()
    assert [(b.rows_created, b.rows_unchanged) for b in batches] == [(0, 3), (3, 0)] or [
        (b.rows_created, b.rows_unchanged) for b in batches] == [(3, 0), (0, 3)]
    assert {b.sha256 for b in batches} == {report.sha256}


def test_xlsx_with_a_named_sheet_and_native_dates_imports_like_csv(
    world: UowFactory, tmp_path: Path
) -> None:
    rows = [[int(r[0][1:]), r[1], r[2], r[3], dt.datetime.fromisoformat(r[4]),
             dt.datetime.fromisoformat(r[5]), int(r[6]), r[7],
             dt.date.fromisoformat(r[8]) if r[8] else None, r[9], r[10], r[11] or None]
            for r in GOOD_TIME]
    path = write_xlsx(tmp_path / "tid.xlsx", TIME_HEADER, rows)

    with pytest.raises(FileProblem, match="inget blad som heter 'Tider'"):
        import_file(world, kind="time", path=path, sheet="Tider")
    report = import_file(world, kind="time", path=path, sheet="Tid")

    assert report.created == 3
    entries = stored_time(world)
    assert entries[tid("1")].start == dt.datetime(2026, 3, 2, 6, tzinfo=UTC)
    assert entries[tid("2")].reported_on == dt.date(2026, 3, 3)
    assert import_file(world, kind="time", path=path, sheet="Tid").unchanged == 3


def test_imported_rows_are_stored_exactly_as_the_repository_stores_them(
    world: UowFactory, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "tid.csv", TIME_HEADER, GOOD_TIME[:1])
    import_file(world, kind="time", path=path)
    with world() as uow:
        imported = uow.time_reports.get(tid("T1"))
        assert imported is not None
        uow.time_reports.add_many([a_time_entry(
            id="REPO", start=imported.start, end=imported.end, break_minutes=30,
            reported_on=dt.date(2026, 3, 3), employee_id="E0003")])
        uow.commit()
    with world() as uow:
        raw = {row[0]: row[1:] for row in uow.session.execute(text(
            "SELECT id, group_id, client_id, start_at, end_at, worked_on, worked_minutes, "
            "break_minutes, kind, status, is_double, at_hospital, ob_claimed, reported_on, "
            "attested_at, attested_by, planned_shift_id, corrects_entry_id, comment, version "
            "FROM time_entries"))}
    assert raw[tid("T1")] == raw["REPO"]


# -- changes ------------------------------------------------------------------------------
def test_a_changed_row_updates_and_a_changed_attested_row_is_refused(
    world: UowFactory, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "tid.csv", TIME_HEADER, GOOD_TIME)
    import_file(world, kind="time", path=path)
    with world() as uow:
        entry = uow.time_reports.get(tid("T2"))
        assert entry is not None
        uow.time_reports.update(entry.attest(by="chef1", at=stockholm(2026, 3, 5, 10)))
        uow.commit()
    changed = [list(row) for row in GOOD_TIME]
    changed[0][5] = "2026-03-02 16:00"  # T1 one hour longer
    changed[1][6] = "15"  # T2 (attested) gets a break
    path = write_csv(tmp_path / "tid2.csv", TIME_HEADER, changed)

    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="time", path=path)

    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (3, "Id", "Raden är redan attesterad och kan inte ändras; registrera en rättelse i "
                  "stället.")]
    assert stored_time(world)[tid("T1")].end == dt.datetime(2026, 3, 2, 14, tzinfo=UTC)

    changed[1][6] = "0"
    report = import_file(world, kind="time", path=write_csv(tmp_path / "tid3.csv",
                                                            TIME_HEADER, changed))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    entries = stored_time(world)
    assert entries[tid("T1")].end == dt.datetime(2026, 3, 2, 15, tzinfo=UTC)
    assert entries[tid("T2")].status is TimeEntryStatus.ATTESTED  # untouched
    with world() as uow:
        assert uow.time_reports.version_of(tid("T1")) == 2


# -- bad files: nothing written, every bad row listed ---------------------------------------
def test_a_bad_file_writes_nothing_and_lists_every_bad_row(
    world: UowFactory, tmp_path: Path
) -> None:
    with world() as uow:  # a stored row 06:00–10:00 for E0003
        uow.time_reports.add(a_time_entry(id="OLD", employee_id="E0003",
                                          start=stockholm(2026, 3, 2, 6),
                                          end=stockholm(2026, 3, 2, 10)))
        uow.commit()
    rows = [
        *GOOD_TIME,
        ["T4", "E0003", "G0001", "B-0001", "2026-03-02 09:00", "2026-03-02 12:00", "0",
         "", "", "", "", ""],  # overlaps the stored row
        ["T5", "E0001", "G0001", "B-0001", "2026-03-02 14:00", "2026-03-02 18:00", "0",
         "", "", "", "", ""],  # overlaps T1 in the file
        ["T6", "E0005", "G0002", "B-0099", "2026-03-02 08:00", "2026-03-02 12:00", "0",
         "", "", "", "", ""],  # unknown client
        ["T7", "E0005", "G0002", "", "2026-03-31 08:00", "2026-04-31 12:00", "0",
         "", "", "", "", ""],  # no 31 April
        ["T8", "E0404", "G0002", "", "2026-03-05 08:00", "2026-03-05 12:00", "0",
         "", "", "", "", ""],  # unknown employee
    ]
    path = write_csv(tmp_path / "fel.csv", TIME_HEADER, rows)
    before = counts(world)

    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="time", path=path)

    rejected = caught.value
    assert rejected.total == 5 and rejected.file == "fel.csv"
    assert [(e.file, e.row, e.column) for e in rejected.errors] == [
        ("fel.csv", 5, "Start"), ("fel.csv", 6, "Start"), ("fel.csv", 7, "Brukare"),
        ("fel.csv", 8, "Slut"), ("fel.csv", 9, "Anställd")]
    messages = [e.message for e in rejected.errors]
    assert messages[0] == ("Överlappar redan sparad tid för anställd E0003 "
                           "(2026-03-02 06:00–2026-03-02 10:00).")
    assert messages[1] == "Överlappar rad 2 för anställd E0001."
    assert messages[2] == "Okänd brukare 'B-0099'."
    assert messages[3] == "'2026-04-31 12:00' är ingen tidpunkt (ÅÅÅÅ-MM-DD TT:MM)."
    assert messages[4] == "Okänd anställd 'E0404'."
    assert counts(world) == before  # the three good rows were not written either


def test_a_file_that_is_not_utf8_names_the_row_and_an_explicit_encoding_reads_it(
    world: UowFactory, tmp_path: Path
) -> None:
    rows = [list(row) for row in GOOD_TIME]
    rows[1][11] = "Kväll på Söder"
    ascii_header = ["Id", "Anst.nr", *TIME_HEADER[2:6], "Rast", *TIME_HEADER[7:]]
    path = write_csv(tmp_path / "ansi.csv", ascii_header, rows, encoding="cp1252")

    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="time", path=path)

    [error] = caught.value.errors
    assert (error.file, error.row, error.column) == ("ansi.csv", 3, "")
    assert error.message == (
        "Raden är inte giltig UTF-8 (byte 84 på raden). Spara filen som CSV UTF-8 eller "
        "ange teckenkodningen, t.ex. --encoding cp1252.")
    assert counts(world) == (0, 0)
    header_too = write_csv(tmp_path / "ansi2.csv", TIME_HEADER, rows, encoding="cp1252")
    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="time", path=header_too)
    assert [(e.row, e.message[:30]) for e in caught.value.errors] == [
        (1, "Rubrikraden är inte giltig UTF")]

    report = import_file(world, kind="time", path=path, encoding="cp1252")
    assert report.created == 3
    assert stored_time(world)[tid("T2")].comment == "Kväll på Söder"


def test_missing_columns_are_listed_and_nothing_is_read(world: UowFactory, tmp_path: Path
                                                        ) -> None:
    path = write_csv(tmp_path / "kort.csv", ["Start", "Slut", "Brukare"],
                     [["2026-03-02 07:00", "2026-03-02 15:00", "B-0001"]], delimiter=",")
    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="time", path=path)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (1, "Anställd", "Kolumnen saknas i filen: letade efter 'Anställd'."),
        (1, "Grupp", "Kolumnen saknas i filen: letade efter 'Grupp'."),
    ]


def test_a_first_import_written_while_reading_is_rolled_back_by_a_late_error(
    world: UowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("insats.services.imports.STREAM_CHUNK", 2)
    monkeypatch.setattr("insats.services.imports.STREAM_ALWAYS", True)
    days = [f"2026-03-{day:02d}" for day in range(2, 12)]
    rows = [[f"T{n}", "E0001", "G0001", "", f"{day} 07:00", f"{day} 15:00", "0", "", "",
             "", "", ""] for n, day in enumerate(days)]
    late_error = [*rows, ["T99", "E0001", "G0001", "", "2026-03-05 14:00",
                          "2026-03-05 16:00", "0", "", "", "", "", ""]]

    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="time", path=write_csv(tmp_path / "a.csv", TIME_HEADER,
                                                       late_error))

    assert [(e.row, e.message) for e in caught.value.errors] == [
        (12, "Överlappar rad 5 för anställd E0001.")]
    assert counts(world) == (0, 0)
    report = import_file(world, kind="time", path=write_csv(tmp_path / "b.csv",
                                                            TIME_HEADER, rows))
    assert report.created == 10 and counts(world) == (10, 1)
    assert import_file(world, kind="time", path=tmp_path / "b.csv").unchanged == 10


def test_errors_are_all_counted_but_only_the_first_thousands_are_kept() -> None:
    errors = ErrorCollector("stor.csv", keep=3)
    for row in range(2, 12):
        errors.add(row, "Start", "fel")
    assert errors.total == 10 and len(errors.errors) == 3


# -- sources, mappings, dry runs, progress --------------------------------------------------
def test_a_named_source_saves_its_mapping_and_the_next_import_reuses_it(
    world: UowFactory, tmp_path: Path
) -> None:
    header = ["Löpnr", "AnstNr", "Grupp", "Brukare", "Från", "Till", "Rast (min)", "Typ",
              "Rapporterad", "Dubbelbemanning", "Sjukhus", "Notering"]
    mapping = tmp_path / "heroma.toml"
    mapping.write_text('[kolumner]\nId = "Löpnr"\n"Anställd" = "AnstNr"\nStart = "Från"\n'
                       'Slut = "Till"\nKommentar = "Notering"\n', encoding="utf-8")
    first = write_csv(tmp_path / "v1.csv", header, GOOD_TIME[:2])
    second = write_csv(tmp_path / "v2.csv", header, GOOD_TIME)

    report = import_file(world, kind="time", path=first, source="Heroma", mapping=mapping)
    assert report.mapping_saved and report.created == 2

    with pytest.raises(ImportRejected):  # without the source, the default names are missing
        import_file(world, kind="time", path=second)
    again = import_file(world, kind="time", path=second, source="Heroma")

    assert (again.created, again.unchanged, again.mapping_saved) == (1, 2, False)
    assert set(stored_time(world)) == {tid(k, "Heroma") for k in ("T1", "T2", "T3")}
    with world() as uow:
        assert '"Anställd": "AnstNr"' in (uow.imports.saved_mapping("Heroma", "time") or "")


def test_a_dry_run_checks_everything_and_writes_nothing(world: UowFactory, tmp_path: Path
                                                        ) -> None:
    path = write_csv(tmp_path / "tid.csv", TIME_HEADER, GOOD_TIME)
    seen: list[ImportProgress] = []

    report = import_file(world, kind="time", path=path, dry_run=True, progress=seen.append)

    assert report.dry_run and report.created == 3 and report.batch_id is None
    assert counts(world) == (0, 0)
    assert {point.phase for point in seen} >= {"Läser och kontrollerar rader",
                                               "Jämför med databasen"}
    assert seen[-1].done == seen[-1].total


# -- schedules and decisions --------------------------------------------------------------
SHIFT_HEADER = ["Id", "Grupp", "Anställd", "Datum", "Start", "Slut", "Rast (min)", "Typ",
                "Status"]


def test_schedules_import_once_and_overlapping_shifts_are_refused(
    world: UowFactory, tmp_path: Path
) -> None:
    rows = [["P1", "G0001", "E0001", "2026-03-02", "07:00", "15:00", "", "", ""],
            ["P2", "G0001", "", "2026-03-02", "15:00", "22:00", "", "", "förslag"],
            ["P3", "G0002", "E0004", "2026-03-02", "22:00", "08:00", "", "jour", ""]]
    path = write_csv(tmp_path / "schema.csv", SHIFT_HEADER, rows)

    report = import_file(world, kind="schedules", path=path)

    assert report.created == 3
    sid = source_tag("schedules", None)
    with world() as uow:
        night = uow.scheduling.get(f"{sid}-P3")
        open_shift = uow.scheduling.get(f"{sid}-P2")
    assert night is not None and open_shift is not None
    assert night.end == dt.datetime(2026, 3, 3, 7, tzinfo=UTC) and night.kind.value == "jour"
    assert open_shift.employee_id is None and open_shift.status.value == "forslag"
    assert import_file(world, kind="schedules", path=path).unchanged == 3

    clash = write_csv(tmp_path / "krock.csv", SHIFT_HEADER, [
        *rows, ["P4", "G0002", "E0001", "2026-03-02", "14:00", "18:00", "", "", ""],
        ["P5", "G0009", "E0001", "2026-03-09", "14:00", "18:00", "", "", ""]])
    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="schedules", path=clash)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (5, "Start", "Överlappar rad 2 för anställd E0001."),
        (6, "Grupp", "Okänd grupp 'G0009'."),
    ]


DECISION_HEADER = ["Id", "Brukare", "Lagrum", "Insats", "Från", "Till", "Beslutat av",
                   "Betalare", "Anordnare", "Beslutsdatum", "Timmar/vecka",
                   "Ersätter beslut"]


def test_decisions_import_with_decimal_hours_and_references(
    world: UowFactory, tmp_path: Path
) -> None:
    identity = a_small_department().clients[0].identity.formatted()
    rows = [
        ["D1", identity, "SFB", "Personlig assistans", "2027-01-01", "2027-06-30", "FK",
         "FK", "P01", "2026-12-01", "112,5", "BE0001"],
        ["D2", "B-0002", "LSS", "avlösarservice", "2027-01-01", "", "kommun", "kommun",
         "P01", "2026-12-01", "4:30", ""],
        ["D3", "B-0002", "LSS", "Avlösarservice", "2027-07-01", "", "kommun", "kommun",
         "P01", "2027-06-01", "6", "D2"],
    ]
    path = write_csv(tmp_path / "beslut.csv", DECISION_HEADER, rows)

    report = import_file(world, kind="decisions", path=path, source="Lifecare")

    assert report.created == 3
    did = source_tag("decisions", "Lifecare")
    with world() as uow:
        first = uow.decisions.get(f"{did}-D1")
        third = uow.decisions.get(f"{did}-D3")
    assert first is not None and third is not None
    assert first.client_id == "C0001" and first.granted_minutes_per_week == 6750
    assert first.period == Period(dt.date(2027, 1, 1), dt.date(2027, 7, 1))
    assert first.legal_basis is LegalBasis.SFB and first.insats is Insats.PERSONAL_ASSISTANCE
    assert first.replaces_decision_id == "BE0001"
    assert third.replaces_decision_id == f"{did}-D2" and third.granted_minutes_per_week == 360
    assert import_file(world, kind="decisions", path=path, source="Lifecare").unchanged == 3

    bad = write_csv(tmp_path / "fel.csv", DECISION_HEADER, [
        ["D9", "B-0002", "SFB", "ledsagarservice", "2027-01-01", "", "FK", "FK", "P01",
         "2026-12-01", "4", ""],
        ["D10", "B-0002", "LSS", "ledsagarservice", "2027-01-01", "2026-12-31", "kommun",
         "kommun", "P77", "2026-12-01", "4", "X1"],
    ])
    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="decisions", path=bad, source="Lifecare")
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (2, "Insats", "Beslut enligt SFB kan bara avse personlig assistans."),
        (3, "Anordnare", "Okänd anordnare 'P77'."),
    ]

    # C0001 has personlig assistans (BE0001, stored): ledsagarservice beside it is refused
    companion = write_csv(tmp_path / "ledsagning.csv", DECISION_HEADER, [
        ["D20", "B-0001", "LSS", "ledsagarservice", "2026-06-01", "2026-12-31", "kommun",
         "kommun", "P01", "2026-05-01", "4", ""]])
    with pytest.raises(ImportRejected) as caught:
        import_file(world, kind="decisions", path=companion, source="Lifecare")
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (2, "Insats", "Ledsagarservice kan inte beviljas den som har personlig assistans "
                      "(HFD 2011 ref 62).")]


def test_the_record_layout_matches_the_repository(world: UowFactory) -> None:
    from insats.db.repositories.imports import TIME_RECORD_FIELDS
    from insats.interchange.time_reports import TimeRecord

    assert TimeRecord._fields == TIME_RECORD_FIELDS
    assert TimeEntryRow.__tablename__ == "time_entries"
