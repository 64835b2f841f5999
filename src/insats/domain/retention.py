"""Retention (gallring): which records may be removed or anonymised, and from when.

Each record type has a limit kept as a dated rule parameter (``retention.<type>``, unit
years or days, with its source and certainty; shipped in rules/data/parameters.toml and
correctable by users with ``insats rules set``). The limit in force on the day of the run
applies. A record is past its limit when its reference date (see ``RecordType``) is before
the cutoff: the run's date minus the limit, or, for accounting records kept "through the
N-th year after the calendar year", 1 January of the run's year minus N.

Nothing here removes anything; services.retention does, in one logged transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError
from insats.domain.rules import ParameterUnit, RuleBook, RuleParameter


class RetentionAction(StrEnum):
    REMOVE = "remove"
    ANONYMISE = "anonymise"


class RecordType(StrEnum):
    """The record types under retention, in the order a run handles them (records that
    others refer to after the ones referring to them)."""

    TIME_REPORTS = "time_reports"
    ABSENCES = "absences"
    SCHEDULES = "schedules"
    PLANNING_RUNS = "planning_runs"
    CLIENTS = "clients"
    ACCESS_LOG = "access_log"
    SIGN_IN_LOG = "sign_in_log"

    @property
    def rule_key(self) -> str:
        return f"retention.{self.value}"


@dataclass(frozen=True, slots=True)
class RecordTypeSpec:
    label: str  # Swedish, for pages and the CLI
    reference: str  # Swedish: which date of the record the limit counts from
    action: RetentionAction
    whole_calendar_years: bool = False


SPECS: dict[RecordType, RecordTypeSpec] = {
    RecordType.TIME_REPORTS: RecordTypeSpec(
        "Tidrapporter", "arbetsdagen; kvar till och med det N:e året efter kalenderåret",
        RetentionAction.REMOVE, whole_calendar_years=True),
    RecordType.ABSENCES: RecordTypeSpec(
        "Frånvaro", "frånvarons sista dag; kvar till och med det N:e året efter "
        "kalenderåret", RetentionAction.REMOVE, whole_calendar_years=True),
    RecordType.SCHEDULES: RecordTypeSpec(
        "Scheman (planerade pass) och bokade vikarier", "passets dag",
        RetentionAction.REMOVE),
    RecordType.PLANNING_RUNS: RecordTypeSpec(
        "Planeringskörningar och ej publicerade förslag", "när körningen skapades",
        RetentionAction.REMOVE),
    RecordType.CLIENTS: RecordTypeSpec(
        "Brukarens namn, personnummer och adress efter avslutat ärende",
        "sista beslutets slutdag (alla beslut avslutade)", RetentionAction.ANONYMISE),
    RecordType.ACCESS_LOG: RecordTypeSpec(
        "Åtkomstloggen", "händelsens tidpunkt", RetentionAction.REMOVE),
    RecordType.SIGN_IN_LOG: RecordTypeSpec(
        "Inloggningar (sessioner och misslyckade inloggningar)",
        "senaste aktivitet eller försök", RetentionAction.REMOVE),
}


@dataclass(frozen=True, slots=True)
class RetentionLimit:
    """The limit in force for a record type on the run's day, and the cutoff it gives."""

    record_type: RecordType
    parameter: RuleParameter
    cutoff: dt.date  # records whose reference date is before this are past the limit

    @property
    def spec(self) -> RecordTypeSpec:
        return SPECS[self.record_type]


def cutoff_for(parameter: RuleParameter, as_of: dt.date, *, whole_calendar_years: bool
               ) -> dt.date:
    """The first reference date that is still kept on ``as_of``."""
    if parameter.value < 0:
        raise DomainError("retention.negative",
                          f"Gallringsfristen {parameter.key} kan inte vara negativ.")
    if parameter.unit is ParameterUnit.DAYS:
        return as_of - dt.timedelta(days=parameter.value)
    if parameter.unit is not ParameterUnit.YEARS:
        raise DomainError("retention.unit", f"Gallringsfristen {parameter.key} ska anges i "
                          f"år eller dagar, inte {parameter.unit.value}.")
    if whole_calendar_years:
        return dt.date(as_of.year - parameter.value, 1, 1)
    year = as_of.year - parameter.value
    if as_of.month == 2 and as_of.day == 29:
        return dt.date(year, 2, 29 if _leap(year) else 28)  # keep rather than remove
    return as_of.replace(year=year)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def retention_limits(rules: RuleBook, as_of: dt.date) -> list[RetentionLimit]:
    """The limit and cutoff of every record type on ``as_of``.

    Raises:
        DomainError: ``rule.missing`` when a type has no limit in force on that day.
    """
    limits = []
    for record_type in RecordType:
        parameter = rules.parameter(record_type.rule_key, as_of)
        limits.append(RetentionLimit(record_type, parameter, cutoff_for(
            parameter, as_of, whole_calendar_years=SPECS[record_type].whole_calendar_years)))
    return limits


def anonymised_identity(pseudonym: str) -> str:
    """The reserve number an anonymised client keeps: ``ANON`` and the pseudonym's letters
    and digits (unique, since pseudonyms are)."""
    return ("ANON" + "".join(ch for ch in pseudonym if ch.isalnum())).upper()[:16]


ANONYMISED_NAME = "Anonymiserad"
