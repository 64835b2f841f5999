"""Findings: what in a client's ledger needs attention, with the figures behind it.

A finding is raised for a settlement period (or a month, for reporting) when:
- performed time went beyond the grant, or the schedule is above the grant, by at least
  the share ``ledger.finding_share`` of the grant (a few late-running shifts are noise);
- staffed shifts were never reported, by at least that share of the scheduled time;
- any performed minute is not payable by FK (hospital, school, korttidsvistelse without a
  reason, a late report, an assistant above the limit): each of those is an error to mend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.formatting import format_hours, format_kronor
from insats.domain.ledger import FIGURE_LABELS, NOT_PAYABLE, Figure, LedgerFigures


class FindingKind(StrEnum):
    BEYOND_GRANT = "utover_beviljat"
    SCHEDULED_OVER_GRANT = "schema_over_beviljat"
    UNREPORTED = "ej_rapporterat"
    NOT_PAYABLE = "ej_ersattning"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    figure: Figure
    client_id: str
    start: dt.date
    end: dt.date
    minutes: int
    ore: int

    @property
    def message(self) -> str:
        last = (self.end - dt.timedelta(days=1)).isoformat()
        label = ("Schemalagt över beviljat" if self.kind is FindingKind.SCHEDULED_OVER_GRANT
                 else FIGURE_LABELS[self.figure])
        amount = f" ({format_kronor(self.ore)})" if self.ore else ""
        return (f"{label}: {format_hours(self.minutes, 1)}{amount}, "
                f"{self.start.isoformat()}–{last}")


def find(client_id: str, start: dt.date, end: dt.date, figures: LedgerFigures, *,
         share_permille: int) -> list[Finding]:
    """The findings of one client's figures for ``[start, end)``."""
    found: list[Finding] = []
    granted = figures.minutes(Figure.GRANTED) + figures.minutes(Figure.GRANTED_DOUBLE)
    scheduled = figures.minutes(Figure.SCHEDULED) + figures.minutes(Figure.SCHEDULED_DOUBLE)

    def material(minutes: int, base: int) -> bool:
        return minutes > 0 and minutes * 1000 >= share_permille * max(base, 1)

    beyond = figures.minutes(Figure.BEYOND)
    if material(beyond, granted):
        found.append(Finding(FindingKind.BEYOND_GRANT, Figure.BEYOND, client_id, start, end,
                             beyond, figures.ore(Figure.BEYOND)))
    over = figures.scheduled_over_granted_minutes
    if material(over, granted):
        found.append(Finding(FindingKind.SCHEDULED_OVER_GRANT, Figure.SCHEDULED, client_id,
                             start, end, over, 0))
    unreported = figures.minutes(Figure.UNREPORTED)
    if material(unreported, scheduled):
        found.append(Finding(FindingKind.UNREPORTED, Figure.UNREPORTED, client_id, start, end,
                             unreported, figures.ore(Figure.UNREPORTED)))
    for figure in NOT_PAYABLE.values():
        minutes = figures.minutes(figure)
        if minutes:
            found.append(Finding(FindingKind.NOT_PAYABLE, figure, client_id, start, end,
                                 minutes, figures.ore(figure)))
    return found
