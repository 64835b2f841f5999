"""FK claims, submission, settlement and the municipal share on the small ledger world.

C1 in March 2026: 1 170 billable minutes at 340,50 kr/h = 6 639,75 kr, due 5 May 2026.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from insats.domain.billing import InvoiceKind
from insats.domain.common import Period
from insats.domain.fk_claims import ClaimStatus
from insats.domain.time_reports import TimeEntryStatus
from insats.services import claims
from insats.services.uow import UnitOfWork
from tests.builders import a_decision, a_time_entry, stockholm
from tests.ledger_world import RATE_2026, store_ledger_world


def _world(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        store_ledger_world(uow)
        uow.commit()


def _c1(rows: list[claims.ClaimRow]) -> claims.ClaimRow:
    return next(r for r in rows if r.pseudonym == "B-1")


def test_status_follows_the_month_attestation_and_deadline(
        uow_factory: Callable[[], UnitOfWork]) -> None:
    _world(uow_factory)

    def status(as_of: dt.date) -> ClaimStatus:
        rows = claims.month_claims(uow_factory, year=2026, month=3, as_of=as_of,
                                   unit_ids=["U01"])
        return _c1(rows).claim.status

    assert status(dt.date(2026, 3, 20)) is ClaimStatus.MONTH_OPEN
    assert status(dt.date(2026, 4, 10)) is ClaimStatus.READY
    assert status(dt.date(2026, 5, 6)) is ClaimStatus.OVERDUE
    row = _c1(claims.month_claims(uow_factory, year=2026, month=3, as_of=dt.date(2026, 4, 10),
                                  unit_ids=["U01"]))
    assert row.claim.billable_minutes == 1170
    assert row.claim.amount_ore == 663975
    assert row.claim.deadline == dt.date(2026, 5, 5)
    assert row.rate_ore == RATE_2026
    assert [r.pseudonym for r in claims.month_claims(
        uow_factory, year=2026, month=3, as_of=dt.date(2026, 4, 10), unit_ids=["U01"])] == [
        "B-1"]  # B-2 is an LSS case: nothing to claim from FK


def test_submitting_issues_numbered_claims_once_then_supplements(
        uow_factory: Callable[[], UnitOfWork]) -> None:
    _world(uow_factory)
    as_of = dt.date(2026, 4, 10)
    issued = claims.submit_claims(uow_factory, year=2026, month=3, as_of=as_of,
                                  unit_ids=["U01"])
    assert len(issued) == 1
    claim = issued[0]
    assert claim.kind is InvoiceKind.FK_CLAIM and claim.number == "2026-00001"
    assert claim.total.ore == 663975 and claim.lines[0].quantity_minutes == 1170
    row = _c1(claims.month_claims(uow_factory, year=2026, month=3, as_of=as_of,
                                  unit_ids=["U01"]))
    assert row.claim.status is ClaimStatus.SUBMITTED
    assert claims.submit_claims(uow_factory, year=2026, month=3, as_of=as_of,
                                unit_ids=["U01"]) == []
    with uow_factory() as uow:  # a forgotten shift reported and attested later
        uow.time_reports.add(a_time_entry(
            id="T8", employee_id="E1", group_id="G1", client_id="C1",
            start=stockholm(2026, 3, 20, 8), end=stockholm(2026, 3, 20, 10),
            reported_on=dt.date(2026, 4, 12), status=TimeEntryStatus.ATTESTED,
            attested_at=stockholm(2026, 4, 13, 9), attested_by="chef"))
        uow.commit()
    later = dt.date(2026, 4, 14)
    supplement = claims.submit_claims(uow_factory, year=2026, month=3, as_of=later,
                                      unit_ids=["U01"])
    assert [i.lines[0].quantity_minutes for i in supplement] == [120]
    assert "tillägg" in supplement[0].lines[0].description
    assert supplement[0].number == "2026-00002"


def test_a_retroactive_sfb_decision_is_rebilled(uow_factory: Callable[[], UnitOfWork]) -> None:
    _world(uow_factory)
    with uow_factory() as uow:
        uow.decisions.add(a_decision(id="D2sfb", client_id="C2", granted_minutes_per_week=300,
                                     period=Period(dt.date(2026, 3, 1), None),
                                     decided_on=dt.date(2026, 6, 15), replaces_decision_id="D2"))
        uow.commit()
    as_of = dt.date(2026, 6, 20)
    rows = claims.month_claims(uow_factory, year=2026, month=3, as_of=as_of, unit_ids=["U01"])
    c2 = next(r for r in rows if r.pseudonym == "B-2")
    assert c2.claim.retroactive and c2.claim.billable_minutes == 240
    assert c2.claim.deadline == dt.date(2026, 8, 5)  # counted from the decision's month
    issued = claims.submit_claims(uow_factory, year=2026, month=3, as_of=as_of,
                                  pseudonyms=["B-2"], unit_ids=["U01"])
    assert [i.kind for i in issued] == [InvoiceKind.FK_REBILLING]


def test_settlement_of_a_closed_period(uow_factory: Callable[[], UnitOfWork]) -> None:
    _world(uow_factory)
    claims.submit_claims(uow_factory, year=2026, month=3, as_of=dt.date(2026, 4, 10),
                         unit_ids=["U01"])
    rows = dict(claims.settlements(uow_factory, on=dt.date(2026, 3, 15),
                                   as_of=dt.date(2026, 7, 10), unit_ids=["U01"]))
    c1 = rows["B-1"]
    assert (c1.start, c1.end) == (dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    assert c1.final_settlement_by == dt.date(2026, 9, 1)
    assert c1.granted_minutes == 600 * 181 // 7
    assert c1.billable_minutes == 1170 and c1.claimed_ore == 663975
    assert c1.unclaimed_ore == 0
    assert c1.repayment_ore == 0  # efterskott
    assert c1.lost_ore == c1.granted_ore - c1.billable_ore + c1.not_payable_ore
    assert "B-2" not in rows  # LSS: no FK settlement


def test_municipal_share_for_a_private_provider(uow_factory: Callable[[], UnitOfWork]) -> None:
    _world(uow_factory)
    rows = claims.municipal_shares(uow_factory, year=2026, month=3, unit_ids=["U01"])
    assert [(r.pseudonym, r.provider_id) for r in rows] == [("B-3", "P02")]
    # min(20 h, 60 h) a week × 31/7 weeks × 340,50 kr
    assert rows[0].estimate_ore == (1200 * 31 * RATE_2026 + 210) // 420


def test_fk_invoice_replaces_the_municipal_share_estimate(
        uow_factory: Callable[[], UnitOfWork]) -> None:
    _world(uow_factory)
    on = dt.date(2026, 4, 20)
    claims.record_municipal_share(uow_factory, pseudonym="B-3", year=2026, month=3,
                                  amount_ore=2900000, reference="FK-1", on=on)
    (row,) = claims.municipal_shares(uow_factory, year=2026, month=3, unit_ids=["U01"])
    assert row.invoiced is not None and row.cost_ore == 2900000
    assert row.estimate_ore == (1200 * 31 * RATE_2026 + 210) // 420  # still shown
    claims.record_municipal_share(uow_factory, pseudonym="B-3", year=2026, month=3,
                                  amount_ore=2950000, reference="FK-1 rättad", on=on)
    (row,) = claims.municipal_shares(uow_factory, year=2026, month=3, unit_ids=["U01"])
    assert row.cost_ore == 2950000 and row.invoiced is not None
    assert row.invoiced.reference == "FK-1 rättad"
    (april,) = claims.municipal_shares(uow_factory, year=2026, month=4, unit_ids=["U01"])
    assert april.invoiced is None and april.cost_ore == april.estimate_ore


def test_claims_export_to_xlsx(uow_factory: Callable[[], UnitOfWork], database_url: str,
                               tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import openpyxl
    from typer.testing import CliRunner

    from insats.cli.main import app
    from insats.config import get_settings

    _world(uow_factory)
    monkeypatch.setenv("INSATS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    out = tmp_path / "fk.xlsx"
    try:
        result = CliRunner().invoke(app, ["billing", "claims", "list", "--month", "2026-03",
                                          "--unit", "U01", "--as-of", "2026-04-10",
                                          "--out", str(out)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Brukare"))
    first = dict(zip(rows[header], rows[header + 1], strict=True))
    assert first["Brukare"] == "B-1"
    assert first["Debiterbart"] == 19.5 and first["Belopp"] == 6639.75
    assert first["Status"] == "Klar att skicka"
