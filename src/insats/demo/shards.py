"""A large demo department in shards, so that generating and storing it needs bounded memory.

Up to ``SHARD_SCALE`` clusters the department is generated in one piece, exactly as
``generate_department`` makes it (scale 1 and 10 keep their content and content hash).
Above it the clusters are cut into shards of at most ``SHARD_SCALE`` clusters. Shard 0 is
``generate_department(seed=seed, scale=SHARD_SCALE)`` unchanged, with everything that is the
department's: the department, the providers, the action plan, the avdelningschef and the
office. Every later shard is generated with a seed of its own (``shard_seed``) and without
the department's staff, then relabelled after the shards before it:

- every sequential id (units, clients, pseudonyms, decisions, employees, groups, schedule
  lines, shifts, time entries, absences, meetings, cost entries, stays, contracts,
  premises, cards, purchases) is moved past the largest number of its kind so far, so ids
  are disjoint and, kind by kind, follow on from the shard before;
- unit names and cost centres follow the unit's number as if one department had been
  generated (cluster 11 is ``Personlig assistans Nolhaga 11``, cost centre ``741310``);
- references to the avdelningschef point at the first shard's; providers (P00–P06), the
  department (AVD01) and the actions keep their ids and are not repeated.

Each shard carries the patterns planted per generation (two groups with unreported time,
an over-limit month, late reports, trainings in large groups) for its own clusters.
Texts that name a unit of the shard (meeting titles, premises names) keep the shard's own
cluster numbering: they are labels, not keys.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from insats.demo import organisation as org
from insats.demo.generator import DemoDepartment, content_hash, generate_department
from insats.demo.staff import SHARD_HEAD_ID
from insats.domain.economy import CostEntry
from insats.domain.organisation import Unit

SHARD_SCALE = 10
_ID = re.compile(r"^([A-Z]+-?)(\d+)$")
_PSEUDONYM = re.compile(r"B-(\d+)")
_KEPT_PREFIXES = frozenset({"A", "AVD", "P"})  # actions, the department, providers
_DEPARTMENT_WIDE = ("providers", "actions", "action_targets", "action_follow_ups")


def shard_scales(scale: int, shard_scale: int = SHARD_SCALE) -> list[int]:
    """Clusters per shard: ``[scale]`` up to ``shard_scale``, else full shards and the rest."""
    if scale < 1 or shard_scale < 1:
        raise ValueError("scale and shard_scale must be at least 1")
    full, rest = divmod(scale, shard_scale)
    return [shard_scale] * full + ([rest] if rest else [])


def shard_seed(seed: int, index: int) -> int:
    """The seed of shard ``index``: the department's own for the first."""
    return seed if index == 0 else seed * 1000 + index


def generate_shards(*, seed: int = 2026, scale: int = 1, start: dt.date = dt.date(2025, 1, 1),
                    end: dt.date = dt.date(2026, 11, 1), as_of: dt.date | None = None,
                    shard_scale: int = SHARD_SCALE) -> Iterator[DemoDepartment]:
    """The department's shards in order, one at a time (see the module docstring).

    A shard is made only when the previous one has been taken, and the generator keeps no
    reference to it afterwards, so a caller that stores and drops each shard holds one at
    a time. Later shards have no providers and no actions; their ``department`` is the
    first shard's.
    """
    relabel: _Relabeller | None = None
    for index, clusters in enumerate(shard_scales(scale, shard_scale)):
        shard = generate_department(seed=shard_seed(seed, index), scale=clusters,
                                    start=start, end=end, as_of=as_of,
                                    department_staff=index == 0)
        if relabel is None:
            relabel = _Relabeller(shard)
        else:
            shard = relabel.shard(shard)
        yield shard
        del shard


def combined_hash(hashes: list[str]) -> str:
    """The content hash of a sharded department: the shards' own hashes, in order. One
    shard's is its own, so an unsharded department keeps its ``content_hash``."""
    if len(hashes) == 1:
        return hashes[0]
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


def sharded_hash(**kwargs: Any) -> str:
    """``combined_hash`` of ``generate_shards(**kwargs)`` (for tests and benchmarks)."""
    return combined_hash([content_hash(shard) for shard in generate_shards(**kwargs)])


