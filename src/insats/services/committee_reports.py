"""Use cases of the report to the committee (issue 7): create a draft for a period and a
scope, write its texts, preview it, issue it as an immutable version, and read issued
versions.

Who may do what (``domain.access``): every role reads issued versions (VIEW_REPORTS);
drafts are written by the avdelningschef and by an enhetschef for a report scoped to one
of their units (WRITE_REPORTS); only the avdelningschef issues (ISSUE_REPORTS). Roles that
do not write see only reports with an issued version.

The report is shown to the committee, so its key figures are always read as the
committee (nämnd) sees them, whoever builds it: counts of 1–4 and the cells that would
give them back are suppressed (``domain.disclosure``), and the report holds aggregates
only, no client data. Issuing assembles the content from the figures, the action plan
and the texts, renders PDF and XLSX and stores them as version n+1 in one transaction;
stored versions are never changed (the database refuses UPDATE and DELETE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from insats.db.repositories import key_figures as figure_queries
from insats.db.repositories._base import NotFoundError, StaleVersionError
from insats.db.repositories.committee_reports import DocumentKind
from insats.domain.access import AccessDenied, Caller, Capability, Role, Viewer
from insats.domain.committee_report import (
    SECTION_NEXT_STEPS,
    SECTION_SUBJECTS,
    SECTION_TITLES,
    ActionRow,
    CommitteeReport,
    CountTable,
    FigureRow,
    FigureValue,
    IssuedVersion,
    ReportContent,
    ReportHeader,
    ReportText,
    action_subject,
    check_subject,
    check_text,
    describe_target,
    figure_group,
    figure_subject,
    month_keys,
    month_label,
    next_version_number,
    period_label,
)
from insats.domain.common import DomainError
from insats.domain.disclosure import SuppressedTable, suppress_table
from insats.domain.figure_catalogue import DEFINITIONS, TOTAL_KEY, FigureReport
from insats.domain.jobs import Job, JobKind
from insats.reports.committee_pdf import committee_pdf
from insats.reports.committee_xlsx import committee_xlsx
from insats.services.action_plans import DEPARTMENT_LEVEL, PlanItem, action_plan
from insats.services.jobs import new_job
from insats.services.key_figures import figure_report
from insats.services.overview import forget_figures
from insats.services.runtime import UowFactory
from insats.services.scope import require_department
from insats.services.uow import UnitOfWork

DEFAULT_TITLE = "Återrapportering av handlingsplaner"
DEFAULT_DOCUMENT_TYPE = "Återrapportering"
DEFAULT_DECIDING_BODY = "Vård- och omsorgsnämnden"
DEFAULT_VALIDITY = "Tills vidare"
CLIENT_TABLE_TITLE = "Brukare med beslut per enhet, sista dagen i månaden"


# --- views ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReportSummary:
    report: CommitteeReport
    scope_label: str
    issued: int  # versions issued
    can_write: bool


@dataclass(frozen=True, slots=True)
class DraftSubject:
    """One text of the draft: its subject, heading, the text and its stored version."""

    subject: str
    heading: str
    kind: str  # "section", "action" or "figure"
    text: str
    version: int
    hint: str = ""  # what the text is about: an action's status, a figure's formula


@dataclass(frozen=True)
class Draft:
    report: CommitteeReport
    report_version: int
    scope_label: str
    subjects: list[DraftSubject]
    versions: list[IssuedVersion]
    can_write: bool
    can_issue: bool

    @property
    def stamp(self) -> str:
        """A fingerprint of the texts' versions: issuing with it refuses texts changed since
        the issuer read them."""
        return texts_stamp({s.subject: s.version for s in self.subjects})


def texts_stamp(versions: Mapping[str, int]) -> str:
    parts = ",".join(f"{k}={v}" for k, v in sorted(versions.items()) if v)
    return hashlib.sha256(parts.encode()).hexdigest()[:16]


# --- access --------------------------------------------------------------------------------
def _may_write(viewer: Viewer, report: CommitteeReport) -> bool:
    if not viewer.can(Capability.WRITE_REPORTS):
        return False
    if viewer.department_wide:
        return True
    return report.scope_unit_id is not None and viewer.sees_unit(report.scope_unit_id)


def _require_write(viewer: Viewer, report: CommitteeReport) -> None:
    viewer.require(Capability.WRITE_REPORTS)
    if not _may_write(viewer, report):
        raise AccessDenied("Du kan bara skriva rapporter för dina egna enheter.")


def _get(uow: UnitOfWork, report_id: str) -> CommitteeReport:
    report = uow.committee_reports.get(report_id)
    if report is None:
        raise NotFoundError("Rapporten", report_id)
    return report


def _require_read(uow: UnitOfWork, viewer: Viewer, report: CommitteeReport) -> None:
    """Readers see a report with issued versions; writers see their drafts too."""
    viewer.require(Capability.VIEW_REPORTS)
    if _may_write(viewer, report):
        return
    if not uow.committee_reports.versions_of(report.id):
        raise NotFoundError("Rapporten", report.id)


def _scope_label(uow: UnitOfWork, report: CommitteeReport) -> str:
    if report.scope_unit_id is None:
        departments = uow.organisation.departments()
        return departments[0].name if departments else "Avdelningen"
    unit = uow.organisation.get(report.scope_unit_id)
    return unit.name if unit is not None else report.scope_unit_id


def as_committee(caller: Caller) -> Caller:
    """The caller as the committee sees figures (suppressed), for the report's content."""
    viewer = caller.viewer
    return replace(caller, viewer=Viewer(viewer.account_id, viewer.username,
                                         viewer.display_name, Role.COMMITTEE))


