"""The demo department: organisation figures from seed 001, validity, determinism and the
planted problems that follow-up features must find. Generated once per module."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter, defaultdict

import pytest

from insats.demo import (
    DemoDepartment,
    content_hash,
    counts,
    department_result,
    generate_department,
    scheduled_over_granted,
    sick_leave_rate,
    unreported_shift_ids,
)
from insats.domain.absence import AbsenceKind
from insats.domain.calendar import local_date
from insats.domain.decisions import Insats, LegalBasis, Payer, decision_conflicts
from insats.domain.economy import AccountCategory
from insats.domain.organisation import UnitKind
from insats.domain.staff import Agreement, EmploymentForm, Position
from insats.domain.time_reports import TimeEntryStatus, TimeKind

SHORT_START, SHORT_END = dt.date(2025, 1, 1), dt.date(2025, 2, 15)


@pytest.fixture(scope="module")
def dept() -> DemoDepartment:
    return generate_department()


def _pa_clients(dept: DemoDepartment, basis: LegalBasis) -> dict[str, set[str]]:
    """client id -> provider ids of its personal-assistance decisions on ``basis``."""
    result: dict[str, set[str]] = defaultdict(set)
    for d in dept.decisions:
        if d.insats is Insats.PERSONAL_ASSISTANCE and d.legal_basis is basis:
            result[d.client_id].add(d.provider_id)
    return result


def test_department_is_alingsas(dept: DemoDepartment) -> None:
    assert dept.department.municipality_code == "1489"
    assert dept.department.name == "Avdelningen för personlig assistans och stöd"
    head = {e.id: e for e in dept.employees}[dept.department.head_employee_id or ""]
    assert head.position is Position.DEPARTMENT_HEAD


def test_sfb_and_lss_case_counts(dept: DemoDepartment) -> None:
    municipal = {p.id for p in dept.providers if p.is_municipal}
    sfb = _pa_clients(dept, LegalBasis.SFB)
    assert len(sfb) == 89
    assert sum(1 for providers in sfb.values() if providers <= municipal) == 39
    assert sum(1 for providers in sfb.values() if not providers & municipal) == 50
    lss = _pa_clients(dept, LegalBasis.LSS)
    assert len(lss) == 26
    assert all(providers <= municipal for providers in lss.values())
    for d in dept.decisions:
        if d.legal_basis is LegalBasis.SFB:
            assert d.payer is Payer.FK and 40 * 60 <= (d.granted_minutes_per_week or 0) <= 10080
        if d.legal_basis is LegalBasis.LSS and d.insats is Insats.PERSONAL_ASSISTANCE:
            assert d.payer is Payer.MUNICIPALITY


def test_units_and_managers(dept: DemoDepartment) -> None:
    kinds = Counter(u.kind for u in dept.units)
    assert kinds[UnitKind.SHORT_TERM_STAY] == 3
    assert kinds[UnitKind.PERSONAL_ASSISTANCE] >= 3
    for kind in (UnitKind.SHORT_TERM_SUPERVISION, UnitKind.SUPPORT_FAMILIES,
                 UnitKind.CONTACT_PERSONS, UnitKind.RESOURCE_UNIT, UnitKind.SURPLUS_TEAM):
        assert kinds[kind] == 1
    assert all(u.places for u in dept.units if u.kind is UnitKind.SHORT_TERM_STAY)
    managers = {e.id for e in dept.employees if e.position is Position.UNIT_MANAGER}
    assert len(managers) == 8
    assert {u.manager_employee_id for u in dept.units} == managers
    positions = Counter(e.position for e in dept.employees)
    assert positions[Position.DEPARTMENT_HEAD] == 1
    assert positions[Position.METHOD_DEVELOPER] == 2
    assert positions[Position.SECRETARY] == 1
    assert positions[Position.SCHEDULER] >= 1


def test_staff_size_and_terms(dept: DemoDepartment) -> None:
    assert 230 <= len(dept.employees) <= 270
    surplus_units = {u.id for u in dept.units if u.kind is UnitKind.SURPLUS_TEAM}
    assert 5 <= sum(1 for e in dept.employees if e.home_unit_id in surplus_units) <= 7
    for e in dept.employees:
        if e.position in (Position.ASSISTANT, Position.CARE_WORKER) and e.monthly_wage:
            full_time = e.monthly_wage.ore * 100 // e.employment_percent
            assert 26_000_00 <= full_time <= 32_000_00
        if e.employment_form is EmploymentForm.HOURLY:
            assert e.hourly_wage is not None and 150_00 <= e.hourly_wage.ore <= 175_00
    pan = [e for e in dept.employees if e.agreement is Agreement.PAN]
    assert pan and all(e.employment_form is EmploymentForm.FIXED_TERM for e in pan)
    carers = [e for e in dept.employees if e.position is Position.CARER_RELATIVE]
    assert len(carers) >= 5
    assert any(e.in_substitute_pool and e.employment_form is EmploymentForm.HOURLY
               for e in dept.employees)
    assert any(e.agreement is Agreement.AB_BILAGA_J for e in dept.employees)


def test_exactly_five_double_decisions(dept: DemoDepartment) -> None:
    by_client = defaultdict(list)
    for d in dept.decisions:
        by_client[d.client_id].append(d)
    doubles = [c for c, ds in by_client.items()
               if any(f[1] == "decision.double_stay" for f in decision_conflicts(ds))]
    assert len(doubles) == 5
    assert not any(f[0] == "error" for ds in by_client.values() for f in decision_conflicts(ds))


def test_decision_history_and_variants(dept: DemoDepartment) -> None:
    ids = {d.id for d in dept.decisions}
    replaced = [d for d in dept.decisions if d.replaces_decision_id]
    assert replaced and all(d.replaces_decision_id in ids for d in replaced)
    assert sum(1 for d in dept.decisions if d.increased_rate) >= 2
    assert any(d.granted_minutes_total for d in dept.decisions)
    assert any(d.double_assistance_minutes_per_week for d in dept.decisions)
    insatser = {d.insats for d in dept.decisions}
    assert {Insats.SHORT_TERM_STAY, Insats.SHORT_TERM_SUPERVISION, Insats.COMPANION_SERVICE,
            Insats.RELIEF_SERVICE, Insats.CONTACT_PERSON, Insats.HOUSING_SUPPORT} <= insatser
    lapsed = [p for p in dept.providers if p.ivo_permit and p.ivo_permit.end]
    assert len(lapsed) == 1


def test_clients_are_synthetic(dept: DemoDepartment) -> None:
    assert len({c.identity.digits for c in dept.clients}) == len(dept.clients)
    for c in dept.clients:
        assert 980 <= int(c.identity.digits[8:11]) <= 999
        assert c.latitude is not None and abs(c.latitude - 57.93) < 0.1
        assert c.longitude is not None and abs(c.longitude - 12.53) < 0.1


def test_groups_and_memberships(dept: DemoDepartment) -> None:
    municipal_pa = {d.client_id for d in dept.decisions
                    if d.insats is Insats.PERSONAL_ASSISTANCE and d.provider_id == "P00"}
    client_groups = [g for g in dept.groups if g.client_id in municipal_pa]
    assert len(client_groups) == len(municipal_pa) == 65
    ktv_units = {u.id for u in dept.units if u.kind is UnitKind.SHORT_TERM_STAY}
    ktv_groups = [g for g in dept.groups if g.unit_id in ktv_units]
    assert len(ktv_groups) == 3
    assert all(g.client_id is None and g.breaks_allowed for g in ktv_groups)
    regular = Counter(m.group_id for m in dept.memberships if m.is_regular)
    assert all(4 <= regular[g.id] <= 10 for g in client_groups)
    groups_per_employee = Counter(m.employee_id for m in dept.memberships if m.is_regular)
    assert any(n >= 2 for n in groups_per_employee.values())


def test_private_cases_only_basansvar_shifts(dept: DemoDepartment) -> None:
    private = {c for c, ps in _pa_clients(dept, LegalBasis.SFB).items() if "P00" not in ps}
    groups = [g for g in dept.groups if g.client_id in private]
    assert 1 <= len(groups) <= 5
    ids = {g.id for g in groups}
    episode_shifts = [s for s in dept.shifts if s.group_id in ids]
    assert 0 < len(episode_shifts) <= 60


def test_shifts_follow_templates_across_dst(dept: DemoDepartment) -> None:
    templates = {t.id: t for t in dept.templates}
    for shift in dept.shifts:
        assert shift.start.utcoffset() == dt.timedelta(0)
        if shift.template_id is not None:
            assert shift.length.value == templates[shift.template_id].length_minutes
    first = min(local_date(s.start) for s in dept.shifts)
    last = max(local_date(s.start) for s in dept.shifts)
    assert first == dept.start and last == dept.end - dt.timedelta(days=1)


def test_no_employee_has_overlapping_shifts(dept: DemoDepartment) -> None:
    by_employee = defaultdict(list)
    for shift in dept.shifts:
        if shift.employee_id is not None:
            by_employee[shift.employee_id].append((shift.start, shift.end))
    for intervals in by_employee.values():
        intervals.sort()
        for (_, end), (start, _) in itertools.pairwise(intervals):
            assert start >= end


def test_objects_validate_again(dept: DemoDepartment) -> None:
    for name in counts(dept):
        objects = getattr(dept, name)
        assert objects, name
        for obj in objects[:: max(1, len(objects) // 500)]:
            assert dataclasses.replace(obj) == obj
    for name in counts(dept):
        ids = [getattr(o, "id", None) for o in getattr(dept, name)]
        if ids[0] is not None:
            assert len(set(ids)) == len(ids), name


def test_time_entries_attested_after_month_end(dept: DemoDepartment) -> None:
    cutoff = dept.as_of.replace(day=1)
    statuses = Counter(e.status for e in dept.time_entries)
    assert statuses[TimeEntryStatus.ATTESTED] > statuses[TimeEntryStatus.REPORTED] > 0
    for entry in dept.time_entries[::97]:
        day = local_date(entry.start)
        assert day < cutoff
        if entry.attested_at is not None:
            assert (local_date(entry.attested_at).year, local_date(entry.attested_at).month) > (
                day.year, day.month)


def test_planted_over_scheduling(dept: DemoDepartment) -> None:
    over = scheduled_over_granted(dept, 2025, 10)
    assert any(scheduled >= granted * 105 // 100 for _, scheduled, granted in over)
    assert sum(1 for _, s, g in over if s >= g * 105 // 100) <= 6


def test_planted_unreported_shifts(dept: DemoDepartment) -> None:
    missing = unreported_shift_ids(dept)
    shifts = {s.id: s for s in dept.shifts}
    assert missing
    planted = Counter(shifts[i].group_id for i in missing if
                      shifts[i].group_id in dept.unreported_group_ids)
    assert sum(planted.values()) >= len(missing) // 3
    reported_months = sum(1 for s in dept.shifts if s.employee_id
                          and local_date(s.start) < dept.as_of.replace(day=1))
    assert 0.005 < len(missing) / reported_months < 0.05


def test_planted_sick_leave(dept: DemoDepartment) -> None:
    assert 0.06 <= sick_leave_rate(dept) <= 0.12
    sick = [a for a in dept.absences if a.kind is AbsenceKind.SICK]
    assert any(a.days > 60 for a in sick)
    by_employee = defaultdict(list)
    for a in sick:
        by_employee[a.employee_id].append(a.period.start)
    frequent = [e for e, starts in by_employee.items()
                if any(sum(1 for s in starts if first <= s < first + dt.timedelta(days=365)) >= 6
                       for first in starts)]
    assert len(frequent) >= 5
    assert any(a.kind is AbsenceKind.CARE_OF_CHILD for a in dept.absences)


def test_absence_covered_by_overtime_or_substitutes(dept: DemoDepartment) -> None:
    kinds = Counter(e.kind for e in dept.time_entries)
    assert kinds[TimeKind.OVERTIME] > 0 and kinds[TimeKind.EXTRA] > 0
    pool = {e.id for e in dept.employees if e.in_substitute_pool}
    assert any(e.employee_id in pool for e in dept.time_entries)


def test_planted_ob_claims_by_relative_carers(dept: DemoDepartment) -> None:
    carers = {e.id for e in dept.employees if e.position is Position.CARER_RELATIVE}
    carer_entries = [e for e in dept.time_entries if e.employee_id in carers]
    assert any(e.ob_claimed for e in carer_entries)
    assert any(not e.ob_claimed for e in carer_entries)


def test_activities(dept: DemoDepartment) -> None:
    apt = [a for a in dept.activities if a.kind.value == "apt"]
    assert apt and all(a.duration_minutes == 180 and a.participant_ids for a in apt)
    assert any(a.kind.value == "utbildning" and len(a.participant_ids) >= 40
               for a in dept.activities)
    assert any(a.substitutes_needed > 0 for a in dept.activities)


def test_economy_magnitudes(dept: DemoDepartment) -> None:
    totals: Counter[AccountCategory] = Counter()
    for c in dept.cost_entries:
        if c.booked_on.year == 2025:
            totals[c.category] += c.amount.ore
    assert 3_000_000_00 <= totals[AccountCategory.OVERTIME] <= 5_000_000_00
    assert totals[AccountCategory.FK_REVENUE] > 0 and totals[AccountCategory.SALES_REVENUE] > 0
    assert -13_500_000_00 <= department_result(dept, 2025).ore <= -9_500_000_00
    texts = " ".join(c.description for c in dept.cost_entries)
    assert "skolskjuts" in texts and "Handkassekort" in texts and "nyttjas" in texts
    months = {(b.unit_id, b.year, b.month) for b in dept.budgets}
    assert len(months) >= len(dept.units) * 22 * 0.8


def test_actions(dept: DemoDepartment) -> None:
    assert len(dept.actions) == 22  # 13 of seed 001, 5 of seed 003, 4 unit-level
    activities = {a.activity for a in dept.actions}
    assert "Ej utföra mer tid än beviljad" in activities
    assert "Sänka sjukfrånvaron" in activities
    assert {a.unit_id for a in dept.actions} >= {None, "U01", "U02"}
    targeted = {t.action_id for t in dept.action_targets}
    assert targeted == {a.id for a in dept.actions}  # every action has a key figure
    assert {f.action_id for f in dept.action_follow_ups} >= {"A14", "A15", "A16", "A17", "A18"}


def test_same_seed_same_hash_and_different_seed_differs() -> None:
    first = generate_department(seed=7, start=SHORT_START, end=SHORT_END)
    again = generate_department(seed=7, start=SHORT_START, end=SHORT_END)
    other = generate_department(seed=8, start=SHORT_START, end=SHORT_END)
    assert content_hash(first) == content_hash(again)
    assert counts(first) == counts(again)
    assert content_hash(first) != content_hash(other)


def test_scale_two_doubles_the_department() -> None:
    one = generate_department(seed=3, start=SHORT_START, end=SHORT_END)
    two = generate_department(seed=3, scale=2, start=SHORT_START, end=SHORT_END)
    assert len(two.clients) == 2 * len(one.clients)
    assert len(two.units) == 2 * len(one.units)
    assert 1.8 <= len(two.employees) / len(one.employees) <= 2.1
