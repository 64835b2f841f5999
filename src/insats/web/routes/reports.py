"""Reports to the committee (issue 7).

- ``GET /reports``: the reports the viewer may see (every role: those with an issued
  version; writers also their drafts) and, for writers, a form for a new draft
  (``POST /reports``).
- ``GET /reports/{id}``: the report's header (``POST /reports/{id}/header`` changes the
  document block of a draft, with the report's version), a text box per section, action and key
  figure (``POST /reports/{id}/texts`` saves one, with its version: a stale save gets 409
  and the page with a Swedish message), the preview as PDF or XLSX from today's data,
  the issue button (avdelningschef; ``POST /reports/{id}/issue`` queues the issue as a
  job, kind ``rapport``, and the page follows it with ``GET /reports/{id}/issuing/{job}``,
  an htmx partial that polls until the version is issued or the job failed with a reason)
  and the issued versions.
- ``GET /reports/{id}/versions/{number}/{kind}``: an issued version's PDF or XLSX.

The route checks the capability; the service checks the report's scope (an enhetschef
writes only reports of their own units) and hides drafts from readers.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from insats.db.repositories._base import NotFoundError, StaleVersionError
from insats.domain.access import Capability
from insats.domain.common import DomainError
from insats.domain.jobs import JOB_STATUS_LABELS, Job, JobStatus
from insats.services import committee_reports as reports
from insats.services.key_figures import parse_period
from insats.services.scope import unit_choices
from insats.web.deps import Context, requires
from insats.web.jobs import wake_jobs
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {"pdf": "application/pdf",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DEPARTMENT = "avdelningen"
NOTICES = {"created": "Utkastet är skapat. Skriv texterna och förhandsgranska.",
           "saved": "Texten är sparad.",
           "header": "Dokumentuppgifterna är sparade.",
           "issued": "Rapporten är utfärdad. Versionen kan inte ändras."}
POLL_SECONDS = 2


def _list_page(request: Request, ctx: Context, *, error: str | None = None,
               form: dict[str, str] | None = None, status_code: int = 200) -> Response:
    can_write = ctx.viewer.can(Capability.WRITE_REPORTS)
    return render(request, "reports/list.html", {
        "reports": reports.list_reports(ctx.uow_factory, caller=ctx.caller),
        "can_write": can_write, "error": error, "form": form or {},
        "units": unit_choices(ctx.uow_factory, ctx.caller) if can_write else [],
        "department_wide": ctx.viewer.department_wide, "department": DEPARTMENT,
        "period_label": reports.report_period_label,
    }, status_code=status_code)


@router.get("/reports")
def report_list(request: Request,
                ctx: Context = Depends(requires(Capability.VIEW_REPORTS))) -> Response:
    return _list_page(request, ctx)


@router.post("/reports")
def report_create(request: Request, start: str = Form(""), end: str = Form(""),
                  unit: str = Form(""), title: str = Form(""), diarienummer: str = Form(""),
                  ctx: Context = Depends(requires(Capability.WRITE_REPORTS))) -> Response:
    form = {"start": start[:7], "end": end[:7], "unit": unit[:40], "title": title[:200],
            "diarienummer": diarienummer[:64]}
    try:
        first, last = parse_period(None, f"{form['start']}..{form['end']}")
        report = reports.create_report(
            ctx.uow_factory, caller=ctx.caller, start=first, end=last,
            unit_id=None if form["unit"] in ("", DEPARTMENT) else form["unit"],
            title=form["title"] or None, diarienummer=form["diarienummer"])
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        return _list_page(request, ctx, error=refused.message, form=form, status_code=400)
    return RedirectResponse(f"/reports/{report.id}?notice=created", status_code=303)


def _draft_page(request: Request, ctx: Context, report_id: str, *,
                notice: str | None = None, error: str | None = None,
                job: Job | None = None, status_code: int = 200) -> Response:
    draft = reports.draft(ctx.uow_factory, caller=ctx.caller, report_id=report_id)
    context: dict[str, Any] = {
        "d": draft, "notice": notice, "error": error, "job": job,
        "issuing": (job is not None and not job.has_ended)
        or (draft.can_issue and reports.issuing(ctx.uow_factory, draft.report.id)),
        "job_labels": JOB_STATUS_LABELS, "poll_seconds": POLL_SECONDS,
        "period": reports.report_period_label(draft.report),
        "sections": [s for s in draft.subjects if s.kind == "section"],
        "actions": [s for s in draft.subjects if s.kind == "action"],
        "figures": [s for s in draft.subjects if s.kind == "figure"],
    }
    return render(request, "reports/draft.html", context, status_code=status_code)


@router.get("/reports/{report_id}")
def report_page(request: Request, report_id: str, notice: str | None = None,
                job: str | None = None,
                ctx: Context = Depends(requires(Capability.VIEW_REPORTS))) -> Response:
    report_id = report_id[:40]
    issue_job = None
    if job and ctx.viewer.can(Capability.ISSUE_REPORTS):
        issue_job = reports.issue_job(ctx.uow_factory, caller=ctx.caller,
                                      report_id=report_id, job_id=job[:40])
    return _draft_page(request, ctx, report_id, notice=NOTICES.get(notice or ""),
                       job=issue_job)


@router.post("/reports/{report_id}/texts")
def report_text(request: Request, report_id: str, subject: str = Form(""),
                text: str = Form(""), version: str = Form(""),
                ctx: Context = Depends(requires(Capability.WRITE_REPORTS))) -> Response:
    report_id = report_id[:40]
    try:
        expected = int(version)
    except ValueError:
        return _draft_page(request, ctx, report_id, error="Ladda om sidan och skriv igen.",
                           status_code=400)
    try:
        reports.save_text(ctx.uow_factory, caller=ctx.caller, report_id=report_id,
                          subject=subject[:100], text=text, expected_version=expected)
    except StaleVersionError as stale:
        return _draft_page(request, ctx, report_id, error=stale.message, status_code=409)
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        return _draft_page(request, ctx, report_id, error=refused.message, status_code=400)
    anchor = subject.replace(":", "-")
    return RedirectResponse(f"/reports/{report_id}?notice=saved#{anchor}", status_code=303)


@router.post("/reports/{report_id}/header")
def report_header(request: Request, report_id: str, version: str = Form(""),
                  title: str = Form(""), document_type: str = Form(""),
                  deciding_body: str = Form(""), diarienummer: str = Form(""),
                  validity: str = Form(""), responsible: str = Form(""),
                  ctx: Context = Depends(requires(Capability.WRITE_REPORTS))) -> Response:
    report_id = report_id[:40]
    try:
        reports.update_header(
            ctx.uow_factory, caller=ctx.caller, report_id=report_id,
            expected_version=int(version) if version.isdigit() else -1, title=title,
            document_type=document_type, deciding_body=deciding_body,
            diarienummer=diarienummer, validity=validity, responsible=responsible)
    except StaleVersionError as stale:
        return _draft_page(request, ctx, report_id, error=stale.message, status_code=409)
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        return _draft_page(request, ctx, report_id, error=refused.message, status_code=400)
    return RedirectResponse(f"/reports/{report_id}?notice=header", status_code=303)


@router.get("/reports/{report_id}/preview")
def report_preview(report_id: str, format: str = "pdf",
                   ctx: Context = Depends(requires(Capability.WRITE_REPORTS))) -> Response:
    kind: Literal["pdf", "xlsx"] = "xlsx" if format == "xlsx" else "pdf"
    data = reports.preview(ctx.uow_factory, caller=ctx.caller, report_id=report_id[:40],
                           kind=kind)
    return _file(f"forhandsgranskning-{report_id[:40]}.{kind}", data, kind)


@router.post("/reports/{report_id}/issue")
def report_issue(request: Request, report_id: str, stamp: str = Form(""),
                 ctx: Context = Depends(requires(Capability.ISSUE_REPORTS))) -> Response:
    report_id = report_id[:40]
    try:
        job = reports.queue_issue(ctx.uow_factory, caller=ctx.caller, report_id=report_id,
                                  expected_stamp=stamp[:40])
    except StaleVersionError:
        return _draft_page(request, ctx, report_id, status_code=409, error=(
            "Texterna har ändrats sedan sidan laddades. Läs igenom dem och utfärda igen."))
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        return _draft_page(request, ctx, report_id, error=refused.message, status_code=409)
    wake_jobs(request)
    return RedirectResponse(f"/reports/{report_id}?job={job.id}", status_code=303)


@router.get("/reports/{report_id}/issuing/{job_id}")
def report_issuing(request: Request, report_id: str, job_id: str,
                   ctx: Context = Depends(requires(Capability.ISSUE_REPORTS))) -> Response:
    """The issue job's state, polled by the page; once the version is issued the page
    moves on to the report with its new version."""
    report_id = report_id[:40]
    job = reports.issue_job(ctx.uow_factory, caller=ctx.caller, report_id=report_id,
                            job_id=job_id[:40])
    if job.status is JobStatus.DONE:
        done = f"/reports/{report_id}?notice=issued"
        if request.headers.get("HX-Request"):
            return Response(status_code=200, headers={"HX-Redirect": done})
        return RedirectResponse(done, status_code=303)
    return render(request, "reports/_issuing.html", {
        "report_id": report_id, "job": job, "job_labels": JOB_STATUS_LABELS,
        "poll_seconds": POLL_SECONDS})


@router.get("/reports/{report_id}/versions/{number}/{kind}")
def report_document(report_id: str, number: int, kind: str,
                    ctx: Context = Depends(requires(Capability.VIEW_REPORTS))) -> Response:
    if kind not in MEDIA_TYPES:
        raise NotFoundError("Dokumentet", kind[:10])
    name, data = reports.document(ctx.uow_factory, caller=ctx.caller,
                                  report_id=report_id[:40], number=number,
                                  kind="pdf" if kind == "pdf" else "xlsx")
    return _file(name, data, kind)


def _file(name: str, data: bytes, kind: str) -> Response:
    disposition = "inline" if kind == "pdf" else "attachment"
    return Response(data, media_type=MEDIA_TYPES[kind], headers={
        "Content-Disposition": f'{disposition}; filename="{name}"',
        "Cache-Control": "no-store",
    })
