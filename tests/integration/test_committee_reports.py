"""The committee-report service on SQLite and PostgreSQL: drafts, texts with optimistic
versions, issued versions that nobody can change (not even with SQL), texts frozen with
the version, and who may write, issue and read."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import text

from insats.db.repositories._base import NotFoundError, StaleVersionError
from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.calendar import UTC
from insats.domain.committee_report import (
    SECTION_BACKGROUND,
    SECTION_NEXT_STEPS,
    IssuedReportFrozen,
    ReportContent,
)
from insats.domain.common import DomainError
from insats.reports.committee_pdf import committee_pdf
from insats.reports.committee_xlsx import committee_xlsx
from insats.services import committee_reports as reports
from insats.services.uow import UnitOfWork
from tests.builders import a_provider, a_small_department
from tests.integration.test_action_plans import EC1, HEAD, SCHEDULER, seed_actions

UowFactory = Callable[[], UnitOfWork]
START, END = dt.date(2026, 1, 1), dt.date(2026, 4, 1)
NOW = dt.datetime(2026, 4, 7, 9, 30, tzinfo=UTC)
COMMITTEE = Caller(Viewer("a9", "namnd", "Nämndledamot", Role.COMMITTEE))


def seed_report_world(uow_factory: UowFactory) -> None:
    """Two units with actions (``seed_actions``), and unit U01 with two clients with
    decisions: fewer than five, so the committee sees "<5"."""
    seed_actions(uow_factory)
    small = a_small_department()
    with uow_factory() as uow:
        uow.providers.add(a_provider())
        uow.clients.add_many(small.clients)
        uow.decisions.add_many(small.decisions)
        uow.commit()


@pytest.fixture
def world(uow_factory: UowFactory) -> UowFactory:
    seed_report_world(uow_factory)
    return uow_factory


def _draft(world: UowFactory, *, unit_id: str | None = None,
           caller: Caller = HEAD) -> str:
    report = reports.create_report(world, caller=caller, start=START, end=END,
                                   unit_id=unit_id, diarienummer="2026.045 VON", now=NOW)
    return report.id


def test_a_draft_gets_the_department_s_defaults_and_every_subject(world: UowFactory) -> None:
    report_id = _draft(world)
    draft = reports.draft(world, caller=HEAD, report_id=report_id)
    assert draft.report.deciding_body == "Vård- och omsorgsnämnden"
    assert draft.report.document_type == "Återrapportering"
    subjects = [s.subject for s in draft.subjects]
    assert subjects[:2] == ["section:introduction", "section:background"]
    assert {"action:A1", "action:A2", "action:A3", "action:A4"} <= set(subjects)
    assert "figure:overtime_hours" in subjects and subjects[-1] == SECTION_NEXT_STEPS
    unit_draft = reports.draft(world, caller=HEAD, report_id=_draft(world, unit_id="U01"))
    unit_actions = [s.subject for s in unit_draft.subjects if s.kind == "action"]
    assert unit_actions == ["action:A1", "action:A2", "action:A4"]  # U01's and shared


def test_issuing_stores_version_n_plus_1_with_content_pdf_and_xlsx(world: UowFactory) -> None:
    report_id = _draft(world)
    reports.save_text(world, caller=HEAD, report_id=report_id, subject=SECTION_BACKGROUND,
                      text="Underskottet 2025 ledde till handlingsplanen.", expected_version=0)
    first = reports.issue(world, caller=HEAD, report_id=report_id, now=NOW)
    second = reports.issue(world, caller=HEAD, report_id=report_id,
                           now=NOW + dt.timedelta(hours=1))
    assert (first.number, second.number) == (1, 2)
    stored = reports.issued_version(world, caller=HEAD, report_id=report_id, number=1)
    content = stored.content
    assert stored.content_sha256 == content.sha256()
    assert content.version_number == 1 and content.generated_at == NOW
    assert content.section(SECTION_BACKGROUND).startswith("Underskottet 2025")
    name, pdf = reports.document(world, caller=HEAD, report_id=report_id, number=1,
                                 kind="pdf")
    assert name.endswith("-v1.pdf") and pdf.startswith(b"%PDF")
    _, xlsx = reports.document(world, caller=HEAD, report_id=report_id, number=1, kind="xlsx")
    # the documents are those of the frozen content: rendering it again gives the same bytes
    assert committee_pdf(content) == pdf
    assert committee_xlsx(content) == xlsx
    assert [v.number for v in reports.draft(world, caller=HEAD,
                                            report_id=report_id).versions] == [1, 2]


def test_an_issued_version_cannot_be_changed_even_with_sql(world: UowFactory) -> None:
    report_id = _draft(world)
    reports.issue(world, caller=HEAD, report_id=report_id, now=NOW)
    for statement in ("UPDATE committee_report_versions SET content = '{}'",
                      "UPDATE committee_report_versions SET pdf = NULL",
                      "DELETE FROM committee_report_versions"):
        with world() as uow, pytest.raises(Exception, match="append-only"):
            uow.session.execute(text(statement))
            uow.session.flush()
    with world() as uow:
        version = uow.committee_reports.version(report_id, 1)
        with pytest.raises(IssuedReportFrozen):
            uow.committee_reports.versions.update(version)
        with pytest.raises(IssuedReportFrozen):
            uow.committee_reports.versions.delete(version.id)
    reports.issued_version(world, caller=HEAD, report_id=report_id, number=1).verify()


def test_texts_edited_after_issue_leave_the_issued_version_as_it_was(
        world: UowFactory) -> None:
    report_id = _draft(world)
    v1 = reports.save_text(world, caller=HEAD, report_id=report_id, subject="action:A1",
                           text="Följs upp varje månad.", expected_version=0)
    reports.issue(world, caller=HEAD, report_id=report_id, now=NOW)
    reports.save_text(world, caller=HEAD, report_id=report_id, subject="action:A1",
                      text="Klar i mars.", expected_version=v1)
    issued = reports.issued_version(world, caller=HEAD, report_id=report_id, number=1)
    assert next(a for a in issued.content.actions if a.id == "A1").comment == (
        "Följs upp varje månad.")
    again = reports.issue(world, caller=HEAD, report_id=report_id, now=NOW)
    assert next(a for a in again.content.actions if a.id == "A1").comment == "Klar i mars."


def test_a_stale_edit_is_refused_in_swedish_and_nothing_is_written(world: UowFactory) -> None:
    report_id = _draft(world)
    version = reports.save_text(world, caller=HEAD, report_id=report_id,
                                subject=SECTION_BACKGROUND, text="Första", expected_version=0)
    reports.save_text(world, caller=HEAD, report_id=report_id, subject=SECTION_BACKGROUND,
                      text="Andra", expected_version=version)
    for stale in (version, 0):
        with pytest.raises(StaleVersionError) as refused:
            reports.save_text(world, caller=HEAD, report_id=report_id,
                              subject=SECTION_BACKGROUND, text="Tredje",
                              expected_version=stale)
        assert "har ändrats av någon annan" in refused.value.message
    draft = reports.draft(world, caller=HEAD, report_id=report_id)
    assert next(s for s in draft.subjects if s.subject == SECTION_BACKGROUND).text == "Andra"


def test_issuing_refuses_texts_changed_since_the_issuer_read_them(world: UowFactory) -> None:
    report_id = _draft(world)
    stamp = reports.draft(world, caller=HEAD, report_id=report_id).stamp
    reports.save_text(world, caller=EC1, report_id=_draft(world, unit_id="U01", caller=EC1),
                      subject=SECTION_BACKGROUND, text="Annan rapport", expected_version=0)
    assert reports.draft(world, caller=HEAD, report_id=report_id).stamp == stamp
    reports.save_text(world, caller=HEAD, report_id=report_id, subject=SECTION_BACKGROUND,
                      text="Ny text", expected_version=0)
    with pytest.raises(StaleVersionError):
        reports.issue(world, caller=HEAD, report_id=report_id, expected_stamp=stamp, now=NOW)
    assert reports.draft(world, caller=HEAD, report_id=report_id).versions == []


def test_who_may_write_issue_and_read(world: UowFactory) -> None:
    department = _draft(world)
    with pytest.raises(AccessDenied):
        _draft(world, caller=EC1)  # a unit manager writes only for their own units
    with pytest.raises(AccessDenied):
        _draft(world, unit_id="U02", caller=EC1)
    own = _draft(world, unit_id="U01", caller=EC1)
    reports.save_text(world, caller=EC1, report_id=own, subject=SECTION_BACKGROUND,
                      text="Enhetens bakgrund", expected_version=0)
    with pytest.raises(AccessDenied):
        reports.save_text(world, caller=EC1, report_id=department,
                          subject=SECTION_BACKGROUND, text="x", expected_version=0)
    with pytest.raises(AccessDenied):
        reports.issue(world, caller=EC1, report_id=own, now=NOW)
    # drafts are not shown to those who do not write them
    assert [s.report.id for s in reports.list_reports(world, caller=COMMITTEE)] == []
    with pytest.raises(NotFoundError):
        reports.draft(world, caller=SCHEDULER, report_id=department)
    reports.issue(world, caller=HEAD, report_id=own, now=NOW)
    listed = reports.list_reports(world, caller=COMMITTEE)
    assert [(s.report.id, s.issued, s.can_write) for s in listed] == [(own, 1, False)]
    _, pdf = reports.document(world, caller=COMMITTEE, report_id=own, number=1, kind="pdf")
    assert pdf.startswith(b"%PDF")
    with pytest.raises(AccessDenied):
        reports.save_text(world, caller=COMMITTEE, report_id=own,
                          subject=SECTION_BACKGROUND, text="x", expected_version=1)


def test_unknown_subjects_and_too_long_texts_are_refused(world: UowFactory) -> None:
    report_id = _draft(world)
    for subject, body in (("client:C0001", "x"), (SECTION_BACKGROUND, "x" * 20_001)):
        with pytest.raises(Exception) as refused:
            reports.save_text(world, caller=HEAD, report_id=report_id, subject=subject,
                              text=body, expected_version=0)
        assert refused.value.code in ("report.subject", "report.text_length")  # type: ignore[attr-defined]


def test_the_content_survives_a_json_round_trip_from_the_database(world: UowFactory) -> None:
    report_id = _draft(world)
    version = reports.issue(world, caller=HEAD, report_id=report_id, now=NOW)
    content = ReportContent.from_json(version.content_json)
    assert content.to_json() == version.content_json
    assert dataclasses.replace(content, issued_by="x").sha256() != version.content_sha256


def test_the_header_is_changed_with_its_version_and_issued_versions_keep_theirs(
        world: UowFactory) -> None:
    report_id = _draft(world)
    reports.issue(world, caller=HEAD, report_id=report_id, now=NOW)
    draft = reports.draft(world, caller=HEAD, report_id=report_id)
    fields = {"title": "Återrapportering maj 2026", "document_type": "Återrapportering",
              "deciding_body": "Vård- och omsorgsnämnden", "diarienummer": "2026.046 VON",
              "validity": "Tills vidare", "responsible": "AC Pers. assistans och stöd"}
    version = reports.update_header(world, caller=HEAD, report_id=report_id,
                                    expected_version=draft.report_version, **fields)
    assert version == draft.report_version + 1
    with pytest.raises(StaleVersionError):
        reports.update_header(world, caller=HEAD, report_id=report_id,
                              expected_version=draft.report_version,
                              **{**fields, "title": "Annan"})
    with pytest.raises(DomainError):
        reports.update_header(world, caller=HEAD, report_id=report_id,
                              expected_version=version, **{**fields, "title": " "})
    with pytest.raises(AccessDenied):
        reports.update_header(world, caller=EC1, report_id=report_id,
                              expected_version=version, **fields)
    assert reports.draft(world, caller=HEAD, report_id=report_id).report.diarienummer == (
        "2026.046 VON")
    first = reports.issued_version(world, caller=HEAD, report_id=report_id, number=1)
    assert first.content.header.diarienummer == "2026.045 VON"
    second = reports.issue(world, caller=HEAD, report_id=report_id, now=NOW)
    assert second.content.header.title == "Återrapportering maj 2026"
