"""Review: staffing density in korttidsvistelse and korttidstillsyn ("Se över
bemanningstäthet") and breaks where the activity allows them ("Schemalägga raster").

For each korttidshem and korttidstillsyn among the caller's units: the children present
(stays and attendance, ``client_stays`` at the unit), the staff on the unit's published,
staffed shifts, the need by the unit's own staffing rule (dated parameters
``density.*``) and the staff above it with what it costs (each one's hourly wage plus
social fees, the ledger's cost per hour), and where each shift's break fits
(:mod:`insats.domain.density`). :func:`staffing_need` gives the need per hour to the
planner.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from insats.domain.access import Caller, Capability
from insats.domain.calendar import local_datetime, to_local
from insats.domain.common import DomainError
from insats.domain.density import (
    WEEKDAY_NAMES,
    BreakRule,
    HourFigures,
    PlacedBreak,
    Presence,
    StaffShift,
    UnitDensity,
    staffing_rule,
    unit_density,
)
from insats.domain.formatting import format_hours, format_kronor, format_number
from insats.domain.organisation import Unit, UnitKind
from insats.domain.reviews import CellKind, ReviewColumn, ReviewName, ReviewReport, ReviewTable
from insats.domain.scheduling import ShiftKind, ShiftStatus
from insats.domain.stays import StayKind
from insats.services.ledger import StaffCostPerHour
from insats.services.reviews import ReviewRequest, ReviewSpec
from insats.services.runtime import UowFactory
from insats.services.scope import unit_in_scope
from insats.services.uow import UnitOfWork

DENSITY_KINDS = (UnitKind.SHORT_TERM_STAY, UnitKind.SHORT_TERM_SUPERVISION)
_STAY_KINDS = (StayKind.SHORT_TERM_STAY, StayKind.SHORT_TERM_SUPERVISION)
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DensityRun:
    """The units' figures over ``[first, end)`` (local dates; the period, cut after the
    last day a shift of the units starts, or children are there when they have none)."""

    first: dt.date
    end: dt.date
    units: tuple[tuple[Unit, UnitDensity], ...]


def load_density(uow: UnitOfWork, units: Sequence[Unit], first: dt.date,
                 end: dt.date) -> DensityRun:
    """Read the units' stays, shifts, rules and wages and compute their density."""
    chosen = [u for u in units if u.kind in DENSITY_KINDS]
    start_at, end_at = local_datetime(first, dt.time()), local_datetime(end, dt.time())
    book = uow.rules.rule_book()
    on = max(first, end - _ONE_DAY)
    costs = StaffCostPerHour(uow, book.permille("pay.social_fee_rate", on))
    breaks = BreakRule(book.minutes("scenario.break_minutes", on).value,
                       book.minutes("scenario.break_longer_than", on).value,
                       book.minutes("worktime.max_continuous_work_before_break", on).value)
    stays = [s for s in uow.stays.at_units([u.id for u in chosen], start_at, end_at)
             if s.kind in _STAY_KINDS]
    shifts_of: dict[str, list[StaffShift]] = defaultdict(list)
    last = start_at
    for unit in chosen:
        for group in uow.scheduling.groups_of_unit(unit.id):
            for shift in uow.scheduling.shifts_of_group(group.id, start_at - _ONE_DAY, end_at):
                if (shift.status is not ShiftStatus.PUBLISHED or shift.employee_id is None
                        or shift.end <= start_at):
                    continue
                last = max(last, shift.start)
                shifts_of[unit.id].append(StaffShift(
                    id=shift.id, unit_id=unit.id, start=shift.start, end=shift.end,
                    on_call=shift.kind is not ShiftKind.ORDINARY,
                    break_minutes=shift.break_minutes, breaks_allowed=group.breaks_allowed,
                    hourly_cost=costs.get(shift.employee_id), label=group.name))
    if last == start_at:  # no shifts: as far as the children are booked
        for stay in stays:
            last = max(last, min(stay.end, end_at) - dt.timedelta(microseconds=1))
    cut = max(first, min(end, to_local(last).date() + _ONE_DAY))
    cut_at = local_datetime(cut, dt.time())
    presences: dict[str, list[Presence]] = defaultdict(list)
    for stay in stays:
        assert stay.unit_id is not None
        presences[stay.unit_id].append(Presence(stay.unit_id, stay.client_id, stay.start,
                                                stay.end))
    result = []
    for unit in chosen:
        rule = staffing_rule(book, unit.id, unit.kind.value, on)
        result.append((unit, unit_density(rule, presences[unit.id], shifts_of[unit.id],
                                          breaks, start_at, cut_at)))
    return DensityRun(first, cut, tuple(result))


