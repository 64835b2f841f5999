"""Review: spread-out assistance organised like home care ("Optimera organisering av ej
omfattande beviljade assistansbeslut i hemtjänstliknande form").

The clients of the caller's units whose schedule is short visits (their group's schedule
lines are all at most two hours: :func:`insats.domain.visits.is_visit_schedule`), with
boendestöd, ledsagarservice and avlösarservice cut into visits by a weekly pattern
(:data:`insats.domain.visits.VISIT_PATTERNS`), are planned one representative week day
by day on OR-tools' routing solver (:mod:`insats.optimizer.visits`) and compared with
today's organisation, a group per client (:func:`insats.domain.visits.one_group_per_client`).
Every plan is checked by :func:`insats.domain.visits.validate_visit_plan`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from insats.domain.access import AuditAction, Caller, Capability
from insats.domain.clients import Client
from insats.domain.common import DomainError, Period
from insats.domain.decisions import Decision
from insats.domain.formatting import format_hours
from insats.domain.reviews import (
    CellKind,
    ReviewColumn,
    ReviewName,
    ReviewReport,
    ReviewTable,
    format_cell,
)
from insats.domain.rules.parameters import RuleBook, bundled_parameters
from insats.domain.scheduling import ShiftTemplate
from insats.domain.visits import (
    INSATS_VISIT_KINDS,
    VISIT_KIND_LABELS,
    VISIT_PATTERNS,
    VISIT_TOLERANCE_MINUTES,
    DistanceTravel,
    Location,
    TravelModel,
    Visit,
    VisitDay,
    VisitKind,
    WorkRules,
    centroid,
    clock,
    granted_visits,
    is_visit_schedule,
    one_group_per_client,
    plan_figures,
    route_figures,
    scheduled_visits,
    validate_visit_plan,
)
from insats.optimizer.visits import SolvedPlan, SolveSettings, plan_visits
from insats.services.audit import Touched, log
from insats.services.reviews import ReviewRequest, ReviewSpec
from insats.services.runtime import UowFactory
from insats.services.uow import UnitOfWork

BREAK_AFTER_KEY = "worktime.max_continuous_work_before_break"
BREAK_KEY = "scenario.break_minutes"
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
PATTERNED = frozenset(i for i, kind in INSATS_VISIT_KINDS.items() if kind in VISIT_PATTERNS)


@dataclass(frozen=True, slots=True)
class VisitBook:
    """What the visits are made of: the visit-style clients' schedules, the decisions cut
    into visits by pattern, the clients' addresses; clients without coordinates apart."""

    clients: dict[str, Client]
    schedules: dict[str, tuple[ShiftTemplate, ...]]
    decisions: tuple[Decision, ...]
    locations: dict[str, Location]
    without_location: tuple[str, ...]

    @property
    def base(self) -> Location:
        return centroid(self.locations[c] for c in sorted(self.locations))

    def visits_on(self, day: dt.date) -> list[Visit]:
        found: list[Visit] = []
        for client_id, templates in sorted(self.schedules.items()):
            if client_id in self.locations:
                found += scheduled_visits(client_id, self.locations[client_id], day, templates,
                                          VisitKind.PERSONAL_ASSISTANCE)
        for decision in self.decisions:
            if decision.client_id in self.locations:
                found += granted_visits(decision, self.locations[decision.client_id], day)
        return found


def build_visit_book(client_templates: Mapping[str, Sequence[ShiftTemplate]],
                     decisions: Iterable[Decision], clients: Iterable[Client],
                     period: Period) -> VisitBook:
    """The book from each client group's schedule lines, the decisions of the units and
    the clients (only those with visits are kept)."""
    schedules: dict[str, tuple[ShiftTemplate, ...]] = {}
    for client_id, all_templates in client_templates.items():
        templates = [t for t in all_templates if t.valid.overlaps(period)]
        if is_visit_schedule(templates):
            schedules[client_id] = tuple(sorted(templates, key=lambda t: t.id))
    chosen = sorted((d for d in decisions if d.insats in PATTERNED and d.period.overlaps(period)
                     and d.client_id not in schedules), key=lambda d: d.id)
    wanted = set(schedules) | {d.client_id for d in chosen}
    kept = {c.id: c for c in clients if c.id in wanted}
    locations = {c.id: Location(c.latitude, c.longitude) for c in kept.values()
                 if c.latitude is not None and c.longitude is not None}
    return VisitBook(kept, schedules, tuple(chosen), locations,
                     tuple(sorted(wanted - set(locations))))


