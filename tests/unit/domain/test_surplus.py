"""Surplus staff into vacancies, worked by hand (insats.domain.surplus)."""

from __future__ import annotations

from insats.domain.staff import Position
from insats.domain.surplus import SurplusMember, Vacancy, competent, match, unplaced_cost_per_month

A = Position.ASSISTANT
C = Position.CARE_WORKER


def member(employee_id: str, *, worked: dict[str, int] | None = None, weekly: int = 2400,
           position: Position = A, skills: frozenset[str] = frozenset()) -> SurplusMember:
    # four weeks: 40 h a week = 160 h contracted; 300 kr an hour with fees
    return SurplusMember(employee_id, employee_id, position, weekly, weekly * 4, 30_000,
                         worked or {}, skills)


def test_unplaced_hours_and_their_cost() -> None:
    m = member("E1", worked={"G1": 60 * 60, "G2": 40 * 60})
    # 160 h contracted, 100 h worked: 60 h unplaced at 300 kr = 18 000 kr
    assert m.worked_minutes == 6000 and m.unplaced_minutes == 3600
    assert m.unplaced_cost_ore == 1_800_000
    # 60/160 of 40 h a week = 15 h a week × 52/12 × 300 kr = 19 500 kr a month
    assert unplaced_cost_per_month(m) == 1_950_000
    assert member("E2", worked={"G1": 200 * 60}).unplaced_minutes == 0  # never negative


def test_a_vacancy_is_what_regular_staff_do_not_cover() -> None:
    v = Vacancy("G1", "Grupp 1", "PA Norr", A, open_minutes=600, others_minutes=4800,
                overtime_minutes=600)
    assert v.need_minutes == 6000
    assert v.weekly_need(28) == 1500  # 100 h over four weeks = 25 h a week


def test_competence_is_position_and_the_groups_skills() -> None:
    v = Vacancy("G1", "Grupp 1", "PA", A, 600, required_skills=frozenset({"lyft"}))
    assert not competent(member("E1"), v)
    assert competent(member("E1", skills=frozenset({"lyft", "sond"})), v)
    assert not competent(member("E2", position=C, skills=frozenset({"lyft"})), v)


def test_continuity_first_then_hours_then_ids() -> None:
    vacancies = [
        Vacancy("G1", "Grupp 1", "PA", A, others_minutes=160 * 60),  # 40 h a week
        Vacancy("G2", "Grupp 2", "PA", A, others_minutes=100 * 60),  # 25 h a week
        Vacancy("G3", "Korttids", "KTV", C, others_minutes=160 * 60),  # other position
    ]
    members = [member("E1"), member("E2", worked={"G2": 600}), member("E3", weekly=1200),
               member("E4")]
    result = match(members, vacancies, days=28)
    placed = [(p.employee_id, p.group_id, p.weekly_minutes, p.continuity_minutes)
              for p in result.proposals]
    # E2 knows G2 and fills its 25 h; then E1 (40 h) fills G1's 40 h before E4 (ids);
    # E3 (20 h) and E4 find no need left; G3 asks for a stödassistent
    assert placed == [("E2", "G2", 1500, 600), ("E1", "G1", 2400, 0)]
    assert result.unmatched == ("E3", "E4")
    assert result.remaining_weekly == {"G1": 0, "G2": 0, "G3": 2400}
    assert result.placed_weekly == {"E1": 2400, "E2": 1500, "E3": 0, "E4": 0}
    reasons = result.proposals[0].reasons
    assert reasons[0].startswith("Kompetens: personlig assistent")
    assert "25,0\u00a0h/v av gruppens kvarvarande behov 25,0\u00a0h/v" in reasons[1]
    assert "har arbetat 10,0\u00a0h" in reasons[2]
    assert result.proposals[1].reasons[2] == "Kontinuitet: ny i gruppen"


def test_a_group_takes_several_members_until_its_need_is_filled() -> None:
    vacancies = [Vacancy("G1", "Grupp 1", "PA", A, others_minutes=70 * 4 * 60)]  # 70 h/v
    result = match([member("E1"), member("E2"), member("E3")], vacancies, days=28)
    assert [(p.employee_id, p.weekly_minutes) for p in result.proposals] == [
        ("E1", 2400), ("E2", 1800)]
    assert result.unmatched == ("E3",)


def test_nothing_below_an_hour_a_week() -> None:
    vacancies = [Vacancy("G1", "Grupp 1", "PA", A, open_minutes=200)]  # 50 min a week
    assert match([member("E1")], vacancies, days=28).proposals == ()


def test_a_member_takes_groups_until_their_week_is_full() -> None:
    vacancies = [Vacancy("G1", "Grupp 1", "PA", A, others_minutes=30 * 4 * 60),  # 30 h/v
                 Vacancy("G2", "Grupp 2", "PA", A, others_minutes=20 * 4 * 60)]  # 20 h/v
    # E1 (40 h) knows G2: 20 h there, then 20 of G1's 30 h; E2 (16 h) takes G1's last 10 h
    result = match([member("E1", worked={"G2": 60}), member("E2", weekly=960)], vacancies,
                   days=28)
    assert [(p.employee_id, p.group_id, p.weekly_minutes) for p in result.proposals] == [
        ("E1", "G2", 1200), ("E1", "G1", 1200), ("E2", "G1", 600)]
    assert result.placed_weekly == {"E1": 2400, "E2": 600} and result.unmatched == ()
    assert "kvarvarande behov 30,0\u00a0h/v" in result.proposals[1].reasons[1]
