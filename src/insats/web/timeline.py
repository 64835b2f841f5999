"""Geometry of the schedule timeline, drawn on the server without JavaScript.

Each row is a label and an SVG lane whose x axis is wall-clock minutes from 00:00 on the
first shown day (1 440 per day), stretched to the lane's width (``preserveAspectRatio``
none), so positions need no inline style (the CSP forbids it). A night shift on the night
summer time ends is drawn 22:00–06:00 like the clock says; its real length is in the title
and the list. Text stays in HTML (labels, day header, lists), never in the stretched SVG.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from insats.domain.calendar import to_local
from insats.domain.scheduling import ShiftKind
from insats.services.rosters import AbsenceSpan, Schedule, ShiftLine, TimelineRow

MINUTES_PER_DAY = 1440
LANE_HEIGHT = 20
MIN_BAR_SHARE = 250  # a bar is at least 1/250 of the lane, so short visits stay visible


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    width: int
    css: str
    line: ShiftLine


@dataclass(frozen=True, slots=True)
class Band:
    x: int
    width: int
    css: str
    absence: AbsenceSpan


@dataclass(frozen=True, slots=True)
class Lane:
    row: TimelineRow
    bars: list[Bar]
    bands: list[Band]


@dataclass(frozen=True, slots=True)
class Day:
    date: dt.date
    x: int
    weekend: bool
    monday: bool


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    days: list[Day]
    lanes: list[Lane]
    # SVG path data drawn in every lane (one element each, not one per day)
    weekend_path: str
    day_path: str
    week_path: str
    hour_path: str  # faint lines at 06, 12 and 18 when one week is shown


def _x(moment: dt.datetime, first: dt.date) -> int:
    local = to_local(moment)
    return (local.date() - first).days * MINUTES_PER_DAY + local.hour * 60 + local.minute


def bar_classes(line: ShiftLine) -> str:
    classes = ["bar"]
    if line.is_open:
        classes.append("open")
    if line.context:
        classes.append("context")
    if line.shift.kind is not ShiftKind.ORDINARY:
        classes.append("oncall")
    if line.breaches:
        classes.append("breach")
    return " ".join(classes)


def build(schedule: Schedule) -> Timeline:
    first = schedule.days.start
    days = schedule.day_list
    width = len(days) * MINUTES_PER_DAY
    smallest = max(1, width // MIN_BAR_SHARE)
    lanes = []
    for row in schedule.rows:
        bars = []
        for line in row.lines:
            start = max(0, _x(line.shift.start, first))
            end = min(width, _x(line.shift.end, first))
            if end <= 0 or start >= width:
                continue
            bars.append(Bar(start, max(smallest, end - start), bar_classes(line), line))
        bands = []
        for absence in row.absences:
            start = (absence.start - first).days * MINUTES_PER_DAY
            end = (absence.end - first).days * MINUTES_PER_DAY
            css = "absence" if absence.extent_percent >= 100 else "absence partial"
            bands.append(Band(start, end - start, css, absence))
        lanes.append(Lane(row, bars, bands))
    columns = [Day(day, index * MINUTES_PER_DAY, day.weekday() >= 5, day.weekday() == 0)
               for index, day in enumerate(days)]
    ticks = [d.x + hour * 60 for d in columns for hour in (6, 12, 18)] if len(days) <= 7 else []

    def lines(xs: list[int]) -> str:
        return "".join(f"M{x} 0V{LANE_HEIGHT}" for x in xs)

    return Timeline(
        width, LANE_HEIGHT, columns, lanes,
        weekend_path="".join(f"M{d.x} 0h{MINUTES_PER_DAY}v{LANE_HEIGHT}h-{MINUTES_PER_DAY}z"
                             for d in columns if d.weekend),
        day_path=lines([d.x for d in columns[1:] if not d.monday]),
        week_path=lines([d.x for d in columns[1:] if d.monday]),
        hour_path=lines(ticks))
