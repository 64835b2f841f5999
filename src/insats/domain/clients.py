"""Clients (brukare): special-category personal data, shown pseudonymised by default."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from insats.domain.common import DomainError
from insats.domain.personnummer import PersonalIdentity


@dataclass(frozen=True, slots=True)
class Client:
    """A person with one or more decisions.

    ``pseudonym`` (for example ``B-0042``) is what reports and most pages show; the name
    and identity number are shown only to roles that need them, and every read is logged.
    """

    id: str
    pseudonym: str
    identity: PersonalIdentity
    given_name: str
    family_name: str
    unit_id: str
    home_municipality_code: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    lives_in_group_home: bool = False
    deceased_on: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.pseudonym.strip():
            raise DomainError("client.pseudonym", "Brukaren måste ha en pseudonym.")
        if (self.latitude is None) != (self.longitude is None):
            raise DomainError(
                "client.coordinates", "Ange både latitud och longitud, eller ingen av dem."
            )

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: dt.date) -> int | None:
        return self.identity.age_on(day)

    def __repr__(self) -> str:  # keep names and numbers out of logs
        return f"Client(id={self.id!r}, pseudonym={self.pseudonym!r})"
