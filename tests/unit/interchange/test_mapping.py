"""Column mappings: default Swedish names, aliases, mapping documents, missing columns."""

from __future__ import annotations

import pytest

from insats.interchange.errors import ErrorCollector, FileProblem
from insats.interchange.keys import natural_id, source_tag, stable_id
from insats.interchange.mapping import (
    FIELDS,
    ColumnMapping,
    ImportKind,
    mapping_from_document,
    resolve_columns,
)


def test_default_names_and_aliases_match_ignoring_case_and_spaces() -> None:
    errors = ErrorCollector("tid.csv")
    header = ["id", "ANSTÄLLD", "Grupp", "Personnummer", " Start ", "Slut", "Rast"]

    columns = resolve_columns(header, ImportKind.TIME, ColumnMapping(), errors)

    assert not errors
    assert columns["Anställd"] == 1
    assert columns["Brukare"] == 3  # the alias Personnummer
    assert columns["Start"] == 4
    assert columns["Rast (min)"] == 6


def test_every_missing_required_column_is_reported_on_row_1() -> None:
    errors = ErrorCollector("tid.csv")

    resolve_columns(["Start", "Slut"], ImportKind.TIME, ColumnMapping(), errors)

    assert [(e.row, e.column) for e in errors.sorted()] == [(1, "Anställd"), (1, "Grupp")]
    assert errors.errors[0].message.startswith("Kolumnen saknas i filen")


def test_a_mapping_renames_columns_and_a_mapped_column_must_exist() -> None:
    mapping = mapping_from_document(
        {"kolumner": {"anställd": "AnstNr", "Start": "Från kl", "Kommentar": "Notering"},
         "fil": {"avgransare": ";", "teckenkodning": "cp1252"}},
        ImportKind.TIME, "källa.toml",
    )
    errors = ErrorCollector("tid.csv")

    columns = resolve_columns(["AnstNr", "Grupp", "Från kl", "Slut"], ImportKind.TIME,
                              mapping, errors)

    assert columns["Anställd"] == 0 and columns["Start"] == 2
    assert mapping.delimiter == ";" and mapping.encoding == "cp1252"
    assert [(e.column, e.message) for e in errors.errors] == [
        ("Kommentar", "Kolumnen saknas i filen: letade efter 'Notering' (enligt mappningen).")
    ]


def test_a_mapping_round_trips_through_json() -> None:
    mapping = ColumnMapping({"Anställd": "AnstNr"}, delimiter=";", sheet="Tid")
    again = ColumnMapping.from_json(mapping.to_json(), ImportKind.TIME)
    assert again == mapping


def test_a_mapping_with_an_unknown_column_is_refused() -> None:
    with pytest.raises(FileProblem, match="'Lön' är ingen kolumn för import av tidrapporter"):
        mapping_from_document({"kolumner": {"Lön": "X"}}, ImportKind.TIME, "m.toml")
    with pytest.raises(FileProblem, match=r"\[kolumner\] saknas"):
        mapping_from_document({}, ImportKind.TIME, "m.toml")


def test_every_kind_has_documented_fields() -> None:
    for fields in FIELDS.values():
        assert all(field.meaning for field in fields)
        assert len({field.name for field in fields}) == len(fields)


def test_stable_ids_depend_on_source_and_fit_the_id_column() -> None:
    tag = source_tag("time", "Heroma")
    assert stable_id(tag, "T123") == f"{tag}-T123"
    assert stable_id(tag, "T123") != stable_id(source_tag("time", "Medvind"), "T123")
    long_id = stable_id(tag, "en mycket lång extern nyckel med mellanslag")
    assert len(long_id) <= 32 and long_id.startswith(f"{tag}#")
    assert natural_id(tag, "E0001", "2026-03-02T06:00") == natural_id(
        tag, "E0001", "2026-03-02T06:00")
