"""The hour ledger as CSV and XLSX: one row per client, pseudonymous code only.

The columns are documented in docs/ledger.md. Hours have two decimals, kronor two
decimals; the CSV uses ``;`` between fields and a decimal comma, as Swedish spreadsheet
programs expect, and is UTF-8 with a byte-order mark so Excel reads å, ä and ö.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from insats.domain.ledger import FIGURE_LABELS, NOT_PAYABLE, Figure, LedgerFigures
from insats.interchange.xlsx import Column, ColumnType, Sheet

VALUED: tuple[Figure, ...] = (
    Figure.GRANTED, Figure.UNREPORTED, Figure.BILLABLE, Figure.BILLABLE_DOUBLE, Figure.BEYOND,
    *NOT_PAYABLE.values(),
)


@dataclass(frozen=True, slots=True)
class LedgerRow:
    pseudonym: str
    unit_id: str
    start: dt.date
    end: dt.date  # exclusive
    figures: LedgerFigures


@dataclass(frozen=True, slots=True)
class Measure:
    """One exported column: machine name (CSV), Swedish title (XLSX) and how to read it."""

    name: str
    title: str
    type: ColumnType
    read: Callable[[LedgerFigures], int]


def _minutes_of(figure: Figure) -> Callable[[LedgerFigures], int]:
    return lambda figures: figures.minutes(figure)


def _ore_of(figure: Figure) -> Callable[[LedgerFigures], int]:
    return lambda figures: figures.ore(figure)


def _measures() -> list[Measure]:
    measures: list[Measure] = []
    for figure in Figure:
        measures.append(Measure(f"{figure.value}_h", f"{FIGURE_LABELS[figure]} (h)",
                                ColumnType.HOURS, _minutes_of(figure)))
        if figure in VALUED:
            measures.append(Measure(f"{figure.value}_kr", f"{FIGURE_LABELS[figure]} (kr)",
                                    ColumnType.MONEY, _ore_of(figure)))
    measures += [
        Measure("ej_utnyttjat_h", "Beviljat ej utnyttjat (h)", ColumnType.HOURS,
                lambda f: f.unused_minutes),
        Measure("ej_utnyttjat_kr", "Beviljat ej utnyttjat, utebliven intäkt (kr)",
                ColumnType.MONEY, lambda f: f.unused_ore),
        Measure("ej_ersattning_h", "Ej ersättning totalt (h)", ColumnType.HOURS,
                lambda f: f.not_payable_minutes),
        Measure("ej_ersattning_kr", "Ej ersättning totalt (kr)", ColumnType.MONEY,
                lambda f: f.not_payable_ore),
        Measure("schema_over_beviljat_h", "Schemalagt över beviljat (h)", ColumnType.HOURS,
                lambda f: f.scheduled_over_granted_minutes),
        Measure("takt_h", "Utfört minus beviljat (h, +/-)", ColumnType.HOURS,
                lambda f: f.pace_minutes),
    ]
    return measures


MEASURES: tuple[Measure, ...] = tuple(_measures())


def _decimal(minutes_or_ore: int, per: int) -> str:
    sign = "-" if minutes_or_ore < 0 else ""
    value = abs(minutes_or_ore)
    hundredths = (value * 100 + 30) // 60 if per == 60 else value
    return f"{sign}{hundredths // 100},{hundredths % 100:02d}"


def write_ledger_csv(stream: TextIO, rows: Sequence[LedgerRow]) -> None:
    """Write the rows; ``stream`` should be opened with ``newline=""``."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(["brukare", "enhet", "fran", "till", *[m.name for m in MEASURES]])
    for row in rows:
        last = row.end - dt.timedelta(days=1)
        writer.writerow([
            row.pseudonym, row.unit_id, row.start.isoformat(), last.isoformat(),
            *[_decimal(m.read(row.figures), 60 if m.type is ColumnType.HOURS else 100)
              for m in MEASURES],
        ])


def ledger_sheet(title: str, rows: Sequence[LedgerRow],
                 head: Sequence[tuple[str, object]] = ()) -> Sheet:
    columns = [Column("Brukare"), Column("Enhet"), Column("Från", ColumnType.DATE),
               Column("Till", ColumnType.DATE),
               *[Column(m.title, m.type) for m in MEASURES]]
    body = [
        (row.pseudonym, row.unit_id, row.start, row.end - dt.timedelta(days=1),
         *[m.read(row.figures) for m in MEASURES])
        for row in rows
    ]
    return Sheet(title=title, columns=columns, rows=body, head=head, totals=True)
