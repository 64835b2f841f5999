"""The committee report as PDF, in the style of the municipality's plans (seed 001): a
document block on the first page (document type, deciding body, diarienummer, applies to,
validity, responsible), a table of contents with page numbers, numbered sections, the
action table with status, the key figures per month with charts and comments, and what
happens next.

The text is set in Bitstream Vera (shipped with reportlab, embedded), so å ä ö – − render
and can be extracted. Output is deterministic: the PDF's dates are the content's issue
time (or a fixed date for a preview) and its id is derived from the content.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from insats.domain.committee_report import (
    SECTION_BACKGROUND,
    SECTION_INTRODUCTION,
    SECTION_NEXT_STEPS,
    SECTION_TITLES,
    CountTable,
    FigureRow,
    ReportContent,
    format_count,
    month_label,
    suppress_note,
)
from insats.reports.pdf_charts import figure_chart

FONT, BOLD, ITALIC = "InsatsVera", "InsatsVera-Bold", "InsatsVera-Italic"
PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 22 * mm, 22 * mm, 20 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
ACCENT = colors.HexColor("#1f3f66")
HEAD_FILL = colors.HexColor("#e6edf5")
LINE = colors.HexColor("#9aa7b4")
PREVIEW_DAY = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FIGURE_COLUMNS_PER_TABLE = 4
CHART_H = 52 * mm


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf"),
                       (f"{FONT}-BoldItalic", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC,
                                  boldItalic=f"{FONT}-BoldItalic")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=6,
                          bulletFontName=FONT)
    return {
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, fontName=ITALIC,
                                textColor=colors.HexColor("#555555")),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=22,
                                leading=28, textColor=ACCENT, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontName=BOLD, fontSize=14,
                                   leading=18, spaceAfter=18),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=14, leading=18,
                             spaceBefore=10, spaceAfter=8, textColor=ACCENT),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14,
                             spaceBefore=8, spaceAfter=4),
        "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=10, leading=13,
                             spaceBefore=4, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=BOLD, fontSize=8,
                                    leading=10, spaceAfter=0),
        "num": ParagraphStyle("num", parent=base, fontSize=8, leading=10, spaceAfter=0,
                              alignment=TA_RIGHT),
        "num_bold": ParagraphStyle("num_bold", parent=base, fontName=BOLD, fontSize=8,
                                   leading=10, spaceAfter=0, alignment=TA_RIGHT),
        "toc0": ParagraphStyle("toc0", parent=base, fontSize=10, leading=16, leftIndent=0),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=9, leading=13, leftIndent=14),
        "meta_label": ParagraphStyle("meta_label", parent=base, fontName=BOLD, spaceAfter=0),
        "meta": ParagraphStyle("meta", parent=base, spaceAfter=0),
    }


class _Document(BaseDocTemplate):  # type: ignore[misc]  # reportlab has no types
    """A document that feeds headings into the table of contents and the PDF outline."""

    def __init__(self, buffer: io.BytesIO, content: ReportContent) -> None:
        header = content.header
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                         title=header.title, author=header.responsible,
                         subject=f"{header.document_type} {header.diarienummer}",
                         creator="Insats", invariant=True)
        self.content = content
        self.heading_count = 0
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                            onPage=self._decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name in ("h1", "h2"):
            level = 0 if flowable.style.name == "h1" else 1
            text = flowable.getPlainText()
            self.heading_count += 1
            key = f"h{self.heading_count}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, text, self.page, key))

    def beforeDocument(self) -> None:
        self.heading_count = 0

    def _decorate(self, canvas: Canvas, doc: Any) -> None:
        _fix_timestamp(canvas, self.content.generated_at or PREVIEW_DAY)
        header = self.content.header
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, MARGIN_BOTTOM - 6 * mm, PAGE_W - MARGIN_X, MARGIN_BOTTOM - 6 * mm)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        number = self.content.version_number
        parts = [header.document_type, header.diarienummer,
                 f"version {number}" if number is not None else "förhandsgranskning"]
        left = " · ".join(part for part in parts if part)
        canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 10 * mm, left)
        if doc.page > 1:
            canvas.drawString(MARGIN_X, PAGE_H - MARGIN_TOP + 8 * mm, header.title)
            canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - MARGIN_TOP + 8 * mm,
                                   header.period_label)
        canvas.restoreState()


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no types
    """A canvas that writes "Sida 3 av 12" once the number of pages is known: each page's
    drawing is kept until the document is saved."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 10 * mm,
                                 f"Sida {self._pageNumber} av {total}")
            self.restoreState()
            super().showPage()
        super().save()


def _fix_timestamp(canvas: Canvas, at: dt.datetime) -> None:
    """The PDF's creation and modification dates: the issue time, not the clock."""
    stamp = TimeStamp(invariant=True)
    utc = at.astimezone(dt.UTC)
    stamp.t = utc.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    canvas._doc._timeStamp = stamp


