"""Column mappings: which column of a file holds which field of an import.

Every import kind has default Swedish column names (``FIELDS``); a header matches when it
equals the name or one of its aliases, ignoring case and surrounding spaces. A mapping file
(TOML or JSON) renames columns for one source system::

    [kolumner]
    "Anställd" = "Anst.nr"      # our column name = the file's column name
    "Start" = "Från"

    [fil]                       # optional
    avgransare = ";"
    teckenkodning = "cp1252"
    blad = "Tidrader"

A named source stores its mapping in the database, so the next import reuses it.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from insats.interchange.errors import ErrorCollector, FileProblem


class ImportKind(StrEnum):
    DECISIONS = "decisions"
    SCHEDULES = "schedules"
    TIME = "time"


KIND_LABELS: dict[ImportKind, str] = {
    ImportKind.DECISIONS: "beslut",
    ImportKind.SCHEDULES: "schema",
    ImportKind.TIME: "tidrapporter",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One column of an import: its default name, other accepted names, and its meaning."""

    name: str
    required: bool
    meaning: str
    aliases: tuple[str, ...] = ()


_ID = Field("Id", False, "Radens id i källsystemet; ger stabil identitet vid omimport.",
            ("Extern id", "Externt id", "Rad-id"))
_CLIENT = Field("Brukare", False, "Personnummer (ÅÅÅÅMMDD-NNNN) eller pseudonym (B-0042).",
                ("Personnummer", "Brukar-id", "Pseudonym"))
_DATE = Field("Datum", False, "Passets dag; då är Start och Slut bara klockslag.", ("Dag",))
_START = Field("Start", True, "Tidpunkt (ÅÅÅÅ-MM-DD TT:MM) eller klockslag med Datum.",
               ("Från", "Starttid"))
_END = Field("Slut", False, "Tidpunkt eller klockslag; före Start betyder nästa dag.",
             ("Till", "Sluttid"))
_BREAK = Field("Rast (min)", False, "Rast i hela minuter (0 om tom).", ("Rast",))
_DOUBLE = Field("Dubbelbemanning", False, "ja/nej: andra assistenten vid dubbelassistans.",
                ("Dubbel",))

FIELDS: dict[ImportKind, tuple[Field, ...]] = {
    ImportKind.TIME: (
        _ID,
        Field("Anställd", True, "Den anställdas id (t.ex. E0001).",
              ("Anställningsnummer", "Anst.nr", "Medarbetare")),
        Field("Grupp", True, "Assistansgruppens id (t.ex. G0001).", ("Grupp-id",)),
        _CLIENT,
        _DATE,
        _START,
        _END,
        Field("Timmar", False, "Arbetad tid i timmar (7,5 eller 7:30): ersätter Slut, "
              "eller kontrolleras mot den.", ("Tid (h)",)),
        _BREAK,
        Field("Typ", False, "ordinarie, jour, beredskap, mertid eller övertid.", ("Tidtyp",)),
        Field("Rapporterad", False, "Dagen raden rapporterades (ÅÅÅÅ-MM-DD).",
              ("Rapportdatum",)),
        _DOUBLE,
        Field("Sjukhus", False, "ja/nej: arbetet skedde under sjukhusvistelse.", ()),
        Field("OB", False, "ja/nej: OB-tillägg begärs (ja om tom).", ()),
        Field("Kommentar", False, "Fritext.", ()),
        Field("Attesterad av", False, "Attestantens användarnamn: raden är attesterad.",
              ("Attestant",)),
        Field("Attesterad", False, "Tidpunkt för attesten.", ("Attesttid",)),
    ),
    ImportKind.SCHEDULES: (
        _ID,
        Field("Grupp", True, "Assistansgruppens id.", ("Grupp-id",)),
        Field("Anställd", False, "Den anställdas id; tom = obemannat pass.",
              ("Anställningsnummer", "Anst.nr", "Medarbetare")),
        _DATE,
        _START,
        Field("Slut", True, "Tidpunkt eller klockslag; före Start betyder nästa dag.",
              ("Till", "Sluttid")),
        _BREAK,
        Field("Typ", False, "ordinarie, jour eller beredskap.", ("Passtyp",)),
        Field("Status", False, "publicerat (om tom), förslag eller inställt.", ()),
        _DOUBLE,
    ),
    ImportKind.DECISIONS: (
        _ID,
        Field("Brukare", True, "Personnummer eller pseudonym.",
              ("Personnummer", "Pseudonym")),
        Field("Lagrum", True, "SFB, LSS eller SoL.", ("Lag",)),
        Field("Insats", True, "T.ex. personlig assistans, ledsagarservice, avlösarservice.", ()),
        Field("Från", True, "Första dagen (ÅÅÅÅ-MM-DD).", ("Fr.o.m.", "Giltigt från")),
        Field("Till", False, "Sista dagen (ingår); tom = tills vidare.",
              ("T.o.m.", "Giltigt till")),
        Field("Beslutat av", True, "FK eller kommun.", ("Beslutsfattare",)),
        Field("Betalare", True, "FK, kommun eller annan kommun.", ()),
        Field("Anordnare", True, "Anordnarens id (t.ex. P01).", ("Utförare",)),
        Field("Beslutsdatum", True, "Dagen beslutet fattades.", ("Beslutad",)),
        Field("Timmar/vecka", False, "Beviljade timmar per vecka (decimalkomma går bra).",
              ("Timmar per vecka",)),
        Field("Timmar/period", False, "Beviljade timmar för hela perioden (högst sex månader).",
              ("Timmar per period",)),
        Field("Dubbelassistans timmar/vecka", False, "Timmar med två assistenter per vecka.",
              ("Dubbelassistans",)),
        Field("Grundläggande behov timmar/vecka", False, "Timmar för grundläggande behov.",
              ("Grundläggande behov",)),
        Field("Förhöjt timbelopp", False, "ja/nej.", ()),
        Field("Förhöjt belopp (kr/tim)", False, "Godkänt belopp per timme, t.ex. 363,44.",
              ("Förhöjt belopp",)),
        Field("Förskott", False, "ja/nej: FK betalar i förskott.", ()),
        Field("Ersätter beslut", False, "Id för beslutet som ändras (lagrat id eller källans id).",
              ("Ersätter",)),
    ),
}

