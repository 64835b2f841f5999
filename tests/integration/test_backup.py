"""Backup and restore (issue 9.4): a round trip of a demo department into an empty database
gives the same rows, checksum for checksum, on SQLite and PostgreSQL and across them; a
damaged file, a file of another schema revision and a non-empty target are refused with
nothing written."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import func, insert, select

from insats.db import backup as snapshot
from insats.db.maintenance import scratch_postgres_database
from insats.db.models import AuditEventRow, CommitteeReportRow, CommitteeReportVersionRow
from insats.db.models.actions import ActionTargetRow
from insats.domain.common import DomainError, Period
from insats.services import backup, database
from insats.services.demo import load_demo_department
from insats.services.runtime import dispose_all, engine_for, uow_factory_for
from insats.services.uow import UnitOfWork
from tests.conftest import _engine_for, _server_url, clean_tables, sqlite_url

HISTORY = Period(dt.date(2026, 9, 1), dt.date(2026, 11, 1))
PDF = bytes(range(256)) * 3 + b"%PDF-1.7\x00\xff"


@contextmanager
def empty_target(backend: str, folder: Path) -> Iterator[str]:
    """A new, migrated database without department data (``insats db upgrade`` adds the
    shipped rule parameters, which a restore replaces)."""
    if backend == "sqlite":
        url = sqlite_url(folder / f"target-{len(list(folder.iterdir()))}.db")
        database.upgrade_database(url)
        yield url
        dispose_all()
        return
    with scratch_postgres_database(_server_url(), prefix="insats_restore",
                                   before_drop=lambda _: dispose_all()) as url:
        database.upgrade_database(url)
        yield url


def backend_of(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def load_source(uow_factory: Callable[[], UnitOfWork]) -> None:
    """The demo department (two months) plus what the demo lacks: an issued report with
    PDF bytes, access-log rows (append-only, serial keys) and a decimal target."""
    load_demo_department(uow_factory, history=HISTORY)
    with uow_factory() as uow:
        session = uow.session
        issued = dt.datetime(2026, 10, 31, 22, 15, 30, 123456, tzinfo=dt.UTC)
        session.execute(insert(CommitteeReportRow.__table__).values(
            id="r1", title="Uppföljning", scope_unit_id=None,
            period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 10, 1),
            document_type="Tjänsteskrivelse", deciding_body="Nämnden", diarienummer="SN 1",
            validity="", responsible="Chef", created_at=issued, created_by="chef",
            version=1))
        session.execute(insert(CommitteeReportVersionRow.__table__).values(
            id="v1", report_id="r1", number=1, issued_at=issued, issued_by="chef",
            content='{"å": "ö"}', content_sha256="0" * 64, pdf=PDF, xlsx=b""))
        for minute in range(3):
            session.execute(insert(AuditEventRow.__table__).values(
                at=issued + dt.timedelta(minutes=minute), account_id=None, username="chef",
                role="avdelningschef", action="read", object_kind="client",
                object_id=None, client_id=None, unit_id=None, remote_addr="lokal",
                route="/clients"))
        uow.commit()


def stored_digests(url: str) -> dict[str, snapshot.TableDigest]:
    with engine_for(url).connect() as connection:
        return snapshot.table_digests(connection)


def test_round_trip_of_a_demo_department_differs_in_no_row(
    database_url: str, uow_factory: Callable[[], UnitOfWork], tmp_path: Path
) -> None:
    load_source(uow_factory)
    file = tmp_path / "insats.zip"
    made = backup.backup_database(database_url, file,
                                  now=dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    source = stored_digests(database_url)

    manifest = backup.read_manifest(file)
    assert manifest["format"] == "insats-backup" and manifest["format_version"] == 1
    assert manifest["created_at"] == "2026-11-23T09:00:00+00:00"
    assert manifest["schema_revision"] == made.schema_revision
    listed = {t["name"]: (t["rows"], t["sha256"]) for t in manifest["tables"]}
    assert listed == {name: (d.rows, d.sha256) for name, d in source.items()}
    assert listed["committee_report_versions"][0] == 1 and listed["audit_events"][0] == 3
    assert listed["time_entries"][0] > 1000

    with empty_target(backend_of(database_url), tmp_path) as target:
        restored = backup.restore_database(target, file)

        assert restored.differing_rows == 0
        assert restored.rows == made.rows == sum(d.rows for d in source.values())
        assert stored_digests(target) == source
        engine = engine_for(target)
        with engine.connect() as connection:
            pdf = connection.execute(select(CommitteeReportVersionRow.pdf)).scalar_one()
            targets = connection.execute(select(ActionTargetRow.baseline)).scalars().all()
        assert pdf == PDF
        assert targets and all(isinstance(value, Decimal) for value in targets)
        # the serial key goes on after the restored rows (PostgreSQL's sequence was reset)
        with engine.begin() as connection:
            new_id = connection.execute(insert(AuditEventRow.__table__).values(
                at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC), account_id=None, username="x",
                role="r", action="read", object_kind="client", object_id=None,
                client_id=None, unit_id=None, remote_addr="lokal", route="/")
            ).inserted_primary_key[0]
            highest = connection.execute(select(func.max(AuditEventRow.id))).scalar_one()
        assert new_id == highest and new_id > 3


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql_and_back(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    _server_url()  # skips without PostgreSQL
    source_url = request.getfixturevalue("_migrated_sqlite_url")
    clean_tables(_engine_for(source_url))
    load_source(uow_factory_for(source_url))
    first = tmp_path / "from-sqlite.zip"
    backup.backup_database(source_url, first)
    source = stored_digests(source_url)
    try:
        with empty_target("postgresql", tmp_path) as postgres:
            assert backup.restore_database(postgres, first).differing_rows == 0
            assert stored_digests(postgres) == source
            second = tmp_path / "from-postgresql.zip"
            backup.backup_database(postgres, second)
        with empty_target("sqlite", tmp_path) as sqlite_again:
            assert backup.restore_database(sqlite_again, second).differing_rows == 0
            assert stored_digests(sqlite_again) == source
    finally:
        clean_tables(_engine_for(source_url))


def _rewrite(file: Path, change: Callable[[str, bytes], bytes]) -> Path:
    damaged = file.with_name("damaged.zip")
    with zipfile.ZipFile(file) as original, zipfile.ZipFile(damaged, "w") as copy:
        for item in original.infolist():
            copy.writestr(item.filename, change(item.filename, original.read(item.filename)))
    return damaged


def _department_rows(url: str) -> int:
    with engine_for(url).connect() as connection:
        counts = snapshot.row_counts(connection, snapshot.schema_tables(connection))
    return sum(count for name, count in counts.items() if name != "rule_parameters")


@pytest.fixture
def small_backup(database_url: str, uow_factory: Callable[[], UnitOfWork],
                 tmp_path: Path) -> Path:
    load_source(uow_factory)
    file = tmp_path / "insats.zip"
    backup.backup_database(database_url, file)
    return file


def test_a_damaged_table_is_refused_naming_it_and_nothing_is_written(
    database_url: str, small_backup: Path, tmp_path: Path
) -> None:
    def change(name: str, content: bytes) -> bytes:
        if name == "tables/clients.jsonl":
            first, rest = content.split(b"\n", 1)
            return first.replace(b'"B-', b'"X-', 1) + b"\n" + rest
        return content

    damaged = _rewrite(small_backup, change)
    with empty_target(backend_of(database_url), tmp_path) as target:
        with pytest.raises(DomainError) as refused:
            backup.restore_database(target, damaged)
        assert refused.value.code == "backup.checksum"
        assert "tabellen clients är skadad" in refused.value.message
        assert _department_rows(target) == 0


def test_a_file_of_another_schema_revision_is_refused(
    database_url: str, small_backup: Path, tmp_path: Path
) -> None:
    def change(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["schema_revision"] = "0009_absence_cover"
        return json.dumps(manifest).encode()

    other = _rewrite(small_backup, change)
    with empty_target(backend_of(database_url), tmp_path) as target:
        with pytest.raises(DomainError) as refused:
            backup.restore_database(target, other)
        assert refused.value.code == "backup.revision"
        assert "0009_absence_cover" in refused.value.message
        assert _department_rows(target) == 0


def test_a_database_with_data_is_refused(database_url: str, small_backup: Path) -> None:
    before = stored_digests(database_url)
    with pytest.raises(DomainError) as refused:
        backup.restore_database(database_url, small_backup)
    assert refused.value.code == "backup.not_empty"
    assert "Återläs bara till en tom databas" in refused.value.message
    assert stored_digests(database_url) == before


def test_not_a_backup_file_is_refused(database_url: str, tmp_path: Path) -> None:
    other = tmp_path / "anteckningar.zip"
    other.write_bytes(b"inte en zip")
    with pytest.raises(DomainError) as refused:
        backup.restore_database(database_url, other)
    assert refused.value.code == "backup.format"


def test_the_commands_back_up_and_restore(
    cli: Callable[..., Result], database_url: str, small_backup: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "cli.zip"
    made = cli("backup", str(file))
    assert made.exit_code == 0, made.output
    assert "Säkerhetskopian" in made.output and "är skriven" in made.output
    with empty_target(backend_of(database_url), tmp_path) as target:
        monkeypatch.setenv("INSATS_DATABASE_URL", target)
        restored = cli("restore", str(file))
        assert restored.exit_code == 0, restored.output
        assert "avvikande rader: 0." in restored.output
        again = cli("restore", str(file))
        assert again.exit_code != 0
