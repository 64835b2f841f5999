"""Swedish personal identity numbers: personnummer, samordningsnummer and reservnummer.

Stored as 12 digits (YYYYMMDDNNNC). The check digit is the Luhn checksum over the
10-digit form (YYMMDDNNN). A samordningsnummer adds 60 to the day of birth. A 10-digit
form is read with '-' meaning under 100 years old on the reference date and '+' meaning
100 or older (Folkbokföringslagen; Skatteverket SKV 704).
Reservnummer (regional, no national format) are accepted as given but never Luhn-checked.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError

SAMORDNING_DAY_OFFSET = 60
_LONG = re.compile(r"^(\d{8})[-+]?(\d{4})$")
_SHORT = re.compile(r"^(\d{6})([-+]?)(\d{4})$")
_RESERV = re.compile(r"^[0-9A-Za-z]{6,16}$")


class IdentityKind(StrEnum):
    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"
    RESERVNUMMER = "reservnummer"


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit for the nine digits YYMMDDNNN."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


@dataclass(frozen=True, slots=True)
class PersonalIdentity:
    """A validated identity number; ``digits`` is the canonical 12-digit form."""

    digits: str
    kind: IdentityKind

    @property
    def birth_date(self) -> dt.date | None:
        if self.kind is IdentityKind.RESERVNUMMER:
            return None
        day = int(self.digits[6:8])
        if self.kind is IdentityKind.SAMORDNINGSNUMMER:
            day -= SAMORDNING_DAY_OFFSET
        return dt.date(int(self.digits[0:4]), int(self.digits[4:6]), day)

    def age_on(self, day: dt.date) -> int | None:
        born = self.birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def masked(self) -> str:
        """The form shown by default: birth date kept, the last four digits hidden."""
        if self.kind is IdentityKind.RESERVNUMMER:
            return self.digits[:2] + "*" * (len(self.digits) - 2)
        return f"{self.digits[:8]}-****"

    def formatted(self) -> str:
        """The full 12-digit form with a hyphen, shown only to those allowed to see it."""
        if self.kind is IdentityKind.RESERVNUMMER:
            return self.digits
        return f"{self.digits[:8]}-{self.digits[8:]}"

    def __repr__(self) -> str:  # never leak the full number into logs or tracebacks
        return f"PersonalIdentity({self.masked()!r}, {self.kind.value})"

    __str__ = masked


def _validate_date_and_checksum(twelve: str, original: str) -> IdentityKind:
    year, month, day = int(twelve[0:4]), int(twelve[4:6]), int(twelve[6:8])
    kind = IdentityKind.PERSONNUMMER
    if day > SAMORDNING_DAY_OFFSET:
        kind = IdentityKind.SAMORDNINGSNUMMER
        day -= SAMORDNING_DAY_OFFSET
    try:
        dt.date(year, month, day)
    except ValueError:
        raise DomainError(
            "personnummer.date",
            f"Personnumret {mask_raw(original)} innehåller inget giltigt födelsedatum.",
        ) from None
    if luhn_check_digit(twelve[2:11]) != int(twelve[11]):
        raise DomainError(
            "personnummer.checksum",
            f"Personnumret {mask_raw(original)} har fel kontrollsiffra.",
        )
    return kind


def mask_raw(text: str) -> str:
    """Mask an unvalidated input for an error message: keep at most the first six chars."""
    cleaned = text.strip()
    return cleaned[:6] + "…" if len(cleaned) > 6 else "…"


def parse_identity(
    text: str, *, today: dt.date, allow_reservnummer: bool = False
) -> PersonalIdentity:
    """Parse and validate a personnummer or samordningsnummer (10 or 12 digits).

    Args:
        text: what the user typed; spaces are ignored.
        today: the reference date for deciding the century of a 10-digit form.
        allow_reservnummer: accept a non-standard reserve number as given.

    Raises:
        DomainError: with a Swedish message that never repeats the full number.
    """
    compact = text.strip().replace(" ", "")
    long_match = _LONG.match(compact)
    if long_match:
        twelve = long_match.group(1) + long_match.group(2)
        kind = _validate_date_and_checksum(twelve, text)
        return PersonalIdentity(twelve, kind)
    short_match = _SHORT.match(compact)
    if short_match:
        yymmdd, separator, tail = short_match.groups()
        yy = int(yymmdd[:2])
        century = (today.year // 100) * 100
        year = century + yy
        if year > today.year:
            year -= 100
        if separator == "+":
            year -= 100
        twelve = f"{year:04d}{yymmdd[2:]}{tail}"
        kind = _validate_date_and_checksum(twelve, text)
        born = PersonalIdentity(twelve, kind).birth_date
        if born is not None and born > today:
            twelve = f"{year - 100:04d}{yymmdd[2:]}{tail}"
        return PersonalIdentity(twelve, kind)
    if allow_reservnummer and _RESERV.match(compact):
        return PersonalIdentity(compact.upper(), IdentityKind.RESERVNUMMER)
    raise DomainError(
        "personnummer.format",
        f"{mask_raw(text)} är inte ett personnummer (ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN).",
    )


def make_identity(birth: dt.date, serial: int, *, samordning: bool = False) -> PersonalIdentity:
    """Build a valid number from a birth date and a three-digit serial (for test data)."""
    if not 0 <= serial <= 999:
        raise DomainError("personnummer.serial", "Löpnumret måste vara 000–999.")
    day = birth.day + (SAMORDNING_DAY_OFFSET if samordning else 0)
    nine = f"{birth.year % 100:02d}{birth.month:02d}{day:02d}{serial:03d}"
    twelve = f"{birth.year:04d}{birth.month:02d}{day:02d}{serial:03d}{luhn_check_digit(nine)}"
    kind = IdentityKind.SAMORDNINGSNUMMER if samordning else IdentityKind.PERSONNUMMER
    return PersonalIdentity(twelve, kind)
