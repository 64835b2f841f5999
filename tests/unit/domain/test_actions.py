"""Action-plan rules without a database: statuses and their transitions, the overdue rule,
targets (validation, direction, progress) and the notes written for a change."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from insats.domain.actions import (
    ActionFollowUp,
    ActionStatus,
    ActionTarget,
    Direction,
    change_note,
    check_text,
    check_transition,
    figure_label,
    figure_unit,
    parse_figure,
    parse_status,
)
from insats.domain.calendar import UTC
from insats.domain.common import DomainError
from insats.domain.figure_catalogue import FigureCode
from tests.builders import an_action

P, G, D, S = (ActionStatus.PLANNED, ActionStatus.ONGOING, ActionStatus.DONE,
              ActionStatus.PAUSED)


def a_target(**overrides: object) -> ActionTarget:
    values: dict[str, object] = {
        "id": "A1-M1", "action_id": "A1", "figure_code": "overtime_hours",
        "baseline": Decimal("2120"), "baseline_period": "2025-10",
        "target": Decimal("1500"), "target_on": dt.date(2026, 12, 31),
    }
    return ActionTarget(**{**values, **overrides})  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "status"), [
    ("pagar", G), ("Pågår", G), (" PLANERAD ", P), ("klar", D), ("Pausad", S)])
def test_statuses_are_read_from_code_or_label(text: str, status: ActionStatus) -> None:
    assert parse_status(text) is status


def test_an_unknown_status_names_the_field_and_the_choices() -> None:
    with pytest.raises(DomainError) as refused:
        parse_status("färdig")
    assert refused.value.message == ("Status: 'färdig' är ingen status (planerad, pågår, "
                                     "klar, pausad).")


@pytest.mark.parametrize(("old", "new"), [
    (P, G), (P, S), (P, D), (G, S), (G, D), (S, G), (S, P), (S, D), (D, G), (G, G)])
def test_allowed_transitions(old: ActionStatus, new: ActionStatus) -> None:
    check_transition(old, new)


@pytest.mark.parametrize(("old", "new", "why"), [
    (G, P, "pausa den i stället"), (D, P, "öppnas igen som pågående"),
    (D, S, "öppnas igen som pågående")])
def test_refused_transitions(old: ActionStatus, new: ActionStatus, why: str) -> None:
    with pytest.raises(DomainError, match=why) as refused:
        check_transition(old, new)
    assert refused.value.code == "action.status"


def test_overdue_only_while_planned_or_ongoing_and_after_the_date() -> None:
    action = an_action(status=G, follow_up_on=dt.date(2026, 6, 30))
    assert not action.overdue_on(dt.date(2026, 6, 30))
    assert action.overdue_on(dt.date(2026, 7, 1))
    assert action.days_overdue(dt.date(2026, 7, 11)) == 11
    for status in (D, S):
        assert not replace(action, status=status).overdue_on(dt.date(2027, 1, 1))
    assert replace(action, status=P).overdue_on(dt.date(2027, 1, 1))
    assert not replace(action, follow_up_on=None).overdue_on(dt.date(2027, 1, 1))
    assert replace(action, follow_up_on=None).days_overdue(dt.date(2027, 1, 1)) == 0


def test_a_target_knows_its_direction_progress_and_when_it_is_reached() -> None:
    lower = a_target()
    assert lower.direction is Direction.LOWER
    assert lower.progress(Decimal("2120")) == 0
    assert lower.progress(Decimal("1810")) == Decimal("0.50")
    assert lower.progress(Decimal("2400")) < 0  # the wrong way
    assert lower.reached(Decimal("1500")) and not lower.reached(Decimal("1501"))
    higher = a_target(figure_code="fk_revenue_billed_kr", baseline=Decimal("5775000"),
                      target=Decimal("6000000"))
    assert higher.direction is Direction.HIGHER
    assert higher.reached(Decimal("6100000")) and higher.progress(Decimal("6225000")) == 2
    assert lower.baseline_end == dt.date(2025, 10, 31)
    assert a_target(baseline_period="2024").baseline_end == dt.date(2024, 12, 31)
    assert a_target(baseline_period="2025-12").baseline_end == dt.date(2025, 12, 31)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"figure_code": "lycka"}, "Nyckeltal"),
    ({"baseline_period": "okt 2025"}, "Utgångsperiod"),
    ({"baseline_period": "2025-13"}, "Utgångsperiod"),
    ({"target": Decimal("2120")}, "Målvärde"),
    ({"target_on": dt.date(2025, 10, 31)}, "Måldatum"),
])
def test_an_invalid_target_is_refused_naming_the_field(overrides: dict[str, object],
                                                        field: str) -> None:
    with pytest.raises(DomainError) as refused:
        a_target(**overrides)
    assert refused.value.message.startswith(f"{field}:")


def test_figures_by_code_or_name_with_the_catalogue_s_name_and_unit() -> None:
    assert parse_figure("Övertid och mertid, timmar") is FigureCode.OVERTIME_HOURS
    assert parse_figure("sick_rate_long_pct") is FigureCode.SICK_RATE_LONG
    assert figure_label("overtime_hours") == "Övertid och mertid, timmar"
    assert figure_unit("overtime_hours") == "tim" and figure_unit("sick_rate_short_pct") == "%"
    with pytest.raises(DomainError, match="Nyckeltal: 'lycka'"):
        parse_figure("lycka")


def test_texts_are_stripped_required_and_limited() -> None:
    assert check_text("  ok ", "Uppföljning") == "ok"
    assert check_text("", "Anteckning", required=False) == ""
    with pytest.raises(DomainError, match="Uppföljning: fältet får inte vara tomt"):
        check_text("   ", "Uppföljning")
    with pytest.raises(DomainError, match="Uppföljning: högst 2000 tecken"):
        check_text("x" * 2001, "Uppföljning")


def test_the_note_of_a_change_says_what_changed() -> None:
    before = an_action(status=P, follow_up_on=dt.date(2026, 6, 1), owner_username=None)
    after = replace(before, status=G, follow_up_on=dt.date(2026, 12, 31),
                    owner_username="enhetschef")
    assert change_note(before, after) == ("Status ändrad: Planerad → Pågår. Nästa "
                                          "uppföljning: 2026-12-31. Ansvarig: Enhetschef "
                                          "(enhetschef).")
    assert change_note(before, replace(before, follow_up_on=None)) == \
        "Nästa uppföljning: inget datum."
    assert change_note(before, before) == ""


def test_a_follow_up_needs_a_text() -> None:
    with pytest.raises(DomainError, match="Uppföljningen behöver en text"):
        ActionFollowUp("F1", "A1", dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, tzinfo=UTC),
                       "chef", G, " ")
