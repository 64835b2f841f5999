"""The double-decisions review finds what the demo generator planted, and nothing else.

The generator gives korttidsvistelse to five clients with personal assistance (the double
decisions), plants a weekend stay a month for each, records no reason for two of them
(``DemoDepartment.unexplained_short_stay_client_ids``) and grants no ledsagarservice to
anyone with personal assistance. Two months of history keep the load short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from insats.demo import generate_department
from insats.demo.clients import DOUBLE_DECISIONS
from insats.domain.decisions import Insats
from insats.domain.ledger import Figure
from insats.domain.stays import StayKind
from insats.services.ledger import full_ledger
from insats.services.review_catalogue import run_review
from insats.services.uow import UnitOfWork
from tests.callers import HEAD
from tests.integration.conftest import AUTUMN

HISTORY = AUTUMN


def test_the_review_finds_the_planted_double_decisions_and_nothing_else(
        autumn_demo: Callable[[], UnitOfWork]) -> None:
    uow_factory = autumn_demo
    dept = generate_department(seed=7, start=HISTORY.start, end=dt.date(2026, 11, 1))
    report = run_review(uow_factory, caller=HEAD, name="double-decisions",
                        start=HISTORY.start, end=dt.date(2026, 11, 1), today=dept.as_of)
    clients, stays, conflicts = report.tables
    pseudonym = {c.id: c.pseudonym for c in dept.clients}

    def holding(insats: Insats) -> set[str]:
        return {d.client_id for d in dept.decisions
                if d.insats is insats and d.period.overlaps(HISTORY)}

    assistance = holding(Insats.PERSONAL_ASSISTANCE)
    planted = {s.client_id for s in dept.stays
               if s.kind is StayKind.SHORT_TERM_STAY and s.client_id in assistance}
    assert len(planted) == DOUBLE_DECISIONS
    assert planted == assistance & holding(Insats.SHORT_TERM_STAY)
    assert {r[0] for r in clients.rows} == {pseudonym[c] for c in planted}
    # every planted weekend is listed, and only the unexplained ones lose FK's payment
    planted_stays = [s for s in dept.stays if s.client_id in planted]
    assert len(stays.rows) == len(planted_stays)
    assert {r[0] for r in stays.rows if r[4] == "saknas"} \
        == {pseudonym[c] for c in dept.unexplained_short_stay_client_ids}
    assert {r[0] for r in clients.rows if r[9]} \
        == {pseudonym[c] for c in dept.unexplained_short_stay_client_ids}
    assert all(r[7] > 0 for r in clients.rows)  # assistance was performed on the stay days
    # the generator grants no ledsagarservice to anyone with personal assistance
    assert not assistance & holding(Insats.COMPANION_SERVICE)
    assert conflicts.rows == ()
    # the hours without a reason are the ones the hour ledger books as not payable
    ledger = full_ledger(uow_factory, start=HISTORY.start, end=dt.date(2026, 11, 1),
                         as_of=dept.as_of)
    not_payable: dict[str, int] = {}
    for (client_id, _), figures in ledger.months.items():
        minutes = figures.minutes(Figure.NOT_PAYABLE_SHORT_STAY)
        if minutes:
            not_payable[pseudonym[client_id]] = not_payable.get(pseudonym[client_id], 0) + minutes
    assert not_payable and {str(r[0]): r[9] for r in clients.rows if r[9]} == not_payable
