"""Use cases: back up the whole database to a file and restore it into an empty database.

``backup_database`` reads every table inside one read-only transaction (PostgreSQL:
REPEATABLE READ READ ONLY; SQLite: one read transaction), so the file is a consistent
snapshot even while the application writes. ``restore_database`` refuses a database that
already holds data, a file of another schema revision, and a file whose rows do not match
their checksum (naming the table) before writing anything; then it inserts every table in
foreign-key order in one transaction, resets PostgreSQL's sequences, and verifies the
result by recomputing every table's count and checksum against the manifest. The file
format is described in ``insats.db.backup`` and docs/backup-and-retention.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from insats.db import backup as snapshot
from insats.db import migrate
from insats.db.maintenance import REFERENCE_TABLES
from insats.domain.common import DomainError
from insats.services.runtime import engine_for


@dataclass(frozen=True, slots=True)
class TableCheck:
    name: str
    rows: int
    differing_rows: int


@dataclass(frozen=True, slots=True)
class BackupReport:
    path: Path
    schema_revision: str
    tables: list[snapshot.TableDigest]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


@dataclass(frozen=True, slots=True)
class RestoreReport:
    path: Path
    schema_revision: str
    tables: list[TableCheck]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def differing_rows(self) -> int:
        return sum(t.differing_rows for t in self.tables)


def _schema_revision(url: str) -> str:
    revision = migrate.current_revision(url)
    if revision is None:
        raise DomainError("backup.unmigrated",
                          "Databasen saknar schema. Kör först: insats db upgrade.")
    return revision


# --- backup ------------------------------------------------------------------------------
def backup_database(url: str, path: Path, *, now: dt.datetime | None = None) -> BackupReport:
    """Write a consistent snapshot of every table to ``path`` (replaced only when complete)."""
    revision = _schema_revision(url)
    created_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    engine = engine_for(url)
    partial = path.with_name(path.name + ".part")
    digests: list[snapshot.TableDigest] = []
    columns: dict[str, list[str]] = {}
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(**snapshot.SNAPSHOT_OPTIONS)
        snapshot.begin_snapshot(connection)
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED,
                                 compresslevel=1) as archive:
                for table in snapshot.schema_tables(connection):
                    columns[table.name] = [c.name for c in table.columns]
                    with archive.open(snapshot.table_member(table.name), "w",
                                      force_zip64=True) as member:
                        digests.append(snapshot.digest(
                            _written(member, snapshot.canonical_lines(connection, table)),
                            table.name))
                manifest = {
                    "format": snapshot.FORMAT_NAME,
                    "format_version": snapshot.FORMAT_VERSION,
                    "schema_revision": revision,
                    "created_at": created_at.isoformat(),
                    "backend": connection.dialect.name,
                    "tables": [{"name": d.name, "columns": columns[d.name], "rows": d.rows,
                                "sha256": d.sha256} for d in digests],
                }
                archive.writestr(snapshot.MANIFEST_NAME,
                                 json.dumps(manifest, ensure_ascii=False, indent=2))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            connection.rollback()
    partial.replace(path)
    return BackupReport(path, revision, digests)


def _written(member: Any, lines: Iterator[bytes]) -> Iterator[bytes]:
    for line in lines:
        member.write(line)
        yield line


# --- restore -----------------------------------------------------------------------------
def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup file, checked for format and structure."""
    if not path.is_file():
        raise DomainError("backup.missing", f"Säkerhetskopian {path} finns inte.")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest: dict[str, Any] = json.loads(archive.read(snapshot.MANIFEST_NAME))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as error:
        raise DomainError("backup.format", f"{path} är ingen säkerhetskopia från Insats "
                          f"(manifest.json saknas eller är trasig).") from error
    if (manifest.get("format") != snapshot.FORMAT_NAME
            or manifest.get("format_version") != snapshot.FORMAT_VERSION):
        raise DomainError("backup.format", f"{path}: okänt format "
                          f"{manifest.get('format')} version {manifest.get('format_version')} "
                          f"(väntade {snapshot.FORMAT_NAME} version {snapshot.FORMAT_VERSION}).")
    return manifest


