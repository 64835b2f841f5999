"""Reader for the employee shift scheduling benchmark of Curtois and Qu (2014).

Format (shared/benchmarks/shift-scheduling/README.md): ``#`` starts a comment, sections
start with ``SECTION_…``, fields are comma-separated, blank lines are ignored. Day 0 is a
Monday. The reader accepts any amount of blank lines and whitespace around fields, and
reports a malformed line by file, line number, field and reason (in Swedish).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

SECTIONS = (
    "SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS", "SECTION_COVER",
)


class InstanceFormatError(ValueError):
    """A line of an instance file that cannot be read; the message is Swedish."""

    def __init__(self, source: str, line: int, field_name: str, reason: str) -> None:
        super().__init__(f"{source}, rad {line}, fält {field_name}: {reason}")
        self.source = source
        self.line = line
        self.field_name = field_name


@dataclass(frozen=True, slots=True)
class ShiftType:
    id: str
    minutes: int
    cannot_follow: frozenset[str]  # shifts that may not be worked the day after this one


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: str
    max_shifts: dict[str, int]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int


@dataclass(frozen=True, slots=True)
class ShiftRequest:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True, slots=True)
class CoverRequirement:
    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True, slots=True)
class ShiftSchedulingInstance:
    name: str
    horizon: int
    shifts: dict[str, ShiftType]
    staff: dict[str, StaffMember]
    days_off: dict[str, frozenset[int]]
    on_requests: tuple[ShiftRequest, ...]
    off_requests: tuple[ShiftRequest, ...]
    cover: tuple[CoverRequirement, ...]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class _Line:
    source: str
    number: int
    fields: list[str]

    def error(self, index: int, name: str, reason: str) -> InstanceFormatError:
        return InstanceFormatError(self.source, self.number, name, reason)

    def text(self, index: int, name: str) -> str:
        if index >= len(self.fields) or not self.fields[index]:
            raise self.error(index, name, "värde saknas")
        return self.fields[index]

    def integer(self, index: int, name: str, *, minimum: int = 0) -> int:
        raw = self.text(index, name)
        try:
            value = int(raw)
        except ValueError:
            raise self.error(index, name, f"{raw!r} är inget heltal") from None
        if value < minimum:
            raise self.error(index, name, f"{value} är mindre än {minimum}")
        return value


def read_instance(path: Path) -> ShiftSchedulingInstance:
    return parse_instance(path.read_text(encoding="utf-8"), name=path.stem, source=str(path))


def parse_instance(text: str, *, name: str, source: str = "<text>") -> ShiftSchedulingInstance:
    """Parse an instance; raises InstanceFormatError naming the line, field and reason."""
    sections = _split_sections(text, source)
    horizon_lines = sections.get("SECTION_HORIZON", [])
    if len(horizon_lines) != 1:
        raise InstanceFormatError(source, 0, "SECTION_HORIZON", "ska ha exakt en rad")
    horizon = horizon_lines[0].integer(0, "horisont", minimum=1)
    shifts = {s.id: s for s in map(_shift, sections.get("SECTION_SHIFTS", []))}
    staff = {m.id: m for m in (_staff(line, shifts) for line in sections.get("SECTION_STAFF", []))}

    def day(line: _Line, index: int) -> int:
        value = line.integer(index, "dag")
        if value >= horizon:
            raise line.error(index, "dag", f"{value} ligger utanför horisonten ({horizon} dagar)")
        return value

    def known(line: _Line, index: int, table: Mapping[str, object], what: str) -> str:
        value = line.text(index, what)
        if value not in table:
            raise line.error(index, what, f"{value!r} är inte definierad")
        return value

    days_off: dict[str, frozenset[int]] = {}
    for line in sections.get("SECTION_DAYS_OFF", []):
        employee = known(line, 0, staff, "anställd")
        days_off[employee] = frozenset(day(line, i) for i in range(1, len(line.fields)))

    def request(line: _Line) -> ShiftRequest:
        return ShiftRequest(known(line, 0, staff, "anställd"), day(line, 1),
                            known(line, 2, shifts, "pass"), line.integer(3, "vikt"))

    cover = tuple(
        CoverRequirement(day(line, 0), known(line, 1, shifts, "pass"),
                         line.integer(2, "behov"), line.integer(3, "vikt underbemanning"),
                         line.integer(4, "vikt överbemanning"))
        for line in sections.get("SECTION_COVER", [])
    )
    on_requests = _many(sections, "SECTION_SHIFT_ON_REQUESTS", request)
    off_requests = _many(sections, "SECTION_SHIFT_OFF_REQUESTS", request)
    return ShiftSchedulingInstance(name, horizon, shifts, staff, days_off, on_requests,
                                   off_requests, cover)


def _many(sections: dict[str, list[_Line]], key: str,
          build: Callable[[_Line], ShiftRequest]) -> tuple[ShiftRequest, ...]:
    return tuple(build(line) for line in sections.get(key, []))


def _split_sections(text: str, source: str) -> dict[str, list[_Line]]:
    sections: dict[str, list[_Line]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        content = raw.split("#", 1)[0].strip()
        if not content:
            continue
        if content.startswith("SECTION_"):
            if content not in SECTIONS:
                raise InstanceFormatError(source, number, "sektion", f"okänd sektion {content}")
            current = content
            sections.setdefault(current, [])
            continue
        if current is None:
            raise InstanceFormatError(source, number, "sektion", "rad före första sektionen")
        sections[current].append(_Line(source, number, [f.strip() for f in content.split(",")]))
    return sections


def _shift(line: _Line) -> ShiftType:
    blocked = line.fields[2] if len(line.fields) > 2 else ""
    return ShiftType(
        id=line.text(0, "pass-id"),
        minutes=line.integer(1, "längd i minuter", minimum=1),
        cannot_follow=frozenset(s.strip() for s in blocked.split("|") if s.strip()),
    )


def _staff(line: _Line, shifts: dict[str, ShiftType]) -> StaffMember:
    max_shifts: dict[str, int] = {}
    for part in line.text(1, "MaxShifts").split("|"):
        shift_id, _, limit = part.partition("=")
        shift_id = shift_id.strip()
        if shift_id not in shifts:
            raise line.error(1, "MaxShifts", f"passet {shift_id!r} är inte definierat")
        try:
            max_shifts[shift_id] = int(limit)
        except ValueError:
            raise line.error(1, "MaxShifts", f"{part!r} ska vara PASS=antal") from None
    return StaffMember(
        id=line.text(0, "anställd"),
        max_shifts=max_shifts,
        max_total_minutes=line.integer(2, "MaxTotalMinutes"),
        min_total_minutes=line.integer(3, "MinTotalMinutes"),
        max_consecutive_shifts=line.integer(4, "MaxConsecutiveShifts"),
        min_consecutive_shifts=line.integer(5, "MinConsecutiveShifts"),
        min_consecutive_days_off=line.integer(6, "MinConsecutiveDaysOff"),
        max_weekends=line.integer(7, "MaxWeekends"),
    )
