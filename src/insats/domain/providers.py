"""Assistance providers (anordnare): the municipality itself or a private company."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from insats.domain.common import DomainError, Period

IVO_PERMIT_REQUIRED_FROM = dt.date(2021, 11, 1)  # prop. 2020/21:205: no payment without permit


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    name: str
    organisation_number: str
    is_municipal: bool
    ivo_permit: Period | None = None
    f_tax: bool = True
    employer_registered: bool = True

    def __post_init__(self) -> None:
        digits = self.organisation_number.replace("-", "")
        if not (len(digits) == 10 and digits.isdigit()):
            raise DomainError(
                "provider.organisation_number",
                f"Organisationsnumret {self.organisation_number!r} ska ha tio siffror.",
            )

    def may_be_paid_on(self, day: dt.date) -> bool:
        """IVO permit, F-tax and employer registration on the payment date (domain-rules §1.6)."""
        if self.is_municipal:
            return True
        permit_ok = day < IVO_PERMIT_REQUIRED_FROM or (
            self.ivo_permit is not None and self.ivo_permit.contains(day)
        )
        return permit_ok and self.f_tax and self.employer_registered
