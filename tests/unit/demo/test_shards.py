"""A large demo in shards: small scales unchanged, later shards relabelled to disjoint ids
that still refer to each other, department-wide rows once. Two months, one cluster per
shard, so it runs in seconds."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from insats.demo import DemoDepartment, content_hash, counts, generate_department
from insats.demo.shards import generate_shards, shard_scales, shard_seed, sharded_hash
from insats.domain.staff import Position

START, END = dt.date(2026, 8, 1), dt.date(2026, 10, 1)
KEYED = ("units", "clients", "decisions", "employees", "groups", "templates", "shifts",
         "time_entries", "absences", "activities", "cost_entries", "contracts", "stays",
         "premises", "premises_uses", "petty_cash_cards", "card_purchases")
OFFICE = (Position.DEPARTMENT_HEAD, Position.METHOD_DEVELOPER, Position.SECRETARY,
          Position.SCHEDULER)


@pytest.fixture(scope="module")
def shards() -> list[DemoDepartment]:
    return list(generate_shards(seed=11, scale=3, start=START, end=END, shard_scale=1))


def test_shard_scales_cut_the_clusters_into_full_shards_and_the_rest() -> None:
    assert shard_scales(1) == [1]
    assert shard_scales(10) == [10]
    assert shard_scales(25) == [10, 10, 5]
    assert shard_scales(100) == [10] * 10
    assert shard_scales(3, 1) == [1, 1, 1]
    with pytest.raises(ValueError):
        shard_scales(0)


def test_up_to_the_shard_scale_the_department_is_generated_in_one_piece() -> None:
    whole = generate_department(seed=11, scale=2, start=START, end=END)

    (only,) = generate_shards(seed=11, scale=2, start=START, end=END, shard_scale=2)

    assert content_hash(only) == content_hash(whole)
    assert sharded_hash(seed=11, scale=2, start=START, end=END,
                        shard_scale=2) == content_hash(whole)


def test_the_first_shard_is_the_department_of_its_scale(
        shards: list[DemoDepartment]) -> None:
    assert content_hash(shards[0]) == content_hash(
        generate_department(seed=11, scale=1, start=START, end=END))
    assert shard_seed(11, 0) == 11 and len({shard_seed(11, i) for i in range(3)}) == 3


def test_ids_are_disjoint_across_shards(shards: list[DemoDepartment]) -> None:
    for name in KEYED:
        ids = Counter(obj.id for shard in shards for obj in getattr(shard, name))
        assert ids, name
        assert max(ids.values()) == 1, (name, ids.most_common(1))
    pseudonyms = Counter(c.pseudonym for shard in shards for c in shard.clients)
    assert max(pseudonyms.values()) == 1
    assert len({u.cost_centre for shard in shards for u in shard.units}) == 3 * 13
    assert len({u.name for shard in shards for u in shard.units}) == 3 * 13
    assert [u.id for u in shards[2].units][:2] == ["U27", "U28"]
    assert shards[2].units[0].name == "Personlig assistans Nolhaga 3"


def test_department_wide_rows_are_in_the_first_shard_only(
        shards: list[DemoDepartment]) -> None:
    first, *later = shards
    assert first.providers and first.actions and first.action_targets
    for shard in later:
        assert not shard.providers and not shard.actions
        assert not shard.action_targets and not shard.action_follow_ups
        assert shard.department == first.department
        assert not [e for e in shard.employees if e.position in OFFICE]
    office = Counter(e.position for shard in shards for e in shard.employees
                     if e.position in OFFICE)
    assert office == Counter(e.position for e in first.employees if e.position in OFFICE)
    assert office[Position.DEPARTMENT_HEAD] == 1


def test_every_reference_in_a_later_shard_resolves(shards: list[DemoDepartment]) -> None:
    def ids(name: str) -> set[str]:
        return {obj.id for shard in shards for obj in getattr(shard, name)}

    employees, groups, shifts, units = ids("employees"), ids("groups"), ids("shifts"), \
        ids("units")
    clients, costs = ids("clients"), ids("cost_entries")
    providers = ids("providers")
    centre_of = {u.id: u.cost_centre for shard in shards for u in shard.units}
    for shard in shards[1:]:
        assert {u.manager_employee_id for u in shard.units} <= employees
        assert {e.home_unit_id for e in shard.employees} <= units
        assert {g.client_id for g in shard.groups if g.client_id} <= clients
        assert {(m.employee_id in employees, m.group_id in groups)
                for m in shard.memberships} == {(True, True)}
        for entry in shard.time_entries:
            assert entry.employee_id in employees and entry.group_id in groups
            assert entry.planned_shift_id is None or entry.planned_shift_id in shifts
            assert entry.attested_by is None or entry.attested_by in employees
        assert {s.employee_id for s in shard.shifts if s.employee_id} <= employees
        assert {d.provider_id for d in shard.decisions if d.provider_id} <= providers
        assert {p for a in shard.activities for p in a.participant_ids} <= employees
        assert {p.cost_entry_id for p in shard.card_purchases} <= costs
        assert all(c.cost_centre == centre_of[c.unit_id] for c in shard.cost_entries)
        assert set(shard.unreported_group_ids) <= groups


def test_later_shards_are_generated_not_copied(shards: list[DemoDepartment]) -> None:
    def names(shard: DemoDepartment) -> list[tuple[str, str]]:
        return [(c.given_name, c.family_name) for c in shard.clients]

    assert names(shards[1]) != names(shards[0]) != names(shards[2])
    assert all(counts(shard)["time_entries"] > 0 for shard in shards)
