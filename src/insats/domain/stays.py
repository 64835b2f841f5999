"""A client's stays away from home: hospital, korttidsvistelse, korttidstillsyn, school or
daglig verksamhet.

Sources: domain-rules.md §1.9 and §8. No assistansersättning is paid for time when the
client is cared for at a hospital or other institution, or is in school, förskola or daglig
verksamhet (106 kap. 24 § SFB), except for särskilda skäl (25 §); for a hospital stay the
exception covers a "kortare tid", by default four weeks (RAR 2002:6, the dated parameter
``fk.hospital_short_stay_days``), or the period FK approved. Personal assistance performed
the same day as a korttidsvistelse is flagged and needs a recorded reason (Kammarrätten i
Jönköping 17-18).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.calendar import require_aware
from insats.domain.common import DomainError


class StayKind(StrEnum):
    HOSPITAL = "sjukhus"  # hospital or another institution run by the state, region or municipality
    SHORT_TERM_STAY = "korttidsvistelse"
    SHORT_TERM_SUPERVISION = "korttidstillsyn"  # attendance at a korttidstillsyn
    SCHOOL = "skola"  # förskola, skola
    DAILY_ACTIVITY = "daglig_verksamhet"


STAY_LABELS: dict[StayKind, str] = {
    StayKind.HOSPITAL: "Sjukhusvistelse",
    StayKind.SHORT_TERM_STAY: "Korttidsvistelse",
    StayKind.SHORT_TERM_SUPERVISION: "Korttidstillsyn",
    StayKind.SCHOOL: "Skola/förskola",
    StayKind.DAILY_ACTIVITY: "Daglig verksamhet",
}


@dataclass(frozen=True, slots=True)
class ClientStay:
    """A stay ``[start, end)``; times are aware.

    Attributes:
        special_reasons: FK accepted särskilda skäl for assistance during the stay.
        approved_until: the end of the approved exception (exclusive); None means the
            default "kortare tid" for hospital stays, and the whole stay otherwise.
        reason: why assistance was needed during a korttidsvistelse (required for those
            hours to count).
        unit_id: the unit where the stay took place (a korttidshem), when it is ours.
    """

    id: str
    client_id: str
    kind: StayKind
    start: dt.datetime
    end: dt.datetime
    special_reasons: bool = False
    approved_until: dt.date | None = None
    reason: str = ""
    unit_id: str | None = None

    def __post_init__(self) -> None:
        require_aware(self.start, "vistelsens start")
        require_aware(self.end, "vistelsens slut")
        if self.end <= self.start:
            raise DomainError("stay.order", "Vistelsen måste sluta efter att den börjar.")

    @property
    def label(self) -> str:
        return STAY_LABELS[self.kind]
