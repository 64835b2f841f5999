"""Use cases: check time reports, the approval queue, attest, correct and reject (issue 5).

The checks are those of :mod:`insats.domain.time_checks`, on the entries reported in the
units' groups in a month, with every entry of the same employees (any unit, the calendar
weeks around the month) and of the same groups as context. Units are checked a batch at a
time (whole units, about :data:`BATCH_GROUPS` groups). Scope is enforced here: the caller needs
``VIEW_STAFF`` to read and ``ATTEST_TIME`` to attest, correct or reject, and a unit-scoped
caller only reaches their own units. Every read of time reports writes one access-log line
per entry (object kind ``time_entry``); every change writes a create or update line in the
same unit of work. Attested rows never change (the repository refuses it); a correction is
a new row pointing to the one it replaces. Concurrent changes are refused through the
repository's optimistic versions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from insats.db.repositories import rosters as queries
from insats.db.repositories._base import NotFoundError
from insats.db.repositories.time_checks import (
    entries_of_employees,
    entries_of_groups,
    published_shift_spans,
)
from insats.domain.access import AccessDenied, AuditAction, Caller, Capability
from insats.domain.calendar import local_date, local_datetime
from insats.domain.common import DomainError, Period
from insats.domain.decisions import Decision
from insats.domain.ob_calendar import shared_pay_calendar
from insats.domain.rules.parameters import RuleBook
from insats.domain.scheduling import AssistanceGroup
from insats.domain.staff import Employee
from insats.domain.time_checks import (
    CheckContext,
    FlagCode,
    TimeFlag,
    check_time_entries,
    context_span,
    counting,
)
from insats.domain.time_reports import TimeEntry, TimeEntryStatus, TimeKind
from insats.services.audit import Touched, log
from insats.services.collector import collector_paused
from insats.services.form_input import FormInputError, clean_free_text, parse_moment
from insats.services.runtime import UowFactory
from insats.services.uow import UnitOfWork
from insats.services.working_time import rules_on

OBJECT_KIND = "time_entry"
# Groups whose month is checked together. A batch's context is read once for all its
# employees; smaller batches mean more queries, larger ones a working set that no longer
# fits the processor's caches (four months of the scale-10 demo: at once 18.8 s, unit by
# unit 18.5 s, in batches of 6-8 units, about this size, 13.4-13.7 s).
BATCH_GROUPS = 40


@dataclass(frozen=True, slots=True)
class MonthBatch:
    """Whole units checked together: their groups, and every entry of those groups that
    starts in the month (attested, rejected and replaced ones included)."""

    unit_ids: tuple[str, ...]
    groups: dict[str, AssistanceGroup]
    entries: list[TimeEntry]


def month_batches(uow: UnitOfWork, unit_ids: Sequence[str], month: Period,
                  ) -> Iterator[MonthBatch]:
    """The units in their order, in batches of whole units with about
    :data:`BATCH_GROUPS` groups (a unit with more is a batch of its own), each with its
    month's entries read when it is reached: one batch is held at a time."""
    assert month.end is not None
    start = local_datetime(month.start, dt.time())
    end = local_datetime(month.end, dt.time())
    by_unit: dict[str, list[AssistanceGroup]] = {unit_id: [] for unit_id in unit_ids}
    for group in queries.groups_of_units(uow.session, unit_ids):
        by_unit[group.unit_id].append(group)
    batch: list[str] = []
    groups: dict[str, AssistanceGroup] = {}
    for position, unit_id in enumerate(unit_ids):
        batch.append(unit_id)
        groups.update((g.id, g) for g in by_unit[unit_id])
        if len(groups) >= BATCH_GROUPS or position == len(unit_ids) - 1:
            yield MonthBatch(tuple(batch), groups,
                             entries_of_groups(uow.session, groups, start, end))
            batch, groups = [], {}


@dataclass(frozen=True, slots=True)
class CheckedEntry:
    entry: TimeEntry
    unit_id: str
    flags: list[TimeFlag]
    version: int | None = None  # the stored version, carried by the attest and reject forms

    @property
    def clean(self) -> bool:
        return not self.flags


