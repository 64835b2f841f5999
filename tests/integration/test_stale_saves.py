"""Every editable record refuses a save based on an old version, says what changed (who,
when, the stored values of the fields that differ) and writes nothing: shifts, decisions,
time entries before attestation, absences, actions and report texts (both backends).

In each test user A reads the record, user B saves a change, then A saves on the version
A read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import threading
from collections.abc import Callable

import pytest

from insats.db.repositories._base import StaleVersionError
from insats.domain.actions import ActionStatus
from insats.domain.committee_report import SECTION_BACKGROUND
from insats.domain.cover import CoverReason
from insats.services import action_plans as plans
from insats.services import committee_reports as reports
from insats.services.cover import book_cover, cover_options
from insats.services.rules import add_missing_bundled_parameters
from insats.services.time_approval import attest, check_time_reports, correct, reject
from insats.services.uow import UnitOfWork
from tests.builders import a_decision, a_time_entry, an_absence, stockholm
from tests.integration.test_action_plans import HEAD, NOW, TODAY, seed_actions
from tests.integration.test_committee_reports import seed_report_world
from tests.integration.test_cover_service import SCHEDULER, seed_cover_world
from tests.integration.test_repositories import seed
from tests.integration.test_shift_guards import race
from tests.integration.test_time_approval_service import MANAGER_U01, OCTOBER

UowFactory = Callable[[], UnitOfWork]


@pytest.fixture
def time_world(uow_factory: UowFactory) -> UowFactory:
    """Unit U01 with employee E0001's reported entry T1 on Monday 5 October 2026, 07–15."""
    with uow_factory() as uow:
        add_missing_bundled_parameters(uow)
        seed(uow)
        uow.time_reports.add(a_time_entry(id="T1", start=stockholm(2026, 10, 5, 7),
                                          end=stockholm(2026, 10, 5, 15),
                                          reported_on=dt.date(2026, 10, 5)))
        uow.commit()
    return uow_factory


def test_a_stale_booking_of_a_shift_names_who_booked_it_and_the_employee(
        uow_factory: UowFactory) -> None:
    world = seed_cover_world(uow_factory)
    version = cover_options(world, caller=SCHEDULER, shift_id="S1").shifts[0].version
    book_cover(world, caller=SCHEDULER, shift_id="S1", employee_id="E9",
               reason=CoverReason.SICK, expected_version=version)

    with pytest.raises(StaleVersionError) as refused:
        book_cover(world, caller=HEAD, shift_id="S1", employee_id="E2",
                   reason=CoverReason.SICK, expected_version=version)

    error = refused.value
    assert error.changed_by == "sam" and error.current_version == version + 1
    assert "Passet har bokats eller ändrats av någon annan (sam " in error.message
    assert error.message.endswith("Sparat nu i fälten du ändrade: medarbetare: E9.")
    assert error.details()["current"] == {"employee_id": "E9"}
    with world() as uow:
        shift = uow.scheduling.get("S1")
    assert shift is not None and shift.employee_id == "E9"


