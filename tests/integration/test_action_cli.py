"""`insats actions` as a user runs it: the plan with overdue follow-ups, CSV, an update
with a note, a follow-up, a target and the errors a user can make."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from click.testing import Result

from insats.domain.actions import ActionStatus
from insats.services.uow import UnitOfWork
from tests.integration.test_action_plans import seed_actions

Cli = Callable[..., Result]


def test_list_marks_overdue_follow_ups_and_filters(
        cli: Cli, uow_factory: Callable[[], UnitOfWork]) -> None:
    seed_actions(uow_factory)
    listed = cli("actions", "list", "--on", "2026-11-23")
    assert listed.exit_code == 0, listed.output
    assert "3 försenade" in listed.output and "försenad 53 d" in listed.output
    assert "Övertid och mertid, timmar" in listed.output and "1\u00a0400 tim" in listed.output
    overdue = cli("actions", "list", "--on", "2026-11-23", "--overdue", "--unit", "U02",
                  "--format", "csv")
    rows = list(csv.reader(io.StringIO(overdue.output), delimiter=";"))
    assert rows[0][0] == "åtgärd" and [r[0] for r in rows[1:]] == ["A3"]
    assert rows[1][8] == "22"


def test_update_follow_up_and_target_write_through_the_service(
        cli: Cli, uow_factory: Callable[[], UnitOfWork]) -> None:
    seed_actions(uow_factory)
    updated = cli("actions", "update", "A2", "--status", "pågår", "--follow-up",
                  "2030-12-31", "--note", "Schemat avstämt mot besluten")
    assert updated.exit_code == 0, updated.output
    assert "A2: Pågår, uppföljning 2030-12-31." in updated.output
    noted = cli("actions", "follow-up", "A2", "Två brukare kvar", "--next", "2031-01-31")
    assert noted.exit_code == 0, noted.output
    targeted = cli("actions", "target", "A2", "--figure", "övertid och mertid, timmar",
                   "--baseline", "180", "--period", "2026-03", "--target", "110",
                   "--by", "2030-12-31", "--unit", "U01")
    assert targeted.exit_code == 0, targeted.output
    changed = cli("actions", "target", "A2", "--id", "A2-M1", "--figure", "overtime_hours",
                  "--baseline", "180", "--period", "2026-03", "--target", "100", "--by",
                  "2030-12-31")
    assert changed.exit_code == 0, changed.output
    shown = cli("actions", "show", "A2")
    assert "Schemat avstämt mot besluten" in shown.output and "Två brukare kvar" in shown.output
    assert "180 tim (2026-03) → 100 tim" in shown.output
    with uow_factory() as uow:
        action = uow.actions.get("A2")
        notes = uow.actions.follow_ups.of_action("A2")
    assert action is not None and action.status is ActionStatus.ONGOING
    assert [n.author for n in notes] == ["cli", "cli"]


def test_user_errors_are_one_swedish_line(cli: Cli,
                                          uow_factory: Callable[[], UnitOfWork]) -> None:
    seed_actions(uow_factory)
    bad_status = cli("actions", "update", "A2", "--status", "färdig")
    assert bad_status.exit_code != 0
    assert "Status: 'färdig' är ingen status" in str(bad_status.exception)
    past = cli("actions", "update", "A2", "--follow-up", "2020-01-01")
    assert "Uppföljningsdatum: 2020-01-01 har redan passerat" in str(past.exception)
    missing = cli("actions", "show", "A99")
    assert "Åtgärden A99 finns inte" in str(missing.exception)


def test_add_creates_a_planned_action_with_the_next_id(
        cli: Cli, uow_factory: Callable[[], UnitOfWork]) -> None:
    seed_actions(uow_factory)
    added = cli("actions", "add", "--unit", "U02", "--activity", "Minska övertiden",
                "--measure", "Vikariepoolen före övertid", "--owner-role", "EC",
                "--owner", "ec2", "--follow-up", "2030-06-30", "--how", "Varje vecka")
    assert added.exit_code == 0, added.output
    assert "Åtgärd A05 tillagd: Minska övertiden." in added.output
    with uow_factory() as uow:
        action = uow.actions.get("A05")
    assert action is not None and action.status is ActionStatus.PLANNED
    assert (action.unit_id, action.owner_username, action.follow_up_text) == (
        "U02", "ec2", "Varje vecka")


def test_a_save_on_the_version_shown_is_refused_once_someone_else_saved(
        cli: Cli, uow_factory: Callable[[], UnitOfWork]) -> None:
    seed_actions(uow_factory)
    shown = cli("actions", "show", "A2")
    assert "Version: 1" in shown.output
    assert cli("actions", "follow-up", "A2", "Först", "--version", "1").exit_code == 0

    late = cli("actions", "update", "A2", "--status", "klar", "--version", "1")
    assert late.exit_code != 0
    assert "Åtgärden A2 har ändrats av någon annan (cli " in str(late.exception)
    late_note = cli("actions", "follow-up", "A2", "Sent", "--version", "1")
    assert late_note.exit_code != 0
    with uow_factory() as uow:
        action = uow.actions.get("A2")
        notes = uow.actions.follow_ups.of_action("A2")
    assert action is not None and action.status is ActionStatus.PLANNED
    assert [n.text for n in notes] == ["Först"]
