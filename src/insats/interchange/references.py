"""What the database knows, handed to the row parsers as plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from insats.domain.common import DomainError
from insats.domain.personnummer import mask_raw, parse_identity
from insats.interchange.errors import CellError


@dataclass
class References:
    """Ids that exist, for reference checks (empty where an import kind needs none)."""

    today: dt.date
    employees: set[str] = field(default_factory=set)
    groups: dict[str, str | None] = field(default_factory=dict)  # group → its client
    client_ids: set[str] = field(default_factory=set)
    clients_by_pseudonym: dict[str, str] = field(default_factory=dict)
    clients_by_identity: dict[str, str] = field(default_factory=dict)  # 12 digits → id
    providers: set[str] = field(default_factory=set)
    decisions: set[str] = field(default_factory=set)
    _clients_seen: dict[str, str | CellError] = field(default_factory=dict)

    def client(self, raw: str) -> str:
        """The client id for a personnummer, pseudonym or client id (memoised per value).

        Raises:
            CellError: not a valid personnummer, or no such client (the number is masked).
        """
        seen = self._clients_seen.get(raw)
        if seen is None:
            seen = self._clients_seen[raw] = self._find_client(raw)
        if isinstance(seen, CellError):
            raise seen
        return seen

    def _find_client(self, raw: str) -> str | CellError:
        if raw in self.clients_by_pseudonym:
            return self.clients_by_pseudonym[raw]
        if raw in self.client_ids:
            return raw
        digits = raw.replace("-", "").replace("+", "").replace(" ", "")
        if digits.isdigit() and len(digits) in (10, 12):
            try:
                identity = parse_identity(raw, today=self.today)
            except DomainError as error:
                return CellError(error.message)
            found = self.clients_by_identity.get(identity.digits)
            if found is None:
                return CellError(f"Ingen brukare har personnummer {identity.masked()}.")
            return found
        return CellError(f"Okänd brukare {mask_raw(raw) if raw[:1].isdigit() else repr(raw)}.")