def test_a_stale_save_of_a_decision_lists_the_changed_field(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        seed(uow)
        uow.decisions.add(a_decision())
        uow.commit()
    with uow_factory() as uow:
        seen = uow.decisions.get("BE0001")
        seen_version = uow.decisions.version_of("BE0001")
    assert seen is not None and seen_version == 1
    with uow_factory() as uow:
        uow.decisions.update(dataclasses.replace(seen, granted_minutes_per_week=4200),
                             expected_version=1)
        uow.commit()

    with uow_factory() as uow, pytest.raises(StaleVersionError) as refused:
        uow.decisions.update(dataclasses.replace(seen, granted_minutes_per_week=3000),
                             expected_version=seen_version)

    assert [(c.field, c.current, c.submitted) for c in refused.value.changes] == [
        ("granted_minutes_per_week", "4200", "3000")]
    assert refused.value.message.endswith(
        "Sparat nu i fälten du ändrade: beviljade minuter per vecka: 4200.")
    with uow_factory() as uow:
        stored = uow.decisions.get("BE0001")
    assert stored is not None and stored.granted_minutes_per_week == 4200


def test_a_stale_save_of_an_absence_is_refused(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        seed(uow)
        uow.absences.add(an_absence())
        uow.commit()
    seen = an_absence()
    with uow_factory() as uow:
        uow.absences.update(dataclasses.replace(seen, extent_percent=50), expected_version=1)
        uow.commit()

    with uow_factory() as uow, pytest.raises(StaleVersionError) as refused:
        uow.absences.update(dataclasses.replace(seen, medical_certificate=True),
                            expected_version=1)

    assert {c.field for c in refused.value.changes} == {"extent_percent",
                                                        "medical_certificate"}
    with uow_factory() as uow:
        stored = uow.absences.get("A0001")
    assert stored is not None and (stored.extent_percent, stored.medical_certificate) == (
        50, seen.medical_certificate)


def test_rejecting_or_attesting_a_time_entry_that_changed_is_refused(
        time_world: UowFactory) -> None:
    shown = {c.entry.id: c.version for c in
             check_time_reports(time_world, caller=MANAGER_U01, month=OCTOBER).entries}
    assert shown["T1"] == 1
    with time_world() as uow:  # the employee's report is changed (a re-import, say)
        entry = uow.time_reports.get("T1")
        assert entry is not None
        uow.time_reports.update(dataclasses.replace(entry, end=stockholm(2026, 10, 5, 14)))
        uow.commit()

    with pytest.raises(StaleVersionError) as refused:
        reject(time_world, caller=MANAGER_U01, entry_id="T1", reason="fel", version=shown["T1"])
    assert refused.value.current_version == 2
    assert refused.value.message.endswith(
        "Sparat nu i fälten du ändrade: status: rapporterad; kommentar: tomt.")
    with pytest.raises(StaleVersionError):
        attest(time_world, caller=MANAGER_U01, entry_ids=["T1"], versions=shown)

    with time_world() as uow:
        stored = uow.time_reports.get("T1")
    assert stored is not None and not stored.is_attested and "fel" not in stored.comment


def test_two_corrections_of_one_entry_cannot_both_be_stored(
        time_world: UowFactory) -> None:
    correct(time_world, caller=MANAGER_U01, entry_id="T1", start=stockholm(2026, 10, 5, 7),
            end=stockholm(2026, 10, 5, 14), break_minutes=0, reason="hem tidigare")
    with time_world() as uow:  # as if a second attester had passed the check at the same time
        first = next(e for e in uow.time_reports.of_group(
            "G0001", stockholm(2026, 10, 1), stockholm(2026, 11, 1))
            if e.corrects_entry_id == "T1")
        with pytest.raises(Exception, match="redan rättad"):
            uow.time_reports.add_correction(dataclasses.replace(first, id="TRTWICE"))
    with time_world() as uow:
        assert uow.time_reports.get("TRTWICE") is None


def test_a_stale_action_edit_names_the_author_of_the_last_change(
        uow_factory: UowFactory) -> None:
    seed_actions(uow_factory)
    read = plans.action_detail(uow_factory, caller=HEAD, action_id="A1",
                               on=TODAY).item.version
    plans.update_action(uow_factory, caller=HEAD, action_id="A1", expected_version=read,
                        status=ActionStatus.DONE, now=NOW)

    with pytest.raises(StaleVersionError) as refused:
        plans.update_action(uow_factory, caller=HEAD, action_id="A1", expected_version=read,
                            follow_up_on=dt.date(2027, 1, 31), now=NOW)

    error = refused.value
    assert error.changed_by == "chef" and error.changed_at == NOW
    # the refused save's own field, as it is stored now
    assert error.details()["changed"] == ["follow_up_on"]
    assert "Sparat nu i fälten du ändrade: uppföljningsdatum: 2026-10-01." in error.message
    with uow_factory() as uow:
        stored = uow.actions.get("A1")
    assert stored is not None and stored.follow_up_on == dt.date(2026, 10, 1)


def test_two_notes_on_the_same_version_cannot_both_be_saved(uow_factory: UowFactory) -> None:
    """A note alone leaves the action's fields as they were, yet takes a new version: the
    second note written on the same view is refused."""
    seed_actions(uow_factory)
    read = plans.action_detail(uow_factory, caller=HEAD, action_id="A2",
                               on=TODAY).item.version
    plans.add_follow_up(uow_factory, caller=HEAD, action_id="A2", expected_version=read,
                        text="Första anteckningen", now=NOW)
    with pytest.raises(StaleVersionError):
        plans.add_follow_up(uow_factory, caller=HEAD, action_id="A2", expected_version=read,
                            text="Andra anteckningen", now=NOW)
    detail = plans.action_detail(uow_factory, caller=HEAD, action_id="A2", on=TODAY)
    assert [f.text for f in detail.follow_ups] == ["Första anteckningen"]
    assert detail.item.version == read + 1


def test_a_stale_report_text_names_who_saved_it_and_what_it_says_now(
        uow_factory: UowFactory) -> None:
    seed_report_world(uow_factory)
    report_id = reports.create_report(uow_factory, caller=HEAD, start=dt.date(2026, 1, 1),
                                      end=dt.date(2026, 4, 1), unit_id=None,
                                      diarienummer="2026.045 VON", now=NOW).id
    version = reports.save_text(uow_factory, caller=HEAD, report_id=report_id,
                                subject=SECTION_BACKGROUND, text="Första",
                                expected_version=0, now=NOW)
    reports.save_text(uow_factory, caller=HEAD, report_id=report_id,
                      subject=SECTION_BACKGROUND, text="Andra", expected_version=version,
                      now=NOW)

    with pytest.raises(StaleVersionError) as refused:
        reports.save_text(uow_factory, caller=HEAD, report_id=report_id,
                          subject=SECTION_BACKGROUND, text="Tredje", expected_version=version,
                          now=NOW)

    assert refused.value.changed_by == "chef"
    assert refused.value.details()["current"] == {"text": "Andra"}
    assert "Sparat nu i fälten du ändrade: text: Andra." in refused.value.message
    draft = reports.draft(uow_factory, caller=HEAD, report_id=report_id)
    assert next(s for s in draft.subjects if s.subject == SECTION_BACKGROUND).text == "Andra"


def test_two_notes_at_the_same_instant_on_their_own_connections_one_is_saved(
        uow_factory: UowFactory) -> None:
    seed_actions(uow_factory)
    read = plans.action_detail(uow_factory, caller=HEAD, action_id="A2",
                               on=TODAY).item.version
    barrier = threading.Barrier(2)

    def note(text: str) -> str:
        barrier.wait(timeout=30)
        plans.add_follow_up(uow_factory, caller=HEAD, action_id="A2", expected_version=read,
                            text=text, now=NOW)
        return text

    outcomes = race([functools.partial(note, "Från fönster ett"),
                     functools.partial(note, "Från fönster två")])

    saved = [o for o in outcomes if isinstance(o, str)]
    assert len(saved) == 1 and isinstance(
        next(o for o in outcomes if not isinstance(o, str)), StaleVersionError), outcomes
    detail = plans.action_detail(uow_factory, caller=HEAD, action_id="A2", on=TODAY)
    assert [f.text for f in detail.follow_ups] == saved
