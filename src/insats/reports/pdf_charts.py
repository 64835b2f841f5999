"""Small charts of a key figure over months for the committee report (reportlab graphics).

One bar chart per figure: each figure has its own unit (hours, kronor, percent), so
figures are never drawn against a shared axis. A month with no value or a suppressed value
("<5") has no bar and is marked under its label, so a gap is never read as zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from insats.domain.committee_report import SUPPRESSED_TEXT, FigureRow, month_label
from insats.domain.formatting import format_number

BAR_COLOUR = colors.HexColor("#1f5f9e")
NEGATIVE_COLOUR = colors.HexColor("#b5591b")
GRID_COLOUR = colors.HexColor("#d0d7de")
TEXT_COLOUR = colors.HexColor("#222222")


def figure_chart(row: FigureRow, months: Sequence[str], *, width: float, height: float,
                 font: str, bold_font: str) -> Drawing:
    """A bar chart of ``row``'s monthly values with its name and unit as the title."""
    drawing = Drawing(width, height)
    lines = _wrap(row.name, width, 8)
    if row.unit:
        lines[-1] += f" ({row.unit})"
    for index, line in enumerate(lines):
        drawing.add(String(0, height - 9 - 10 * index, line, fontName=bold_font,
                           fontSize=8, fillColor=TEXT_COLOUR))
    numbers = [None if v.suppressed or v.value is None else float(v.value)
               for v in row.values]
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 26
    chart.width, chart.height = width - 40, height - 58
    chart.data = [[n if n is not None else 0.0 for n in numbers]]
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    for index, number in enumerate(numbers):
        if number is not None and number < 0:
            chart.bars[(0, index)].fillColor = NEGATIVE_COLOUR
    chart.barSpacing = 1
    chart.groupSpacing = 3
    low, high, step = nice_axis([n for n in numbers if n is not None])
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = low, high, step
    axis.labels.fontName, axis.labels.fontSize = font, 6.5
    decimals = 0 if float(step).is_integer() else 1
    axis.labelTextFormat = lambda value: format_number(value, decimals).replace("-", "−")
    axis.visibleGrid = True
    axis.gridStrokeColor = GRID_COLOUR
    axis.gridStrokeWidth = 0.4
    axis.strokeColor = GRID_COLOUR
    categories = chart.categoryAxis
    categories.categoryNames = month_axis_labels(months)
    categories.labels.fontName, categories.labels.fontSize = font, 6.5
    categories.labels.boxAnchor = "n"
    categories.labelAxisMode = "low"  # under the plot, also when bars go below zero
    categories.strokeColor = GRID_COLOUR
    categories.visibleTicks = False
    drawing.add(chart)
    missing = [i for i, n in enumerate(numbers) if n is None]
    if missing:
        slot = chart.width / max(len(numbers), 1)
        for index in missing:
            value = row.values[index]
            mark = SUPPRESSED_TEXT if value.suppressed else "–"
            drawing.add(String(chart.x + slot * (index + 0.5), chart.y + 3, mark,
                               fontName=font, fontSize=6, fillColor=TEXT_COLOUR,
                               textAnchor="middle"))
    return drawing


def nice_axis(values: Sequence[float]) -> tuple[float, float, float]:
    """An axis from zero (or the lowest negative value) to a round top, in 3–5 steps of
    1, 2, 2,5 or 5 times a power of ten."""
    low = min([0.0, *values])
    high = max([0.0, *values])
    if high == low:
        high = low + 1.0
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return (math.floor(low / step) * step, math.ceil(high / step) * step, step)


def month_axis_labels(months: Sequence[str]) -> list[str]:
    """``jan``, ``feb``, …; when the months span years, each January and the first month
    carry the year too (``jan 26``)."""
    years = {key[:4] for key in months}
    labels = []
    for index, key in enumerate(months):
        label = month_label(key).split()[0]
        if len(years) > 1 and (index == 0 or key.endswith("-01")):
            label += f" {key[2:4]}"
        labels.append(label)
    return labels


def _wrap(text: str, width: float, size: float) -> list[str]:
    """The title in at most two lines that fit ``width`` (the second cut with "…")."""
    limit = max(int(width / (size * 0.6)) - 8, 12)
    lines: list[str] = [""]
    for word in text.split():
        if lines[-1] and len(lines[-1]) + 1 + len(word) > limit:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])[: limit - 1] + "…"]
    return lines
