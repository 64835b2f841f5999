"""Charts as inline SVG, drawn on the server: no JavaScript, no external library, and they
print. Each chart has a title and a description for screen readers, and the figures are
always also in a table on the page.

Usage in a route::

    chart = line_chart([Series("Beviljat", granted), Series("Utfört", performed)],
                       labels=["v. 40", "v. 41", ...], title="Timmar per vecka", unit="h")

and in the template ``{{ chart }}`` (the result is markup-safe).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from insats.domain.formatting import format_number

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 30


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]


def _nice_ceiling(value: float) -> float:
    """A round upper bound for an axis: 1, 2, 2.5 or 5 × 10ⁿ at or above ``value``."""
    if value <= 0:
        return 1.0
    magnitude = float(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return 10 * magnitude


def _bounds(series: Sequence[Series]) -> tuple[float, float]:
    values = [v for s in series for v in s.values if v is not None]
    low = min([0.0, *values])
    high = max([0.0, *values])
    top = _nice_ceiling(high) if high > 0 else 0.0
    bottom = -_nice_ceiling(-low) if low < 0 else 0.0
    if top == bottom:
        top = bottom + 1
    return bottom, top


def _frame(title: str, description: str, labels: Sequence[str], bottom: float, top: float,
           unit: str, width: int, height: int) -> tuple[list[str], float, float]:
    plot_w = width - LEFT - RIGHT
    plot_h = height - TOP - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for i in range(5):
        value = bottom + (top - bottom) * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line class="axis" x1="{LEFT}" x2="{width - RIGHT}" '
                     f'y1="{y:.1f}" y2="{y:.1f}"/>')
        decimals = 0 if abs(top - bottom) >= 8 else 1
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(format_number(value, decimals))}{escape(unit and ' ' + unit)}"
                     "</text>")
    step = max(1, math.ceil(len(labels) / 12))
    slot = plot_w / max(1, len(labels))
    for index, label in enumerate(labels):
        if index % step:
            continue
        x = LEFT + slot * (index + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">'
                     f"{escape(label)}</text>")
    return parts, plot_w, plot_h


def _describe(series: Sequence[Series], labels: Sequence[str], unit: str) -> str:
    lines = []
    for s in series:
        shown = ", ".join(f"{label}: {format_number(v, 1) if v is not None else '–'}"
                          for label, v in zip(labels, s.values, strict=False))
        lines.append(f"{s.name} ({unit}): {shown}")
    return "; ".join(lines)


def line_chart(series: Sequence[Series], labels: Sequence[str], *, title: str,
               unit: str = "", width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """Lines over time, one per series (gaps where a value is None)."""
    bottom, top = _bounds(series)
    parts, plot_w, plot_h = _frame(title, _describe(series, labels, unit), labels, bottom,
                                   top, unit, width, height)
    slot = plot_w / max(1, len(labels))

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * (value - bottom) / (top - bottom)

    for index, s in enumerate(series):
        css = f"series-{index % 4}"
        run: list[str] = []
        points = []
        for i, value in enumerate(s.values):
            if value is None:
                if len(run) > 1:
                    points.append(run)
                run = []
                continue
            run.append(f"{LEFT + slot * (i + 0.5):.1f},{y_of(value):.1f}")
        if run:
            points.append(run)
        for line in points:
            if len(line) > 1:
                parts.append(f'<polyline class="{css}" fill="none" stroke-width="2" '
                             f'points="{" ".join(line)}"/>')
            for point in line:
                x, y = point.split(",")
                parts.append(f'<circle class="{css}" cx="{x}" cy="{y}" r="2.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(series: Sequence[Series], labels: Sequence[str], *, title: str,
              unit: str = "", width: int = WIDTH, height: int = HEIGHT) -> Markup:
    """Grouped bars: one group per label, one bar per series."""
    bottom, top = _bounds(series)
    parts, plot_w, plot_h = _frame(title, _describe(series, labels, unit), labels, bottom,
                                   top, unit, width, height)
    slot = plot_w / max(1, len(labels))
    bar_w = slot * 0.8 / max(1, len(series))

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * (value - bottom) / (top - bottom)

    zero = y_of(0.0)
    for index, s in enumerate(series):
        css = f"series-{index % 4}"
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x = LEFT + slot * i + slot * 0.1 + bar_w * index
            y = min(zero, y_of(value))
            h = abs(zero - y_of(value))
            parts.append(f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                         f'height="{h:.1f}"><title>{escape(s.name)}, {escape(labels[i])}: '
                         f"{escape(format_number(value, 1))} {escape(unit)}</title></rect>")
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(series: Sequence[Series]) -> Markup:
    items = "".join(f'<span><span class="swatch series-{i % 4}"></span>{escape(s.name)}</span>'
                    for i, s in enumerate(series))
    return Markup(f'<div class="legend">{items}</div>')
