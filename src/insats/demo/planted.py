"""Problems planted for the hour ledger to find, and the stays of the demo's clients.

- Two hospital stays of personal-assistance clients without särskilda skäl, during which
  the assistants went on working and reporting time (not payable by FK); one more stay
  with särskilda skäl approved, whose hours stay payable (a control).
- Korttidsvistelse weekends for the clients with double decisions (personal assistance and
  korttidsvistelse): for two of them no reason is recorded for the assistance given the
  same days (flagged as not payable); for the rest a reason is recorded.
- Stays at the korttidshem of the residents of the municipality that buys places.
- One assistant who, in one month, covered a second client's shifts on days off and so
  went above 48 hours a week on average (the hours above are not payable).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from insats.demo.clients import OTHER_MUNICIPALITY_CODE, ClientBook, PaCase
from insats.domain.calendar import local_date, local_datetime
from insats.domain.clients import Client
from insats.domain.decisions import Insats, LegalBasis
from insats.domain.scheduling import AssistanceGroup, PlannedShift
from insats.domain.staff import Employee, Position
from insats.domain.stays import ClientStay, StayKind

UNPAID_HOSPITAL_STAYS = 2
UNEXPLAINED_SHORT_STAYS = 2
AVERAGE_WEEK_LIMIT = 48 * 60


@dataclass(frozen=True, slots=True)
class PlantedStays:
    stays: tuple[ClientStay, ...]
    unpaid_hospital_stay_ids: tuple[str, ...]
    unexplained_short_stay_client_ids: tuple[str, ...]


def build_stays(rng: random.Random, book: ClientBook, clients: list[Client],
                start: dt.date, end: dt.date) -> PlantedStays:
    stays: list[ClientStay] = []

    def add(client_id: str, kind: StayKind, first: dt.date, days: int, **extra: object) -> str:
        stay = ClientStay(
            id=f"V{len(stays) + 1:05d}", client_id=client_id, kind=kind,
            start=local_datetime(first, dt.time(10 if kind is StayKind.HOSPITAL else 15)),
            end=local_datetime(first + dt.timedelta(days=days), dt.time(14 if kind is
                                                                     StayKind.HOSPITAL else 15)),
            **extra,  # type: ignore[arg-type]
        )
        stays.append(stay)
        return stay.id

    span = (end - start).days
    ordinary: list[PaCase] = [c for c in book.pa_cases
                              if c.over_permille == 1000 and not c.visit_style]
    chosen = sorted(rng.sample(ordinary, UNPAID_HOSPITAL_STAYS + 1), key=lambda c: c.client_id)
    unpaid: list[str] = []
    for index, case in enumerate(chosen):
        first = start + dt.timedelta(days=rng.randint(60, max(61, span - 60)))
        if index < UNPAID_HOSPITAL_STAYS:
            unpaid.append(add(case.client_id, StayKind.HOSPITAL, first, rng.randint(6, 12)))
        else:
            add(case.client_id, StayKind.HOSPITAL, first, rng.randint(4, 8),
                special_reasons=True)
    assistance = {d.client_id for d in book.decisions if d.insats is Insats.PERSONAL_ASSISTANCE}
    unit_of_stay = {c: u for u, ids in book.ktv_clients_by_unit.items() for c in ids}
    doubles = sorted(c for c in unit_of_stay if c in assistance)
    fk_paid = {d.client_id for d in book.decisions
               if d.insats is Insats.PERSONAL_ASSISTANCE and d.legal_basis is LegalBasis.SFB}
    as_granted = {c.client_id for c in book.pa_cases if c.over_permille == 1000}
    candidates = [c for c in doubles if c in fk_paid and c in as_granted]
    unexplained = sorted(rng.sample(candidates, min(UNEXPLAINED_SHORT_STAYS, len(candidates))))
    home_of = {c.id: c.home_municipality_code for c in clients}
    bought = sorted(c for c in unit_of_stay if home_of.get(c) == OTHER_MUNICIPALITY_CODE)
    month = start.replace(day=1)
    while month < end:
        for client_id in doubles:
            friday = month + dt.timedelta(days=(4 - month.weekday()) % 7 + 7 * rng.randint(0, 2))
            if start <= friday and friday + dt.timedelta(days=2) < end:
                reason = "" if client_id in unexplained else (
                    "Egen assistent med under vistelsen enligt genomförandeplanen")
                add(client_id, StayKind.SHORT_TERM_STAY, friday, 2, reason=reason,
                    unit_id=unit_of_stay[client_id])
        for client_id in bought:
            for week in (0, 2):
                first = month + dt.timedelta(days=7 * week + rng.randint(0, 3))
                if start <= first and first + dt.timedelta(days=3) < end:
                    add(client_id, StayKind.SHORT_TERM_STAY, first, 3,
                        unit_id=unit_of_stay[client_id])
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return PlantedStays(tuple(stays), tuple(unpaid), tuple(unexplained))


def plant_over_limit(rng: random.Random, shifts: list[PlannedShift], groups: list[AssistanceGroup],
                     employees: list[Employee], month: dt.date,
                     ) -> tuple[list[PlannedShift], str | None]:
    """Give one full-time assistant another client's shifts on their days off in ``month``
    until they are 10–20 hours above the average weekly limit; returns the new shifts and
    the assistant's id."""
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    days = (next_month - month).days
    cap = AVERAGE_WEEK_LIMIT * days // 7
    client_group = {g.id: g for g in groups if g.client_id is not None
                    and not g.name.startswith("Basansvar")}
    in_month = [s for s in shifts if s.employee_id is not None and s.group_id in client_group
                and month <= local_date(s.start) < next_month and not s.is_double]
    worked: dict[str, int] = {}
    busy: dict[str, set[dt.date]] = {}
    home_group: dict[str, str] = {}
    for shift in in_month:
        assert shift.employee_id is not None
        worked[shift.employee_id] = worked.get(shift.employee_id, 0) + shift.paid_minutes.value
        busy.setdefault(shift.employee_id, set()).update(
            {local_date(shift.start), local_date(shift.end)})
        home_group.setdefault(shift.employee_id, shift.group_id)
    full_time = sorted(e.id for e in employees if e.position is Position.ASSISTANT
                       and e.employment_percent == 100 and worked.get(e.id, 0) > cap // 2)
    if not full_time:
        return shifts, None
    employee_id = rng.choice(full_time)
    own = client_group[home_group[employee_id]]
    target = cap + rng.randint(10, 20) * 60
    total = worked[employee_id]
    taken: set[str] = set()
    days_taken = set(busy[employee_id])
    # the assistant's own shifts, double staffing and basansvar included (which ``busy``
    # leaves out): a shift given to them must not overlap one of these
    own_spans = [(s.start, s.end) for s in shifts if s.employee_id == employee_id]
    for shift in sorted(in_month, key=lambda s: (s.start, s.id)):
        if total >= target:
            break
        group = client_group[shift.group_id]
        if group.id == own.id or group.unit_id != own.unit_id:
            continue
        shift_days = {local_date(shift.start), local_date(shift.end)}
        if shift_days & days_taken or any(
                begin < shift.end and shift.start < finish for begin, finish in own_spans):
            continue
        taken.add(shift.id)
        days_taken |= shift_days
        total += shift.paid_minutes.value
    if total <= cap:
        return shifts, None
    return [replace(s, employee_id=employee_id) if s.id in taken else s for s in shifts], \
        employee_id
