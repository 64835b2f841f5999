"""Review: premises ("Översyn av lokaler").

The premises the caller's units rent or use, each with its rent booked in the period
(the account Lokaler, placed by :func:`insats.domain.premises.assign_rent`), its
available and used time, the cost per used hour, and the premises to give up or to
share (:func:`insats.domain.premises.assess_premises`).
"""

from __future__ import annotations

import datetime as dt

from insats.domain.access import Caller, Capability
from insats.domain.calendar import local_datetime
from insats.domain.economy import AccountCategory
from insats.domain.formatting import NBSP, format_hours, format_kronor, format_number
from insats.domain.premises import (
    GIVE_UP_BELOW_PERCENT,
    SHARE_BELOW_PERCENT,
    SHARE_MAX_OVERLAP_PERCENT,
    PremisesFigures,
    assess_premises,
    assign_rent,
    premises_figures,
    uses_by_premises,
)
from insats.domain.reviews import CellKind, ReviewColumn, ReviewName, ReviewReport, ReviewTable
from insats.services.reviews import ReviewRequest, ReviewSpec
from insats.services.runtime import UowFactory

MIDNIGHT = dt.time()
GIVE_UP = "Säg upp"
KEEP = "Behåll"


def _percent(figures: PremisesFigures) -> str:
    return f"{format_number(float(figures.use_percent), 1)}{NBSP}%"


