"""The premises and expenses reviews on the demo department, against the generator's
record (what it planted, and nothing else), and the expense-claims page: the approval
queue of a unit manager's own unit, htmx decisions with the version read, a stale
version refused, the form's field errors, another unit's manager refused."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

from fastapi.testclient import TestClient

from insats.domain.expenses import ClaimStatus
from insats.services.review_catalogue import run_review
from insats.services.review_expenses import INTRODUCE_FIRST, PHASE_OUT_CLAIMS, PHASE_OUT_UNUSED
from insats.services.runtime import uow_factory_for
from tests.callers import HEAD
from tests.web.conftest import DemoWeb
from tests.web.test_reviews_staffing_pages import END, START, _generated


def test_the_premises_review_finds_what_the_generator_planted(demo_web: DemoWeb) -> None:
    dept = _generated()
    name = {p.id: p.name for p in dept.premises}
    report = run_review(uow_factory_for(demo_web.url), caller=HEAD, name="premises",
                        start=START, end=END)
    overview, proposals = report.tables
    assert {r[0] for r in overview.rows} == set(name.values())
    give_up = {r[1] for r in proposals.rows if r[0] == "Säg upp"}
    share = {(r[1], r[2]) for r in proposals.rows if r[0] == "Samlokalisera"}
    assert give_up == {name[p] for p in dept.premises_to_give_up_ids} == {"Hemsjö träffpunkt"}
    assert share == {(name[guest], name[host]) for host, guest in dept.premises_share_pairs}
    assert share == {("Korttidstillsynen Bjärke", "Korttidshemmet Lövekulle")}
    assert len(proposals.rows) == 2
    # the rent is the ledger's premises bookings of the period, all placed
    booked = sum(e.amount.ore for e in dept.cost_entries
                 if e.category.value == "lokaler" and START <= e.booked_on < END)
    assert overview.column_total(4) == booked
    assert not any("hör inte till" in f for f in report.findings)


def test_the_expenses_review_finds_the_cards_and_claims_the_generator_made(
        demo_web: DemoWeb) -> None:
    dept = _generated()
    report = run_review(uow_factory_for(demo_web.url), caller=HEAD, name="expenses",
                        start=START, end=END)
    _monthly, categories, cards, claims = report.tables
    in_period = [p for p in dept.card_purchases if START <= p.bought_on < END]
    assert categories.column_total(2) == sum(p.amount.ore for p in in_period)
    assert categories.column_total(1) == len(in_period)
    card_unit = {c.label: c.unit_id for c in dept.petty_cash_cards}
    proposal = {r[0]: r[7] for r in cards.rows}
    assert set(proposal) == set(card_unit)
    unused = {c.label for c in dept.petty_cash_cards if c.id in dept.unused_card_ids}
    adopters = set(dept.expense_adopter_unit_ids)
    assert {c for c, p in proposal.items() if p == PHASE_OUT_UNUSED} == unused
    assert {c for c, p in proposal.items() if p == PHASE_OUT_CLAIMS} == {
        c for c, u in card_unit.items() if u in adopters and c not in unused}
    assert {c for c, p in proposal.items() if p == INTRODUCE_FIRST} == {
        c for c, u in card_unit.items() if u not in adopters and c not in unused}
    # claims since the routine: the generator's submitted ones, per unit (the page tests
    # below may decide some of them, so statuses are not compared)
    unit_name = {u.id: u.name for u in dept.units}
    planted = Counter(unit_name[c.unit_id] for c in dept.expense_claims
                      if c.status is not ClaimStatus.DRAFT and START <= c.spent_on < END)
    found: Counter[str] = Counter()
    for row in claims.rows:
        found[str(row[0])] += int(row[2])  # type: ignore[call-overload]
    assert found == planted and set(found) == {unit_name[u] for u in adopters}
    first = min(c.spent_on for c in dept.expense_claims if c.status is not ClaimStatus.DRAFT)
    assert dept.expense_routine_starts is not None and first >= dept.expense_routine_starts
    assert f"infördes {first.isoformat()}" in " ".join(report.findings)


def _queue_ids(html: str) -> list[str]:
    queue = html.split('class="expense-queue"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr id="claim-([^"]+)"', queue)


def _version(html: str, claim_id: str) -> str:
    row = html.split(f'id="claim-{claim_id}"', 1)[1].split("</tr>", 1)[0]
    found = re.search(r'name="version" value="(\d+)"', row)
    assert found
    return found.group(1)


def test_a_unit_manager_decides_claims_of_their_own_unit(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    dept = _generated()
    own = demo_web.own_unit_id
    assert own in dept.expense_adopter_unit_ids
    client = signed_in("enhetschef")
    page = client.get("/expenses")
    assert page.status_code == 200
    queue = _queue_ids(page.text)
    with uow_factory_for(demo_web.url)() as uow:
        units = {c.id: c.unit_id for c in uow.expenses.claims_of_units(
            [own], statuses=[ClaimStatus.SUBMITTED])}
    assert queue and set(queue) == set(units)  # own unit only, every submitted claim
    claim_id = queue[0]
    version = _version(page.text, claim_id)
    other = signed_in("enhetschef2")
    refused = other.post(f"/expenses/{claim_id}/approve",
                         data={"version": version, "csrf_token": other.csrf},  # type: ignore
                         follow_redirects=False)
    assert refused.status_code == 403
    done = client.post(f"/expenses/{claim_id}/approve", data={"version": version},
                       headers={"HX-Request": "true",
                                "X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
    assert done.status_code == 200 and "Attesterad" in done.text
    assert done.text.lstrip().startswith(f'<tr id="claim-{claim_id}"')  # the row, swapped
    stale = client.post(f"/expenses/{claim_id}/reject",
                        data={"version": version, "reason": "Dubblett"},
                        headers={"HX-Request": "true",
                                 "X-CSRF-Token": client.csrf})  # type: ignore[attr-defined]
    assert "ändrats av någon annan" in stale.text
    plain = client.post(f"/expenses/{claim_id}/reject",
                        data={"version": version, "reason": "Dubblett",
                              "csrf_token": client.csrf},  # type: ignore[attr-defined]
                        follow_redirects=False)
    assert plain.status_code == 409
    assert claim_id not in _queue_ids(client.get("/expenses").text)


def test_the_form_shows_field_errors_and_registers_a_claim(
        demo_web: DemoWeb, signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("samordnare")
    page = client.get("/expenses")
    assert page.status_code == 200 and 'class="expense-queue"' not in page.text  # no approving
    employee = re.search(r'<option value="(E[^"]+)"', page.text)
    assert employee
    token = client.csrf  # type: ignore[attr-defined]
    wrong = client.post("/expenses", data={"employee_id": employee.group(1), "amount": "tolv",
                                           "spent_on": "", "description": "Bio",
                                           "csrf_token": token})
    assert wrong.status_code == 400
    assert "Ange beloppet i kronor" in wrong.text and "Ange datum" in wrong.text
    made = client.post("/expenses", data={
        "employee_id": employee.group(1), "amount": "245,50",
        "spent_on": dt.date.today().isoformat(), "description": "Bio med brukare",
        "receipt_reference": "KV-77", "csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303
    shown = client.get(made.headers["location"])
    mine = shown.text.split("Mina registrerade utlägg", 1)[1]
    assert "KV-77" in mine and "245,50" in mine
    assert signed_in("namnd").get("/expenses").status_code == 403
    economist = signed_in("ekonom").get("/expenses")
    assert economist.status_code == 200 and "Enheternas utlägg" in economist.text
    assert "Registrera utlägg" not in economist.text
