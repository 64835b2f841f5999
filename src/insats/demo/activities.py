"""Meetings and training: APT every six weeks, trainings in large groups, staff days.

Each staffed unit holds a combined APT and verksamhetsmöte of 180 minutes every sixth
week (seed 002). Trainings (brandskydd, IBIC, the new case system, yrkesresan) are held
in large groups of 40–80. Two medarbetardagar gather all care staff. A participant who
had a shift at that time needs a substitute; ``substitutes_needed`` counts them.
"""

from __future__ import annotations

import datetime as dt
import random

from insats.domain.activities import Activity, ActivityKind
from insats.domain.calendar import local_date, local_datetime
from insats.domain.organisation import Unit, UnitKind
from insats.domain.scheduling import PlannedShift
from insats.domain.staff import Employee, EmploymentForm, Position

APT_EVERY_WEEKS = 6
APT_MINUTES = 180
STAFFED_KINDS = frozenset({UnitKind.PERSONAL_ASSISTANCE, UnitKind.SHORT_TERM_STAY,
                           UnitKind.SHORT_TERM_SUPERVISION, UnitKind.RESOURCE_UNIT,
                           UnitKind.SURPLUS_TEAM})
CARE = frozenset({Position.ASSISTANT, Position.CARER_RELATIVE, Position.CARE_WORKER})
TRAININGS: tuple[tuple[dt.date, str, int], ...] = (
    (dt.date(2025, 3, 12), "Brandskyddsutbildning (storgrupp)", 240),
    (dt.date(2025, 5, 20), "IBIC – utbildning i storgrupp", 240),
    (dt.date(2025, 10, 8), "Brandskyddsutbildning (storgrupp)", 240),
    (dt.date(2025, 11, 13), "Yrkesresan – introduktion", 180),
    (dt.date(2026, 2, 11), "Nytt verksamhetssystem – grundutbildning", 240),
    (dt.date(2026, 3, 18), "Nytt verksamhetssystem – grundutbildning", 240),
    (dt.date(2026, 9, 16), "Lågaffektivt bemötande (storgrupp)", 180),
)
STAFF_DAYS = (dt.date(2025, 9, 18), dt.date(2026, 4, 22))


def build_activities(*, rng: random.Random, units: list[Unit], employees: list[Employee],
                     shifts: list[PlannedShift], start: dt.date,
                     end: dt.date) -> list[Activity]:
    busy: dict[tuple[str, dt.date], list[PlannedShift]] = {}
    for shift in shifts:
        if shift.employee_id is not None:
            busy.setdefault((shift.employee_id, local_date(shift.start)), []).append(shift)
    staff = [e for e in employees
             if e.position in CARE and e.employment_form is not EmploymentForm.HOURLY]
    by_unit: dict[str, list[str]] = {}
    for employee in staff:
        by_unit.setdefault(employee.home_unit_id, []).append(employee.id)
    drafts: list[tuple[dt.datetime, str, ActivityKind, str, int, tuple[str, ...]]] = []
    for offset, unit in enumerate(u for u in units if u.kind in STAFFED_KINDS):
        participants = tuple(by_unit.get(unit.id, []))
        if not participants:
            continue
        day = start + dt.timedelta(days=7 + offset * 3 % 35)
        while day.weekday() not in (1, 2):
            day += dt.timedelta(days=1)
        while day < end:
            moment = local_datetime(day, dt.time(13, 0))
            drafts.append((moment, unit.id, ActivityKind.WORKPLACE_MEETING,
                           f"APT och verksamhetsmöte {unit.name}", APT_MINUTES, participants))
            day += dt.timedelta(weeks=APT_EVERY_WEEKS)
        for staff_day in STAFF_DAYS:
            if start <= staff_day < end:
                drafts.append((local_datetime(staff_day, dt.time(8, 30)), unit.id,
                               ActivityKind.STAFF_DAY, "Medarbetardag", 420, participants))
    organiser = next(u.id for u in units if u.kind is UnitKind.PERSONAL_ASSISTANCE)
    for day, title, minutes in TRAININGS:
        if start <= day < end:
            chosen = rng.sample([e.id for e in staff], min(len(staff), rng.randint(40, 80)))
            drafts.append((local_datetime(day, dt.time(9, 0)), organiser,
                           ActivityKind.TRAINING, title, minutes, tuple(sorted(chosen))))
    drafts.sort(key=lambda d: (d[0], d[1], d[3]))
    activities: list[Activity] = []
    for number, (moment, unit_id, kind, title, minutes, people) in enumerate(drafts, 1):
        finish = moment + dt.timedelta(minutes=minutes)
        needed = sum(
            1 for person in people
            for shift in busy.get((person, local_date(moment)), [])
            if shift.start < finish and moment < shift.end
        )
        activities.append(Activity(
            id=f"M{number:04d}", unit_id=unit_id, kind=kind, title=title, start=moment,
            duration_minutes=minutes, participant_ids=people, substitutes_needed=needed,
        ))
    return activities
