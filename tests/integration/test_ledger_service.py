"""The hour ledger from the database, on a small hand-built unit (both backends).

C1: SFB 10 h/week, performed by the municipality (P01). In March 2026 (31 days) the grant
is 600 × 31 / 7 → 2 657 minutes. Two reported shifts (8 h and 8 h less a 30 min break), one
staffed shift never reported, one entry late (reported 6 May, after 5 May), and one entry
during a hospital stay without särskilda skäl.
C2: LSS 5 h/week (municipal decision), one 4 h entry: within the municipal grant.
C3: SFB with a private provider (P02), no time: not in the ledger.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from typer.testing import CliRunner

from insats.domain.ledger import Figure
from insats.services.ledger import Window, WindowKind, drill_down, ledger_report
from insats.services.uow import UnitOfWork
from tests.ledger_world import AS_OF, RATE_2026, store_ledger_world


def test_a_month_per_client_with_every_rule(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        store_ledger_world(uow)
        uow.commit()
    report = ledger_report(uow_factory, window=Window.month(2026, 3), as_of=AS_OF,
                           unit_ids=["U01"])
    assert [r.pseudonym for r in report.rows] == ["B-1", "B-2"]  # B-3 is a private provider's
    c1 = report.rows[0].figures
    assert c1.minutes(Figure.GRANTED) == 600 * 90 // 7 - 600 * 59 // 7  # 2 657
    assert c1.minutes(Figure.SCHEDULED) == 4 * 480 + 450
    assert c1.minutes(Figure.PERFORMED) == 3 * 480 + 450
    assert c1.minutes(Figure.ATTESTED) == 3 * 480 + 450
    assert c1.minutes(Figure.UNREPORTED) == 480  # S3 on 4 March
    assert c1.minutes(Figure.NOT_PAYABLE_LATE) == 480
    assert c1.minutes(Figure.NOT_PAYABLE_HOSPITAL) == 240  # 12–16 on 10 March
    assert c1.minutes(Figure.BILLABLE) == 480 + 450 + 240
    assert c1.ore(Figure.BILLABLE) == 1170 * RATE_2026 // 60
    assert c1.ore(Figure.UNREPORTED) == 480 * RATE_2026 // 60
    c2 = report.rows[1].figures
    assert c2.minutes(Figure.MUNICIPAL) == 240
    assert c2.minutes(Figure.BILLABLE) == 0 and c2.ore(Figure.GRANTED) == 0
    total = report.total
    for figure in Figure:
        assert total.minutes(figure) == c1.minutes(figure) + c2.minutes(figure)
    whole = ledger_report(uow_factory, window=Window.month(2026, 3), as_of=AS_OF)
    assert [r.pseudonym for r in whole.rows] == ["B-1", "B-2", "B-9"]
    # C1's decision ended on 1 July and nothing happened after: not in August's ledger
    august = ledger_report(uow_factory, window=Window.month(2026, 8), as_of=AS_OF,
                           unit_ids=["U01"])
    assert [r.pseudonym for r in august.rows] == ["B-2"]


def test_an_assistant_abroad_is_not_paid_unless_approved(
        uow_factory: Callable[[], UnitOfWork]) -> None:
    from dataclasses import replace

    with uow_factory() as uow:
        store_ledger_world(uow)
        employee = uow.staff.get("E1")
        assert employee is not None
        uow.staff.update(replace(employee, resides_outside_eea=True))
        uow.commit()
    march = ledger_report(uow_factory, window=Window.month(2026, 3), as_of=AS_OF,
                          unit_ids=["U01"]).rows[0].figures
    # every FK minute of E1: residence is the first reason checked
    assert march.minutes(Figure.NOT_PAYABLE_OUTSIDE_EEA) == 480 + 450 + 480 + 480
    assert march.minutes(Figure.BILLABLE) == 0
    with uow_factory() as uow:
        employee = uow.staff.get("E1")
        assert employee is not None
        uow.staff.update(replace(employee, outside_eea_approved=True))
        uow.commit()
    march = ledger_report(uow_factory, window=Window.month(2026, 3), as_of=AS_OF,
                          unit_ids=["U01"]).rows[0].figures
    assert march.minutes(Figure.NOT_PAYABLE_OUTSIDE_EEA) == 0
    assert march.minutes(Figure.BILLABLE) == 480 + 450 + 240


def test_drill_down_and_the_settlement_period(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        store_ledger_world(uow)
        uow.commit()
    details = drill_down(uow_factory, client_pseudonym="B-1", window=Window.month(2026, 3),
                         as_of=AS_OF, figure=Figure.NOT_PAYABLE_LATE)
    assert [(i.source, i.source_id, i.minutes) for i in details.items] == [("tid", "T4", 480)]
    assert "sista dag 2026-05-05" in details.items[0].detail
    period = ledger_report(uow_factory, window=Window.period_on(dt.date(2026, 3, 15)),
                           as_of=AS_OF, unit_ids=["U01"])
    assert period.window.kind is WindowKind.PERIOD
    c1 = period.rows[0]
    assert (c1.start, c1.end) == (dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    assert c1.figures.minutes(Figure.GRANTED) == 600 * 181 // 7
    weeks = [ledger_report(uow_factory, window=Window.month(2026, m), as_of=AS_OF,
                           unit_ids=["U01"]).rows[0].figures for m in range(1, 7)]
    assert sum(w.minutes(Figure.GRANTED) for w in weeks) == c1.figures.minutes(Figure.GRANTED)


def test_cli_writes_one_csv_row_per_client(uow_factory: Callable[[], UnitOfWork],
                                           database_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from insats.cli.main import app
    from insats.config import get_settings

    with uow_factory() as uow:
        store_ledger_world(uow)
        uow.commit()
    monkeypatch.setenv("INSATS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["ledger", "--unit", "U01", "--month", "2026-03",
                                          "--format", "csv", "--as-of", "2026-06-01"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output), delimiter=";"))
    assert [r["brukare"] for r in rows] == ["B-1", "B-2"]
    assert rows[0]["fk_debiterbart_h"] == "19,50"
    assert rows[0]["ej_ers_sen_rapport_h"] == "8,00"
    assert rows[0]["fk_debiterbart_kr"] == "6639,75"
    assert "C1" not in result.output  # never the internal id or the personnummer


def test_fk_rate_follows_dated_values_and_the_approved_increased_rate() -> None:
    from insats.domain.common import Money
    from insats.domain.rules import RuleBook
    from insats.domain.rules.parameters import Certainty, ParameterUnit, RuleParameter
    from insats.domain.settlement import grant_spans
    from insats.services.ledger import ledger_rules
    from tests.builders import a_decision

    def schablon(start: dt.date, end: dt.date | None, ore: int) -> RuleParameter:
        return RuleParameter("fk.schablon_per_hour", start, ore, ParameterUnit.ORE, "test",
                             Certainty.CONFIRMED, end)

    book = RuleBook([
        schablon(dt.date(2026, 1, 1), dt.date(2026, 3, 16), 30000),
        schablon(dt.date(2026, 3, 16), None, 36000),
        RuleParameter("fk.increased_rate_max_factor", dt.date(2017, 1, 1), 1120,
                      ParameterUnit.PERMILLE, "test", Certainty.CONFIRMED),
        RuleParameter("fk.hospital_short_stay_days", dt.date(2002, 1, 1), 28,
                      ParameterUnit.DAYS, "test", Certainty.CONFIRMED),
        RuleParameter("fk.report_deadline_day_of_second_month", dt.date(2016, 1, 1), 5,
                      ParameterUnit.DAYS, "test", Certainty.CONFIRMED),
    ])
    rules = ledger_rules(book, on=dt.date(2026, 3, 1))
    (plain,) = grant_spans([a_decision()], dt.date(2027, 1, 1))
    (highest,) = grant_spans([a_decision(id="H", increased_rate=True)], dt.date(2027, 1, 1))
    (approved,) = grant_spans([a_decision(id="A", increased_rate=True,
                                          increased_rate_per_hour=Money(35000))],
                              dt.date(2027, 1, 1))
    days = [dt.date(2026, 3, 15), dt.date(2026, 3, 16), dt.date(2026, 3, 1)]
    assert [rules.rate_per_hour(plain, d) for d in days] == [30000, 36000, 30000]
    assert [rules.rate_per_hour(highest, d) for d in days] == [33600, 40320, 33600]
    assert [rules.rate_per_hour(approved, d) for d in days] == [35000, 35000, 35000]
