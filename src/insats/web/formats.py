"""Jinja filters for Swedish formats: 1 234,50 kr, 12,5 h, 8,4 %, "v. 47", 24-hour clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from insats.domain.formatting import (
    format_hours,
    format_kronor,
    format_number,
    format_percent,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december")


def kronor(ore: int | None, decimals: int = 0) -> str:
    return "–" if ore is None else format_kronor(ore, decimals)


def hours(minutes: int | None, decimals: int = 0) -> str:
    return "–" if minutes is None else format_hours(minutes, decimals)


def number(value: float | None, decimals: int = 0) -> str:
    return "–" if value is None else format_number(value, decimals)


def percent(ratio: float | None, decimals: int = 1) -> str:
    return format_percent(ratio, decimals)


def week(day: dt.date) -> str:
    return f"v.\u00a0{day.isocalendar().week}"


def month_name(value: dt.date | tuple[int, int]) -> str:
    year, month = (value.year, value.month) if isinstance(value, dt.date) else value
    return f"{MONTHS_SV[month - 1]} {year}"


def local_time(moment: dt.datetime) -> str:
    """A UTC moment as Stockholm time, ``2026-11-23 14:05``."""
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def clock(moment: dt.datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%H:%M")


def count(value: int | None) -> str:
    """A count that may be suppressed (None) for the committee: ``<5``."""
    return "<5" if value is None else format_number(value)


FILTERS = {
    "kronor": kronor, "hours": hours, "number": number, "percent": percent, "week": week,
    "month_name": month_name, "local_time": local_time, "clock": clock, "count": count,
}
