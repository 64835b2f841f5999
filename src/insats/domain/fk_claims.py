"""Claims to Försäkringskassan, settlement of a beviljandeperiod, and the municipality's
share of the first 20 hours a week.

Sources (domain-rules.md):
- §1.6: the time report and claim (FK 3057/3059) for a month are due by the 5th of the
  second month after it; a late one may be refused (HFD 2023-02-10).
- §1.5: efterskott is the main rule: unused hours earn nothing. Under förskott FK paid an
  average in advance and takes back the difference at the slutavräkning, at the latest two
  months after the period. Hours beyond the grant are never paid.
- §1.3, "What the system must encode" item 3: the municipality pays FK for the first 20
  hours a week of an SFB client; until FK's invoice arrives it is estimated as
  ``min(20, granted h/week) × days/7 × schablon`` [uncertain basis].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.common import DomainError
from insats.domain.ledger import Figure, LedgerFigures


class ClaimStatus(StrEnum):
    MONTH_OPEN = "manaden_pagar"
    AWAITING_ATTESTATION = "vantar_attest"
    READY = "klar_att_skicka"
    SUBMITTED = "inskickad"
    SUBMITTED_LATE = "inskickad_sent"
    OVERDUE = "forsenad"
    NOTHING_TO_CLAIM = "inget_att_fakturera"


CLAIM_STATUS_LABELS: dict[ClaimStatus, str] = {
    ClaimStatus.MONTH_OPEN: "Månaden pågår",
    ClaimStatus.AWAITING_ATTESTATION: "Väntar på attest",
    ClaimStatus.READY: "Klar att skicka",
    ClaimStatus.SUBMITTED: "Inskickad",
    ClaimStatus.SUBMITTED_LATE: "Inskickad efter sista dag",
    ClaimStatus.OVERDUE: "Försenad: sista dag passerad",
    ClaimStatus.NOTHING_TO_CLAIM: "Inget att fakturera",
}


@dataclass(frozen=True, slots=True)
class Claim:
    """One client's claim for one month: billable time × FK's hourly rate.

    ``amount_ore`` is exact from the ledger (each minute at the rate of its day and
    decision); ``submitted_minutes``/``submitted_ore`` are what issued claims already hold.
    """

    client_id: str
    month: dt.date
    billable_minutes: int
    amount_ore: int
    unattested_minutes: int
    deadline: dt.date
    retroactive: bool
    submitted_on: dt.date | None
    submitted_minutes: int
    submitted_ore: int
    status: ClaimStatus

    @property
    def outstanding_minutes(self) -> int:
        return self.billable_minutes - self.submitted_minutes

    @property
    def outstanding_ore(self) -> int:
        return self.amount_ore - self.submitted_ore


def claim_status(*, month: dt.date, billable_minutes: int, unattested_minutes: int,
                 outstanding_minutes: int, deadline: dt.date, submitted_on: dt.date | None,
                 as_of: dt.date) -> ClaimStatus:
    """Where a month's claim stands on ``as_of``."""
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    if submitted_on is not None and outstanding_minutes <= 0:
        return ClaimStatus.SUBMITTED_LATE if submitted_on > deadline else ClaimStatus.SUBMITTED
    if billable_minutes == 0:
        return ClaimStatus.NOTHING_TO_CLAIM
    if as_of > deadline:
        return ClaimStatus.OVERDUE
    if as_of < next_month:
        return ClaimStatus.MONTH_OPEN
    if unattested_minutes > 0:
        return ClaimStatus.AWAITING_ATTESTATION
    return ClaimStatus.READY


def unattested_minutes(figures: LedgerFigures) -> int:
    performed = figures.minutes(Figure.PERFORMED) + figures.minutes(Figure.PERFORMED_DOUBLE)
    return max(0, performed - figures.minutes(Figure.ATTESTED))


@dataclass(frozen=True, slots=True)
class Settlement:
    """The outcome of one settlement period (avräkningsperiod) of an SFB client."""

    client_id: str
    start: dt.date
    end: dt.date
    paid_in_advance: bool
    final_settlement_by: dt.date
    granted_minutes: int
    billable_minutes: int
    beyond_minutes: int
    not_payable_minutes: int
    granted_ore: int
    billable_ore: int
    not_payable_ore: int
    claimed_ore: int
    closed: bool = True  # the period has ended (on the day the settlement is made)

    @property
    def unused_minutes(self) -> int:
        return max(0, self.granted_minutes - self.billable_minutes)

    @property
    def repayment_ore(self) -> int:
        """Under förskott: paid in advance for the granted time, kept only for billable
        time; the rest is paid back at the slutavräkning. Zero under efterskott."""
        if not self.paid_in_advance or not self.closed:
            return 0
        return max(0, self.granted_ore - self.billable_ore)

    @property
    def lost_ore(self) -> int:
        """Revenue the period could have brought but will not: unused granted time under
        efterskott once the period has ended, plus performed time FK will not pay for."""
        unused = 0 if self.paid_in_advance or not self.closed else max(
            0, self.granted_ore - self.billable_ore)
        return unused + self.not_payable_ore

    @property
    def unclaimed_ore(self) -> int:
        """Billable but not yet in an issued claim."""
        return max(0, self.billable_ore - self.claimed_ore)


def municipal_share_estimate(*, granted_minutes_per_week: int, share_minutes_per_week: int,
                             days: int, schablon_ore_per_hour: int) -> int:
    """Öre the municipality pays FK for a month of ``days`` days (estimate, §1.3)."""
    weekly = min(share_minutes_per_week, granted_minutes_per_week)
    return (weekly * days * schablon_ore_per_hour + 7 * 30) // (7 * 60)


@dataclass(frozen=True, slots=True)
class MunicipalShareCharge:
    """FK's invoice to the municipality for one client's first 20 hours a week in a month;
    once recorded it replaces the estimate."""

    id: str
    client_id: str
    month: dt.date  # first day of the month
    amount_ore: int
    reference: str
    recorded_on: dt.date

    def __post_init__(self) -> None:
        if self.month.day != 1:
            raise DomainError("share.month", "Månaden anges med sin första dag.")
        if self.amount_ore < 0:
            raise DomainError("share.amount", "Beloppet kan inte vara negativt.")