def _check_file(path: Path, manifest: dict[str, Any], revision: str,
                tables: list[Table]) -> None:
    """Refuse a file of another schema revision, other tables or damaged rows."""
    if manifest["schema_revision"] != revision:
        raise DomainError("backup.revision", f"{path} har schemaversion "
                          f"{manifest['schema_revision']}, databasen {revision}. Återläs "
                          "till en databas med samma version.")
    expected = {t.name: [c.name for c in t.columns] for t in tables}
    listed = {t["name"]: t["columns"] for t in manifest["tables"]}
    if set(listed) != set(expected):
        names = ", ".join(sorted(set(listed) ^ set(expected)))
        raise DomainError("backup.tables", f"{path}: tabellerna stämmer inte med schemat "
                          f"({names}).")
    for name, columns in listed.items():
        if columns != expected[name]:
            raise DomainError("backup.columns", f"{path}: kolumnerna i tabellen {name} "
                              "stämmer inte med schemat.")
    with zipfile.ZipFile(path) as archive:
        for entry in manifest["tables"]:
            found = snapshot.digest(_member_lines(archive, entry["name"]), entry["name"])
            if found.rows != entry["rows"] or found.sha256 != entry["sha256"]:
                raise DomainError("backup.checksum", f"{path}: tabellen {entry['name']} är "
                                  f"skadad (kontrollsumman eller antalet rader, {found.rows} "
                                  f"mot {entry['rows']}, stämmer inte). Inget återlästes.")


def _member_lines(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    try:
        member = archive.open(snapshot.table_member(name))
    except KeyError as error:
        raise DomainError("backup.checksum", f"{archive.filename}: tabellen {name} saknas "
                          "i filen. Inget återlästes.") from error
    with member:
        yield from member


def restore_database(url: str, path: Path) -> RestoreReport:
    """Restore ``path`` into the empty, migrated database at ``url``; verify it.

    The shipped reference values (rule parameters added by ``insats db upgrade``) are
    replaced by the file's. Raises DomainError before writing anything when the database
    holds data or the file is of another revision or damaged.
    """
    revision = _schema_revision(url)
    manifest = read_manifest(path)
    engine = engine_for(url)
    with engine.connect() as connection:
        tables = snapshot.schema_tables(connection)
        counts = snapshot.row_counts(
            connection, [t for t in tables if t.name not in REFERENCE_TABLES])
    filled = sorted(name for name, count in counts.items() if count)
    if filled:
        raise DomainError("backup.not_empty", "Databasen innehåller redan uppgifter (t.ex. "
                          f"tabellen {filled[0]}). Återläs bara till en tom databas.")
    _check_file(path, manifest, revision, tables)
    columns = {t["name"]: t["columns"] for t in manifest["tables"]}
    by_name = {t.name: t for t in tables}
    with Session(engine) as session, session.begin(), zipfile.ZipFile(path) as archive:
        for name in REFERENCE_TABLES:
            session.execute(by_name[name].delete())
        for table in tables:
            decode = snapshot.row_decoder(table, columns[table.name])
            snapshot.insert_batches(session, table,
                                    (decode(line) for line in _member_lines(archive,
                                                                            table.name)))
        snapshot.reset_sequences(session.connection())
    return RestoreReport(path, revision, verify_restore(url, path, manifest))


def verify_restore(url: str, path: Path, manifest: dict[str, Any]) -> list[TableCheck]:
    """Every table's count and checksum recomputed from the database against the manifest;
    for a table that differs, the number of rows that differ either way."""
    checks: list[TableCheck] = []
    with engine_for(url).connect() as connection, zipfile.ZipFile(path) as archive:
        by_name = {t.name: t for t in snapshot.schema_tables(connection)}
        stored = snapshot.table_digests(connection)
        for entry in manifest["tables"]:
            found = stored[entry["name"]]
            differing = 0
            if found.sha256 != entry["sha256"] or found.rows != entry["rows"]:
                differing = snapshot.differing_rows(
                    connection, by_name[entry["name"]], _member_lines(archive, entry["name"]))
                differing = differing or 1  # same rows but another order or column set
            checks.append(TableCheck(entry["name"], found.rows, differing))
    return checks


def file_sha256(path: Path) -> str:
    """The SHA-256 of the whole backup file (for the operator's own records)."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()
