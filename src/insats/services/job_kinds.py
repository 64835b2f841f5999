"""What each kind of job does: the handler a worker calls, and the hook that marks what a
job worked on as failed when its job cannot be resumed.

- ``planering``: payload ``{"run_id"}``; solves the stored planning run
  (``planning.resume_run``: a run its last worker left running is solved again from the
  start). Result: the run's id.
- ``import``: payload ``{"kind", "path", "source", "mapping", "sheet", "encoding"}``;
  imports the file all or nothing (``imports.import_file``), so running it again after
  a crash is safe. Result: the import batch's id.
- ``rapport``: payload ``{"report_id", "stamp", "versions_before", "account_id",
  "remote_addr", "route"}``; issues the committee report as version n+1 as the account
  that asked (``committee_reports.issue_for_job``); an attempt after a crash that finds
  the version issued stops there. Result: the version's id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from insats.domain.jobs import Job, JobKind, PayloadValue
from insats.interchange.mapping import ImportKind
from insats.services import committee_reports, imports, planning
from insats.services.jobs import AbandonHook, UowFactory, enqueue

Handler = Callable[[UowFactory, Job], str | None]


@dataclass(frozen=True, slots=True)
class JobHandler:
    run: Handler
    abandon: AbandonHook | None = None


def _run_planning(uow_factory: UowFactory, job: Job) -> str:
    run = planning.resume_run(uow_factory, str(job.payload["run_id"]))
    return run.id


def _abandon_planning(uow_factory: UowFactory, job: Job, reason: str) -> None:
    planning.abandon_run(uow_factory, str(job.payload["run_id"]), reason)


def _text(payload: Mapping[str, PayloadValue], key: str) -> str | None:
    value = payload.get(key)
    return str(value) if value not in (None, "") else None


def _run_import(uow_factory: UowFactory, job: Job) -> str | None:
    payload = job.payload
    mapping = _text(payload, "mapping")
    report = imports.import_file(
        uow_factory, kind=str(payload["kind"]), path=Path(str(payload["path"])),
        source=_text(payload, "source"), mapping=Path(mapping) if mapping else None,
        sheet=_text(payload, "sheet"), encoding=_text(payload, "encoding"),
    )
    return report.batch_id


HANDLERS: dict[JobKind, JobHandler] = {
    JobKind.PLANNING: JobHandler(_run_planning, _abandon_planning),
    JobKind.IMPORT: JobHandler(_run_import),
    JobKind.REPORT: JobHandler(committee_reports.issue_for_job),
}


def abandon_hooks() -> dict[JobKind, AbandonHook]:
    return {kind: h.abandon for kind, h in HANDLERS.items() if h.abandon is not None}


def queue_import(uow_factory: UowFactory, *, kind: ImportKind | str, path: Path,
                 source: str | None = None, mapping: Path | None = None,
                 sheet: str | None = None, encoding: str | None = None) -> Job:
    """Queue the import of a file (a worker imports it, all or nothing)."""
    import_kind = ImportKind(kind)
    return enqueue(uow_factory, JobKind.IMPORT, {
        "kind": import_kind.value, "path": str(path.resolve()), "source": source,
        "mapping": str(mapping.resolve()) if mapping else None, "sheet": sheet,
        "encoding": encoding,
    })
