"""A small unit for the ledger and claims tests (see test_ledger_service's docstring)."""

from __future__ import annotations

import datetime as dt

from insats.domain.common import Period
from insats.domain.decisions import DecidedBy, LegalBasis, Payer
from insats.domain.stays import ClientStay, StayKind
from insats.domain.time_reports import TimeEntryStatus
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


def store_ledger_world(uow: UnitOfWork) -> None:
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
        return a_shift(id=id, group_id=group, start=stockholm(2026, 3, day, 8),
                       end=stockholm(2026, 3, day, 16), **{"employee_id": "E1", **extra})

    # S9 (unit U02) is E2's: E1 cannot have two published shifts at once (the database
    # refuses it, insats.db.shift_guards)
    uow.scheduling.add_many([shift("S1", 2), shift("S2", 3, break_minutes=30), shift("S3", 4),
                             shift("S4", 5), shift("S5", 10),
                             shift("S9", 2, group="G9", employee_id="E2")])
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
