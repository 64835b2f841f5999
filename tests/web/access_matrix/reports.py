"""Reports to the committee: every role reads issued versions; drafts are written by the
avdelningschef and by an enhetschef for their own unit (``enhetschef2`` is refused by the
service's scope check); only the avdelningschef issues.

The rows use one report of ``enhetschef``'s unit with one issued version, made once per
demo database. Changing requests are sent so that the allowed roles are refused by
validation (an empty period, a stale text version, a stale issue stamp), so the shared
demo keeps the one version.
"""

from __future__ import annotations

import datetime as dt
import time
from functools import cache
from typing import Any

from insats.cli.local_caller import cli_caller
from insats.domain.jobs import JobKind
from insats.services import committee_reports as reports
from insats.services import jobs
from insats.services.job_kinds import HANDLERS
from insats.services.job_runner import JobRunner
from insats.services.runtime import uow_factory_for
from tests.web.access_matrix import ALL, Rule

WRITERS = frozenset({"avdelningschef", "enhetschef", "enhetschef2"})
OWN_UNIT_WRITERS = frozenset({"avdelningschef", "enhetschef"})
ISSUERS = frozenset({"avdelningschef"})


@cache
def issued_report_of(url: str, unit_id: str) -> str:
    factory = uow_factory_for(url)
    caller = cli_caller("test access matrix")
    report = reports.create_report(factory, caller=caller, start=dt.date(2026, 8, 1),
                                   end=dt.date(2026, 11, 1), unit_id=unit_id,
                                   diarienummer="2026.001 VON")
    reports.issue(factory, caller=caller, report_id=report.id)
    return report.id


def _report(demo: Any) -> dict[str, str]:
    return {"report_id": issued_report_of(demo.url, demo.own_unit_id)}


@cache
def issue_job_of(url: str, report_id: str) -> str:
    """A second version of the report, issued through the job queue: the job's id."""
    factory = uow_factory_for(url)
    caller = cli_caller("test access matrix")
    stamp = reports.draft(factory, caller=caller, report_id=report_id).stamp
    job = reports.queue_issue(factory, caller=caller, report_id=report_id,
                              expected_stamp=stamp)
    runner = JobRunner(factory, name="tilltradesmatris",
                       handlers={JobKind.REPORT: HANDLERS[JobKind.REPORT]})
    deadline = time.monotonic() + 120
    while not jobs.get_job(factory, job.id).has_ended:  # the app's own runner may take it
        assert time.monotonic() < deadline, f"the issue job {job.id} did not end"
        if runner.run_one() is None:
            time.sleep(0.2)
    return job.id


def _issue_job(demo: Any) -> dict[str, str]:
    report = _report(demo)
    return {**report, "job_id": issue_job_of(demo.url, report["report_id"])}


RULES = [
    Rule("GET", "/reports", ALL),
    Rule("POST", "/reports", WRITERS, refused_by_validation=True,
         body=lambda d: {"start": "", "end": "", "unit": d.own_unit_id}),
    Rule("GET", "/reports/{report_id}", ALL, params=_report),
    Rule("POST", "/reports/{report_id}/texts", OWN_UNIT_WRITERS, params=_report,
         refused_by_validation=True,
         body=lambda d: {"subject": "section:background", "text": "x", "version": "999"}),
    Rule("POST", "/reports/{report_id}/header", OWN_UNIT_WRITERS, params=_report,
         refused_by_validation=True,
         body=lambda d: {"version": "999", "title": "x", "document_type": "x",
                         "deciding_body": "x", "diarienummer": "x", "validity": "x",
                         "responsible": "x"}),
    Rule("GET", "/reports/{report_id}/preview", OWN_UNIT_WRITERS, params=_report),
    Rule("POST", "/reports/{report_id}/issue", ISSUERS, params=_report,
         refused_by_validation=True, body=lambda d: {"stamp": "inaktuell"}),
    Rule("GET", "/reports/{report_id}/issuing/{job_id}", ISSUERS, params=_issue_job),
    Rule("GET", "/reports/{report_id}/versions/{number}/{kind}", ALL,
         params=lambda d: {**_report(d), "number": "1", "kind": "pdf"}),
]
