"""The report to the committee (återrapportering till nämnden): its content, the keys of
the texts a manager writes, and the rule that an issued version is frozen.

The content is everything the PDF and the XLSX show, assembled once when a report is
previewed or issued: the document header (as in the municipality's plans: document type,
deciding body, diarienummer, validity, responsible), the written sections, the action
table with status, the key figures per month with a total and a comment, and count
tables with small counts suppressed. The renderers (``insats.reports.committee_pdf`` and
``committee_xlsx``) only lay it out, so the numbers a reader sees are those formatted here.

The content serialises to JSON deterministically (sorted keys, Decimal as text), and its
SHA-256 is stored with an issued version: the stored content, PDF and XLSX of a version
are never rewritten (the database refuses UPDATE and DELETE), and ``IssuedVersion.verify``
checks that the content still matches its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from insats.domain.calendar import STOCKHOLM
from insats.domain.common import DomainError, add_months
from insats.domain.figure_catalogue import DEFINITION_BY_CODE, FigureCode
from insats.domain.formatting import NBSP, format_number

CONTENT_FORMAT = 1
"""The version of the JSON layout below; an issued version keeps the one it was made with."""

SUPPRESSED_TEXT = "<5"
MISSING_TEXT = "–"

# --- the subjects a manager writes about ----------------------------------------------------
SECTION_INTRODUCTION = "section:introduction"
SECTION_BACKGROUND = "section:background"
SECTION_NEXT_STEPS = "section:next_steps"
SECTION_SUBJECTS: tuple[str, ...] = (SECTION_INTRODUCTION, SECTION_BACKGROUND,
                                     SECTION_NEXT_STEPS)
SECTION_TITLES: dict[str, str] = {
    SECTION_INTRODUCTION: "Inledning",
    SECTION_BACKGROUND: "Bakgrund",
    SECTION_NEXT_STEPS: "Fortsatt arbete",
}
MAX_TEXT_LENGTH = 20_000


def action_subject(action_id: str) -> str:
    return f"action:{action_id}"


def figure_subject(code: str) -> str:
    return f"figure:{code}"


def check_subject(subject: str) -> str:
    """The subject if it is one a text may be written for; otherwise a DomainError."""
    kind, _, key = subject.partition(":")
    if subject in SECTION_SUBJECTS or (kind in ("action", "figure") and key.strip()
                                       and len(subject) <= 100):
        return subject
    raise DomainError("report.subject", f"Okänt avsnitt för text: {subject[:100]}.")


def check_text(text: str) -> str:
    """The text as stored: line endings normalised, trailing space removed."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise DomainError("report.text_length",
                          f"Texten är för lång (högst {MAX_TEXT_LENGTH} tecken).")
    return cleaned


# --- figure groups (one heading and table per group in the report) -------------------------
_GROUPS: tuple[tuple[str, tuple[FigureCode, ...]], ...] = (
    ("Ekonomi", (FigureCode.BUDGET, FigureCode.OUTCOME, FigureCode.BUDGET_DEVIATION,
                 FigureCode.YEAR_END_FORECAST, FigureCode.COST_PER_CLIENT,
                 FigureCode.NET_COST_PER_HOUR)),
    ("Timmar mot beslut", (FigureCode.GRANTED_HOURS, FigureCode.PERFORMED_HOURS,
                           FigureCode.HOURS_BEYOND_GRANTED, FigureCode.COST_BEYOND_GRANTED)),
    ("Intäkter", (FigureCode.FK_REVENUE_BILLED, FigureCode.FK_REVENUE_AT_RISK)),
    ("Bemanning", (FigureCode.OVERTIME_HOURS, FigureCode.OVERTIME_COST,
                   FigureCode.SUBSTITUTE_HOURS, FigureCode.SUBSTITUTE_COST,
                   FigureCode.MEETING_TRAINING_HOURS, FigureCode.MEETING_TRAINING_COST)),
    ("Sjukfrånvaro", (FigureCode.SICK_RATE_SHORT, FigureCode.SICK_RATE_LONG)),
    ("Kvalitet och jämförelser", (FigureCode.ASSISTANTS_PER_CLIENT,
                                  FigureCode.CLIENTS_ON_1_OCTOBER, FigureCode.KOLADA_N28006)),
)
FIGURE_GROUP: dict[str, str] = {code.value: group for group, codes in _GROUPS
                                for code in codes}
OTHER_GROUP = "Övrigt"


def figure_group(code: str) -> str:
    return FIGURE_GROUP.get(code, OTHER_GROUP)