def staffing_need(uow_factory: UowFactory, *, caller: Caller, unit_id: str, first: dt.date,
                  end: dt.date) -> dict[tuple[dt.date, int], int]:
    """The staff the unit's rule needs per (local date, hour) in ``[first, end)``, from the
    children booked: what a planning run for the unit staffs by
    (:func:`insats.domain.density.positions_for_need`)."""
    caller.viewer.require(Capability.VIEW_STAFF)
    with uow_factory() as uow:
        unit = unit_in_scope(uow, caller, unit_id)
        if unit.kind not in DENSITY_KINDS:
            raise DomainError("density.kind", f"{unit.name} är ingen korttidsvistelse eller "
                              "korttidstillsyn; behovet per timme räknas bara där.")
        run = load_density(uow, [unit], first, end)
    density = run.units[0][1]
    return {k: v for k, v in density.need_per_hour.items() if v > 0}


def need_by_group(uow: UnitOfWork, unit_ids: Sequence[str], first: dt.date,
                  end: dt.date) -> dict[str, dict[tuple[dt.date, int], int]]:
    """For a planning run: the staff needed per (local date, hour) by each korttidshem's
    and korttidstillsyn's staff group among the units (the unit's first group that serves
    many), from the children booked ``[first, end)`` and the unit's rule."""
    units = [u for u in (uow.organisation.get(i) for i in unit_ids)
             if u is not None and u.kind in DENSITY_KINDS]
    if not units:
        return {}
    run = load_density(uow, units, first, end)
    result: dict[str, dict[tuple[dt.date, int], int]] = {}
    for unit, density in run.units:
        group = next((g for g in sorted(uow.scheduling.groups_of_unit(unit.id),
                                        key=lambda g: g.id) if g.client_id is None), None)
        if group is not None:
            result[group.id] = {k: v for k, v in density.need_per_hour.items() if v > 0}
    return result


# -- the review ----------------------------------------------------------------------------
def _decimal(minutes: int, per: int) -> str:
    return "–" if per <= 0 else format_number(minutes / per, 1)


def _hours_label(hour: int) -> str:
    return f"{hour:02d}–{(hour + 1) % 24:02d}"


def _day_kind(day: dt.date) -> str:
    return "helg" if day.weekday() >= 5 else "vardag"


def _kr(value: float) -> int:
    return round(value)


def _weekday_span(weekdays: set[int]) -> str:
    ordered = sorted(weekdays)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{WEEKDAY_NAMES[ordered[0]]}–{WEEKDAY_NAMES[ordered[-1]]}"
    return ", ".join(WEEKDAY_NAMES[d] for d in ordered)


