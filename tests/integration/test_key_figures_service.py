"""Each key figure against a hand-computed example (tests/figures_world.py), and the
role rules: a unit manager sees only their units, the committee sees small counts
hidden. Amounts in kronor, hours, percent; values are kept to two decimals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from insats.domain.access import AccessDenied, Caller, Role, Viewer
from insats.domain.common import DomainError
from insats.domain.figure_catalogue import TOTAL_KEY, FigureCode, FigureReport
from insats.services.key_figures import figure_report
from insats.services.overview import forget_figures
from insats.services.uow import UnitOfWork
from tests.figures_world import END, START, TODAY, build_figures_world

F = FigureCode
SEP, OCT = "2026-09", "2026-10"


def caller(role: Role, *units: str) -> Caller:
    return Caller(Viewer(account_id="a", username="u", display_name="Test", role=role,
                         unit_ids=frozenset(units)))


@pytest.fixture
def world(uow_factory: Callable[[], UnitOfWork]) -> Callable[[], UnitOfWork]:
    forget_figures()
    with uow_factory() as uow:
        build_figures_world(uow)
        uow.commit()
    return uow_factory


def report(factory: Callable[[], UnitOfWork], role: Role = Role.DEPARTMENT_HEAD,
           *units: str, unit_ids: list[str] | None = None) -> FigureReport:
    return figure_report(factory, caller=caller(role, *units), start=START, end=END,
                         unit_ids=unit_ids, today=TODAY)


def values(r: FigureReport, code: FigureCode, unit: str | None) -> list[Decimal | None]:
    return [r.cell(code, unit, key).value for key in (SEP, OCT, TOTAL_KEY)]


def d(*numbers: str | None) -> list[Decimal | None]:
    return [None if n is None else Decimal(n) for n in numbers]


def test_every_figure_of_the_assistance_unit(world: Callable[[], UnitOfWork]) -> None:
    r = report(world)
    assert r.months == (SEP, OCT)
    assert [s.unit_id for s in r.scopes] == ["U01", "U02", None]
    expected = {
        # budget: 90 000 wages − 10 000 FK revenue a month
        F.BUDGET: d("80000", "80000", "160000"),
        # Sep: 100 000 + 40 000 + 10 000 − 60 000; Oct: 100 000 + 40 000 + 5 000 + 2 000
        # − 50 000 − 3 000
        F.OUTCOME: d("90000", "94000", "184000"),
        F.BUDGET_DEVIATION: d("-10000", "-14000", "-24000"),
        # Sep: 730 000 so far + 3 × 80 000 left + (730 000 − 720 000) / 9 × 3
        # Oct: 824 000 + 2 × 80 000 + (824 000 − 800 000) / 10 × 2; the period: October's
        F.YEAR_END_FORECAST: d("973333.33", "988800", "988800"),
        # three clients with a decision (C3's provider is private): 90 000 / 3,
        # 94 000 / 3, 184 000 / (6 client-months / 2 months)
        F.COST_PER_CLIENT: d("30000", "31333.33", "61333.33"),
        # 90 000 / 60 h, 94 000 / 26 h, 184 000 / 86 h
        F.NET_COST_PER_HOUR: d("1500", "3615.38", "2139.53"),
        # C1 7 h/week and C2 14 h/week: 21 × 30 / 7 and 21 × 31 / 7
        F.GRANTED_HOURS: d("90", "93", "183"),
        # Sep: C1 5 × 8 h, C2 2 × 10 h; Oct: 8 + 8 + 8 (E9) + 2 (overtime)
        F.PERFORMED_HOURS: d("60", "26", "86"),
        # Sep: C1 40 h against 30 h granted
        F.HOURS_BEYOND_GRANTED: d("10", "0", "10"),
        # 600 min × 140 000 kr staff cost / 3 600 performed min = 23 333,33 kr
        F.COST_BEYOND_GRANTED: d("23333.33", "0", "23333.33"),
        F.FK_REVENUE_BILLED: d("60000", "50000", "110000"),
        # S1 20 Sep, 6 h unreported × 340,50 kr (schablon 2026)
        F.FK_REVENUE_AT_RISK: d("2043", "0", "2043"),
        F.OVERTIME_HOURS: d("0", "2", "2"),
        F.OVERTIME_COST: d("0", "5000", "5000"),
        F.SUBSTITUTE_HOURS: d("0", "8", "8"),
        F.SUBSTITUTE_COST: d("0", "2000", "2000"),
        # contracted: (2 400 + 1 800) × 30 / 7 = 18 000 min in Sep, 18 600 in Oct;
        # E1 sick 20 days: 14 short (4 800 min), 6 long (2 400 × 6 / 7 = 2 057 min)
        F.SICK_RATE_SHORT: d("26.67", "0", "13.11"),
        F.SICK_RATE_LONG: d("11.43", "0", "5.62"),
        # APT 120 min, E1 and E2
        F.MEETING_TRAINING_HOURS: d("4", "0", "4"),
        # per participant 120 min × 173,08 kr/h × 1,40 = 484,62 kr
        F.MEETING_TRAINING_COST: d("969.24", "0", "969.24"),
        # Sep: C1 by E1, E2 and C2 by E2 → 3 / 2; Oct: 2 + 2 → 2; 7 / 4
        F.ASSISTANTS_PER_CLIENT: d("1.5", "2", "1.75"),
        # C1, C2 and C3 (private provider) have personal assistance on 1 October
        F.CLIENTS_ON_1_OCTOBER: d(None, "3", "3"),
        # net cost / 32 000 inhabitants 0–64: 2,8125 → 2,81; 2,9375 → 2,94; 5,75
        F.KOLADA_N28006: d("2.81", "2.94", "5.75"),
    }
    assert set(expected) == set(FigureCode)
    for code, numbers in expected.items():
        assert values(r, code, "U01") == numbers, code


def test_the_department_total_is_computed_from_the_sums(
        world: Callable[[], UnitOfWork]) -> None:
    r = report(world)
    # U02 adds 10 000 kr in September and its client C4
    assert values(r, F.OUTCOME, None) == d("100000", "94000", "194000")
    assert values(r, F.COST_PER_CLIENT, None) == d("25000", "23500", "48500")
    # 740 000 + 240 000 + 20 000 / 9 × 3; 834 000 + 160 000 + 34 000 / 10 × 2
    assert values(r, F.YEAR_END_FORECAST, None) == d("986666.67", "1000800", "1000800")
    # N28006 counts only units of personal assistance
    assert values(r, F.KOLADA_N28006, None) == d("2.81", "2.94", "5.75")
    assert values(r, F.KOLADA_N28006, "U02") == d(None, None, None)
    assert values(r, F.CLIENTS_ON_1_OCTOBER, "U02") == d(None, "0", "0")


def test_a_unit_manager_sees_only_their_units(world: Callable[[], UnitOfWork]) -> None:
    r = report(world, Role.UNIT_MANAGER, "U02")
    assert [s.unit_id for s in r.scopes] == ["U02", None]
    assert values(r, F.OUTCOME, None) == d("10000", "0", "10000")
    assert r.cell(F.OUTCOME, "U01", SEP).value is None
    with pytest.raises(AccessDenied):
        report(world, Role.UNIT_MANAGER, "U02", unit_ids=["U01"])


def test_the_committee_sees_small_counts_hidden(world: Callable[[], UnitOfWork]) -> None:
    r = report(world, Role.COMMITTEE)
    assert r.suppressed
    # U01 has 3 clients, U02 1, the department 4: every figure over clients is hidden
    for unit in ("U01", "U02", None):
        for key in (SEP, OCT, TOTAL_KEY):
            for code in (F.COST_PER_CLIENT, F.GRANTED_HOURS, F.HOURS_BEYOND_GRANTED,
                         F.ASSISTANTS_PER_CLIENT):
                cell = r.cell(code, unit, key)
                assert cell.suppressed and cell.value is None, (code, unit, key)
    assert r.cell(F.CLIENTS_ON_1_OCTOBER, "U01", OCT).suppressed
    assert r.cell(F.CLIENTS_ON_1_OCTOBER, None, TOTAL_KEY).suppressed
    # sick leave of two monthly paid employees and a substitute: hidden
    assert r.cell(F.SICK_RATE_SHORT, "U01", SEP).suppressed
    # organisational amounts are shown
    assert values(r, F.OUTCOME, "U01") == d("90000", "94000", "184000")


def test_the_period_must_be_whole_months(world: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(DomainError):
        figure_report(world, caller=caller(Role.DEPARTMENT_HEAD), start=START.replace(day=2),
                      end=END, today=TODAY)
    with pytest.raises(DomainError):
        figure_report(world, caller=caller(Role.DEPARTMENT_HEAD), start=END, end=START)
