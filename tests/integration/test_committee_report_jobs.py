"""Issuing a committee report as a job in the queue (kind ``rapport``), on SQLite and
PostgreSQL: a worker issues version n+1 as the account that asked; refusals come at once
(no right to issue, texts changed since they were read, an issue already queued); an
attempt after a crash never issues a second version; an account switched off meanwhile
fails the job with a Swedish reason and issues nothing."""

from __future__ import annotations

import dataclasses

import pytest

from insats.db.repositories._base import StaleVersionError
from insats.domain.access import AccessDenied, Account, Caller, Role
from insats.domain.committee_report import SECTION_BACKGROUND
from insats.domain.common import DomainError
from insats.domain.jobs import JobKind, JobStatus
from insats.services import committee_reports as reports
from insats.services import jobs
from insats.services.auth import create_account, utc_now
from insats.services.job_runner import JobRunner
from tests.integration.test_action_plans import EC1
from tests.integration.test_committee_reports import END, START, UowFactory, world

__all__ = ["world"]  # the fixture, used by name


def _head(world: UowFactory) -> Caller:
    account = create_account(world, username="chefen", display_name="Avdelningschefen",
                             role=Role.DEPARTMENT_HEAD, password="lösenord-för-test")
    return Caller(account.viewer(), remote_addr="10.0.0.7", route="/reports/issue")


def _report(world: UowFactory, caller: Caller) -> tuple[str, str]:
    report = reports.create_report(world, caller=caller, start=START, end=END, unit_id=None)
    reports.save_text(world, caller=caller, report_id=report.id, subject=SECTION_BACKGROUND,
                      text="Bakgrund från jobbet.", expected_version=0)
    return report.id, reports.draft(world, caller=caller, report_id=report.id).stamp


def test_a_worker_issues_the_queued_version_as_the_account_that_asked(
        world: UowFactory) -> None:
    head = _head(world)
    report_id, stamp = _report(world, head)
    job = reports.queue_issue(world, caller=head, report_id=report_id, expected_stamp=stamp)
    assert (job.kind, job.status, job.result_ref) == (JobKind.REPORT, JobStatus.QUEUED,
                                                      report_id)
    assert reports.issuing(world, report_id)
    assert reports.draft(world, caller=head, report_id=report_id).versions == []

    ran = JobRunner(world, name="rapportarbetare").run_one()
    assert ran is not None and ran.id == job.id and ran.status is JobStatus.DONE
    versions = reports.draft(world, caller=head, report_id=report_id).versions
    assert [(v.number, v.issued_by) for v in versions] == [(1, "chefen")]
    assert ran.result_ref == versions[0].id
    assert versions[0].content.section(SECTION_BACKGROUND) == "Bakgrund från jobbet."
    assert not reports.issuing(world, report_id)
    assert reports.issue_job(world, caller=head, report_id=report_id, job_id=job.id).status \
        is JobStatus.DONE


def test_refusals_come_when_queueing_and_queue_nothing(world: UowFactory) -> None:
    head = _head(world)
    report_id, stamp = _report(world, head)
    with pytest.raises(AccessDenied):
        reports.queue_issue(world, caller=EC1, report_id=report_id, expected_stamp=stamp)
    with pytest.raises(StaleVersionError):
        reports.queue_issue(world, caller=head, report_id=report_id, expected_stamp="gammal")
    assert jobs.list_jobs(world) == []
    reports.queue_issue(world, caller=head, report_id=report_id, expected_stamp=stamp)
    with pytest.raises(DomainError, match="håller redan på att utfärdas"):
        reports.queue_issue(world, caller=head, report_id=report_id, expected_stamp=stamp)
    assert len(jobs.list_jobs(world)) == 1


def test_an_attempt_after_a_crash_never_issues_a_second_version(world: UowFactory) -> None:
    head = _head(world)
    report_id, stamp = _report(world, head)
    job = reports.queue_issue(world, caller=head, report_id=report_id, expected_stamp=stamp)
    first = reports.issue_for_job(world, job)  # the worker died after this commit ...
    again = reports.issue_for_job(world, job)  # ... and the job ran again
    assert first == again
    assert [v.number for v in reports.draft(world, caller=head,
                                            report_id=report_id).versions] == [1]


def test_texts_changed_while_queued_fail_the_job_with_the_reason(world: UowFactory) -> None:
    head = _head(world)
    report_id, stamp = _report(world, head)
    reports.queue_issue(world, caller=head, report_id=report_id, expected_stamp=stamp)
    reports.save_text(world, caller=head, report_id=report_id, subject=SECTION_BACKGROUND,
                      text="Ändrad medan jobbet väntade.", expected_version=1)
    ran = JobRunner(world, name="rapportarbetare").run_one()
    assert ran is not None and ran.status is JobStatus.FAILED
    assert ran.failure_reason and "ändrats" in ran.failure_reason
    assert reports.draft(world, caller=head, report_id=report_id).versions == []


def test_an_account_switched_off_meanwhile_issues_nothing(world: UowFactory) -> None:
    head = _head(world)
    report_id, stamp = _report(world, head)
    job = reports.queue_issue(world, caller=head, report_id=report_id, expected_stamp=stamp)
    with world() as uow:  # the account is switched off while the job waits
        stored = uow.accounts.get(head.viewer.account_id)
        assert isinstance(stored, Account)
        uow.accounts.add(dataclasses.replace(stored, id="annat", username="annan",
                                             active=False), created_at=utc_now())
        uow.commit()
    switched_off = dataclasses.replace(job, payload={**job.payload, "account_id": "annat"})
    with pytest.raises(DomainError, match="avstängt"):
        reports.issue_for_job(world, switched_off)
    assert reports.draft(world, caller=head, report_id=report_id).versions == []
