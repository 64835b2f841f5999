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

from insats.domain.common import Period
from insats.domain.decisions import DecidedBy, LegalBasis, Payer
from insats.domain.ledger import Figure
from insats.domain.stays import ClientStay, StayKind
from insats.domain.time_reports import TimeEntryStatus
from insats.services.ledger import Window, WindowKind, drill_down, ledger_report
from insats.services.rules import add_missing_bundled_parameters
from insats.services.uow import UnitOfWork
from tests.builders import (
    a_client,
    a_decision,
    a_department,
    a_group,
    a_provider,
    a_shift,
    a_time_entry,
    a_unit,
    an_employee,
    stockholm,
)

AS_OF = dt.date(2026, 6, 1)
RATE_2026 = 34050


def _store(uow: UnitOfWork) -> None:
    add_missing_bundled_parameters(uow)
    uow.organisation.add_many([a_department(), a_unit(id="U01"), a_unit(id="U02", name="B")])
    uow.providers.add_many([a_provider(), a_provider(
        id="P02", name="Assistans AB", organisation_number="556677-8899", is_municipal=False)])
    uow.clients.add_many([a_client(id="C1", pseudonym="B-1"),
                          a_client(id="C2", pseudonym="B-2"),
                          a_client(id="C3", pseudonym="B-3"),
                          a_client(id="C9", pseudonym="B-9", unit_id="U02")])
    lss = {"legal_basis": LegalBasis.LSS, "decided_by": DecidedBy.MUNICIPALITY,
           "payer": Payer.MUNICIPALITY}
    uow.decisions.add_many([
        a_decision(id="D1", client_id="C1", granted_minutes_per_week=600,
                   period=Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1))),
        a_decision(id="D2", client_id="C2", granted_minutes_per_week=300, **lss),
        a_decision(id="D3", client_id="C3", provider_id="P02"),
        a_decision(id="D9", client_id="C9", granted_minutes_per_week=600),
    ])
    uow.staff.add_many([an_employee(id="E1"), an_employee(id="E2")])
    uow.scheduling.add_many([a_group(id="G1", client_id="C1"), a_group(id="G2", client_id="C2"),
                             a_group(id="G9", unit_id="U02", client_id="C9")])

    def shift(id: str, day: int, group: str = "G1", **extra: object) -> object:
        return a_shift(id=id, group_id=group, employee_id="E1",
                       start=stockholm(2026, 3, day, 8), end=stockholm(2026, 3, day, 16),
                       **extra)

    uow.scheduling.add_many([shift("S1", 2), shift("S2", 3, break_minutes=30), shift("S3", 4),
                             shift("S4", 5), shift("S5", 10), shift("S9", 2, group="G9")])
    attested = {"status": TimeEntryStatus.ATTESTED, "attested_at": stockholm(2026, 4, 8, 9),
                "attested_by": "chef"}

    def entry(id: str, day: int, shift_id: str | None, **extra: object) -> object:
        values = {"employee_id": "E1", "group_id": "G1", "client_id": "C1",
                  "start": stockholm(2026, 3, day, 8), "end": stockholm(2026, 3, day, 16),
                  "planned_shift_id": shift_id, "reported_on": dt.date(2026, 3, day + 1),
                  **attested}
        return a_time_entry(id=id, **{**values, **extra})

    uow.time_reports.add_many([
        entry("T1", 2, "S1"),
        entry("T2", 3, "S2", break_minutes=30),
        entry("T4", 5, "S4", reported_on=dt.date(2026, 5, 6)),
        entry("T5", 10, "S5"),
        entry("T7", 12, None, group_id="G2", client_id="C2", start=stockholm(2026, 3, 12, 9),
              end=stockholm(2026, 3, 12, 13)),
        entry("T9", 2, "S9", group_id="G9", client_id="C9"),
    ])
    uow.stays.add_many([ClientStay("V1", "C1", StayKind.HOSPITAL, stockholm(2026, 3, 10, 12),
                                   stockholm(2026, 3, 14, 12))])


def test_a_month_per_client_with_every_rule(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        _store(uow)
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


def test_drill_down_and_the_settlement_period(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        _store(uow)
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
        _store(uow)
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
