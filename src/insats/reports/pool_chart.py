"""The pool simulation's curves as a standalone SVG file: no external service or library.

Two panels over the pool size: the expected total cost per year with its 90 % band, and
the expected overtime hours with their band, one colour per cover policy; a dashed line at
today's pool size and a dot at each policy's cheapest size. The figures are also printed
as a table by the command, so the chart carries a title and a description but no numbers
beyond its axes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from insats.domain.formatting import format_number
from insats.domain.pool_model import CoverSource
from insats.domain.pool_simulation import POLICY_LABELS, Band, PolicyOutcome, SizeOutcome

WIDTH, PANEL_HEIGHT = 760, 250
LEFT, RIGHT, TOP, GAP, BOTTOM = 78, 20, 58, 56, 66
COLOURS = ("#1f5f9e", "#b5591b", "#3c7d3a")
FONT = 'font-family="system-ui, sans-serif"'


def pool_curve_svg(outcomes: Sequence[PolicyOutcome], *, today_size: int, title: str) -> str:
    """The chart as SVG text (UTF-8, a complete document)."""
    sizes = [s.size for s in outcomes[0].sizes]
    low, high = sizes[0], max(sizes[-1], sizes[0] + 1)
    plot_w = WIDTH - LEFT - RIGHT
    height = TOP + 2 * PANEL_HEIGHT + GAP + BOTTOM

    def x(size: float) -> float:
        return LEFT + (size - low) / (high - low) * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="t d">',
        f'<title id="t">{escape(title)}</title>',
        '<desc id="d">Förväntad total kostnad per år och förväntad övertid per år för varje '
        'poolstorlek, med 90-procentsband från simuleringen.</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="{LEFT}" y="24" font-size="16" font-weight="bold" {FONT}>'
        f'{escape(title)}</text>',
    ]
    panels: list[tuple[str, str, Callable[[SizeOutcome], Band], float]] = [
        ("Total kostnad per år", "tkr", lambda s: s.total_cost, 100_000.0),
        ("Övertid per år", "h", lambda s: s.minutes[CoverSource.OVERTIME], 60.0),
    ]
    for index, (name, unit, value_of, divisor) in enumerate(panels):
        top = TOP + index * (PANEL_HEIGHT + GAP)
        bands = [value_of(s) for o in outcomes for s in o.sizes]
        floor = min(b.low for b in bands) / divisor
        ceiling = max(b.high for b in bands) / divisor
        bottom_v, top_v = _nice_range(floor, ceiling)

        def y(value: float, top: int = top, bottom_v: float = bottom_v,
              top_v: float = top_v) -> float:
            return top + PANEL_HEIGHT - (value - bottom_v) / (top_v - bottom_v) * PANEL_HEIGHT

        parts.append(f'<text x="{LEFT}" y="{top - 10}" font-size="13" font-weight="bold" '
                     f'{FONT}>{escape(name)} ({unit})</text>')
        for tick in _ticks(bottom_v, top_v):
            parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
                         f'y2="{y(tick):.1f}" stroke="#e3e3e3"/>')
            parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="11" '
                         f'text-anchor="end" {FONT}>{format_number(tick)}</text>')
        parts.append(f'<rect x="{LEFT}" y="{top}" width="{plot_w}" height="{PANEL_HEIGHT}" '
                     'fill="none" stroke="#999"/>')
        for n, outcome in enumerate(outcomes):
            colour = COLOURS[n % len(COLOURS)]
            points = [(s.size, value_of(s)) for s in outcome.sizes]
            upper = " ".join(f"{x(s):.1f},{y(b.high / divisor):.1f}" for s, b in points)
            lower = " ".join(f"{x(s):.1f},{y(b.low / divisor):.1f}" for s, b in reversed(points))
            parts.append(f'<polygon points="{upper} {lower}" fill="{colour}" '
                         'fill-opacity="0.15" stroke="none"/>')
            line = " ".join(f"{x(s):.1f},{y(b.mean / divisor):.1f}" for s, b in points)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                         'stroke-width="2"/>')
            if index == 0:
                best = outcome.cheapest
                parts.append(f'<circle cx="{x(best.size):.1f}" '
                             f'cy="{y(best.total_cost.mean / divisor):.1f}" r="5" '
                             f'fill="{colour}"><title>Lägst kostnad: {best.size}</title>'
                             '</circle>')
        if low <= today_size <= high:
            parts.append(f'<line x1="{x(today_size):.1f}" x2="{x(today_size):.1f}" y1="{top}" '
                         f'y2="{top + PANEL_HEIGHT}" stroke="#444" stroke-dasharray="5,4"/>')
            parts.append(f'<text x="{x(today_size) + 4:.1f}" y="{top + 14}" font-size="11" '
                         f'{FONT}>i dag ({today_size})</text>')
    axis_y = TOP + 2 * PANEL_HEIGHT + GAP
    for size in _ticks(low, high, count=10):
        parts.append(f'<text x="{x(size):.1f}" y="{axis_y + 16}" font-size="11" '
                     f'text-anchor="middle" {FONT}>{format_number(size)}</text>')
    parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{axis_y + 34}" font-size="12" '
                 f'text-anchor="middle" {FONT}>Vikarier i poolen</text>')
    for n, outcome in enumerate(outcomes):
        colour = COLOURS[n % len(COLOURS)]
        legend_y = axis_y + 52
        legend_x = LEFT + n * (plot_w / max(1, len(outcomes)))
        parts.append(f'<rect x="{legend_x:.1f}" y="{legend_y - 9}" width="14" height="10" '
                     f'fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 18:.1f}" y="{legend_y}" font-size="11" {FONT}>'
                     f'{escape(_short(POLICY_LABELS[outcome.policy]))}; band 90 %</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _short(label: str) -> str:
    return label.split(",")[0]


def _nice_range(low: float, high: float) -> tuple[float, float]:
    """Round axis bounds around ``[low, high]``, starting at zero when that is close."""
    if high <= low:
        high = low + 1
    step = _step(high - low)
    bottom = math.floor(low / step) * step
    if 0 <= bottom < (high - low):
        bottom = 0.0
    return bottom, math.ceil(high / step) * step


def _step(span: float, count: int = 5) -> float:
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = _step(high - low, count)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step / 1000:
        ticks.append(round(value, 6))
        value += step
    return ticks