# --- drafts --------------------------------------------------------------------------------
def create_report(uow_factory: UowFactory, *, caller: Caller, start: dt.date, end: dt.date,
                  unit_id: str | None = None, title: str | None = None,
                  diarienummer: str = "", document_type: str | None = None,
                  deciding_body: str | None = None, validity: str | None = None,
                  responsible: str | None = None,
                  now: dt.datetime | None = None) -> CommitteeReport:
    """A new draft for ``[start, end)`` (whole months) and a unit or the department."""
    viewer = caller.viewer
    with uow_factory() as uow:
        departments = uow.organisation.departments()
        if not departments:
            require_department(uow)
        if unit_id is not None and uow.organisation.get(unit_id) is None:
            raise NotFoundError("Enheten", unit_id)
        report = CommitteeReport(
            id=f"R{uuid.uuid4().hex[:12]}", scope_unit_id=unit_id, period_start=start,
            period_end=end, created_at=now or dt.datetime.now(dt.UTC),
            created_by=viewer.username, **_header(
                title=title or DEFAULT_TITLE, diarienummer=diarienummer,
                document_type=document_type or DEFAULT_DOCUMENT_TYPE,
                deciding_body=deciding_body or DEFAULT_DECIDING_BODY,
                validity=validity or DEFAULT_VALIDITY,
                responsible=responsible or f"Avdelningschef, {departments[0].name}"))
        _require_write(viewer, report)
        uow.committee_reports.add(report)
        uow.commit()
    return report


HEADER_LIMITS = {"title": 200, "document_type": 100, "deciding_body": 200,
                 "diarienummer": 64, "validity": 100, "responsible": 200}


def _header(**fields: str) -> dict[str, str]:
    """The document block's fields, trimmed to what the columns hold."""
    return {name: fields[name].strip()[:limit] for name, limit in HEADER_LIMITS.items()}


