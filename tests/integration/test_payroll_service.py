"""The payroll basis from the database (both backends), and `insats time export`.

October 2026, bundled rule values: OB helg 68,10 kr/h, OB vardag kväll 21,50 kr/h,
enkel övertid 180 % and kvalificerad 240 % of timlön, mertid 135 %. timlön = 30 000 × 12 /
(52 × 40) = 173,08 kr for E1 (full time) and E2 (75 %, 22 500 kr).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from insats.domain.common import Money
from insats.domain.pay_rules import PayType
from insats.domain.time_reports import TimeEntryStatus, TimeKind
from insats.services.payroll import payroll_month
from insats.services.rules import add_missing_bundled_parameters
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_department,
    a_group,
    a_provider,
    a_relative_carer,
    a_time_entry,
    a_unit,
    an_employee,
    an_hourly_substitute,
    stockholm,
)

ATTESTED = {"status": TimeEntryStatus.ATTESTED, "attested_at": stockholm(2026, 11, 5, 9),
            "attested_by": "chef"}


def store_payroll_world(uow: UnitOfWork) -> None:
    add_missing_bundled_parameters(uow)
    uow.organisation.add_many([a_department(), a_unit(id="U01"),
                               a_unit(id="U02", name="Vikariepoolen")])
    uow.providers.add(a_provider())
    uow.clients.add(a_client())
    uow.staff.add_many([
        an_employee(id="E1", employment_percent=100, monthly_wage=Money.kronor(30_000)),
        an_employee(id="E2", given_name="Per", employment_percent=75,
                    monthly_wage=Money.kronor(22_500)),
        a_relative_carer(id="E100"),
        an_hourly_substitute(id="E9001", home_unit_id="U02"),
    ])
    uow.scheduling.add(a_group())

    def entry(id: str, employee: str, day: int, begin: int, end_day: int, finish: int,
              **extra: object) -> object:
        values: dict[str, object] = {"employee_id": employee,
                                     "start": stockholm(2026, 10, day, begin),
                                     "end": stockholm(2026, 10, end_day, finish), **ATTESTED}
        return a_time_entry(id=id, **{**values, **extra})

    uow.time_reports.add_many([
        entry("T1", "E1", 10, 8, 10, 16),  # Saturday: 8 h helg
        entry("T2", "E1", 6, 16, 6, 22, kind=TimeKind.OVERTIME),  # 4 h enkel, 2 h kval.
        entry("T3", "E2", 6, 16, 6, 21, kind=TimeKind.EXTRA),  # 5 h mertid, 2 h kväll
        entry("T4", "E100", 10, 8, 10, 20),  # anhörigvårdare: timlön only
        entry("T5", "E9001", 11, 8, 11, 16),  # Sunday: timlön and helg
        entry("T6", "E1", 12, 19, 12, 22, status=TimeEntryStatus.REPORTED,
              attested_at=None, attested_by=None),  # not attested yet
        entry("T7", "E1", 13, 19, 13, 22, status=TimeEntryStatus.REJECTED,
              attested_at=None, attested_by=None),
        entry("T8", "E2", 14, 19, 14, 22),  # corrected by T9 to 19–21
        entry("T9", "E2", 14, 19, 14, 21, corrects_entry_id="T8"),
        entry("T0", "E1", 30, 8, 30, 16, start=stockholm(2026, 9, 30, 8),
              end=stockholm(2026, 9, 30, 16)),  # September
    ])


def lines_of(report: object, employee: str) -> dict[PayType, tuple[int, int, int]]:
    return {line.pay_type: (line.paid_minutes, line.rate_ore, line.amount_ore)
            for line in report.lines if line.employee_id == employee}  # type: ignore[attr-defined]


def test_a_month_of_pay_lines(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        store_payroll_world(uow)
        uow.commit()
    report = payroll_month(uow_factory, year=2026, month=10)
    assert report.entries == 6 and report.unattested_left_out == 1
    assert sorted(report.employees) == ["E1", "E100", "E2", "E9001"]
    assert lines_of(report, "E1") == {
        PayType.OB_WEEKEND: (480, 6810, 8 * 6810),
        PayType.OVERTIME_SIMPLE: (240, 31154, 4 * 31154),
        PayType.OVERTIME_QUALIFIED: (120, 41539, 2 * 41539),
    }
    assert lines_of(report, "E2") == {
        PayType.OB_WEEKDAY_EVENING: (240, 2150, 4 * 2150),  # 2 h with the mertid + 2 h (T9)
        PayType.MERTID: (300, 23366, 5 * 23366),
    }
    assert lines_of(report, "E100") == {PayType.HOURLY: (720, 15000, 12 * 15000)}
    assert lines_of(report, "E9001") == {PayType.HOURLY: (480, 17250, 8 * 17250),
                                          PayType.OB_WEEKEND: (480, 6810, 8 * 6810)}
    assert report.amount_ore == sum(line.amount_ore for line in report.lines)
    totals = {t.pay_type: t for t in report.totals()}
    assert totals[PayType.OB_WEEKEND].employees == 2
    assert totals[PayType.OB_WEEKEND].paid_minutes == 960


def test_reported_time_on_request_and_a_unit_filter(
        uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        store_payroll_world(uow)
        uow.commit()
    everything = payroll_month(uow_factory, year=2026, month=10, attested_only=False)
    assert lines_of(everything, "E1")[PayType.OB_WEEKDAY_EVENING] == (180, 2150, 3 * 2150)
    assert everything.unattested_left_out == 0
    pool = payroll_month(uow_factory, year=2026, month=10, unit_ids=["U02"])
    assert list(pool.employees) == ["E9001"]
    assert {line.employee_id for line in pool.lines} == {"E9001"}
    september = payroll_month(uow_factory, year=2026, month=9)
    assert [line.pay_type for line in september.lines] == []  # a Wednesday 08–16
    assert september.entries == 1


def test_cli_exports_csv_and_xlsx(uow_factory: Callable[[], UnitOfWork],
                                  cli: Callable[..., object], tmp_path: Path) -> None:
    with uow_factory() as uow:
        store_payroll_world(uow)
        uow.commit()
    printed = cli("time", "export", "--month", "2026-10")
    assert printed.exit_code == 0, printed.output  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(printed.output), delimiter=";"))  # type: ignore[attr-defined]
    assert {(r["anstallningsnummer"], r["lonart"]) for r in rows} >= {
        ("E1", "ob_helg"), ("E2", "mertid"), ("E100", "timlon")}
    mertid = next(r for r in rows if r["lonart"] == "mertid")
    assert (mertid["timmar"], mertid["sats_kr_per_timme"], mertid["belopp_kr"]) == (
        "5,00", "233,66", "1168,30")
    assert mertid["osaker_sats"] == "ja"

    out = tmp_path / "lon.csv"
    written = cli("time", "export", "--month", "2026-10", "--unit", "U02", "--out", str(out))
    assert written.exit_code == 0, written.output  # type: ignore[attr-defined]
    assert "Skrev 2 lönerader för 1 anställda" in written.output  # type: ignore[attr-defined]
    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")

    book = tmp_path / "lon.xlsx"
    done = cli("time", "export", "--month", "2026-10", "--format", "xlsx", "--out", str(book))
    assert done.exit_code == 0, done.output  # type: ignore[attr-defined]
    assert "1 tidrader är inte attesterade" in done.output  # type: ignore[attr-defined]
    sheets = load_workbook(book)
    assert sheets.sheetnames == ["Lönerader 2026-10", "Per lönart"]
    values = [row for row in sheets["Per lönart"].iter_rows(values_only=True) if row[0]]
    assert values[-1][0] == "Summa" and values[-1][2] == 4

    bad = cli("time", "export", "--month", "2026-13")
    assert bad.exit_code != 0
