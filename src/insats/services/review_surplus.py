"""Review: surplus staff into vacancies ("Ej ha övertalig personal").

The members of the units of kind övertalighetsteam in the caller's scope, what their
contracted hours not worked in any group cost, the vacancies of the other units' groups
(work their regular staff do not cover) and a proposed placement for each member, with
its reasons (:mod:`insats.domain.surplus`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from insats.db.repositories import review_staffing as queries
from insats.db.repositories.key_figures import last_performed_day
from insats.domain.access import Caller, Capability
from insats.domain.common import DomainError, Period
from insats.domain.formatting import format_hours, format_kronor
from insats.domain.organisation import UnitKind
from insats.domain.reviews import CellKind, ReviewColumn, ReviewName, ReviewReport, ReviewTable
from insats.domain.rules.parameters import RuleBook, bundled_parameters
from insats.domain.staff import POSITION_LABELS, Employee, Position
from insats.domain.surplus import (
    DAYS_PER_WEEK,
    Matching,
    SurplusMember,
    Vacancy,
    match,
    monthly_cost,
    unplaced_cost_per_month,
)
from insats.domain.time_reports import TimeKind
from insats.services.reviews import ReviewRequest, ReviewSpec
from insats.services.runtime import UowFactory
from insats.services.uow import UnitOfWork

SOCIAL_FEE_KEY = "pay.social_fee_rate"
COVER_KINDS = frozenset({TimeKind.OVERTIME, TimeKind.EXTRA})


def social_fee_permille(uow: UnitOfWork, on: dt.date) -> int:
    """The social fees of the day, from the database's rules (the bundled ones when the
    database has none)."""
    try:
        return uow.rules.rule_book(SOCIAL_FEE_KEY).permille(SOCIAL_FEE_KEY, on)
    except DomainError:
        return RuleBook(bundled_parameters()).permille(SOCIAL_FEE_KEY, on)


def cost_per_hour(employee: Employee, fee_permille: int) -> int:
    """Hourly wage plus social fees in öre (as the ledger's cost per hour); 0 without a
    wage."""
    return employee.hourly_cost(fee_permille) or 0


def reported_period(uow: UnitOfWork, period: Period) -> Period:
    """The period up to the last day with reported time (the hours known so far)."""
    assert period.end is not None
    last = last_performed_day(uow.session)
    end = period.end if last is None else min(period.end, last + dt.timedelta(days=1))
    return Period(period.start, max(end, period.start + dt.timedelta(days=1)))


def surplus_review(uow_factory: UowFactory, caller: Caller,
                   request: ReviewRequest) -> ReviewReport:
    del caller
    with uow_factory() as uow:
        all_units = len(uow.organisation.units())
        period = reported_period(uow, request.period)
        assert period.end is not None
        fee = social_fee_permille(uow, period.end - dt.timedelta(days=1))
        surplus_units = {u.id for u in request.units if u.kind is UnitKind.SURPLUS_TEAM}
        team = [e for e in uow.staff.employed_during(period) if e.home_unit_id in surplus_units]
        groups = [g for u in request.units if u.kind is not UnitKind.SURPLUS_TEAM
                  for g in uow.scheduling.groups_of_unit(u.id)]
        regular = queries.regular_members(uow.session, [g.id for g in groups], period)
        skills = {e.id: e.skills for e in uow.staff.all()}
        team_time = queries.worked_time(uow.session, period.start, period.end,
                                        employee_ids=[e.id for e in team])
        group_time = queries.worked_time(uow.session, period.start, period.end,
                                         group_ids=[g.id for g in groups])
        shift_time = queries.shift_time(uow.session, period.start, period.end,
                                        [g.id for g in groups])
    kind_of = {u.id: u.kind for u in request.units}
    unit_name = {u.id: u.name for u in request.units}
    group_by_id = {g.id: g for g in groups}
    worked: dict[str, dict[str, int]] = defaultdict(dict)
    for row in team_time:
        worked[row.employee_id][row.group_id] = (
            worked[row.employee_id].get(row.group_id, 0) + row.minutes)
    members = []
    for employee in team:
        employed = period.intersection(employee.employed)
        days = employed.days if employed is not None else 0
        weekly = employee.contracted_minutes_per_week.value
        members.append(SurplusMember(
            employee.id, employee.display_name, employee.position, weekly,
            weekly * days // DAYS_PER_WEEK, cost_per_hour(employee, fee),
            dict(worked.get(employee.id, {})), employee.skills))
    need: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # open, others, overtime
    for shifts in shift_time:
        if shifts.employee_id is None:
            need[shifts.group_id][0] += shifts.minutes
    for row in group_time:
        if row.employee_id not in regular[row.group_id]:
            need[row.group_id][1] += row.minutes
        elif row.kind in COVER_KINDS:
            need[row.group_id][2] += row.minutes
    vacancies = []
    for group_id, (open_minutes, others, overtime) in sorted(need.items()):
        group = group_by_id[group_id]
        member_skills = [skills.get(e, frozenset()) for e in regular[group_id]]
        required = frozenset.intersection(*member_skills) if member_skills else frozenset()
        position = (Position.ASSISTANT if kind_of[group.unit_id] is UnitKind.PERSONAL_ASSISTANCE
                    else Position.CARE_WORKER)
        vacancies.append(Vacancy(group_id, group.name, unit_name[group.unit_id], position,
                                 open_minutes, others, overtime, required))
    days = period.days
    matching = match(members, vacancies, days)
    return _report(request, all_units, period, members, vacancies, matching, fee)


def _report(request: ReviewRequest, all_units: int, period: Period,
            members: list[SurplusMember], vacancies: list[Vacancy],
            matching: Matching, fee: int) -> ReviewReport:
    days = period.days
    contracted = sum(m.contracted_minutes for m in members)
    worked = sum(min(m.worked_minutes, m.contracted_minutes) for m in members)
    unplaced = sum(m.unplaced_minutes for m in members)
    cost = sum(m.unplaced_cost_ore for m in members)
    monthly = sum(unplaced_cost_per_month(m) for m in members)
    weekly_need = sum(v.weekly_need(days) for v in vacancies)
    placed_weekly = sum(p.weekly_minutes for p in matching.proposals)
    left_weekly = {m.employee_id: max(0, m.weekly_minutes - matching.placed_weekly[m.employee_id])
                   for m in members}
    monthly_after = sum(monthly_cost(left_weekly[m.employee_id], m.cost_per_hour_ore)
                        for m in members)
    placed_people = len(members) - len(matching.unmatched)
    assert period.end is not None
    last = period.end - dt.timedelta(days=1)
    share = f" ({worked * 100 // contracted} %)" if contracted else ""
    findings = [
        f"Övertalighetsteamet: {len(members)} personer med {format_hours(contracted)} "
        f"avtalad tid {period.start}–{last}; {format_hours(worked)}{share} arbetades i "
        "kundernas och enheternas grupper.",
        f"Tid som inte var placerad: {format_hours(unplaced)}, som kostade "
        f"{format_kronor(cost)} i lön och sociala avgifter; fortsätter det kostar det "
        f"{format_kronor(monthly)} i månaden tills de är placerade.",
        f"Vakanser: {len(vacancies)} grupper har arbete som deras ordinarie personal inte "
        f"täcker, {format_hours(weekly_need)} i veckan (öppna pass, vikarier och "
        "övertaliga, övertid och mertid).",
        f"Förslag: {placed_people} av {len(members)} i övertalighetsteamet kan placeras i "
        f"{len(matching.proposals)} vakanser med rätt befattning, tillsammans "
        f"{format_hours(placed_weekly)} i veckan; kvar utan placering "
        f"{format_hours(sum(left_weekly.values()))} i veckan, som kostar "
        f"{format_kronor(monthly_after)} i månaden.",
    ]
    if matching.unmatched:
        findings.append(f"Utan passande vakans: {', '.join(matching.unmatched)}.")
    name = {m.employee_id: m.name for m in members}
    people = ReviewTable(
        "Övertalig personal och kostnad för tid som inte är placerad",
        (ReviewColumn("Anställd"), ReviewColumn("Namn"), ReviewColumn("Befattning"),
         ReviewColumn("Avtalad tid per vecka", CellKind.HOURS),
         ReviewColumn("Avtalad tid", CellKind.HOURS),
         ReviewColumn("Arbetat i grupper", CellKind.HOURS),
         ReviewColumn("Ej placerad tid", CellKind.HOURS),
         ReviewColumn("Kostnad ej placerad tid", CellKind.MONEY),
         ReviewColumn("Kostnad per månad tills placerad", CellKind.MONEY),
         ReviewColumn("Föreslagen placering per vecka", CellKind.HOURS),
         ReviewColumn("Kostnad per månad efter förslagen", CellKind.MONEY)),
        tuple((m.employee_id, m.name, POSITION_LABELS[m.position], m.weekly_minutes,
               m.contracted_minutes, m.worked_minutes, m.unplaced_minutes,
               m.unplaced_cost_ore, unplaced_cost_per_month(m),
               matching.placed_weekly[m.employee_id],
               monthly_cost(left_weekly[m.employee_id], m.cost_per_hour_ore))
              for m in members),
        totals=True)
    vacancy_by_id = {v.group_id: v for v in vacancies}
    proposals = ReviewTable(
        "Förslag till placering",
        (ReviewColumn("Anställd"), ReviewColumn("Namn"), ReviewColumn("Grupp"),
         ReviewColumn("Enhet"), ReviewColumn("Timmar per vecka", CellKind.HOURS),
         ReviewColumn("Redan arbetat i gruppen", CellKind.HOURS), ReviewColumn("Skäl")),
        tuple((p.employee_id, name[p.employee_id], vacancy_by_id[p.group_id].group_name,
               vacancy_by_id[p.group_id].unit_name, p.weekly_minutes, p.continuity_minutes,
               "; ".join(p.reasons))
              for p in sorted(matching.proposals, key=lambda p: p.employee_id)),
        totals=True)
    ordered = sorted(vacancies, key=lambda v: (-v.need_minutes, v.group_id))
    vacancy_table = ReviewTable(
        "Vakanser: arbete som gruppens ordinarie personal inte täcker",
        (ReviewColumn("Grupp"), ReviewColumn("Enhet"), ReviewColumn("Befattning"),
         ReviewColumn("Öppna pass", CellKind.HOURS),
         ReviewColumn("Vikarier och övertaliga", CellKind.HOURS),
         ReviewColumn("Övertid och mertid", CellKind.HOURS),
         ReviewColumn("Behov per vecka", CellKind.HOURS),
         ReviewColumn("Kvar per vecka efter förslagen", CellKind.HOURS)),
        tuple((v.group_name, v.unit_name, POSITION_LABELS[v.position], v.open_minutes,
               v.others_minutes, v.overtime_minutes, v.weekly_need(days),
               matching.remaining_weekly[v.group_id]) for v in ordered),
        totals=True)
    basis = (
        "Övertalighetsteamet är de anställda med hemenhet av typen övertalighetsteam i "
        "urvalet; deras avtalade tid är tid per vecka enligt tjänstgöringsgrad × dagar "
        "anställda i perioden / 7 (frånvaro är inte avräknad).",
        f"Perioden räknas till sista dagen med rapporterad tid ({period.start}–{last}).",
        "Arbetad tid är rapporterad tid som räknas (ej avvisad, ej ersatt av rättelse).",
        f"Timkostnad = timlön (månadslön × 12 / (52 × heltidsvecka)) + sociala avgifter "
        f"{fee / 10:.1f} % (pay.social_fee_rate), som i ledgerns kostnad per timme.",
        "Kostnad per månad framåt = andelen ej placerad avtalad tid × 52/12 veckor × "
        "timkostnaden.",
        "Vakans: öppna publicerade pass, tid av personer som inte är ordinarie medlemmar i "
        "gruppen (vikarier, övertaliga) och ordinarie medlemmars övertid och mertid; per "
        "vecka = perioden / dagar × 7.",
        "Kompetens: personlig assistent för personlig assistans, stödassistent för övriga "
        "enheter, och de kompetenser gruppens alla ordinarie medlemmar har. Ordning: "
        "kontinuitet (tid redan arbetad i gruppen), sedan flest timmar som fylls; en person "
        "får grupper tills avtalad vecka är fylld (delar under en timme i veckan föreslås "
        "inte).",
        "Kostnad per månad efter förslagen = avtalad tid per vecka som inte får någon "
        "placering × 52/12 × timkostnaden.",
    )
    return ReviewReport(ReviewName.SURPLUS, request.period, request.scope_label(all_units),
                        tuple(findings), (people, proposals, vacancy_table), basis)


SPEC = ReviewSpec(ReviewName.SURPLUS, Capability.VIEW_STAFF, surplus_review)
