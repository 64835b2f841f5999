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
from functools import cache
from typing import Any

from insats.cli.local_caller import cli_caller
from insats.services import committee_reports as reports
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
    Rule("GET", "/reports/{report_id}/versions/{number}/{kind}", ALL,
         params=lambda d: {**_report(d), "number": "1", "kind": "pdf"}),
]