def premises_review(uow_factory: UowFactory, caller: Caller,
                    request: ReviewRequest) -> ReviewReport:
    period = request.period
    assert period.end is not None
    with uow_factory() as uow:
        premises = uow.premises.of_units(request.unit_ids)
        rent_units = {p.rent_unit_id for p in premises}
        entries = uow.economy.entries_of_category(AccountCategory.PREMISES,
                                                  rent_units | request.unit_ids, period)
        uses = uow.premises.uses_of([p.id for p in premises],
                                    local_datetime(period.start, MIDNIGHT),
                                    local_datetime(period.end, MIDNIGHT))
        units = {u.id: u.name for u in uow.organisation.units()}
    rent = assign_rent(premises, entries)
    grouped = uses_by_premises(uses)
    figures = [premises_figures(p, rent.by_premises.get(p.id, 0), grouped.get(p.id, ()),
                                period.start, period.end) for p in premises]
    assessment = assess_premises(figures)
    proposal: dict[str, str] = {f.premises.id: GIVE_UP for f in assessment.give_up}
    for share in assessment.share:
        proposal[share.guest.premises.id] = f"Flytta in i {share.host.premises.name}"
        proposal[share.host.premises.id] = f"Ta emot {share.guest.premises.name}"
    rows = tuple(
        (f.premises.name, f.premises.district,
         ", ".join(units.get(u, u) for u in f.premises.unit_ids), f.premises.area_m2,
         f.rent_ore, f.available_minutes, f.used_minutes, f.use_percent,
         f.cost_per_used_hour_ore, proposal.get(f.premises.id, KEEP))
        for f in sorted(figures, key=lambda f: (f.use_percent, f.premises.id)))
    overview = ReviewTable(
        "Lokaler: kostnad och nyttjande",
        (ReviewColumn("Lokal"), ReviewColumn("Område"), ReviewColumn("Enheter"),
         ReviewColumn("Yta m²", CellKind.COUNT), ReviewColumn("Hyra", CellKind.MONEY),
         ReviewColumn("Tillgänglig tid", CellKind.HOURS),
         ReviewColumn("Nyttjad tid", CellKind.HOURS),
         ReviewColumn("Nyttjandegrad", CellKind.PERCENT),
         ReviewColumn("Hyra per nyttjad timme", CellKind.MONEY), ReviewColumn("Förslag")),
        rows, totals=True)
    proposals: list[tuple[object, ...]] = []
    findings: list[str] = []
    total_rent = sum(f.rent_ore for f in figures)
    used = sum(f.used_minutes for f in figures)
    available = sum(f.available_minutes for f in figures)
    findings.append(
        f"{len(figures)} lokaler, hyra i perioden {format_kronor(total_rent)}; de nyttjas "
        f"{format_hours(used)} av {format_hours(available)} tillgänglig tid.")
    for f in assessment.give_up:
        reason = (f"nyttjas {_percent(f)} av sin tillgängliga tid "
                  f"({format_hours(f.used_minutes)} av {format_hours(f.available_minutes)}), "
                  f"under gränsen {GIVE_UP_BELOW_PERCENT}{NBSP}%")
        findings.append(f"Säg upp {f.premises.name}: {reason}; hyran i perioden är "
                        f"{format_kronor(f.rent_ore)}.")
        proposals.append((GIVE_UP, f.premises.name, "–", f.rent_ore, reason.capitalize() + "."))
    for share in assessment.share:
        host, guest = share.host, share.guest
        reason = (f"{guest.premises.name} nyttjas {_percent(guest)} och {host.premises.name} "
                  f"{_percent(host)}; nyttjandet överlappar {format_hours(share.overlap_minutes)} "
                  f"och {host.premises.name} har tid för båda "
                  f"({format_hours(host.used_minutes + guest.used_minutes)} av "
                  f"{format_hours(host.available_minutes)})")
        findings.append(f"Samlokalisera: {guest.premises.name} kan flytta in i "
                        f"{host.premises.name} och hyran för {guest.premises.name} "
                        f"({format_kronor(guest.rent_ore)} i perioden) sparas; {reason}.")
        proposals.append(("Samlokalisera", guest.premises.name, host.premises.name,
                          share.saving_ore, reason[0].upper() + reason[1:] + "."))
    if not proposals:
        findings.append("Ingen lokal nyttjas så lite att den bör sägas upp eller delas.")
    else:
        saving = sum(int(p[3]) for p in proposals)  # type: ignore[call-overload]
        findings.append(f"Förslagen sparar {format_kronor(saving)} i hyra för perioden.")
    unplaced = [e for e in rent.unplaced if e.unit_id in request.unit_ids]
    if unplaced:
        findings.append(
            f"{len(unplaced)} bokningar på kontot Lokaler "
            f"({format_kronor(sum(e.amount.ore for e in unplaced))}) hör inte till "
            "någon registrerad lokal: " + "; ".join(sorted({e.description for e in
                                                            unplaced})) + ".")
    suggestions = ReviewTable(
        "Förslag",
        (ReviewColumn("Förslag"), ReviewColumn("Lokal"), ReviewColumn("Flyttar till"),
         ReviewColumn("Besparing i perioden", CellKind.MONEY), ReviewColumn("Motivering")),
        tuple(proposals), totals=True)
    basis = (
        "Hyran är bokförda belopp på kontot Lokaler (tabellen cost_entries) för den enhet "
        "som betalar lokalen; en bokning hör till den lokal vars bokföringstext är den "
        "längsta början på bokningens text.",
        "Nyttjad tid är registrerat nyttjande (tabellen premises_usage); samtidiga "
        "nyttjanden räknas en gång. Tillgänglig tid är lokalens timmar per vecka × dagar / 7.",
        f"Säg upp: nyttjas under {GIVE_UP_BELOW_PERCENT} % av tillgänglig tid. "
        f"Samlokalisera: två lokaler i samma område, båda under {SHARE_BELOW_PERCENT} %, "
        f"vars nyttjande överlappar högst {SHARE_MAX_OVERLAP_PERCENT} % av det mindre och där "
        "den ena har tid för båda; den dyraste hyran sparas först.",
    )
    return ReviewReport(ReviewName.PREMISES, period, request.scope_label(len(units)),
                        tuple(findings), (overview, suggestions), basis)


SPEC = ReviewSpec(ReviewName.PREMISES, Capability.VIEW_MONEY, premises_review)