def density_review(uow_factory: UowFactory, caller: Caller,
                   request: ReviewRequest) -> ReviewReport:
    assert request.period.end is not None
    with uow_factory() as uow:
        run = load_density(uow, request.units, request.start, request.period.end)
        all_units = len(uow.organisation.units())
    days = Counter(_day_kind(run.first + dt.timedelta(days=n))
                   for n in range((run.end - run.first).days))
    unit_rows, hour_rows, above_rows = [], [], []
    findings: list[str] = []
    grand = HourFigures()
    for unit, density in run.units:
        total = density.total()
        grand.add(total)
        share = (Decimal(total.above_minutes * 1000 // total.staff_minutes) / 10
                 if total.staff_minutes else None)
        unit_rows.append((unit.name, density.rule.label, total.child_minutes,
                          total.staff_minutes, _decimal(total.child_minutes, total.staff_minutes),
                          total.above_minutes, share, _kr(total.above_cost)))
        by_hour: dict[tuple[str, int], HourFigures] = defaultdict(HourFigures)
        by_weekday: dict[tuple[int, int], HourFigures] = defaultdict(HourFigures)
        for (day, hour), figures in density.hours.items():
            by_hour[(_day_kind(day), hour)].add(figures)
            if figures.above_minutes:
                by_weekday[(day.weekday(), hour)].add(figures)
        for (kind, hour), figures in sorted(by_hour.items(), key=lambda i: (i[0][0] != "vardag",
                                                                          i[0][1])):
            if not (figures.child_minutes or figures.staff_minutes):
                continue
            count = days[kind] * 60
            hour_rows.append((unit.name, kind, _hours_label(hour),
                              _decimal(figures.child_minutes, count),
                              _decimal(figures.staff_minutes, count),
                              _decimal(figures.need_minutes, count), figures.above_minutes,
                              _kr(figures.above_cost)))
        for (weekday, hour), figures in sorted(by_weekday.items()):
            above_rows.append((unit.name, WEEKDAY_NAMES[weekday], _hours_label(hour),
                               format_number(len(figures.days_above)), figures.above_minutes,
                               _kr(figures.above_cost)))
        if total.above_minutes:
            weekdays = {w for w, _h in by_weekday}
            hours = sorted({h for _w, h in by_weekday})
            findings.append(
                f"{unit.name}: {format_hours(total.above_minutes, 1)} personaltid över "
                f"enhetens bemanningsregel ({density.rule.label}), "
                f"{_weekday_span(weekdays)} kl. {hours[0]:02d}–{(hours[-1] + 1) % 24:02d}; "
                f"det kostar {format_kronor(_kr(total.above_cost))}.")
    findings.insert(0, (
        f"Korttidsvistelse och korttidstillsyn {run.first.isoformat()}–"
        f"{(run.end - _ONE_DAY).isoformat()}: {format_hours(grand.child_minutes)} barntid och "
        f"{format_hours(grand.staff_minutes)} personaltid, "
        f"{_decimal(grand.child_minutes, grand.staff_minutes)} barn per personal i snitt."))
    if not grand.above_minutes:
        findings.append("Ingen enhet har fler personal på plats än dess bemanningsregel kräver.")
    else:
        findings.append(f"Sammanlagt {format_hours(grand.above_minutes, 1)} personaltid över "
                        f"behovet, {format_kronor(_kr(grand.above_cost))}; tabellen "
                        "Över behovet visar veckodag och timme.")
    findings += _break_findings(run)
    tables = (
        ReviewTable("Per enhet", (
            ReviewColumn("Enhet"), ReviewColumn("Bemanningsregel"),
            ReviewColumn("Barntid", CellKind.HOURS), ReviewColumn("Personaltid", CellKind.HOURS),
            ReviewColumn("Barn per personal"),
            ReviewColumn("Personaltid över behovet", CellKind.HOURS),
            ReviewColumn("Andel över behovet", CellKind.PERCENT),
            ReviewColumn("Kostnad över behovet", CellKind.MONEY)), tuple(unit_rows),
            totals=True),
        ReviewTable("Beläggning, personal och behov per timme (snitt per dag)", (
            ReviewColumn("Enhet"), ReviewColumn("Dagar"), ReviewColumn("Timme"),
            ReviewColumn("Barn"), ReviewColumn("Personal"), ReviewColumn("Behov"),
            ReviewColumn("Personaltid över behovet", CellKind.HOURS),
            ReviewColumn("Kostnad", CellKind.MONEY)), tuple(hour_rows), totals=True),
        ReviewTable("Över behovet per veckodag och timme", (
            ReviewColumn("Enhet"), ReviewColumn("Veckodag"), ReviewColumn("Timme"),
            ReviewColumn("Dagar"),  # text: a sum of days over hours would mislead
            ReviewColumn("Personaltid över behovet", CellKind.HOURS),
            ReviewColumn("Kostnad", CellKind.MONEY)), tuple(above_rows), totals=True),
        *_break_tables(run),
    )
    basis = (
        "Barn och ungdomar på plats: vistelser och närvaro på enheten (korttidsvistelse, "
        "korttidstillsyn) i tabellen client_stays, per kvart.",
        "Personal: publicerade, bemannade pass i enhetens personalgrupper; sovande jour räknas "
        "bara under natten enligt regeln. Obemannade pass räknas inte.",
        "Behov: enhetens bemanningsregel (regelvärdena density.*, enhetens egna värden där de "
        "finns, annars verksamhetens): " + "; ".join(
            f"{u.name}: {d.rule.label}" for u, d in run.units) + ".",
        "Kostnad: timlön med sociala avgifter för personalen på plats (snitt per kvart).",
        "Raster: pass längre än regelvärdet scenario.break_longer_than får rast "
        "(scenario.break_minutes, högst worktime.max_continuous_work_before_break i följd "
        "före och efter) i grupper där rast är möjlig; rasten läggs på den lugnaste tiden "
        "där kvarvarande personal räcker för behovet.",
    )
    return ReviewReport(ReviewName.DENSITY, request.period, request.scope_label(all_units),
                        tuple(findings), tables, basis)


def _shift_label(placed: PlacedBreak) -> str:
    start, end = to_local(placed.shift.start), to_local(placed.shift.end)
    return f"{start:%H:%M}–{end:%H:%M}"


def _break_findings(run: DensityRun) -> list[str]:
    findings = []
    for unit, density in run.units:
        if not density.breaks:
            continue
        scheduled = [b for b in density.breaks if b.scheduled]
        missing = [b for b in density.breaks if not b.scheduled]
        unfit = [b for b in density.breaks if not b.fits]
        text = (f"Raster, {unit.name}: {len(density.breaks)} pass behöver rast; "
                f"{len(scheduled)} har schemalagd rast")
        if missing:
            text += (f", {len(missing)} saknar rast (förslag på tid i tabellen Raster per "
                     "pass)")
        text += (f"; för {len(unfit)} pass finns ingen tid då kvarvarande personal räcker för "
                 "behovet." if unfit else "; alla raster ryms utan att bemanningen understiger "
                 "behovet.")
        findings.append(text)
    return findings


def _break_tables(run: DensityRun) -> tuple[ReviewTable, ...]:
    grouped: dict[tuple[str, str, str, str], list[PlacedBreak]] = defaultdict(list)
    unfit_rows = []
    for unit, density in run.units:
        for placed in density.breaks:
            local = to_local(placed.shift.start)
            kind = "schemalagd" if placed.scheduled else "saknas (förslag)"
            grouped[(unit.name, WEEKDAY_NAMES[local.weekday()], _shift_label(placed),
                     f"{placed.minutes} min {kind}")].append(placed)
            if not placed.fits:
                begin = to_local(placed.start)
                unfit_rows.append((unit.name, local.date(), _shift_label(placed),
                                   f"{placed.minutes} min {kind}", f"{begin:%H:%M}"))
    order = {name: i for i, name in enumerate(WEEKDAY_NAMES)}
    rows = []
    for (unit_name, weekday, label, kind), shifts in sorted(
            grouped.items(), key=lambda i: (i[0][0], order[i[0][1]], i[0][2], i[0][3])):
        times = Counter(f"{to_local(b.start):%H:%M}" for b in shifts if b.fits)
        common = ", ".join(t for t, _n in sorted(times.most_common(3))) or "–"
        rows.append((unit_name, weekday, label, kind, len(shifts), common,
                     sum(1 for b in shifts if not b.fits)))
    return (
        ReviewTable("Raster per pass", (
            ReviewColumn("Enhet"), ReviewColumn("Veckodag"), ReviewColumn("Pass"),
            ReviewColumn("Rast"), ReviewColumn("Pass", CellKind.COUNT),
            ReviewColumn("Rasten börjar (vanligast)"),
            ReviewColumn("Pass utan tid som håller behovet", CellKind.COUNT)), tuple(rows),
            totals=True),
        ReviewTable("Pass där rasten inte ryms utan att bemanningen understiger behovet", (
            ReviewColumn("Enhet"), ReviewColumn("Datum", CellKind.DATE), ReviewColumn("Pass"),
            ReviewColumn("Rast"), ReviewColumn("Minst brist kl.")), tuple(unfit_rows)),
    )


SPEC = ReviewSpec(ReviewName.DENSITY, Capability.VIEW_STAFF, density_review)