# --- period --------------------------------------------------------------------------------
def month_keys(start: dt.date, end: dt.date) -> tuple[str, ...]:
    """The months ``[start, end)`` as ``2026-01`` keys."""
    keys: list[str] = []
    month = start.replace(day=1)
    while month < end:
        keys.append(f"{month.year}-{month.month:02d}")
        month = add_months(month, 1)
    return tuple(keys)


MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
               "september", "oktober", "november", "december")
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
                       "nov", "dec")


def month_label(key: str) -> str:
    """``2026-03`` → ``mar 2026``."""
    year, month = key.split("-")
    return f"{MONTH_ABBREVIATIONS[int(month) - 1]} {year}"


def period_label(start: dt.date, end: dt.date) -> str:
    """``januari–oktober 2026`` (or across years ``november 2025–februari 2026``)."""
    last = end - dt.timedelta(days=1)
    if start.year == last.year:
        if start.month == last.month:
            return f"{MONTH_NAMES[start.month - 1]} {start.year}"
        return f"{MONTH_NAMES[start.month - 1]}–{MONTH_NAMES[last.month - 1]} {last.year}"
    return (f"{MONTH_NAMES[start.month - 1]} {start.year}–"
            f"{MONTH_NAMES[last.month - 1]} {last.year}")


# --- values --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FigureValue:
    """A key figure's value in one month (or the total): a number, none (no basis) or
    suppressed (a count under five, or one that would give such a count back)."""

    value: Decimal | None = None
    suppressed: bool = False

    def to_json(self) -> Any:
        if self.suppressed:
            return "suppressed"
        return None if self.value is None else str(self.value)

    @classmethod
    def from_json(cls, data: Any) -> FigureValue:
        if data == "suppressed":
            return cls(None, True)
        return cls(None if data is None else Decimal(data))


def format_value(value: FigureValue, unit: str, decimals: int = 0, *,
                 with_unit: bool = True) -> str:
    """A figure as the committee reads it: ``1 234 kr``, ``8,4 %``, ``<5``, ``–``."""
    if value.suppressed:
        return SUPPRESSED_TEXT
    if value.value is None:
        return MISSING_TEXT
    text = format_number(float(value.value), decimals).replace("-", "−")
    if not with_unit or unit in ("", "antal"):
        return text
    return f"{text}{NBSP}{unit}"


def describe_target(code: str, baseline: Decimal, target: Decimal, by: dt.date) -> str:
    """``Övertid och mertid, timmar: från 2 120 till 1 500 tim senast 2026-12-31``, in the
    figure's own name, unit and decimals."""
    known = DEFINITION_BY_CODE.get(FigureCode(code)) if code in FIGURE_GROUP else None
    name, unit, decimals = ((known.name, known.unit.value, known.decimals) if known
                            else (code, "", 0))
    return (f"{name}: från {format_value(FigureValue(baseline), unit, decimals, with_unit=False)}"
            f" till {format_value(FigureValue(target), unit, decimals)} senast {by.isoformat()}")


def format_count(count: int | None) -> str:
    """A count from a suppressed table: ``<5`` when hidden."""
    return SUPPRESSED_TEXT if count is None else format_number(count)


def stockholm_day(at: dt.datetime) -> dt.date:
    return at.astimezone(STOCKHOLM).date()


# --- content -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReportHeader:
    """The document block on the first page, as in the municipality's plans."""

    title: str
    document_type: str  # Typ av styrdokument, e.g. "Återrapportering"
    deciding_body: str  # Beslutande instans
    diarienummer: str
    applies_to: str  # Gäller för: the department or a unit
    validity: str  # Giltighetstid
    responsible: str  # Dokumentansvarig
    period_start: dt.date
    period_end: dt.date  # exclusive
    department: str = ""

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One action of the plan as of the report: status, owner, next follow-up, comment."""

    id: str
    activity: str
    measure: str
    status: str  # the Swedish label, e.g. "Pågår"
    owner: str
    follow_up_on: dt.date | None
    comment: str = ""
    latest_follow_up: str = ""  # the last follow-up note, if any
    targets: str = ""  # the key-figure targets, e.g. "Övertid: 1 200 → 900 h till 2026-12-31"

    @property
    def subject(self) -> str:
        return action_subject(self.id)


@dataclass(frozen=True, slots=True)
class FigureRow:
    """A key figure over the period's months with its total (or period value) and the
    manager's comment. ``group`` gathers figures drawn in one chart."""

    code: str
    name: str
    unit: str
    group: str
    values: tuple[FigureValue, ...]  # one per month of the content
    total: FigureValue  # the sum, or for a rate the rate over the whole period
    comment: str = ""
    decimals: int = 0

    @property
    def subject(self) -> str:
        return figure_subject(self.code)

    def formatted(self, *, with_unit: bool = True) -> list[str]:
        """The months' values and then the total, as shown."""
        return [format_value(v, self.unit, self.decimals, with_unit=with_unit)
                for v in (*self.values, self.total)]