SECTION_COLUMNS = ("kolumner", "columns")
SECTION_FILE = ("fil", "file")
FILE_OPTIONS = {"avgransare": "delimiter", "avgränsare": "delimiter", "delimiter": "delimiter",
                "teckenkodning": "encoding", "encoding": "encoding", "blad": "sheet",
                "sheet": "sheet"}


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class ColumnMapping:
    """Our column name → the file's column name, plus optional file options."""

    columns: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None

    def to_json(self) -> str:
        document: dict[str, Any] = {"kolumner": dict(sorted(self.columns.items()))}
        options = {"avgransare": self.delimiter, "teckenkodning": self.encoding,
                   "blad": self.sheet}
        options = {key: value for key, value in options.items() if value is not None}
        if options:
            document["fil"] = options
        return json.dumps(document, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, kind: ImportKind) -> ColumnMapping:
        return mapping_from_document(json.loads(text), kind, "sparad mappning")

    def merged_over(self, other: ColumnMapping) -> ColumnMapping:
        """This mapping, with ``other`` filling what this one leaves out."""
        return ColumnMapping(
            {**other.columns, **self.columns},
            self.delimiter or other.delimiter,
            self.encoding or other.encoding,
            self.sheet or other.sheet,
        )


def load_mapping(path: Path, kind: ImportKind) -> ColumnMapping:
    """Read a TOML (``.toml``) or JSON mapping file for ``kind``.

    Raises:
        FileProblem: unreadable file, or a column name this import does not have.
    """
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileProblem(f"Mappningsfilen {path} finns inte.") from None
    except UnicodeDecodeError:
        raise FileProblem(f"Mappningsfilen {path.name} är inte sparad som UTF-8.") from None
    try:
        document = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise FileProblem(f"Mappningsfilen {path.name} går inte att läsa: {error}") from None
    if not isinstance(document, dict):
        raise FileProblem(f"Mappningsfilen {path.name} ska innehålla en tabell [kolumner].")
    return mapping_from_document(document, kind, path.name)


def mapping_from_document(document: dict[str, Any], kind: ImportKind, where: str
                          ) -> ColumnMapping:
    known = {_fold(f.name): f.name for f in FIELDS[kind]}
    columns_section: Any = next(
        (document[key] for key in SECTION_COLUMNS if key in document), None
    )
    if columns_section is None:
        raise FileProblem(f"{where}: tabellen [kolumner] saknas.")
    if not isinstance(columns_section, dict):
        raise FileProblem(f"{where}: [kolumner] ska vara en tabell.")
    columns: dict[str, str] = {}
    for ours, theirs in columns_section.items():
        name = known.get(_fold(str(ours)))
        if name is None:
            allowed = ", ".join(f.name for f in FIELDS[kind])
            raise FileProblem(
                f"{where}: {ours!r} är ingen kolumn för import av {KIND_LABELS[kind]} "
                f"(finns: {allowed})."
            )
        if not isinstance(theirs, str) or not theirs.strip():
            raise FileProblem(f"{where}: kolumnnamnet för {name!r} ska vara en text.")
        columns[name] = theirs.strip()
    options: dict[str, str | None] = {"delimiter": None, "encoding": None, "sheet": None}
    file_section: Any = next((document[key] for key in SECTION_FILE if key in document), {})
    if not isinstance(file_section, dict):
        raise FileProblem(f"{where}: [fil] ska vara en tabell.")
    for key, value in file_section.items():
        option = FILE_OPTIONS.get(str(key).casefold())
        if option is None:
            raise FileProblem(
                f"{where}: okänd inställning {key!r} i [fil] "
                "(avgransare, teckenkodning, blad)."
            )
        options[option] = None if value is None else str(value)
    delimiter = options["delimiter"]
    if delimiter is not None:
        delimiter = "\t" if delimiter.lower() in ("tab", "\\t") else delimiter
        if len(delimiter) != 1:
            raise FileProblem(f"{where}: avgränsaren ska vara ett tecken, t.ex. \";\".")
    return ColumnMapping(columns, delimiter, options["encoding"], options["sheet"])


def resolve_columns(
    header: list[str], kind: ImportKind, mapping: ColumnMapping, errors: ErrorCollector
) -> dict[str, int]:
    """Field name → index in ``header``; a missing required column is an error on row 1."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(_fold(name), index)
    resolved: dict[str, int] = {}
    for spec in FIELDS[kind]:
        mapped = mapping.columns.get(spec.name)
        candidates = [mapped] if mapped else [spec.name, *spec.aliases]
        found = [positions[_fold(c)] for c in candidates if _fold(c) in positions]
        if found:
            resolved[spec.name] = found[0]
        elif spec.required or mapped:
            wanted = f"{mapped!r} (enligt mappningen)" if mapped else repr(spec.name)
            errors.add(1, spec.name, f"Kolumnen saknas i filen: letade efter {wanted}.")
    return resolved