@dataclass(frozen=True, slots=True)
class TimeCheck:
    """The checked entries of a month in some units, with their flags."""

    month: dt.date
    unit_ids: tuple[str, ...]
    entries: list[CheckedEntry]
    employees: dict[str, Employee]

    def counts(self) -> dict[FlagCode, int]:
        """Entries per flag kind (an entry counts once per kind)."""
        found: dict[FlagCode, int] = {}
        for checked in self.entries:
            for code in {f.code for f in checked.flags}:
                found[code] = found.get(code, 0) + 1
        return {code: found[code] for code in FlagCode if code in found}

    @property
    def flagged(self) -> int:
        return sum(1 for c in self.entries if c.flags)


def _month_period(month: dt.date) -> Period:
    return Period.month(month.year, month.month)


def _scope_units(uow: UnitOfWork, caller: Caller,
                 unit_ids: Collection[str] | None) -> list[str]:
    known = [u.id for u in uow.organisation.units()]
    if unit_ids is None:
        return [u for u in known if caller.viewer.sees_unit(u)]
    for unit_id in unit_ids:
        if unit_id not in known:
            raise NotFoundError("Enheten", unit_id)
        if not caller.viewer.sees_unit(unit_id):
            log(uow, caller, AuditAction.DENIED, [Touched("unit", unit_id, None, unit_id)])
            uow.commit()
            raise AccessDenied("Enheten ingår inte i din behörighet.")
    return list(dict.fromkeys(unit_ids))


def flags_of(uow: UnitOfWork, checked: Sequence[TimeEntry], month: Period, *,
             known: Sequence[TimeEntry] = (), read_groups: Collection[str] = (),
             book: RuleBook | None = None) -> dict[str, list[TimeFlag]]:
    """The flags of ``checked`` (entries of ``month``) with their context read in ``uow``.

    ``known`` are entries already read that belong to the context: every entry of the
    checked entries' groups in the month (the client's other time, whoever worked it),
    else they are read here; ``read_groups`` are the groups whose month ``known`` holds
    (also those it found empty). ``book`` is the rule book, read here when not given (a
    caller checking batch after batch reads it once). The employees' own entries, in
    every group and over the span the checks need
    (:func:`insats.domain.time_checks.context_span`: the calendar weeks and a day or two
    around), are always read. The cyclic collector is paused meanwhile
    (a month of a large department is about a million small objects: context entries,
    intervals, flags).
    """
    if not checked:
        return {}
    with collector_paused():
        return _flags_of(uow, checked, month, known, read_groups,
                         book if book is not None else uow.rules.rule_book())


def _flags_of(uow: UnitOfWork, checked: Sequence[TimeEntry], month: Period,
              known: Sequence[TimeEntry], read_groups: Collection[str], book: RuleBook,
              ) -> dict[str, list[TimeFlag]]:
    assert month.end is not None
    month_start = local_datetime(month.start, dt.time())
    month_end = local_datetime(month.end, dt.time())
    working_time = rules_on(book, month.start)
    start, end = context_span(min(month_start, min(e.start for e in checked)),
                              max(month_end, max(e.end for e in checked)), working_time)
    employee_ids = {e.employee_id for e in checked}
    group_ids = {e.group_id for e in checked}
    if not known:
        known = entries_of_groups(uow.session, group_ids, month_start, month_end)
    context_entries = {e.id: e for e in known}
    read = {e.group_id for e in known} | group_ids | set(read_groups)
    for entry in entries_of_employees(uow.session, employee_ids, start, end,
                                      skip_groups=read,
                                      skip_span=(month_start, month_end)):
        context_entries.setdefault(entry.id, entry)
    everyone = {e.employee_id for e in context_entries.values()} | employee_ids
    employees = queries.employees_by_id(uow.session, everyone)
    client_ids = {e.client_id for e in context_entries.values() if e.client_id is not None}
    decisions: dict[str, list[Decision]] = {}
    for decision in uow.decisions.of_clients(client_ids):
        decisions.setdefault(decision.client_id, []).append(decision)
    overtime = [e for e in checked if e.kind is TimeKind.OVERTIME]
    cover = _cover(uow, overtime, start, end) if overtime else {}
    context = CheckContext(employees, shared_pay_calendar(book), working_time, decisions,
                           cover)
    return check_time_entries(checked, context_entries.values(), context)