def load_visit_book(uow: UnitOfWork, unit_ids: Sequence[str], period: Period) -> VisitBook:
    client_templates: dict[str, list[ShiftTemplate]] = {}
    for unit_id in unit_ids:
        for group in uow.scheduling.groups_of_unit(unit_id):
            if group.client_id is not None:
                client_templates.setdefault(group.client_id, []).extend(
                    uow.scheduling.templates_of_group(group.id))
    decisions = [d for unit_id in unit_ids
                 for d in uow.decisions.overlapping_in_unit(unit_id, period)]
    return build_visit_book(client_templates, decisions, uow.clients.all(), period)


def work_rules(uow: UnitOfWork, on: dt.date) -> WorkRules:
    """The break rules of the day, from the database's rules (the bundled ones when the
    database has none)."""
    book = uow.rules.rule_book()
    if not {BREAK_AFTER_KEY, BREAK_KEY} <= set(book.keys()):
        book = RuleBook(bundled_parameters())
    return WorkRules(
        max_continuous_minutes=book.minutes(BREAK_AFTER_KEY, on).value,
        break_minutes=book.minutes(BREAK_KEY, on).value)


def representative_week(period: Period) -> Period:
    """The last whole week (Monday to Sunday) in the period."""
    assert period.end is not None
    last = period.end - dt.timedelta(days=1)
    sunday = last - dt.timedelta(days=(last.weekday() + 1) % 7)
    monday = sunday - dt.timedelta(days=6)
    if monday < period.start:
        raise DomainError("review.period", "Perioden måste rymma en hel vecka (måndag–söndag).")
    return Period(monday, sunday + dt.timedelta(days=1))


def plan_week(book: VisitBook, week: Period, travel: TravelModel, rules: WorkRules,
              settings: SolveSettings | None = None) -> list[VisitDay]:
    """Each day of the week: the visits, today's organisation and the solver's plan, both
    measured the same way and both validated."""
    days: list[VisitDay] = []
    if not book.locations:
        return days
    base = book.base
    for day in week.iter_days():
        visits = book.visits_on(day)
        by_id = {v.id: v for v in visits}
        today = one_group_per_client(day, visits, base, travel, rules)
        solved = _solved(day, tuple(visits), base, travel, rules, settings or SolveSettings())
        problems = (validate_visit_plan(solved.plan, visits, travel, rules)
                    + validate_visit_plan(today, visits, travel, rules))
        days.append(VisitDay(day, tuple(visits), today, solved.plan,
                             plan_figures(today, by_id, travel, rules),
                             plan_figures(solved.plan, by_id, travel, rules),
                             solved.seconds, tuple(problems)))
    return days


@functools.lru_cache(maxsize=64)
def _solved(day: dt.date, visits: tuple[Visit, ...], base: Location, travel: TravelModel,
            rules: WorkRules, settings: SolveSettings) -> SolvedPlan:
    """The solver's plan, kept for the same visits and settings (the solver is
    deterministic, so a page shown again or exported needs no new solve)."""
    return plan_visits(day, visits, base, travel, rules, settings)


def forget_plans() -> None:
    """Drop the kept plans (for benchmarks that time the solver)."""
    _solved.cache_clear()


def visits_review(uow_factory: UowFactory, caller: Caller,
                  request: ReviewRequest) -> ReviewReport:
    week = representative_week(request.period)
    travel = DistanceTravel()
    with uow_factory() as uow:
        all_units = len(uow.organisation.units())
        book = load_visit_book(uow, sorted(request.unit_ids), week)
        rules = work_rules(uow, week.start)
        log(uow, caller, AuditAction.READ,
            [Touched("client", c, c, book.clients[c].unit_id) for c in sorted(book.clients)])
        uow.commit()
    days = plan_week(book, week, travel, rules)
    return _report(request, all_units, week, book, days, travel, rules)


