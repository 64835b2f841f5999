"""The payroll basis as CSV and XLSX: one row per employee and pay type (and rate).

The layout is documented in docs/payroll.md. The CSV uses ``;`` between fields and a
decimal comma, as Swedish spreadsheet and payroll programs expect, with a header row and
no totals; the caller writes it as UTF-8 with a byte-order mark (``utf-8-sig``) so Excel
reads å, ä and ö. The XLSX has the rows and a sheet of totals per pay type, each with a
totals row.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from insats.domain.pay_rules import PAY_TYPE_LABELS, PayType
from insats.interchange.xlsx import Column, ColumnType, Sheet

CSV_COLUMNS: tuple[str, ...] = (
    "manad", "anstallningsnummer", "namn", "enhet", "avtal", "lonart", "lonart_namn",
    "minuter", "timmar", "sats_kr_per_timme", "belopp_kr", "osaker_sats",
)


@dataclass(frozen=True, slots=True)
class PayrollRow:
    """One exported row.

    Attributes:
        minutes: the minutes the pay rules found.
        paid_minutes: the minutes paid (OB after the monthly rounding).
        rate_ore: öre per hour; amount_ore: the line's amount in öre.
        uncertain: the rate comes from a rule value marked uncertain.
    """

    month: dt.date
    employee_id: str
    name: str
    unit_id: str
    agreement: str
    pay_type: PayType
    minutes: int
    paid_minutes: int
    rate_ore: int
    amount_ore: int
    uncertain: bool


def _hours(minutes: int) -> str:
    """Minutes as hours with two decimals and a decimal comma, rounded half up."""
    hundredths = (abs(minutes) * 100 * 2 + 60) // 120
    sign = "-" if minutes < 0 else ""
    return f"{sign}{hundredths // 100},{hundredths % 100:02d}"


def _kronor(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100},{abs(ore) % 100:02d}"


def write_payroll_csv(stream: TextIO, rows: Sequence[PayrollRow]) -> None:
    """Write the rows; ``stream`` should be opened with ``newline=""``."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([
            row.month.strftime("%Y-%m"), row.employee_id, row.name, row.unit_id,
            row.agreement, row.pay_type.value, PAY_TYPE_LABELS[row.pay_type],
            row.minutes, _hours(row.paid_minutes), _kronor(row.rate_ore),
            _kronor(row.amount_ore), "ja" if row.uncertain else "nej",
        ])


ROW_COLUMNS: tuple[Column, ...] = (
    Column("Anställningsnr"), Column("Namn"), Column("Enhet"), Column("Avtal"),
    Column("Lönart"), Column("Benämning"), Column("Minuter enligt regler", ColumnType.INTEGER),
    Column("Timmar att betala", ColumnType.HOURS), Column("Sats kr/h", ColumnType.MONEY),
    Column("Belopp", ColumnType.MONEY), Column("Osäker sats"),
)
TYPE_COLUMNS: tuple[Column, ...] = (
    Column("Lönart"), Column("Benämning"), Column("Anställda", ColumnType.INTEGER),
    Column("Minuter enligt regler", ColumnType.INTEGER),
    Column("Timmar att betala", ColumnType.HOURS), Column("Belopp", ColumnType.MONEY),
)


def payroll_sheets(month_label: str, rows: Sequence[PayrollRow],
                   head: Sequence[tuple[str, Any]] = ()) -> list[Sheet]:
    """Two sheets: the rows, and totals per pay type; each ends with a "Summa" row (the
    employees in the second sheet's totals are counted once)."""
    body: list[tuple[Any, ...]] = [
        (r.employee_id, r.name, r.unit_id, r.agreement, r.pay_type.value,
         PAY_TYPE_LABELS[r.pay_type], r.minutes, r.paid_minutes, r.rate_ore, r.amount_ore,
         "ja" if r.uncertain else "")
        for r in rows
    ]
    # The rate is not summed, so the totals row is written here rather than by the writer.
    body.append(("Summa", "", "", "", "", "", sum(r.minutes for r in rows),
                 sum(r.paid_minutes for r in rows), None, sum(r.amount_ore for r in rows), ""))
    by_type: dict[PayType, list[PayrollRow]] = {}
    for row in rows:
        by_type.setdefault(row.pay_type, []).append(row)
    summary = [
        (pay_type.value, PAY_TYPE_LABELS[pay_type],
         len({r.employee_id for r in by_type[pay_type]}),
         sum(r.minutes for r in by_type[pay_type]),
         sum(r.paid_minutes for r in by_type[pay_type]),
         sum(r.amount_ore for r in by_type[pay_type]))
        for pay_type in PayType if pay_type in by_type
    ]
    summary.append(("Summa", "", len({r.employee_id for r in rows}),
                    sum(r.minutes for r in rows), sum(r.paid_minutes for r in rows),
                    sum(r.amount_ore for r in rows)))
    return [
        Sheet(title=f"Lönerader {month_label}", columns=ROW_COLUMNS, rows=body, head=head),
        Sheet(title="Per lönart", columns=TYPE_COLUMNS, rows=summary, head=head),
    ]
