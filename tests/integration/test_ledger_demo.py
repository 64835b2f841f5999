"""The ledger finds exactly the problems the demo generator planted, and nothing else.

The generator records what it planted (``DemoDepartment``): over-scheduled cases, groups
that leave shifts unreported, hospital stays without särskilda skäl, korttidsvistelse days
without a reason, a group's late month and an assistant above 48 h. Findings are taken per
settlement period with the dated materiality share ``ledger.finding_share``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

import pytest

from insats.demo import generate_department
from insats.domain.findings import FindingKind, find
from insats.domain.ledger import Figure
from insats.services.demo import DEMO_HISTORY
from insats.services.ledger import Window, drill_down, full_ledger
from insats.services.rules import rule_value
from insats.services.uow import UnitOfWork

pytestmark = pytest.mark.slow


def test_the_ledger_finds_what_was_planted_and_nothing_else(
        demo_department: Callable[[], UnitOfWork]) -> None:
    uow_factory = demo_department
    dept = generate_department()
    start, end = DEMO_HISTORY.start, DEMO_HISTORY.end
    assert end is not None
    ledger = full_ledger(uow_factory, start=start, end=end, as_of=end)
    share = rule_value(uow_factory, "ledger.finding_share", end)
    found: dict[tuple[FindingKind, Figure], set[str]] = defaultdict(set)
    for (client_id, first), figures in ledger.periods.items():
        for finding in find(client_id, first, first, figures, share_permille=share):
            found[(finding.kind, finding.figure)].add(client_id)

    client_of_group = {g.id: g.client_id for g in dept.groups}
    client_of_stay = {s.id: s.client_id for s in dept.stays}
    assert dept.late_report_group_month is not None
    assert dept.over_limit_employee_month is not None
    expected = {
        (FindingKind.BEYOND_GRANT, Figure.BEYOND): set(dept.over_scheduled_client_ids),
        (FindingKind.SCHEDULED_OVER_GRANT, Figure.SCHEDULED):
            set(dept.over_scheduled_client_ids),
        (FindingKind.UNREPORTED, Figure.UNREPORTED):
            {client_of_group[g] for g in dept.unreported_group_ids},
        (FindingKind.NOT_PAYABLE, Figure.NOT_PAYABLE_HOSPITAL):
            {client_of_stay[s] for s in dept.unpaid_hospital_stay_ids},
        (FindingKind.NOT_PAYABLE, Figure.NOT_PAYABLE_SHORT_STAY):
            set(dept.unexplained_short_stay_client_ids),
        (FindingKind.NOT_PAYABLE, Figure.NOT_PAYABLE_LATE):
            {client_of_group[dept.late_report_group_month[0]]},
    }
    over_limit = found.pop((FindingKind.NOT_PAYABLE, Figure.NOT_PAYABLE_OVER_LIMIT))
    assert dict(found) == expected
    # the minutes above 48 h belong to the planted assistant and month, on any client
    employee_id, month = dept.over_limit_employee_month
    pseudonym = {c.id: c.pseudonym for c in dept.clients}
    following = (month + dt.timedelta(days=32)).replace(day=1)
    for client_id in over_limit:
        items = [item for first in (month, following)
                 for item in drill_down(uow_factory, client_pseudonym=pseudonym[client_id],
                                        window=Window.month(first.year, first.month),
                                        as_of=end, figure=Figure.NOT_PAYABLE_OVER_LIMIT).items]
        # the stretch that went over started in the month (it may end the next day)
        assert items and {i.detail for i in items} == {employee_id}
    over_limit_months = {first for (_, first), figures in ledger.months.items()
                         if figures.minutes(Figure.NOT_PAYABLE_OVER_LIMIT)}
    assert month in over_limit_months and over_limit_months <= {month, following}
    # the late month is the only month with late-report minutes
    late_group, late_month = dept.late_report_group_month
    late_client = client_of_group[late_group]
    late_months = {first for (client_id, first), figures in ledger.months.items()
                   if figures.minutes(Figure.NOT_PAYABLE_LATE)}
    assert late_months == {late_month}
    assert ledger.months[(late_client, late_month)].minutes(Figure.NOT_PAYABLE_LATE) > 0
    assert dt.date(2026, 1, 1) in {first for _, first in ledger.months}