@dataclass(frozen=True, slots=True)
class CountTable:
    """Counts by row (unit) and column (month) with counts of 1–4 hidden, also where a
    total would give one back; ``None`` is shown as "<5"."""

    title: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    grand_total: int | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReportContent:
    """Everything an issued report shows; frozen and serialisable."""

    header: ReportHeader
    months: tuple[str, ...]
    sections: Mapping[str, str]  # SECTION_* → text
    actions: tuple[ActionRow, ...]
    figures: tuple[FigureRow, ...]
    count_tables: tuple[CountTable, ...] = ()
    generated_at: dt.datetime | None = None  # the issue time (fixes the PDF's dates)
    version_number: int | None = None  # None for a preview
    issued_by: str = ""

    def section(self, subject: str) -> str:
        return self.sections.get(subject, "")

    @property
    def figure_groups(self) -> list[tuple[str, list[FigureRow]]]:
        """The figures by group, in the order the groups first appear."""
        groups: dict[str, list[FigureRow]] = {}
        for row in self.figures:
            groups.setdefault(row.group, []).append(row)
        return list(groups.items())

    def with_texts(self, texts: Mapping[str, str]) -> ReportContent:
        """The content with the manager's texts (by subject) filled in."""
        return replace(
            self,
            sections={s: texts.get(s, "") for s in SECTION_SUBJECTS},
            actions=tuple(replace(a, comment=texts.get(a.subject, "")) for a in self.actions),
            figures=tuple(replace(f, comment=texts.get(f.subject, "")) for f in self.figures),
        )

    def as_issued(self, *, number: int, at: dt.datetime, by: str) -> ReportContent:
        return replace(self, version_number=number, generated_at=at, issued_by=by)

    @property
    def version_line(self) -> str:
        """``Version 2, utfärdad 2026-11-05 av Anna Berg`` (Stockholm date), or the preview
        note."""
        if self.version_number is None or self.generated_at is None:
            return "Förhandsgranskning – ej utfärdad"
        day = stockholm_day(self.generated_at)
        return f"Version {self.version_number}, utfärdad {day.isoformat()} av {self.issued_by}"

    @property
    def subjects(self) -> list[str]:
        """Every subject a text can be written for, in the report's order."""
        return ([*SECTION_SUBJECTS[:2]] + [a.subject for a in self.actions]
                + [f.subject for f in self.figures] + [SECTION_NEXT_STEPS])

    # --- JSON --------------------------------------------------------------------------
    def to_json(self) -> str:
        """Deterministic JSON (sorted keys, no whitespace variation)."""
        return json.dumps(_content_dict(self), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))

    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, text: str) -> ReportContent:
        data = json.loads(text)
        if data.get("format") != CONTENT_FORMAT:
            raise DomainError("report.format", "Rapportens innehåll har ett okänt format.")
        return _content_from(data)


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _content_dict(content: ReportContent) -> dict[str, Any]:
    h = content.header
    return {
        "format": CONTENT_FORMAT,
        "header": {
            "title": h.title, "document_type": h.document_type,
            "deciding_body": h.deciding_body, "diarienummer": h.diarienummer,
            "applies_to": h.applies_to, "validity": h.validity, "responsible": h.responsible,
            "period_start": h.period_start.isoformat(), "period_end": h.period_end.isoformat(),
            "department": h.department,
        },
        "months": list(content.months),
        "sections": dict(content.sections),
        "actions": [{
            "id": a.id, "activity": a.activity, "measure": a.measure, "status": a.status,
            "owner": a.owner, "follow_up_on": _date(a.follow_up_on), "comment": a.comment,
            "latest_follow_up": a.latest_follow_up, "targets": a.targets,
        } for a in content.actions],
        "figures": [{
            "code": f.code, "name": f.name, "unit": f.unit, "group": f.group,
            "values": [v.to_json() for v in f.values], "total": f.total.to_json(),
            "comment": f.comment, "decimals": f.decimals,
        } for f in content.figures],
        "count_tables": [{
            "title": t.title, "row_labels": list(t.row_labels),
            "column_labels": list(t.column_labels), "cells": [list(r) for r in t.cells],
            "row_totals": list(t.row_totals), "column_totals": list(t.column_totals),
            "grand_total": t.grand_total, "note": t.note,
        } for t in content.count_tables],
        "generated_at": (None if content.generated_at is None
                         else content.generated_at.astimezone(dt.UTC).isoformat()),
        "version_number": content.version_number,
        "issued_by": content.issued_by,
    }


