"""The benchmark reader and the independent scorer, on small instances written out here."""

from __future__ import annotations

import pytest

from insats.optimizer.benchmarks.scoring import score_roster
from insats.optimizer.benchmarks.shift_scheduling import InstanceFormatError, parse_instance

TINY = """
# two staff, one week
SECTION_HORIZON
7

SECTION_SHIFTS
D,480,
N,600,D

SECTION_STAFF
A,D=7|N=7,2400,960,3,2,2,1
B,D=7|N=2,3360,0,7,1,1,1

SECTION_DAYS_OFF
A,6

SECTION_SHIFT_ON_REQUESTS
A,0,D,2
A,4,D,5

SECTION_SHIFT_OFF_REQUESTS
B,1,N,3

SECTION_COVER
0,D,1,100,1
1,N,1,100,1
2,D,2,100,7
"""


def tiny():  # type: ignore[no-untyped-def]
    return parse_instance(TINY, name="tiny")


def test_reads_every_section() -> None:
    instance = tiny()
    assert instance.horizon == 7
    assert instance.shifts["N"].cannot_follow == frozenset({"D"})
    assert instance.shifts["D"].cannot_follow == frozenset()
    assert instance.staff["B"].max_shifts == {"D": 7, "N": 2}
    assert instance.days_off == {"A": frozenset({6})}
    assert [r.weight for r in instance.on_requests] == [2, 5]
    assert instance.cover[2].requirement == 2 and instance.cover[2].over_weight == 7


def test_whitespace_and_blank_lines_do_not_matter() -> None:
    spaced = "\n\n".join(" " + line.replace(",", " , ") + "  " for line in TINY.splitlines())
    assert parse_instance(spaced, name="tiny") == tiny()


def test_a_bad_number_names_the_line_and_field() -> None:
    broken = TINY.replace("N,600,D", "N,sexhundra,D")
    with pytest.raises(InstanceFormatError) as error:
        parse_instance(broken, name="tiny", source="tiny.txt")
    assert error.value.line == 8
    assert "tiny.txt, rad 8, fält längd i minuter" in str(error.value)


def test_a_request_for_an_unknown_employee_is_refused() -> None:
    with pytest.raises(InstanceFormatError) as error:
        parse_instance(TINY.replace("B,1,N,3", "X,1,N,3"), name="tiny")
    assert "'X' är inte definierad" in str(error.value)


def test_a_feasible_roster_is_priced_exactly() -> None:
    roster = [("A", 0, "D"), ("A", 1, "D"), ("B", 1, "N"), ("B", 2, "D"), ("B", 3, "D")]
    # B: N on day 1 then D on day 2 is forbidden: N's cannot-follow list holds D.
    score = score_roster(tiny(), [r for r in roster if r != ("B", 2, "D")])

    assert score.hard_violations == ()
    # A's request for D on day 4 is unmet (5); B works the N it asked to be off (3);
    # day 2 needs 2 on D and has 0 (2 × 100).
    assert (score.shift_on_requests, score.shift_off_requests) == (5, 3)
    assert (score.under_cover, score.over_cover) == (200, 0)
    assert score.objective == 208


def test_every_hard_rule_is_detected() -> None:
    roster = [
        ("A", 0, "D"), ("A", 1, "D"), ("A", 2, "D"), ("A", 3, "D"),  # 4 in a row, max 3
        ("A", 6, "D"),  # on a listed day off (the 1-day run touches the end: exempt)
        ("B", 1, "N"), ("B", 2, "D"),  # D may not follow N
        ("B", 4, "N"), ("B", 5, "N"), ("B", 6, "N"),  # 4 N in all, max 2
        ("B", 4, "D"),  # a second shift on day 4: refused, the first stays
    ]

    score = score_roster(tiny(), roster)

    # A: 5 × 480 = 2 400 minutes is exactly the maximum; one weekend (day 6) is allowed.
    # B: 4 × 600 + 480 = 2 880 minutes; one weekend (days 5 and 6 are the same one).
    assert score.hard_violations == (
        "B har två pass dag 4",
        "A: 4 pass i följd från dag 0",
        "A: pass på ledig dag 6",
        "B: D dag 2 får inte följa N",
        "B: 4 pass N, högst 2",
    )
    assert not score.feasible


def test_short_runs_inside_the_horizon_break_the_minimum_rules() -> None:
    # A works days 2, 4 and 5: the lone day 2 is a run of 1 (min 2) and the lone day off 3
    # an off-run of 1 (min 2); runs touching day 0 or day 6 are exempt. B may stay idle.
    score = score_roster(tiny(), [("A", 2, "D"), ("A", 4, "D"), ("A", 5, "D")])

    assert score.hard_violations == (
        "A: bara 1 pass i följd från dag 2",
        "A: bara 1 lediga dagar från dag 3",
    )


def test_weekends_and_total_minutes() -> None:
    two_weeks = parse_instance(TINY.replace("SECTION_HORIZON\n7", "SECTION_HORIZON\n14"),
                               name="two weeks")
    roster = [("A", 5, "D"), ("A", 6 + 7, "D")]  # Saturday week 1, Sunday week 2

    violations = score_roster(two_weeks, roster).hard_violations

    assert "A: 2 helger, högst 1" in violations
    assert "A: pass på ledig dag 6" not in violations
    assert score_roster(two_weeks, [("A", 5, "D")]).hard_violations == (
        "A: 480 minuter utanför 960–2400",
        "A: bara 1 pass i följd från dag 5",  # a lone day inside a 14-day horizon
    )