def update_header(uow_factory: UowFactory, *, caller: Caller, report_id: str,
                  expected_version: int, title: str, document_type: str,
                  deciding_body: str, diarienummer: str, validity: str,
                  responsible: str) -> int:
    """Change the document block of a draft (period and scope stay); returns the report's
    new version. Issued versions keep the header they were issued with.

    Raises:
        StaleVersionError: someone changed the header after ``expected_version`` was read.
    """
    with uow_factory() as uow:
        report = _get(uow, report_id)
        _require_write(caller.viewer, report)
        h = _header(title=title, document_type=document_type, deciding_body=deciding_body,
                    diarienummer=diarienummer, validity=validity, responsible=responsible)
        changed = replace(report, title=h["title"], document_type=h["document_type"],
                          deciding_body=h["deciding_body"], diarienummer=h["diarienummer"],
                          validity=h["validity"], responsible=h["responsible"])
        version = uow.committee_reports.update(changed, expected_version=expected_version)
        uow.commit()
    return version


def find_or_create_report(uow_factory: UowFactory, *, caller: Caller, start: dt.date,
                          end: dt.date, unit_id: str | None = None) -> CommitteeReport:
    """The newest report with this period and scope, or a new draft (for the CLI)."""
    with uow_factory() as uow:
        for report in uow.committee_reports.all():
            if (report.period_start, report.period_end, report.scope_unit_id) == (
                    start, end, unit_id) and _may_write(caller.viewer, report):
                return report
    return create_report(uow_factory, caller=caller, start=start, end=end, unit_id=unit_id)


def list_reports(uow_factory: UowFactory, *, caller: Caller) -> list[ReportSummary]:
    viewer = caller.viewer
    viewer.require(Capability.VIEW_REPORTS)
    with uow_factory() as uow:
        issued = uow.committee_reports.issued_counts()
        return [ReportSummary(r, _scope_label(uow, r), issued.get(r.id, 0),
                              _may_write(viewer, r))
                for r in uow.committee_reports.all()
                if issued.get(r.id) or _may_write(viewer, r)]


def draft(uow_factory: UowFactory, *, caller: Caller, report_id: str) -> Draft:
    """The report with its issued versions and, for those who may write it, every text
    that can be written for it (readers see issued versions only, not draft texts)."""
    viewer = caller.viewer
    with uow_factory() as uow:
        report = _get(uow, report_id)
        _require_read(uow, viewer, report)
    writer = _may_write(viewer, report)
    items = _plan_items(uow_factory, caller, report) if writer else []
    with uow_factory() as uow:
        subjects: list[DraftSubject] = []
        if writer:
            texts = uow.committee_reports.texts_of(report.id)
            subjects = [_subject(s, SECTION_TITLES[s], "section", texts)
                        for s in SECTION_SUBJECTS[:2]]
            subjects += [_subject(action_subject(i.action.id),
                                  f"{i.action.id} {i.action.activity}", "action", texts,
                                  hint=_action_hint(i)) for i in items]
            subjects += [_subject(figure_subject(d.code), f"{d.name} ({d.unit.value})",
                                  "figure", texts, hint=d.formula) for d in DEFINITIONS]
            subjects.append(_subject(SECTION_NEXT_STEPS, SECTION_TITLES[SECTION_NEXT_STEPS],
                                     "section", texts))
        return Draft(report, uow.committee_reports.version_of(report.id) or 0,
                     _scope_label(uow, report), subjects,
                     uow.committee_reports.versions_of(report.id), writer,
                     viewer.can(Capability.ISSUE_REPORTS))


def _subject(subject: str, heading: str, kind: str, texts: Mapping[str, ReportText], *,
             hint: str = "") -> DraftSubject:
    stored = texts.get(subject)
    return DraftSubject(subject, heading, kind, stored.text if stored else "",
                        stored.version if stored else 0, hint)


def _action_hint(item: PlanItem) -> str:
    """``Pågår · nästa uppföljning 2026-05-31 · senast: <the latest note>``."""
    follow_up = item.action.follow_up_on
    parts = [item.status_label,
             f"nästa uppföljning {follow_up.isoformat()}" if follow_up else "",
             f"senast: {item.latest.text}" if item.latest is not None else ""]
    return " · ".join(part for part in parts if part)