def committee_pdf(content: ReportContent) -> bytes:
    """The report as PDF bytes."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    document = _Document(buffer, content)
    story = _story(content, styles)
    document.multiBuild(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


# --- the story ----------------------------------------------------------------------------
def _story(content: ReportContent, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    story += _title_page(content, s)
    toc = TableOfContents(levelStyles=[s["toc0"], s["toc1"]], dotsMinLevel=0)
    story += [Paragraph("Innehåll", s["subtitle"]), toc, PageBreak()]
    story += _text_section(1, SECTION_TITLES[SECTION_INTRODUCTION],
                           content.section(SECTION_INTRODUCTION), s)
    story += _text_section(2, SECTION_TITLES[SECTION_BACKGROUND],
                           content.section(SECTION_BACKGROUND), s)
    story += _actions(content, s)
    story += _figures(content, s)
    story += _text_section(5, SECTION_TITLES[SECTION_NEXT_STEPS],
                           content.section(SECTION_NEXT_STEPS), s)
    return story


def _title_page(content: ReportContent, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    h = content.header
    rows = [
        ("Typ av styrdokument", h.document_type), ("Beslutande instans", h.deciding_body),
        ("Datum för beslut", ""), ("Diarienummer", h.diarienummer),
        ("Gäller för", h.applies_to), ("Period", h.period_label),
        ("Giltighetstid", h.validity), ("Dokumentansvarig", h.responsible),
        ("Version", content.version_line),
    ]
    table = Table([[Paragraph(f"{escape(label)}:", s["meta_label"]),
                    Paragraph(escape(value), s["meta"])] for label, value in rows],
                  colWidths=[48 * mm, BODY_W - 48 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    rule = Table([[""]], colWidths=[BODY_W], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT)]))
    return [Spacer(1, 30 * mm), Paragraph(escape(h.title), s["title"]),
            Paragraph(escape(h.department or h.applies_to), s["subtitle"]), rule,
            Spacer(1, 8 * mm), table, PageBreak()]


def _paragraphs(text: str, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The manager's text: blank lines separate paragraphs, lines starting "- " or "• "
    are bullets."""
    if not text.strip():
        return [Paragraph("Ingen text har skrivits för avsnittet.", s["muted"])]
    flowables: list[Flowable] = []
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        bullets = [line for line in lines if line.startswith(("- ", "• ", "* "))]
        if lines and len(bullets) == len(lines):
            for line in lines:
                flowables.append(Paragraph(escape(line[2:].strip()), s["body"],
                                           bulletText="•"))
        elif lines:
            flowables.append(Paragraph("<br/>".join(escape(line) for line in lines),
                                       s["body"]))
    return flowables