class _Relabeller:
    """Moves the ids of later shards past those of the shards before them."""

    def __init__(self, first: DemoDepartment) -> None:
        self.department = first.department
        self.head_id = first.department.head_employee_id or SHARD_HEAD_ID
        self.largest: dict[str, int] = {}
        self._note_largest(first)
        self.offsets: dict[str, int] = {}
        self._texts: dict[str, str] = {}

    def shard(self, shard: DemoDepartment) -> DemoDepartment:
        self.offsets = dict(self.largest)
        self._texts = {}
        changes: dict[str, Any] = {name: () for name in _DEPARTMENT_WIDE}
        changes["department"] = self.department
        for field in dataclasses.fields(shard):
            if field.name in changes or field.name == "department":
                continue
            value = getattr(shard, field.name)
            if isinstance(value, tuple):
                changes[field.name] = tuple(self._value(v) for v in value)
        relabelled = dataclasses.replace(shard, **changes)
        self._texts = {}
        self._note_largest(relabelled)
        return relabelled

    def _note_largest(self, shard: DemoDepartment) -> None:
        for field in dataclasses.fields(shard):
            value = getattr(shard, field.name)
            if not isinstance(value, tuple):
                continue
            for obj in value:
                for text in self._ids_of(obj):
                    match = _ID.match(text)
                    if match and match.group(1) not in _KEPT_PREFIXES:
                        prefix, number = match.group(1), int(match.group(2))
                        if number > self.largest.get(prefix, 0):
                            self.largest[prefix] = number

    @staticmethod
    def _ids_of(obj: object) -> Iterator[str]:
        """The ids an object is known by (its ``id``; a client's pseudonym)."""
        for name in ("id", "pseudonym"):
            text = getattr(obj, name, None)
            if isinstance(text, str):
                yield text

    def _value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, tuple):
            return tuple(self._value(v) for v in value)
        if isinstance(value, frozenset):
            return frozenset(self._value(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._record(value)
        return value

    def _record(self, obj: Any) -> Any:
        names = _FIELD_NAMES.get(type(obj))
        if names is None:  # the fields that can hold an id: text, tuples and sets
            names = _FIELD_NAMES[type(obj)] = tuple(
                f.name for f in dataclasses.fields(obj)
                if any(word in str(f.type) for word in ("str", "tuple", "frozenset")))
        changes: dict[str, Any] = {}
        for name in names:
            old = getattr(obj, name)
            if type(old) is str:
                new = self._text(old)
            elif isinstance(old, tuple | frozenset):
                new = self._value(old)
            else:
                continue
            if new is not old and new != old:
                changes[name] = new
        if isinstance(obj, Unit):
            cluster, index = _unit_place(changes.get("id", obj.id))
            changes["name"] = org.unit_name(cluster, org.CLUSTER_UNITS[index])
            changes["cost_centre"] = org.cost_centre(cluster, index)
        elif isinstance(obj, CostEntry):
            changes["cost_centre"] = org.cost_centre(*_unit_place(
                changes.get("unit_id", obj.unit_id)))
        return dataclasses.replace(obj, **changes) if changes else obj

    def _text(self, text: str) -> str:
        known = self._texts.get(text)
        if known is None:
            known = self._texts[text] = self._relabelled(text)
        return known

    def _relabelled(self, text: str) -> str:
        match = _ID.match(text)
        if match is None:
            if "B-" in text:  # a group named after its client's pseudonym
                return _PSEUDONYM.sub(lambda m: self._text(m.group(0)), text)
            return text
        prefix, digits = match.group(1), match.group(2)
        if prefix in _KEPT_PREFIXES:
            return text
        if text == SHARD_HEAD_ID:
            return self.head_id
        return f"{prefix}{int(digits) + self.offsets.get(prefix, 0):0{len(digits)}d}"


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _unit_place(unit_id: str) -> tuple[int, int]:
    """(cluster, index in the cluster) of a unit id ``U<n>``."""
    return divmod(int(unit_id[1:]) - 1, org.UNITS_PER_CLUSTER)