def save_text(uow_factory: UowFactory, *, caller: Caller, report_id: str, subject: str,
              text: str, expected_version: int, now: dt.datetime | None = None) -> int:
    """Save the text for ``subject``; returns its new version.

    Raises:
        StaleVersionError: someone saved the text after ``expected_version`` was read
            (the Swedish message asks to reload).
    """
    subject = check_subject(subject)
    cleaned = check_text(text)
    with uow_factory() as uow:
        report = _get(uow, report_id)
        _require_write(caller.viewer, report)
        version = uow.committee_reports.save_text(
            ReportText(id=f"T{uuid.uuid4().hex[:20]}", report_id=report.id, subject=subject,
                       text=cleaned, updated_at=now or dt.datetime.now(dt.UTC),
                       updated_by=caller.viewer.username),
            expected_version=expected_version)
        uow.commit()
    return version


# --- content -------------------------------------------------------------------------------
def _plan_items(uow_factory: UowFactory, caller: Caller,
                report: CommitteeReport) -> list[PlanItem]:
    """The department's actions, or for a unit its own and the department-wide ones, as
    the action plan shows them on the period's last day."""
    on = report.period_end - dt.timedelta(days=1)
    if report.scope_unit_id is None:
        return action_plan(uow_factory, caller=caller, on=on).items
    own = action_plan(uow_factory, caller=caller, on=on, unit_id=report.scope_unit_id).items
    shared = action_plan(uow_factory, caller=caller, on=on, unit_id=DEPARTMENT_LEVEL).items
    return sorted([*shared, *own], key=lambda item: item.action.id)


def action_rows(items: Sequence[PlanItem]) -> tuple[ActionRow, ...]:
    rows = []
    for item in items:
        action = item.action
        note = item.latest.text if item.latest is not None else action.follow_up_text
        targets = "; ".join(describe_target(t.target.figure_code, t.target.baseline,
                                            t.target.target, t.target.target_on)
                            for t in item.targets)
        rows.append(ActionRow(action.id, action.activity, action.measure, item.status_label,
                              action.owner_role, action.follow_up_on,
                              latest_follow_up=note, targets=targets))
    return tuple(rows)


def figure_rows(figures: FigureReport, months: Sequence[str]) -> tuple[FigureRow, ...]:
    """The scope's total (all its units) per month and for the period, per figure."""
    rows = []
    for definition in figures.definitions:
        def value(key: str, code: str = definition.code) -> FigureValue:
            cell = figures.cell(code, None, key)
            return FigureValue(None if cell.suppressed else cell.value, cell.suppressed)

        rows.append(FigureRow(
            code=definition.code.value, name=definition.name, unit=definition.unit.value,
            group=figure_group(definition.code.value),
            values=tuple(value(m) for m in months), total=value(TOTAL_KEY),
            decimals=definition.decimals))
    return tuple(rows)


def _client_table(uow: UnitOfWork, report: CommitteeReport) -> CountTable:
    units = sorted(uow.organisation.units(), key=lambda u: u.name)
    if report.scope_unit_id is not None:
        units = [u for u in units if u.id == report.scope_unit_id]
    months = month_keys(report.period_start, report.period_end)
    days = [dt.date.fromisoformat(f"{key}-01") for key in months[1:]] + [report.period_end]
    census_days = [day - dt.timedelta(days=1) for day in days]
    found = {(c.day, c.unit_id): c.number for c in figure_queries.clients_on_days(
        uow.session, census_days, [u.id for u in units])}
    counts = [[found.get((day, u.id), 0) for day in census_days] for u in units]
    units = [u for u, row in zip(units, counts, strict=True) if any(row)]
    counts = [row for row in counts if any(row)]  # units without clients add nothing
    table = suppress_table(counts) if counts else SuppressedTable((), (), (0,) * len(months),
                                                                  0)
    return CountTable(
        title=CLIENT_TABLE_TITLE, row_labels=tuple(u.name for u in units),
        column_labels=tuple(month_label(m).split()[0] for m in months), cells=table.cells,
        row_totals=table.row_totals, column_totals=table.column_totals,
        grand_total=table.grand_total,
        note=("Summan per enhet är brukarmånader. Antal under fem visas som \"<5\"; där en "
              "summa skulle avslöja ett dolt antal döljs även ytterligare antal."))


