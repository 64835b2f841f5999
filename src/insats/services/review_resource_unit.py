"""Review: the resource unit's assignments ("Översyn av resursenhetens uppdrag").

Volume, cost per hour and utilisation of boendestöd, ledsagning and avlösning in the
units of kind resursenhet in the caller's scope, and what performing the same hours in
another kind of unit would cost (:mod:`insats.domain.resource_unit`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from insats.db.repositories import review_staffing as queries
from insats.domain.access import Caller, Capability
from insats.domain.common import Period
from insats.domain.decisions import INSATS_LABELS, Decision, Insats
from insats.domain.formatting import format_hours, format_kronor
from insats.domain.organisation import UNIT_KIND_LABELS, Unit, UnitKind
from insats.domain.resource_unit import (
    RESOURCE_INSATSER,
    InsatsLine,
    InsatsVolume,
    MoveOption,
    UnitFigures,
    insats_lines,
    move_options,
    per_hour,
)
from insats.domain.reviews import (
    CellKind,
    ReviewColumn,
    ReviewName,
    ReviewReport,
    ReviewTable,
    format_cell,
)
from insats.domain.staff import EmploymentForm, Position
from insats.services.review_surplus import COVER_KINDS, reported_period, social_fee_permille
from insats.services.reviews import ReviewRequest, ReviewSpec
from insats.services.runtime import UowFactory
from insats.services.uow import UnitOfWork

CARE_POSITIONS = frozenset({Position.ASSISTANT, Position.CARE_WORKER, Position.CARER_RELATIVE})
# staff of the whole department who may have any unit as home unit (not the unit's own
# management, which belongs to its cost)
DEPARTMENT_POSITIONS = frozenset({Position.DEPARTMENT_HEAD, Position.SCHEDULER,
                                  Position.METHOD_DEVELOPER, Position.SECRETARY,
                                  Position.CONTROLLER})
NOT_RECEIVERS = frozenset({UnitKind.RESOURCE_UNIT, UnitKind.SURPLUS_TEAM})


def _unit_figures(uow: UnitOfWork, units: list[Unit], period: Period
                  ) -> tuple[dict[str, UnitFigures], dict[str, dict[str, int]]]:
    """Each unit's figures, and each unit's minutes per group."""
    assert period.end is not None
    group_unit = {g.id: u.id for u in units for g in uow.scheduling.groups_of_unit(u.id)}
    by_group: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in queries.worked_time(uow.session, period.start, period.end,
                                   group_ids=list(group_unit)):
        by_group[group_unit[row.group_id]][row.group_id] += row.minutes
    unit_ids = {u.id for u in units}
    own = [e for e in uow.staff.employed_during(period)
           if e.home_unit_id in unit_ids and e.position in CARE_POSITIONS
           and e.employment_form is not EmploymentForm.HOURLY]
    contracted: dict[str, int] = defaultdict(int)
    for employee in own:
        employed = period.intersection(employee.employed)
        days = employed.days if employed is not None else 0
        contracted[employee.home_unit_id] += employee.contracted_minutes_per_week.value * days // 7
    fee = social_fee_permille(uow, period.end - dt.timedelta(days=1))
    overhead: dict[str, int] = defaultdict(int)
    for employee in uow.staff.employed_during(period):
        if (employee.home_unit_id in unit_ids and employee.position in DEPARTMENT_POSITIONS
                and employee.monthly_wage is not None):
            employed = period.intersection(employee.employed)
            days = employed.days if employed is not None else 0
            overhead[employee.home_unit_id] += (employee.monthly_wage.ore * 12 * days // 365
                                                * (1000 + fee) // 1000)
    home = {e.id: e.home_unit_id for e in own}
    own_worked: dict[str, int] = defaultdict(int)
    for row in queries.worked_time(uow.session, period.start, period.end,
                                   employee_ids=list(home)):
        if row.kind not in COVER_KINDS:
            own_worked[home[row.employee_id]] += row.minutes
    figures = {}
    for unit in units:
        cost = revenue = 0
        for entry in uow.economy.entries_of_unit(unit.id, period):
            if entry.is_revenue:
                revenue += entry.amount.ore
            else:
                cost += entry.amount.ore
        figures[unit.id] = UnitFigures(
            unit.id, unit.name, UNIT_KIND_LABELS[unit.kind], sum(by_group[unit.id].values()),
            cost, revenue, contracted[unit.id], own_worked[unit.id], overhead[unit.id])
    return figures, {k: dict(v) for k, v in by_group.items()}


def _volumes(decisions: list[Decision], period: Period, own_groups: dict[str, int]
             ) -> list[InsatsVolume]:
    """The three insatser (always), and the insats of clients with groups of their own."""
    assert period.end is not None
    last = period.end - dt.timedelta(days=1)
    by_insats: dict[Insats, list[Decision]] = defaultdict(list)
    for decision in decisions:
        by_insats[decision.insats].append(decision)
    client_insats: dict[str, Insats] = {}
    for decision in sorted(decisions, key=lambda d: d.id):
        client_insats.setdefault(decision.client_id, decision.insats)
    own_minutes: dict[Insats, int] = defaultdict(int)
    for client_id, minutes in own_groups.items():
        own_minutes[client_insats.get(client_id, Insats.PERSONAL_ASSISTANCE)] += minutes
    kinds = list(RESOURCE_INSATSER) + sorted(
        k for k in own_minutes if k not in RESOURCE_INSATSER)
    return [InsatsVolume(
        insats, len({d.client_id for d in by_insats[insats]}), len(by_insats[insats]),
        sum(d.granted_minutes_per_week or 0 for d in by_insats[insats] if d.active_on(last)),
        sum(d.granted_in(period).value for d in by_insats[insats]),
        own_minutes.get(insats, 0)) for insats in kinds]


def resource_unit_review(uow_factory: UowFactory, caller: Caller,
                         request: ReviewRequest) -> ReviewReport:
    del caller
    units = [u for u in request.units if u.kind is not UnitKind.SURPLUS_TEAM]
    with uow_factory() as uow:
        all_units = len(uow.organisation.units())
        period = reported_period(uow, request.period)
        figures, by_group = _unit_figures(uow, units, period)
        resource_units = [u for u in units if u.kind is UnitKind.RESOURCE_UNIT]
        decisions = {u.id: uow.decisions.overlapping_in_unit(u.id, period)
                     for u in resource_units}
        group_client = {g.id: g.client_id for u in resource_units
                        for g in uow.scheduling.groups_of_unit(u.id)}
    receivers_by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for unit in units:
        unit_figures = figures[unit.id]
        if unit.kind not in NOT_RECEIVERS and unit_figures.performed_minutes > 0:
            receivers_by_kind[UNIT_KIND_LABELS[unit.kind]][0] += unit_figures.work_cost_ore
            receivers_by_kind[UNIT_KIND_LABELS[unit.kind]][1] += unit_figures.performed_minutes
    receivers = [(label, per_hour(cost, minutes) or 0)
                 for label, (cost, minutes) in sorted(receivers_by_kind.items())]
    lines: list[tuple[Unit, InsatsLine]] = []
    moves: list[tuple[Unit, MoveOption]] = []
    for unit in resource_units:
        own_groups: dict[str, int] = defaultdict(int)
        team = 0
        for group_id, minutes in by_group.get(unit.id, {}).items():
            client_id = group_client.get(group_id)
            if client_id is None:
                team += minutes
            else:
                own_groups[client_id] += minutes
        volumes = _volumes(decisions[unit.id], period, dict(own_groups))
        unit_lines = insats_lines(volumes, team, figures[unit.id].work_cost_ore)
        lines += [(unit, line) for line in unit_lines]
        moves += [(unit, move) for move in move_options(
            unit_lines, figures[unit.id].work_cost_per_hour or 0, receivers)]
    return _report(request, all_units, period, units, resource_units, figures, lines, moves)


def _report(request: ReviewRequest, all_units: int, period: Period, units: list[Unit],
            resource_units: list[Unit], figures: dict[str, UnitFigures],
            lines: list[tuple[Unit, InsatsLine]], moves: list[tuple[Unit, MoveOption]]
            ) -> ReviewReport:
    assert period.end is not None
    last = period.end - dt.timedelta(days=1)
    findings: list[str] = []
    if not resource_units:
        findings.append("Ingen resursenhet ingår i urvalet.")
    others = [figures[u.id] for u in units if u.kind not in NOT_RECEIVERS]
    other_net = sum(f.net_cost_ore for f in others)
    other_minutes = sum(f.performed_minutes for f in others)
    for unit in resource_units:
        own = figures[unit.id]
        rate = own.net_cost_per_hour
        compare = per_hour(other_net, other_minutes)
        findings.append(
            f"{unit.name}: {format_hours(own.performed_minutes)} utförda {period.start}–{last}, "
            f"nettokostnad {format_kronor(own.net_cost_ore)}, "
            + (f"{format_kronor(rate)} per utförd timme" if rate is not None
               else "inga utförda timmar")
            + (f" (övriga enheter i urvalet: {format_kronor(compare)} per timme)"
               if compare is not None else "") + ".")
        if own.overhead_staff_ore and own.work_cost_per_hour is not None:
            findings.append(
                f"Av kostnaderna är {format_kronor(own.overhead_staff_ore)} lön och sociala "
                "avgifter för avdelningsgemensam personal med enheten som hemenhet "
                "(avdelningschef, samordnare, metodutvecklare, kontaktsekreterare, ekonom); "
                "utan den kostar en utförd timme "
                f"{format_kronor(own.work_cost_per_hour)}.")
        volume = "; ".join(
            f"{INSATS_LABELS[line.insats]} {line.clients} klienter, "
            f"{format_hours(line.weekly_minutes)} beviljat i veckan, "
            f"{format_hours(line.performed_minutes)} utfört"
            for u, line in lines if u.id == unit.id and line.insats in RESOURCE_INSATSER)
        findings.append(f"Volym: {volume}.")
        if own.utilisation is not None:
            findings.append("Nyttjandegrad: egen personal arbetade "
                            f"{format_cell(CellKind.PERCENT, own.utilisation)} av sin "
                            f"avtalade tid ({format_hours(own.own_worked_minutes)} av "
                            f"{format_hours(own.contracted_minutes)}).")
        by_receiver: dict[str, int] = defaultdict(int)
        for u, move in moves:
            if u.id == unit.id:
                by_receiver[move.receiver] += move.change_ore
        if by_receiver:
            best = min(by_receiver, key=lambda k: (by_receiver[k], k))
            change = by_receiver[best]
            effect = (f"minskar kostnaden med {format_kronor(-change)}" if change < 0
                      else f"ökar kostnaden med {format_kronor(change)}")
            findings.append(
                "Flyttas boendestöd, ledsagning och avlösning till den billigaste mottagaren, "
                f"{best.lower()}, med dess kostnad per timme {effect} i perioden (samma "
                "timmar; se tabellen för varje insats och mottagare).")
    insats_table = ReviewTable(
        "Insatser i resursenheten: volym, utförda timmar och kostnad",
        (ReviewColumn("Enhet"), ReviewColumn("Insats"), ReviewColumn("Klienter", CellKind.COUNT),
         ReviewColumn("Beslut", CellKind.COUNT),
         ReviewColumn("Beviljat per vecka", CellKind.HOURS),
         ReviewColumn("Beviljat i perioden", CellKind.HOURS),
         ReviewColumn("Utfört", CellKind.HOURS),
         ReviewColumn("Utfört av beviljat", CellKind.PERCENT),
         ReviewColumn("Kostnad", CellKind.MONEY),
         ReviewColumn("Kostnad per timme", CellKind.MONEY)),
        tuple((u.name, INSATS_LABELS[line.insats], line.clients, line.decisions,
               line.weekly_minutes, line.granted_minutes, line.performed_minutes,
               line.performed_of_granted, line.cost_ore, line.cost_per_hour)
              for u, line in lines),
        totals=True)
    unit_table = ReviewTable(
        "Enheter: kostnad per timme och nyttjandegrad",
        (ReviewColumn("Enhet"), ReviewColumn("Typ"), ReviewColumn("Utfört", CellKind.HOURS),
         ReviewColumn("Kostnader", CellKind.MONEY), ReviewColumn("Intäkter", CellKind.MONEY),
         ReviewColumn("Nettokostnad", CellKind.MONEY),
         ReviewColumn("Bruttokostnad per timme", CellKind.MONEY),
         ReviewColumn("Nettokostnad per timme", CellKind.MONEY),
         ReviewColumn("Varav avdelningsgemensam personal", CellKind.MONEY),
         ReviewColumn("Kostnad per timme utan den", CellKind.MONEY),
         ReviewColumn("Egen personal, avtalad tid", CellKind.HOURS),
         ReviewColumn("Egen personal, arbetad tid", CellKind.HOURS),
         ReviewColumn("Nyttjandegrad", CellKind.PERCENT)),
        tuple((f.name, f.kind_label, f.performed_minutes, f.cost_ore, f.revenue_ore,
               f.net_cost_ore, f.gross_cost_per_hour, f.net_cost_per_hour,
               f.overhead_staff_ore, f.work_cost_per_hour, f.contracted_minutes,
               f.own_worked_minutes, f.utilisation)
              for f in (figures[u.id] for u in units) if f.performed_minutes or f.cost_ore))
    move_table = ReviewTable(
        "Om insatsen flyttas till en annan typ av enhet",
        (ReviewColumn("Från"), ReviewColumn("Insats"), ReviewColumn("Till"),
         ReviewColumn("Utfört", CellKind.HOURS), ReviewColumn("Kostnad i dag", CellKind.MONEY),
         ReviewColumn("Kostnad hos mottagaren", CellKind.MONEY),
         ReviewColumn("Förändring", CellKind.MONEY)),
        tuple((u.name, INSATS_LABELS[m.insats], m.receiver, m.minutes, m.cost_today_ore,
               m.cost_there_ore, m.change_ore) for u, m in moves))
    basis = (
        f"Perioden räknas till sista dagen med rapporterad tid ({period.start}–{last}); "
        "kostnader är bokförda belopp på enheten i perioden.",
        "Utfört är rapporterad tid som räknas (ej avvisad, ej ersatt av rättelse) i enhetens "
        "grupper. Resursteamets tid rapporteras inte per klient: den fördelas på boendestöd, "
        "ledsagning och avlösning efter beviljade timmar i perioden; tid i en klients egen "
        "grupp hör till klientens insats.",
        "Enhetens kostnader utan avdelningsgemensam personal fördelas på insatserna efter "
        "utförda timmar (en kostnad per timme för hela enheten, med lokaler, enhetschef "
        "och all vård- och omsorgspersonal med enheten som hemenhet).",
        "Nyttjandegrad: egen vård- och omsorgspersonal (månadsanställda assistenter och "
        "stödassistenter med hemenhet där) – arbetad tid (ordinarie, jour, beredskap, "
        "var de än arbetat) av avtalad tid (tjänstgöringsgrad × dagar / 7; frånvaro ej "
        "avräknad).",
        "Avdelningsgemensam personal: avdelningschef, samordnare, metodutvecklare, "
        "kontaktsekreterare och ekonom med enheten som hemenhet (enhetschefen hör till "
        "enheten); deras lön räknas som månadslön × 12 / 365 per anställningsdag plus "
        "sociala avgifter.",
        "Flytt: samma utförda timmar i dag och hos mottagaren till kostnad per utförd timme "
        "före intäkter (FK:s assistansersättning följer inte med insatserna) och utan "
        "avdelningsgemensam personal (den följer inte med arbetet); enheter av samma typ i "
        "urvalet sammantagna. Enhetens fasta kostnader (lokaler, ledning) försvinner bara "
        "om enheten läggs ned.",
    )
    return ReviewReport(ReviewName.RESOURCE_UNIT, request.period,
                        request.scope_label(all_units), tuple(findings),
                        (insats_table, unit_table, move_table), basis)


SPEC = ReviewSpec(ReviewName.RESOURCE_UNIT, Capability.VIEW_MONEY, resource_unit_review)