def _text_section(number: int, title: str, text: str,
                  s: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [Paragraph(f"{number}. {escape(title)}", s["h1"]), *_paragraphs(text, s)]


def _grid(header_rows: int = 1, *, total_row: bool = False) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, header_rows - 1), 0.8, ACCENT),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.3, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        commands += [("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)]
    return TableStyle(commands)


def _actions(content: ReportContent, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("3. Åtgärder", s["h1"])]
    if not content.actions:
        return [*story, Paragraph("Handlingsplanen har inga åtgärder för omfattningen.",
                                  s["muted"])]
    counts: dict[str, int] = {}
    for action in content.actions:
        counts[action.status] = counts.get(action.status, 0) + 1
    summary = ", ".join(f"{n} {status.lower()}" for status, n in counts.items())
    story.append(Paragraph(f"Handlingsplanen har {len(content.actions)} åtgärder: "
                           f"{escape(summary)}.", s["body"]))
    head = ["Aktivitet", "Åtgärd", "Status", "Ansvarig", "Uppföljning", "Kommentar"]
    rows: list[list[Any]] = [[Paragraph(h, s["cell_bold"]) for h in head]]
    for a in content.actions:
        comment = escape(a.comment or a.latest_follow_up).replace("\n", "<br/>")
        if a.targets:
            comment += ("<br/>" if comment else "") + f"<i>Mål: {escape(a.targets)}</i>"
        rows.append([
            Paragraph(escape(a.activity), s["cell"]), Paragraph(escape(a.measure), s["cell"]),
            Paragraph(f"<b>{escape(a.status)}</b>", s["cell"]),
            Paragraph(escape(a.owner), s["cell"]),
            Paragraph(a.follow_up_on.isoformat() if a.follow_up_on else "–", s["cell"]),
            Paragraph(comment, s["cell"]),
        ])
    widths = [29 * mm, 29 * mm, 17 * mm, 20 * mm, 21 * mm]
    widths.append(BODY_W - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_grid())
    story.append(table)
    return story


def _figures(content: ReportContent, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    h = content.header
    story: list[Flowable] = [
        CondPageBreak(60 * mm), Paragraph("4. Nyckeltal", s["h1"]),
        Paragraph(f"Nyckeltalen avser {escape(h.applies_to)}, {escape(h.period_label)}, per "
                  "månad. Belopp i kronor, tid i timmar. Antal under fem redovisas som "
                  "\"&lt;5\" och ett streck betyder att underlag saknas.", s["body"]),
    ]
    for index, (group, rows) in enumerate(content.figure_groups, start=1):
        story.append(CondPageBreak(70 * mm))
        story.append(Paragraph(f"4.{index} {escape(group)}", s["h2"]))
        for start in range(0, len(rows), FIGURE_COLUMNS_PER_TABLE):
            story.append(KeepTogether([_figure_table(
                content.months, rows[start:start + FIGURE_COLUMNS_PER_TABLE], s)]))
            story.append(Spacer(1, 4 * mm))
        story += _charts(content.months, rows)
        story += _comments(rows, s)
    offset = len(content.figure_groups)
    for index, table in enumerate(content.count_tables, start=offset + 1):
        story.append(CondPageBreak(50 * mm))
        story.append(Paragraph(f"4.{index} {escape(table.title)}", s["h2"]))
        story.append(_count_table(table, s))
        note = table.note or suppress_note(content.count_tables)
        story += [Spacer(1, 2 * mm), Paragraph(escape(note), s["muted"])]
    return story


def _figure_table(months: Sequence[str], rows: Sequence[FigureRow],
                  s: dict[str, ParagraphStyle]) -> Table:
    head = [Paragraph("Månad", s["cell_bold"])] + [
        Paragraph(escape(f"{r.name} ({r.unit})" if r.unit else r.name), s["num_bold"])
        for r in rows]
    shown = [r.formatted(with_unit=False) for r in rows]
    body: list[list[Any]] = [head]
    for index, key in enumerate(months):
        body.append([Paragraph(month_label(key), s["cell"])]
                    + [Paragraph(escape(values[index]), s["num"]) for values in shown])
    body.append([Paragraph("Hela perioden", s["cell_bold"])]
                + [Paragraph(escape(values[-1]), s["num_bold"]) for values in shown])
    first = 26 * mm
    other = (BODY_W - first) / FIGURE_COLUMNS_PER_TABLE
    table = Table(body, colWidths=[first] + [other] * len(rows), repeatRows=1, hAlign="LEFT")
    table.setStyle(_grid(total_row=True))
    return table


def _charts(months: Sequence[str], rows: Sequence[FigureRow]) -> list[Flowable]:
    width = (BODY_W - 6 * mm) / 2
    drawings = [figure_chart(r, months, width=width, height=CHART_H, font=FONT, bold_font=BOLD)
                for r in rows if _worth_a_chart(r)]
    story: list[Flowable] = []
    for start in range(0, len(drawings), 2):
        pair: list[Any] = list(drawings[start:start + 2])
        if len(pair) == 1:
            pair.append("")
        grid = Table([pair], colWidths=[width + 6 * mm, width], hAlign="LEFT")
        grid.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        story.append(grid)
    return story


def _worth_a_chart(row: FigureRow) -> bool:
    """A chart shows a series: at least two months with a value, not all of them zero (the
    table already says so)."""
    numbers = [v.value for v in row.values if v.value is not None]
    return len(numbers) > 1 and any(numbers)


def _comments(rows: Sequence[FigureRow], s: dict[str, ParagraphStyle]) -> list[Flowable]:
    written = [r for r in rows if r.comment.strip()]
    if not written:
        return []
    story: list[Flowable] = [Paragraph("Kommentarer", s["h3"])]
    for row in written:
        story.append(KeepTogether([Paragraph(
            f"<b>{escape(row.name)}:</b> " + escape(row.comment).replace("\n", "<br/>"),
            s["body"])]))
    return story


def _count_table(table: CountTable, s: dict[str, ParagraphStyle]) -> Table:
    head = [Paragraph("Enhet", s["cell_bold"])] + [
        Paragraph(escape(label), s["num_bold"]) for label in table.column_labels
    ] + [Paragraph("Totalt", s["num_bold"])]
    body: list[list[Any]] = [head]
    for label, cells, total in zip(table.row_labels, table.cells, table.row_totals,
                                   strict=True):
        body.append([Paragraph(escape(label), s["cell"])]
                    + [Paragraph(escape(format_count(c)), s["num"]) for c in cells]
                    + [Paragraph(escape(format_count(total)), s["num_bold"])])
    body.append([Paragraph("Totalt", s["cell_bold"])]
                + [Paragraph(escape(format_count(c)), s["num_bold"])
                   for c in table.column_totals]
                + [Paragraph(escape(format_count(table.grand_total)), s["num_bold"])])
    first, total = 44 * mm, 16 * mm
    other = (BODY_W - first - total) / max(len(table.column_labels), 1)
    result = Table(body, colWidths=[first] + [other] * len(table.column_labels) + [total],
                   repeatRows=1, hAlign="LEFT")
    result.setStyle(_grid(total_row=True))
    return result
