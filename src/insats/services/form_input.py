"""Reading what people type into forms: Stockholm wall-clock times, free text, and the
error that carries a Swedish message per field so a page can show each by its input."""

from __future__ import annotations

import datetime as dt

from insats.domain.calendar import STOCKHOLM, UTC, local_datetime
from insats.domain.common import DomainError

EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2099, 12, 31)


class FormInputError(DomainError):
    """A form's input, field by field (``errors``: field name → Swedish message)."""

    def __init__(self, code: str, errors: dict[str, str]) -> None:
        super().__init__(code, " ".join(errors.values()))
        self.errors = errors


def parse_moment(text: str | None, field_name: str, errors: dict[str, str], *,
                 missing: str, malformed: str) -> dt.datetime | None:
    """A datetime-local value (Stockholm wall-clock time) or an ISO time with offset, as
    UTC; ``None`` with a message in ``errors[field_name]`` when it is missing
    (``missing``), cannot be read (``malformed``) or lies outside the years handled."""
    value = (text or "").strip()
    if not value:
        errors[field_name] = missing
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        errors[field_name] = malformed
        return None
    if not EARLIEST_DAY <= parsed.date() <= LATEST_DAY:
        errors[field_name] = (f"Datumet ska ligga mellan {EARLIEST_DAY.isoformat()} och "
                              f"{LATEST_DAY.isoformat()}.")
        return None
    if parsed.tzinfo is None:
        return local_datetime(parsed.date(), parsed.time().replace(tzinfo=None))
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        errors[field_name] = "Tidpunkten kan inte tolkas."
        return None


def clean_free_text(value: str | None) -> str:
    """Free text (a reason, a comment): printable characters, new lines and tabs kept."""
    if not value:
        return ""
    text = value.encode("utf-8", "replace").decode("utf-8")
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()


def local_input_value(moment: dt.datetime) -> str:
    """A stored time as the value of a datetime-local input (Stockholm time)."""
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")