def _cover(uow: UnitOfWork, overtime: Sequence[TimeEntry], start: dt.datetime,
           end: dt.datetime) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
    """Per group of the ``overtime`` entries, the unplanned needs that overtime may cover:
    unstaffed published shifts, and shifts whose planned employee is absent that day.
    Only the shifts that share a moment with the group's overtime (from its first start
    to its last end) are read: no other shift can cover it."""
    spans: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    for entry in overtime:
        low, high = spans.get(entry.group_id, (entry.start, entry.end))
        spans[entry.group_id] = (min(low, entry.start), max(high, entry.end))
    shifts = published_shift_spans(uow.session, spans, start, end, meeting=spans)
    planned = {s.employee_id for s in shifts if s.employee_id is not None}
    days = Period(local_date(start), local_date(end) + dt.timedelta(days=1))
    absent: dict[str, list[Period]] = {}
    for absence in queries.absences_of_employees(uow.session, planned, days):
        absent.setdefault(absence.employee_id, []).append(absence.period)
    cover: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for shift in shifts:
        if shift.employee_id is None or any(
                p.contains(local_date(shift.start)) for p in absent.get(shift.employee_id, ())):
            cover.setdefault(shift.group_id, []).append((shift.start, shift.end))
    return cover


def check_time_reports(uow_factory: UowFactory, *, caller: Caller, month: dt.date,
                       unit_ids: Collection[str] | None = None,
                       include_attested: bool = False,
                       progress: Callable[[int, int], None] | None = None) -> TimeCheck:
    """Flags per entry reported in the units' groups in ``month`` (the approval queue: not
    yet attested, not rejected, not replaced; with ``include_attested`` attested entries
    too). ``unit_ids`` None means every unit the caller sees. ``progress(done, total)``
    (units) is called after each batch of units (:func:`month_batches`)."""
    caller.viewer.require(Capability.VIEW_STAFF)
    period = _month_period(month)
    assert period.end is not None
    wanted = {TimeEntryStatus.REPORTED} | (
        {TimeEntryStatus.ATTESTED} if include_attested else set())
    checked: list[CheckedEntry] = []
    with uow_factory() as uow:
        units = _scope_units(uow, caller, unit_ids)
        position = {unit_id: index for index, unit_id in enumerate(units)}
        done = 0
        book = uow.rules.rule_book()
        for batch in month_batches(uow, units, period):
            entries = [e for e in counting(batch.entries) if e.status in wanted]
            flags = flags_of(uow, entries, period, known=batch.entries,
                             read_groups=batch.groups, book=book)
            versions = uow.time_reports.versions_of(e.id for e in entries)
            found = [CheckedEntry(e, batch.groups[e.group_id].unit_id, flags.get(e.id, []),
                                  versions.get(e.id)) for e in entries]
            found.sort(key=lambda c: position[c.unit_id])  # unit by unit, each by start
            checked += found
            done += len(batch.unit_ids)
            if progress is not None:
                progress(done, len(units))
        employees = queries.employees_by_id(uow.session, {c.entry.employee_id for c in checked})
        log(uow, caller, AuditAction.READ,
            [Touched(OBJECT_KIND, c.entry.id, c.entry.client_id, c.unit_id) for c in checked])
        uow.commit()
    return TimeCheck(period.start, tuple(units), checked, employees)


def _require_attester(caller: Caller) -> None:
    caller.viewer.require(Capability.ATTEST_TIME)


def _entry_in_scope(uow: UnitOfWork, caller: Caller, entry_id: str,
                    action: AuditAction) -> tuple[TimeEntry, str]:
    entry = uow.time_reports.get(entry_id)
    if entry is None:
        raise NotFoundError("Tidraden", entry_id)
    group = uow.scheduling.get_group(entry.group_id)
    unit_id = group.unit_id if group is not None else None
    if not caller.viewer.sees_unit(unit_id):
        log(uow, caller, AuditAction.DENIED,
            [Touched(OBJECT_KIND, entry.id, entry.client_id, unit_id)])
        uow.commit()
        raise AccessDenied("Tidraden hör till en enhet utanför din behörighet.")
    assert unit_id is not None
    return entry, unit_id


