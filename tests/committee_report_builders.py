"""Builders for committee-report content (plain functions, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from insats.domain.committee_report import (
    SECTION_BACKGROUND,
    SECTION_INTRODUCTION,
    SECTION_NEXT_STEPS,
    ActionRow,
    CountTable,
    FigureRow,
    FigureValue,
    ReportContent,
    ReportHeader,
    month_keys,
)


def sample_content(*, months: int = 10) -> ReportContent:
    start = dt.date(2026, 1, 1)
    end = dt.date(2026 + (months) // 12, (months % 12) + 1, 1)
    keys = month_keys(start, end)
    header = ReportHeader(
        title="Återrapportering av handlingsplaner", document_type="Återrapportering",
        deciding_body="Vård- och omsorgsnämnden", diarienummer="2026.123 VON",
        applies_to="Avdelningen för personlig assistans och stöd", validity="Tills vidare",
        responsible="AC Pers. assistans och stöd", period_start=start, period_end=end,
        department="Personlig assistans och stöd")

    def series(base: int, step: int) -> tuple[FigureValue, ...]:
        return tuple(FigureValue(Decimal(base + step * i)) for i in range(len(keys)))

    overtime = series(1200, -35)
    cost = tuple(FigureValue(Decimal(-12345 * (i + 1))) for i in range(len(keys)))
    sick = tuple(FigureValue(Decimal("8.4") - Decimal("0.2") * i) for i in range(len(keys)))
    counts = tuple(FigureValue(None, True) if i % 3 == 0 else FigureValue(Decimal(7 + i))
                   for i in range(len(keys)))
    figures = (
        FigureRow("overtime_hours", "Övertid", "tim", "Bemanning", overtime,
                  FigureValue(sum((v.value or Decimal(0) for v in overtime), Decimal(0))),
                  comment="Övertiden minskar sedan samordnarna planerar över enheterna."),
        FigureRow("budget_deviation_kr", "Budgetavvikelse", "kr", "Ekonomi", cost,
                  FigureValue(sum((v.value or Decimal(0) for v in cost), Decimal(0)))),
        FigureRow("sick_rate_short_pct", "Sjukfrånvaro dag 1–14", "%", "Bemanning", sick,
                  FigureValue(Decimal("7.5")), decimals=1),
        FigureRow("clients_new", "Nya brukare", "antal", "Kvalitet", counts,
                  FigureValue(None, True)),
    )
    actions = (
        ActionRow("A01", "Ej utföra mer tid än beviljad", "Bemanna efter beslut", "Pågår",
                  "EC pers. ass", dt.date(2026, 4, 1)),
        ActionRow("A02", "Införa raster", "Schemalägga raster anpassat efter verksamhet",
                  "Klar", "EC korttidsvistelse", None,
                  latest_follow_up="Raster är schemalagda på alla enheter."),
    )
    table = CountTable("Brukare per enhet", ("Enhet Väst", "Enhet Öst"), ("jan", "feb"),
                       ((12, None), (6, 9)), (None, 15), (18, None), None)
    content = ReportContent(header=header, months=keys, sections={}, actions=actions,
                            figures=figures, count_tables=(table,))
    return content.with_texts({
        SECTION_INTRODUCTION: "Nämnden gav förvaltningen i uppdrag att följa upp "
                              "handlingsplanerna på enhetsnivå.",
        SECTION_BACKGROUND: "Bokslutet visade underskott.\n\nAvdelningen arbetar vidare.",
        SECTION_NEXT_STEPS: "- Följa beslutade timmar\n- Sänka sjukfrånvaron − 1 %",
        "action:A01": "Månadsuppföljning med EC och AC.",
        "figure:overtime_hours": "Övertiden minskar sedan samordnarna planerar över "
                                 "enheterna.",
    })