def assemble_content(uow_factory: UowFactory, *, caller: Caller,
                     report_id: str) -> tuple[ReportContent, dict[str, int]]:
    """The report's content from today's figures, actions and texts (not yet issued), and
    the versions of the texts used."""
    with uow_factory() as uow:
        report = _get(uow, report_id)
        _require_write(caller.viewer, report)
    figures = figure_report(uow_factory, caller=as_committee(caller), start=report.period_start,
                            end=report.period_end,
                            unit_ids=None if report.scope_unit_id is None
                            else [report.scope_unit_id])
    months = month_keys(report.period_start, report.period_end)
    items = _plan_items(uow_factory, caller, report)
    with uow_factory() as uow:
        report = _get(uow, report_id)
        texts = uow.committee_reports.texts_of(report.id)
        departments = uow.organisation.departments()
        header = ReportHeader(
            title=report.title, document_type=report.document_type,
            deciding_body=report.deciding_body, diarienummer=report.diarienummer,
            applies_to=_scope_label(uow, report), validity=report.validity,
            responsible=report.responsible, period_start=report.period_start,
            period_end=report.period_end,
            department=departments[0].name if departments else "")
        content = ReportContent(
            header=header, months=months, sections={}, actions=action_rows(items),
            figures=figure_rows(figures, months), count_tables=(_client_table(uow, report),))
    return (content.with_texts({s: t.text for s, t in texts.items()}),
            {s: t.version for s, t in texts.items()})


def preview(uow_factory: UowFactory, *, caller: Caller, report_id: str,
            kind: DocumentKind = "pdf") -> bytes:
    """The draft rendered from today's data (nothing is stored)."""
    content, _ = assemble_content(uow_factory, caller=caller, report_id=report_id)
    return committee_pdf(content) if kind == "pdf" else committee_xlsx(content)


def issue(uow_factory: UowFactory, *, caller: Caller, report_id: str,
          expected_stamp: str | None = None, now: dt.datetime | None = None) -> IssuedVersion:
    """Freeze the report as version n+1: content, PDF and XLSX in one transaction.

    ``expected_stamp`` (``Draft.stamp``) refuses texts changed since the issuer read them.
    The key figures are computed afresh (kept books are dropped first): a version is issued
    from the database as it is, not from figures kept for the pages up to two minutes ago.
    """
    caller.viewer.require(Capability.ISSUE_REPORTS)
    forget_figures()
    content, used = assemble_content(uow_factory, caller=caller, report_id=report_id)
    at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    with uow_factory() as uow:
        report = _get(uow, report_id)
        texts = uow.committee_reports.texts_of(report.id)
        current = {s: t.version for s, t in texts.items()}
        if current != used or (expected_stamp is not None
                               and texts_stamp(current) != expected_stamp):
            raise StaleVersionError("Rapporten", report.id)
        number = next_version_number(v.number for v in
                                     uow.committee_reports.versions_of(report.id))
        frozen = content.as_issued(number=number, at=at, by=caller.viewer.display_name)
        text = frozen.to_json()
        version = IssuedVersion(id=f"RV{uuid.uuid4().hex[:20]}", report_id=report.id,
                                number=number, issued_at=at, issued_by=caller.viewer.username,
                                content_json=text, content_sha256=frozen.sha256())
        uow.committee_reports.add_version(version, pdf=committee_pdf(frozen),
                                          xlsx=committee_xlsx(frozen))
        uow.commit()
    return version


