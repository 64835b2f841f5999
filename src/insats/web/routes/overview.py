"""The department overview (start page): key figures for a week and a month, their trends
over 12 weeks and 12 months as charts and tables, and the month per unit.

``figure_view`` turns trend points into cards, charts and table rows; the unit page uses
it too, so a unit and the department are shown the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from insats.domain.access import Capability
from insats.domain.key_figures import KeyFigures
from insats.services.overview import TrendPoint, department_overview, parse_day
from insats.web import formats
from insats.web.charts import Series, bar_chart, legend, line_chart
from insats.web.deps import Context, requires
from insats.web.i18n import translator
from insats.web.templating import language_of, render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Card:
    label: str
    value: str
    week: str  # the week's value, or "" when the figure is monthly only
    change: str  # against the previous month, or ""
    direction: str  # "up", "down" or ""
    good_when: str  # "up" or "down": which direction is good


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    svg: Markup
    legend: Markup


def hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def _count(value: int | None) -> str:
    return formats.count(value)


def _fte(value: float | None) -> str:
    return "–" if value is None else formats.number(value, 1)


def _change(now: float | None, before: float | None, _: Callable[[str], str], *,
            percent_points: bool = False, month: str = "") -> tuple[str, str]:
    """A short change text against the previous month, and its direction."""
    if now is None or before is None:
        return "", ""
    if percent_points:
        diff = (now - before) * 100
        if abs(diff) < 0.05:
            return f"± 0 {_('%-enheter mot')} {month}", ""
        sign = "+" if diff > 0 else "−"
        return f"{sign}{formats.number(abs(diff), 1)} {_('%-enheter mot')} {month}", (
            "up" if diff > 0 else "down")
    if before == 0:
        return "", ""
    ratio = (now - before) / before
    if abs(ratio) < 0.0005:
        return f"± 0 % {_('mot')} {month}", ""
    sign = "+" if ratio > 0 else "−"
    return f"{sign}{formats.number(abs(ratio) * 100, 1)} % {_('mot')} {month}", (
        "up" if ratio > 0 else "down")


def figure_view(weeks: Sequence[TrendPoint], months: Sequence[TrendPoint],
                _: Callable[[str], str]) -> dict[str, Any]:
    """Cards for the week and month of the reference day, charts of the trends and the
    rows of the trend tables."""
    week, month = weeks[-1].figures, months[-1].figures
    before = months[-2].figures if len(months) > 1 else None
    previous = formats.month_name(months[-2].window.start).split(" ")[0] if before else ""

    def card(label: str, value: Callable[[KeyFigures], Any], text: Callable[[Any], str], *,
             good_when: str = "down", weekly: bool = True, points: bool = False) -> Card:
        now = value(month)
        change, direction = _change(now if isinstance(now, int | float) else None,
                                    value(before) if before else None, _,
                                    percent_points=points, month=previous)
        return Card(_(label), text(now), text(value(week)) if weekly else "", change,
                    direction, good_when)

    def share(f: KeyFigures) -> str:
        return formats.percent(f.performed_share, 0)

    cards = [
        card("Utförda timmar", lambda f: f.performed_minutes, formats.hours, good_when=""),
        card("Beviljade timmar (egen regi)", lambda f: f.granted_minutes, formats.hours,
             good_when=""),
        card("Utfört utöver beviljat", lambda f: f.beyond_minutes, formats.hours),
        card("Schemalagt men ej rapporterat", lambda f: f.unreported_minutes, formats.hours),
        card("Övertid", lambda f: f.overtime_minutes, formats.hours),
        card("Mertid", lambda f: f.extra_minutes, formats.hours),
        card("Sjukfrånvaro", lambda f: f.sick_rate, formats.percent, points=True),
        card("Personal", lambda f: f.employees, _count, good_when=""),
        card("Årsarbetare", lambda f: f.fte, _fte, good_when=""),
        card("Brukare", lambda f: f.clients, _count, good_when=""),
    ]
    week_labels = [p.window.label for p in weeks]
    month_labels = [formats.month_name(p.window.start)[:3] + " " +
                    str(p.window.start.year)[2:] for p in months]

    def series(name: str, points: Sequence[TrendPoint],
               value: Callable[[KeyFigures], float | None]) -> Series:
        return Series(_(name), [value(p.figures) for p in points])

    def chart(kind: Callable[..., Markup], title: str, items: list[Series],
              labels: list[str], unit: str) -> Chart:
        return Chart(_(title), kind(items, labels, title=_(title), unit=unit), legend(items))

    def rate(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    charts = [
        chart(line_chart, "Beviljat och utfört per vecka", [
            series("Beviljat", weeks, lambda f: hours(f.granted_minutes)),
            series("Utfört", weeks, lambda f: hours(f.performed_minutes))], week_labels, "h"),
        chart(line_chart, "Beviljat och utfört per månad", [
            series("Beviljat", months, lambda f: hours(f.granted_minutes)),
            series("Utfört", months, lambda f: hours(f.performed_minutes))], month_labels, "h"),
        chart(bar_chart, "Utöver beviljat och ej rapporterat per vecka", [
            series("Utfört utöver beviljat", weeks, lambda f: hours(f.beyond_minutes)),
            series("Schemalagt men ej rapporterat", weeks,
                   lambda f: hours(f.unreported_minutes))], week_labels, "h"),
        chart(bar_chart, "Övertid och mertid per månad", [
            series("Övertid", months, lambda f: hours(f.overtime_minutes)),
            series("Mertid", months, lambda f: hours(f.extra_minutes))], month_labels, "h"),
        chart(line_chart, "Sjukfrånvaro per månad", [
            series("Total", months, lambda f: rate(f.sick_rate)),
            series("Kort (dag 1–14)", months, lambda f: rate(f.short_sick_rate)),
            series("Lång (dag 15–)", months, lambda f: rate(f.long_sick_rate))],
            month_labels, "%"),
        chart(bar_chart, "Utöver beviljat och ej rapporterat per månad", [
            series("Utfört utöver beviljat", months, lambda f: hours(f.beyond_minutes)),
            series("Schemalagt men ej rapporterat", months,
                   lambda f: hours(f.unreported_minutes))], month_labels, "h"),
    ]
    return {"cards": cards, "charts": charts, "week_points": list(weeks),
            "month_points": list(months), "share": share}


@router.get("/")
def overview(request: Request, on: str | None = None,
             ctx: Context = Depends(requires(Capability.VIEW_AGGREGATES))) -> Response:
    page = department_overview(ctx.uow_factory, caller=ctx.caller, on=parse_day(on))
    _ = translator(language_of(request))
    return render(request, "overview/page.html", {
        "o": page, "on_value": page.on.isoformat(),
        **figure_view(page.weeks, page.months, _),
    })