@dataclass(frozen=True, slots=True)
class AttestResult:
    attested: list[str]
    flagged: dict[str, list[TimeFlag]]  # attested despite flags (with a reason)


def attest(uow_factory: UowFactory, *, caller: Caller, entry_ids: Sequence[str],
           override_reason: str | None = None, at: dt.datetime | None = None,
           versions: Mapping[str, int] | None = None) -> AttestResult:
    """Attest the entries in one unit of work. Entries with flags are refused unless
    ``override_reason`` is given; it is kept in the entry's comment. All or nothing."""
    _require_attester(caller)
    if not entry_ids:
        raise DomainError("time.attest_none", "Välj minst en tidrad att attestera.")
    reason = (override_reason or "").strip()
    at = at or dt.datetime.now(dt.UTC)
    with uow_factory() as uow:
        found = [_entry_in_scope(uow, caller, entry_id, AuditAction.UPDATE)
                 for entry_id in dict.fromkeys(entry_ids)]
        for entry, _ in found:  # a stale page first: its flags were another version's
            if versions and entry.id in versions:
                uow.time_reports.check_version(entry.id, versions[entry.id])
        for entry, _ in found:
            entry.ensure_editable()
            if entry.status is not TimeEntryStatus.REPORTED:
                raise DomainError("time.attest_state",
                                  f"Tidrad {entry.id} är {entry.status.value} och kan inte "
                                  "attesteras.")
        by_month: dict[dt.date, list[TimeEntry]] = {}
        for entry, _ in found:
            by_month.setdefault(local_date(entry.start).replace(day=1), []).append(entry)
        flags: dict[str, list[TimeFlag]] = {}
        for month, entries in by_month.items():
            flags.update({k: v for k, v in flags_of(uow, entries, _month_period(month)).items()
                          if v})
        if flags and not reason:
            listed = ", ".join(f"{entry_id} ({', '.join(f.label for f in found_flags)})"
                               for entry_id, found_flags in sorted(flags.items()))
            raise DomainError("time.attest_flagged",
                              f"Tidrader med flaggor attesteras inte utan motivering: "
                              f"{listed}.")
        for entry, _ in found:
            attested = entry.attest(by=caller.viewer.username, at=at)
            if entry.id in flags:
                note = f"Attesterad trots flaggor: {reason}"
                attested = replace(attested, comment=f"{entry.comment}\n{note}".strip())
            uow.time_reports.update(
                attested, expected_version=(versions or {}).get(entry.id))
        log(uow, caller, AuditAction.UPDATE,
            [Touched(OBJECT_KIND, e.id, e.client_id, unit_id) for e, unit_id in found], at=at)
        uow.commit()
    return AttestResult([e.id for e, _ in found], flags)


def reject(uow_factory: UowFactory, *, caller: Caller, entry_id: str, reason: str,
           version: int | None = None) -> TimeEntry:
    """Reject a reported entry with a reason (kept in its comment)."""
    _require_attester(caller)
    reason = reason.strip()
    with uow_factory() as uow:
        entry, unit_id = _entry_in_scope(uow, caller, entry_id, AuditAction.UPDATE)
        if not reason:
            raise DomainError("time.reject_reason", "Ange varför tidraden avvisas.")
        entry.ensure_editable()
        if entry.status is not TimeEntryStatus.REPORTED:
            raise DomainError("time.reject_state", "Bara rapporterad tid kan avvisas.")
        rejected = replace(entry, status=TimeEntryStatus.REJECTED,
                           comment=f"{entry.comment}\nAvvisad: {reason}".strip())
        uow.time_reports.update(rejected, expected_version=version)
        log(uow, caller, AuditAction.UPDATE,
            [Touched(OBJECT_KIND, entry.id, entry.client_id, unit_id)])
        uow.commit()
    return rejected


