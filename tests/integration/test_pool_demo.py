"""The pool simulation and the sick-leave follow-up on the whole demo department, on each
backend (slow: the demo is loaded once per backend for this module).

The validation asked for by issue 5: with the demo's own history as the model, the
simulated overtime at today's pool size (30 substitutes) must contain the overtime
recorded in the last 52 weeks within its 90 % band.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.domain.access import Caller, Role, Viewer
from insats.domain.common import Period
from insats.domain.pool_model import CoverSource
from insats.domain.pool_simulation import CoverPolicy
from insats.services.pool_simulation import pool_basis, run_simulation
from insats.services.sick_leave import follow_up_list, sick_leave_report
from insats.services.uow import UnitOfWork

pytestmark = pytest.mark.slow

Factory = Callable[[], UnitOfWork]
HEAD = Caller(Viewer("a1", "avd", "Avdelningschef", Role.DEPARTMENT_HEAD), route="test")
DEMO_TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo(demo_department: Factory) -> Factory:
    return demo_department


def test_simulated_overtime_at_todays_pool_matches_the_demos_recorded_overtime(
        demo: Factory) -> None:
    basis = pool_basis(demo, caller=HEAD, today=DEMO_TODAY)
    report = run_simulation(basis, sizes=range(0, 41, 2), runs=1000, seed=2026,
                            policies=list(CoverPolicy))

    model = basis.model
    assert basis.history == Period(dt.date(2025, 1, 5), dt.date(2026, 11, 1))
    assert model.pool_size == 30 and model.recorded_weeks == 52
    check = report.validation
    assert check.within, (check.recorded_overtime / 60, check.simulated)
    # the simulated absence is the recorded absence, within its own band
    recorded_absence = model.recorded_absence * 52 / model.recorded_weeks
    assert report.simulation.absence_minutes.contains(recorded_absence)
    # and the pool, as recorded, is used to the full at today's size
    today = report.simulation.policy(CoverPolicy.POOL_FIRST).size(30)
    assert today is not None
    assert today.minutes[CoverSource.POOL].contains(model.recorded_per_year(CoverSource.POOL))


def test_the_demos_sick_leave_looks_like_care_staff_sick_leave(demo: Factory) -> None:
    report = sick_leave_report(demo, caller=HEAD, month=(2026, 10))
    lists = follow_up_list(demo, caller=HEAD, on=DEMO_TODAY)

    rate = report.total.tally.rate
    assert rate is not None and 0.05 < rate < 0.15  # the generator aims at 8–10 %
    assert report.total.sick_pay.ore > 0 and report.total.occasions > 0
    flagged = {row.employee_id for m in lists for row in m.rows}
    assert len(flagged) >= 5  # about one in ten is frequently absent