def _content_from(data: dict[str, Any]) -> ReportContent:
    h = data["header"]
    header = ReportHeader(
        title=h["title"], document_type=h["document_type"], deciding_body=h["deciding_body"],
        diarienummer=h["diarienummer"], applies_to=h["applies_to"], validity=h["validity"],
        responsible=h["responsible"], period_start=dt.date.fromisoformat(h["period_start"]),
        period_end=dt.date.fromisoformat(h["period_end"]), department=h.get("department", ""))
    generated = data.get("generated_at")
    return ReportContent(
        header=header,
        months=tuple(data["months"]),
        sections=dict(data["sections"]),
        actions=tuple(ActionRow(
            id=a["id"], activity=a["activity"], measure=a["measure"], status=a["status"],
            owner=a["owner"], follow_up_on=_parse_date(a["follow_up_on"]),
            comment=a["comment"], latest_follow_up=a["latest_follow_up"],
            targets=a["targets"])
            for a in data["actions"]),
        figures=tuple(FigureRow(
            code=f["code"], name=f["name"], unit=f["unit"], group=f["group"],
            values=tuple(FigureValue.from_json(v) for v in f["values"]),
            total=FigureValue.from_json(f["total"]), comment=f["comment"],
            decimals=f["decimals"])
            for f in data["figures"]),
        count_tables=tuple(CountTable(
            title=t["title"], row_labels=tuple(t["row_labels"]),
            column_labels=tuple(t["column_labels"]),
            cells=tuple(tuple(r) for r in t["cells"]), row_totals=tuple(t["row_totals"]),
            column_totals=tuple(t["column_totals"]), grand_total=t["grand_total"],
            note=t.get("note", ""))
            for t in data.get("count_tables", [])),
        generated_at=None if generated is None else dt.datetime.fromisoformat(generated),
        version_number=data.get("version_number"),
        issued_by=data.get("issued_by", ""),
    )


# --- the report being written --------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CommitteeReport:
    """A report being written: its scope (a unit, or the department when None), period and
    document header. Texts are kept per subject (:class:`ReportText`); issuing freezes a
    copy of everything as a new :class:`IssuedVersion`."""

    id: str
    title: str
    scope_unit_id: str | None
    period_start: dt.date
    period_end: dt.date  # exclusive
    document_type: str
    deciding_body: str
    diarienummer: str
    validity: str
    responsible: str
    created_at: dt.datetime
    created_by: str

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise DomainError("report.title", "Rapporten behöver en rubrik.")
        if self.period_end <= self.period_start:
            raise DomainError("report.period", "Periodens slut ligger före dess början.")

    @property
    def months(self) -> tuple[str, ...]:
        return month_keys(self.period_start, self.period_end)


@dataclass(frozen=True, slots=True)
class ReportText:
    """What the manager wrote for one subject of a report."""

    id: str
    report_id: str
    subject: str
    text: str
    updated_at: dt.datetime
    updated_by: str
    version: int = 0  # the stored version (0 before the first save)


# --- issued versions -----------------------------------------------------------------------
class IssuedReportFrozen(DomainError):
    def __init__(self, number: int) -> None:
        super().__init__("report.issued_frozen",
                         f"Version {number} är utfärdad och kan inte ändras. Skriv om texten "
                         "i utkastet och utfärda en ny version.")


@dataclass(frozen=True, slots=True)
class IssuedVersion:
    """An issued version: number, who and when, the frozen content and its documents."""

    id: str
    report_id: str
    number: int
    issued_at: dt.datetime
    issued_by: str
    content_json: str
    content_sha256: str

    @property
    def content(self) -> ReportContent:
        return ReportContent.from_json(self.content_json)

    def verify(self) -> None:
        """Raise when the stored content no longer matches the hash taken at issue."""
        actual = hashlib.sha256(self.content_json.encode("utf-8")).hexdigest()
        if actual != self.content_sha256:
            raise DomainError("report.tampered", f"Version {self.number} stämmer inte med "
                              "sin kontrollsumma; innehållet har ändrats efter utfärdandet.")

    def amend(self) -> None:
        """An issued version is never changed: correct the draft and issue a new version."""
        raise IssuedReportFrozen(self.number)


def next_version_number(numbers: Iterable[int]) -> int:
    return max(numbers, default=0) + 1


def suppress_note(tables: Sequence[CountTable]) -> str:
    """The sentence under count tables that explains "<5"."""
    if not tables:
        return ""
    return ("Antal under fem visas som \"<5\". Där en summa skulle avslöja ett dolt antal "
            "döljs även ett ytterligare antal.")