def correct(uow_factory: UowFactory, *, caller: Caller, entry_id: str, start: dt.datetime,
            end: dt.datetime, break_minutes: int, reason: str,
            today: dt.date | None = None) -> TimeEntry:
    """A new reported row replacing the entry (attested or not); the old row is kept as it
    is. Refused when the entry is rejected or already corrected."""
    _require_attester(caller)
    reason = reason.strip()
    with uow_factory() as uow:
        entry, unit_id = _entry_in_scope(uow, caller, entry_id, AuditAction.CREATE)
        if not reason:
            raise DomainError("time.correct_reason", "Ange varför tidraden rättas.")
        if entry.status is TimeEntryStatus.REJECTED:
            raise DomainError("time.correct_state", "En avvisad tidrad kan inte rättas.")
        corrected = entry.correction(
            new_id=f"TR{uuid.uuid4().hex[:16]}", start=start, end=end,
            break_minutes=break_minutes, reported_on=today or dt.date.today())
        corrected = replace(corrected, comment=f"Rättelse av {entry.id}: {reason}")
        uow.time_reports.add_correction(corrected)
        log(uow, caller, AuditAction.CREATE,
            [Touched(OBJECT_KIND, corrected.id, corrected.client_id, unit_id)])
        uow.commit()
    return corrected


class CorrectionInputError(FormInputError):
    """The correction form's input, field by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("time.correct_invalid", errors)


CORRECTION_REASON_MAX = 500


def entry_to_correct(uow_factory: UowFactory, *, caller: Caller, entry_id: str) -> TimeEntry:
    """The entry a correction form starts from (read in the caller's scope, logged)."""
    _require_attester(caller)
    with uow_factory() as uow:
        entry, unit_id = _entry_in_scope(uow, caller, entry_id, AuditAction.READ)
        log(uow, caller, AuditAction.READ,
            [Touched(OBJECT_KIND, entry.id, entry.client_id, unit_id)])
        uow.commit()
    return entry


def correct_from_input(uow_factory: UowFactory, *, caller: Caller, entry_id: str,
                       start: str | None, end: str | None, break_minutes: str | None,
                       reason: str | None, today: dt.date | None = None) -> TimeEntry:
    """:func:`correct` from what was typed (Stockholm times as ``2026-10-05T07:00``, the
    break in minutes). Raises :class:`CorrectionInputError` naming each field that is
    wrong; nothing is written then."""
    errors: dict[str, str] = {}
    begins = parse_moment(start, "start", errors, missing="Ange när passet började.",
                          malformed="Starttiden ska anges som datum och klockslag, till "
                                    "exempel 2026-10-05 07:00.")
    ends = parse_moment(end, "end", errors, missing="Ange när passet slutade.",
                        malformed="Sluttiden ska anges som datum och klockslag, till "
                                  "exempel 2026-10-05 16:00.")
    pause = 0
    text = (break_minutes or "").strip() or "0"
    if not text.isdigit() or int(text) > 24 * 60:
        errors["break_minutes"] = "Rasten anges i hela minuter, 0 eller mer."
    else:
        pause = int(text)
    why = clean_free_text(reason)
    if not why:
        errors["reason"] = "Ange varför tidraden rättas."
    elif len(why) > CORRECTION_REASON_MAX:
        errors["reason"] = f"Orsaken får vara högst {CORRECTION_REASON_MAX} tecken."
    if begins is not None and ends is not None:
        if ends <= begins:
            errors["end"] = "Sluttiden måste vara efter starttiden."
        elif ends - begins > dt.timedelta(hours=24):
            errors["end"] = "Ett pass kan inte vara längre än ett dygn; dela upp tiden."
        elif pause >= (ends - begins).total_seconds() // 60:
            errors["break_minutes"] = "Rasten måste vara kortare än passet."
    if errors or begins is None or ends is None:
        raise CorrectionInputError(errors)
    return correct(uow_factory, caller=caller, entry_id=entry_id, start=begins, end=ends,
                   break_minutes=pause, reason=why, today=today)