# --- issuing as a job in the queue (the web page) -------------------------------------------
def queue_issue(uow_factory: UowFactory, *, caller: Caller, report_id: str,
                expected_stamp: str) -> Job:
    """Queue the issuing of version n+1 as a job (kind ``rapport``): a worker assembles and
    renders it (seconds at scale 10) outside the request, and a restart does not lose it.

    Refused at once, as ``issue`` would: the caller may not issue, the texts changed since
    the issuer read them (``expected_stamp``), or an issue of this report is already queued.
    """
    caller.viewer.require(Capability.ISSUE_REPORTS)
    with uow_factory() as uow:
        report = _get(uow, report_id)
        _require_read(uow, caller.viewer, report)
        current = {s: t.version for s, t in uow.committee_reports.texts_of(report.id).items()}
        if texts_stamp(current) != expected_stamp:
            raise StaleVersionError("Rapporten", report.id)
        if _issue_queued(uow, report.id):
            raise DomainError("report.issuing", "Rapporten håller redan på att utfärdas. "
                              "Vänta tills den versionen är klar.")
        job = new_job(JobKind.REPORT, {
            "report_id": report.id, "stamp": expected_stamp,
            "versions_before": len(uow.committee_reports.versions_of(report.id)),
            "account_id": caller.viewer.account_id, "remote_addr": caller.remote_addr,
            "route": caller.route,
        }, result_ref=report.id)
        uow.jobs.add(job)
        uow.commit()
    return job


def issue_for_job(uow_factory: UowFactory, job: Job) -> str:
    """Run a queued issue (``queue_issue``) as the account that asked for it, if that
    account still may issue. Returns the issued version's id. An attempt after a crash
    that finds the version its earlier attempt issued returns that one, never a second."""
    payload = job.payload
    report_id = str(payload["report_id"])
    with uow_factory() as uow:
        account = uow.accounts.get(str(payload["account_id"]))
        versions = uow.committee_reports.versions_of(report_id)
    if account is None or not account.active:
        raise DomainError("report.account", "Kontot som bad om utfärdandet finns inte "
                          "längre eller är avstängt; rapporten utfärdades inte.")
    before = int(str(payload["versions_before"]))
    if len(versions) > before:
        return max(versions, key=lambda v: v.number).id
    caller = Caller(account.viewer(), remote_addr=str(payload.get("remote_addr") or "lokal"),
                    route=str(payload.get("route") or "jobb"))
    return issue(uow_factory, caller=caller, report_id=report_id,
                 expected_stamp=str(payload["stamp"])).id


def issue_job(uow_factory: UowFactory, *, caller: Caller, report_id: str,
              job_id: str) -> Job:
    """The issue job ``job_id`` of the report, for the page that waits for it."""
    with uow_factory() as uow:
        report = _get(uow, report_id)
        _require_read(uow, caller.viewer, report)
        job = uow.jobs.get(job_id)
    if job is None or job.kind is not JobKind.REPORT or job.payload.get("report_id") != report.id:
        raise NotFoundError("Jobbet", job_id)
    return job


def _issue_queued(uow: UnitOfWork, report_id: str) -> bool:
    return report_id in uow.jobs.active_refs(JobKind.REPORT)


def issuing(uow_factory: UowFactory, report_id: str) -> bool:
    """Whether an issue of the report is queued or running."""
    with uow_factory() as uow:
        return _issue_queued(uow, report_id)


# --- issued versions -----------------------------------------------------------------------
def issued_version(uow_factory: UowFactory, *, caller: Caller, report_id: str,
                   number: int) -> IssuedVersion:
    with uow_factory() as uow:
        report = _get(uow, report_id)
        _require_read(uow, caller.viewer, report)
        version = uow.committee_reports.version(report.id, number)
    version.verify()
    return version


def document(uow_factory: UowFactory, *, caller: Caller, report_id: str, number: int,
             kind: DocumentKind) -> tuple[str, bytes]:
    """An issued version's PDF or XLSX with a file name."""
    with uow_factory() as uow:
        report = _get(uow, report_id)
        _require_read(uow, caller.viewer, report)
        data = uow.committee_reports.document(report.id, number, kind)
    return f"rapport-{report.id}-v{number}.{kind}", data


def report_period_label(report: CommitteeReport) -> str:
    return period_label(report.period_start, report.period_end)