def _report(request: ReviewRequest, all_units: int, week: Period, book: VisitBook,
            days: list[VisitDay], travel: TravelModel, rules: WorkRules) -> ReviewReport:
    assert week.end is not None
    last = week.end - dt.timedelta(days=1)
    pseudonym = {c.id: c.pseudonym for c in book.clients.values()}
    today_work = sum(d.today_figures.work for d in days)
    planned_work = sum(d.planned_figures.work for d in days)
    saved = today_work - planned_work
    visits = sum(len(d.visits) for d in days)
    findings: list[str] = []
    if not days or not visits:
        findings.append("Inga klienter med korta besök eller boendestöd, ledsagning eller "
                        f"avlösning med adress i urvalet veckan {week.start}–{last}.")
    else:
        findings.append(
            f"Veckan {week.start}–{last}: {visits} besök hos {len(book.locations)} klienter "
            f"({len(book.schedules)} med assistans i korta besök, "
            f"{len({d.client_id for d in book.decisions})} med boendestöd, ledsagning eller "
            "avlösning).")
        findings.append(
            f"I dag, en grupp per klient: {format_hours(today_work)} personaltid i "
            f"{sum(d.today_figures.routes for d in days)} pass, varav "
            f"{format_hours(sum(d.today_figures.travel for d in days))} resor.")
        findings.append(
            f"Planerat som hemtjänst: {format_hours(planned_work)} personaltid i "
            f"{sum(d.planned_figures.routes for d in days)} arbetspass, varav "
            f"{format_hours(sum(d.planned_figures.travel for d in days))} resor och "
            f"{format_hours(sum(d.planned_figures.waiting for d in days))} väntetid.")
        effect = (f"sparar {format_hours(saved)}" if saved >= 0
                  else f"kräver {format_hours(-saved)} mer")
        share = (f" ({format_cell(CellKind.PERCENT, Decimal(abs(saved) * 100) / today_work)})"
                 if today_work else "")
        findings.append(f"Att samplanera besöken {effect} personaltid i veckan{share}, "
                        f"omkring {format_hours(saved * 52)} per år.")
    problems = [p for d in days for p in d.problems]
    if problems:
        findings.append(f"Kontrollen hittade {len(problems)} regelbrott i planerna: "
                        + "; ".join(problems[:3]) + ".")
    elif days:
        findings.append("Alla planer håller tidsfönster, restider, raster (ATL 15 §), "
                        "dubbelbemanning och passlängd enligt den oberoende kontrollen.")
    if book.without_location:
        findings.append(f"{len(book.without_location)} klienter saknar koordinater och är "
                        "inte med: " + ", ".join(pseudonym[c] for c in book.without_location)
                        + ".")
    day_table = ReviewTable(
        "Per dag: i dag och planerat",
        (ReviewColumn("Dag", CellKind.DATE), ReviewColumn("Veckodag"),
         ReviewColumn("Besök", CellKind.COUNT),
         ReviewColumn("Dubbelbemannade", CellKind.COUNT),
         ReviewColumn("Pass i dag", CellKind.COUNT),
         ReviewColumn("Personaltid i dag", CellKind.HOURS),
         ReviewColumn("Resor i dag", CellKind.HOURS),
         ReviewColumn("Arbetspass planerat", CellKind.COUNT),
         ReviewColumn("Personaltid planerat", CellKind.HOURS),
         ReviewColumn("Resor planerat", CellKind.HOURS),
         ReviewColumn("Väntetid planerat", CellKind.HOURS),
         ReviewColumn("Sparad tid", CellKind.HOURS)),
        tuple((d.day, WEEKDAYS[d.day.weekday()], len(d.visits),
               sum(1 for v in d.visits if v.staff == 2), d.today_figures.routes,
               d.today_figures.work, d.today_figures.travel, d.planned_figures.routes,
               d.planned_figures.work, d.planned_figures.travel, d.planned_figures.waiting,
               d.saved_minutes) for d in days),
        totals=True)
    route_rows: list[tuple[object, ...]] = []
    for d in days:
        by_id = {v.id: v for v in d.visits}
        for route in d.planned.routes:
            figures = route_figures(route, by_id, d.planned.base, travel, rules)
            order = ", ".join(
                f"{clock(s.start)} {pseudonym[by_id[s.visit_id].client_id]} "
                f"{VISIT_KIND_LABELS[by_id[s.visit_id].kind].lower()}"
                + (" (dubbel)" if by_id[s.visit_id].staff == 2 else "")
                for s in route.stops)
            route_rows.append((
                d.day, route.staff, f"{clock(route.start)}–{clock(route.end)}",
                "–" if route.break_start is None else clock(route.break_start),
                len(route.stops), figures.work, figures.visits, figures.travel,
                figures.waiting, order))
    route_table = ReviewTable(
        "Planerade arbetspass (besök i ordning)",
        (ReviewColumn("Dag", CellKind.DATE), ReviewColumn("Personal"),
         ReviewColumn("Pass"), ReviewColumn("Rast"), ReviewColumn("Besök", CellKind.COUNT),
         ReviewColumn("Personaltid", CellKind.HOURS), ReviewColumn("Hos klient", CellKind.HOURS),
         ReviewColumn("Resor", CellKind.HOURS), ReviewColumn("Väntetid", CellKind.HOURS),
         ReviewColumn("Besök i ordning")),
        tuple(route_rows), totals=True)
    kinds: dict[tuple[str, str], list[int]] = {}
    for d in days:
        for visit in d.visits:
            row = kinds.setdefault((pseudonym[visit.client_id], VISIT_KIND_LABELS[visit.kind]),
                                   [0, 0])
            row[0] += 1
            row[1] += visit.duration * visit.staff
    client_table = ReviewTable(
        "Klienter: besök i veckan",
        (ReviewColumn("Klient"), ReviewColumn("Insats"), ReviewColumn("Besök", CellKind.COUNT),
         ReviewColumn("Tid hos klienten", CellKind.HOURS)),
        tuple((*key, *values) for key, values in sorted(kinds.items())), totals=True)
    pattern_text = "; ".join(
        f"{VISIT_KIND_LABELS[p.kind].lower()} besök om cirka {p.visit_minutes} minuter med "
        f"start {clock(p.earliest)}–{clock(p.latest)}" for p in VISIT_PATTERNS.values())
    basis = (
        f"En representativ vecka, den sista hela veckan i perioden ({week.start}–{last}), "
        "planeras dag för dag; den sparade tiden per år är veckans × 52.",
        "Klienter med assistans i korta besök: klientens grupp har bara schemarader om högst "
        f"2 timmar; varje rad är ett besök vid schemats tid ± {VISIT_TOLERANCE_MINUTES} "
        "minuter, dubbelbemannat när raden har två positioner.",
        "Boendestöd, ledsagarservice och avlösarservice har inga tider i besluten; det "
        "beviljade antalet timmar per vecka delas i besök (högst ett per dag, högst fem i "
        f"veckan, måndag–fredag): {pattern_text}. Korttidstillsyn ges i egen lokal och "
        "planeras inte som besök.",
        "Restid: fågelvägen mellan klienternas koordinater × 1,3 i 30 km/h, avrundat uppåt, "
        "plus 3 minuter för parkering (antaganden, ingen karttjänst). Basen ligger i mitten "
        "av klienternas adresser.",
        "I dag (en grupp per klient): varje besök är ett eget pass vid schemats tid med resa "
        "från basen och tillbaka; nästa besök hos samma klient ingår i passet när väntan är "
        "kortare än att åka fram och tillbaka.",
        f"Planerat: arbetspass om högst {rules.max_shift_minutes // 60} timmar från basen och "
        f"tillbaka, rast {rules.break_minutes} minuter på basen efter högst "
        f"{rules.max_continuous_minutes // 60} timmars arbete i följd (ATL 15 §), OR-tools "
        "ruttplanerare som minimerar personaltid och restid. Personaltid är passets längd "
        "utan rast; väntetid är den del av personaltiden som inte är besök eller resor "
        "mellan besöken (resan till rasten på basen och tillbaka räknas dit).",
        "Varje plan kontrolleras av en oberoende kontroll: varje besök utförs en gång (två "
        "olika personal samtidigt när det är dubbelbemannat), i sitt tidsfönster, med "
        "restiden mellan besöken, rast och passlängd.",
        "Klienter visas med pseudonym; varje klient i översynen skrivs i åtkomstloggen.",
    )
    return ReviewReport(ReviewName.VISITS, request.period, request.scope_label(all_units),
                        tuple(findings), (day_table, route_table, client_table), basis)


SPEC = ReviewSpec(ReviewName.VISITS, Capability.VIEW_SCHEDULES, visits_review)
