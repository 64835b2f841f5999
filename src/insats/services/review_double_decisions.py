"""Review: double decisions ("Översyn av dubbla beslut").

Clients with personal assistance and korttidsvistelse at the same time: the days both
decisions are in force, the stays (days and hours), the assistance performed on the stay
days (FK pays it only where the korttidshem does not meet the need, so a reason must be
recorded) and what each case costs; and the decisions that must never be in force
together (ledsagarservice with personal assistance). The rules and their sources are in
:mod:`insats.domain.double_decisions`; the not-payable minutes follow the hour ledger's
rule (:func:`insats.domain.eligibility.stay_exclusions`), costed with the ledger's FK rate
(:func:`insats.services.ledger.fk_rate`) and staff cost per hour.

A client is in a caller's scope when the client belongs to one of the units, or stayed at
a korttidshem among them in the period. Every client listed is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from insats.db.repositories.ledger import works_of_clients
from insats.domain.access import AuditAction, Caller, Capability
from insats.domain.calendar import STOCKHOLM
from insats.domain.common import Period
from insats.domain.decisions import Decision, Insats, LegalBasis
from insats.domain.double_decisions import (
    CONFLICT_RULES,
    PA_WITH_SHORT_STAY,
    SEVERITY_LABELS,
    DecisionOverlap,
    Severity,
    StayAssistance,
    assistance_during_stays,
    decision_overlaps,
    stay_days,
    stay_minutes,
)
from insats.domain.eligibility import Work
from insats.domain.formatting import format_hours, format_kronor
from insats.domain.ledger import ore_of
from insats.domain.reviews import CellKind, ReviewColumn, ReviewName, ReviewReport, ReviewTable
from insats.domain.stays import ClientStay, StayKind
from insats.services.audit import Touched, log
from insats.services.ledger import StaffCostPerHour, fk_rate, ledger_rules
from insats.services.reviews import ReviewRequest, ReviewSpec
from insats.services.runtime import UowFactory

_ONE_DAY = dt.timedelta(days=1)
_WANTED = {Insats.PERSONAL_ASSISTANCE, Insats.SHORT_TERM_STAY, Insats.COMPANION_SERVICE}


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM).astimezone(dt.UTC)


def _fk_decision_on(decisions: list[Decision], day: dt.date,
                    municipal: frozenset[str]) -> Decision | None:
    """The SFB assistance decision we perform on ``day``: FK pays for that day's hours."""
    return next((d for d in decisions if d.insats is Insats.PERSONAL_ASSISTANCE
                 and d.legal_basis is LegalBasis.SFB and d.provider_id in municipal
                 and d.period.contains(day)), None)


def _basis(decisions: list[Decision], period: Period) -> str:
    bases = sorted({"SFB (FK)" if d.legal_basis is LegalBasis.SFB else d.legal_basis.value
                    for d in decisions if d.insats is Insats.PERSONAL_ASSISTANCE
                    and d.period.overlaps(period)})
    return ", ".join(bases) or "–"


def double_decisions_review(uow_factory: UowFactory, caller: Caller,
                            request: ReviewRequest) -> ReviewReport:
    period = request.period
    assert period.end is not None
    scope = request.unit_ids
    with uow_factory() as uow:
        units = uow.organisation.units()
        unit_names = {u.id: u.name for u in units}
        clients = {c.id: c for c in uow.clients.all()}
        short_stays = [s for s in uow.stays.overlapping(
            _midnight_utc(period.start), _midnight_utc(period.end))
            if s.kind is StayKind.SHORT_TERM_STAY]
        in_scope = {c.id for c in clients.values() if c.unit_id in scope}
        in_scope |= {s.client_id for s in short_stays if s.unit_id in scope}
        decisions = [d for d in uow.decisions.of_clients(sorted(in_scope)) if d.insats in _WANTED]
        overlaps = decision_overlaps(decisions, period)
        doubles = sorted({o.client_id for o in overlaps if o.rule is PA_WITH_SHORT_STAY},
                         key=lambda c: clients[c].pseudonym)
        works: dict[str, list[Work]] = defaultdict(list)
        for work in works_of_clients(uow.session, doubles, period.start - _ONE_DAY, period.end):
            works[work.client_id].append(work)
        book = uow.rules.rule_book()
        on = min(request.today, period.end - _ONE_DAY)
        rules = ledger_rules(book, on=on)
        costs: Mapping[str, int] = StaffCostPerHour(uow, book.permille("pay.social_fee_rate", on))
        municipal = frozenset(p.id for p in uow.providers.all() if p.is_municipal)
        by_client: dict[str, list[Decision]] = defaultdict(list)
        for decision in decisions:
            by_client[decision.client_id].append(decision)
        stays_of: dict[str, list[ClientStay]] = defaultdict(list)
        for stay in short_stays:
            stays_of[stay.client_id].append(stay)
        cases: dict[str, list[tuple[StayAssistance, int, int]]] = {}
        for client_id in doubles:
            own = by_client[client_id]
            fk_days = [day for stay in stays_of[client_id] for day in stay_days(stay, period)
                       if _fk_decision_on(own, day, municipal) is not None]
            found = assistance_during_stays(works[client_id], stays_of[client_id], period,
                                            rules.stay, fk_paid_on=fk_days)
            cases[client_id] = []
            for item in found:
                staff = ore_of(sum(m * costs.get(e, rules.fallback_cost_per_hour)
                                   for e, m in item.minutes_by_employee))
                first_day = stay_days(item.stay, period)[0]
                fk = _fk_decision_on(own, first_day, municipal)
                lost = ore_of(item.not_payable * fk_rate(book, fk, first_day)) if fk else 0
                cases[client_id].append((item, staff, lost))
        conflicts = [o for o in overlaps if o.rule.severity is Severity.ERROR]
        listed = sorted({*doubles, *(o.client_id for o in conflicts)})
        log(uow, caller, AuditAction.READ,
            [Touched("client", c, c, clients[c].unit_id) for c in listed])
        uow.commit()

    def who(client_id: str) -> str:
        return clients[client_id].pseudonym

    def unit_of(client_id: str) -> str:
        unit_id = clients[client_id].unit_id
        return unit_names.get(unit_id, unit_id)

    client_rows: list[tuple[object, ...]] = []
    for client_id in doubles:
        items = cases[client_id]
        shared = sum(o.days for o in overlaps
                     if o.client_id == client_id and o.rule is PA_WITH_SHORT_STAY)
        client_rows.append((
            who(client_id), unit_of(client_id), _basis(by_client[client_id], period), shared,
            len(items), sum(len(stay_days(i.stay, period)) for i, _, _ in items),
            sum(stay_minutes(i.stay, period) for i, _, _ in items),
            sum(i.on_stay_days for i, _, _ in items), sum(i.within_stay for i, _, _ in items),
            sum(i.not_payable for i, _, _ in items), sum(s for _, s, _ in items),
            sum(lo for _, _, lo in items)))
    stay_rows: list[tuple[object, ...]] = []
    for client_id in doubles:
        for item, staff, lost in cases[client_id]:
            days = stay_days(item.stay, period)
            home = unit_names.get(item.stay.unit_id or "", item.stay.unit_id or "–")
            stay_rows.append((
                who(client_id), home, days[0], days[-1], item.stay.reason or "saknas",
                stay_minutes(item.stay, period), item.on_stay_days, item.within_stay,
                item.not_payable, staff, lost))
    conflict_rows = [_conflict_row(o, who(o.client_id), unit_of(o.client_id))
                     for o in sorted(conflicts, key=lambda o: (who(o.client_id), o.overlap.start))]
    findings = _findings(client_rows, stay_rows, conflict_rows,
                         [who(c) for c in doubles
                          if any(i.not_payable for i, _, _ in cases[c])])
    tables = (
        ReviewTable(
            "Personlig assistans och korttidsvistelse per klient",
            (ReviewColumn("Klient"), ReviewColumn("Enhet"), ReviewColumn("Assistansbeslut"),
             ReviewColumn("Beslutsdagar samtidigt", CellKind.COUNT),
             ReviewColumn("Vistelser", CellKind.COUNT),
             ReviewColumn("Vistelsedagar", CellKind.COUNT),
             ReviewColumn("Vistelsetid", CellKind.HOURS),
             ReviewColumn("Assistans samma dagar", CellKind.HOURS),
             ReviewColumn("varav under vistelsen", CellKind.HOURS),
             ReviewColumn("Utan skäl, ej ersättning", CellKind.HOURS),
             ReviewColumn("Assistanskostnad", CellKind.MONEY),
             ReviewColumn("Förlorad FK-ersättning", CellKind.MONEY)),
            tuple(client_rows), totals=True),
        ReviewTable(
            "Korttidsvistelser med assistans samma dagar",
            (ReviewColumn("Klient"), ReviewColumn("Korttidshem"),
             ReviewColumn("Första dag", CellKind.DATE), ReviewColumn("Sista dag", CellKind.DATE),
             ReviewColumn("Skäl för assistans"), ReviewColumn("Vistelsetid", CellKind.HOURS),
             ReviewColumn("Assistans samma dagar", CellKind.HOURS),
             ReviewColumn("varav under vistelsen", CellKind.HOURS),
             ReviewColumn("Utan skäl, ej ersättning", CellKind.HOURS),
             ReviewColumn("Assistanskostnad", CellKind.MONEY),
             ReviewColumn("Förlorad FK-ersättning", CellKind.MONEY)),
            tuple(stay_rows), totals=True),
        ReviewTable(
            "Beslut som inte får gälla samtidigt",
            (ReviewColumn("Klient"), ReviewColumn("Enhet"), ReviewColumn("Regel"),
             ReviewColumn("Allvar"), ReviewColumn("Beslut"), ReviewColumn("Beslut"),
             ReviewColumn("Från", CellKind.DATE), ReviewColumn("Till och med", CellKind.DATE),
             ReviewColumn("Dagar", CellKind.COUNT), ReviewColumn("Källa")),
            tuple(conflict_rows)),
    )
    basis = (
        "Beslut om personlig assistans, korttidsvistelse och ledsagarservice som gäller "
        "någon dag i perioden (tabellen decisions); korttidsvistelser (client_stays); "
        "rapporterad tid (time_entries) som timredovisningen räknar.",
        "Assistans räknas till en vistelse när den utförs ett datum som vistelsen omfattar "
        "(samma dag, som i timredovisningen); \"under vistelsen\" är den del som ligger inom "
        "vistelsens egna klockslag.",
        "Ej ersättning: assistans samma dag som en korttidsvistelse utan registrerat skäl, "
        "när FK betalar assistansen (SFB-beslut i egen regi); värderad med FK:s timbelopp "
        "den första dagen.",
        "Assistanskostnad: timmarna samma dagar gånger varje assistents timkostnad med "
        "sociala avgifter (schablonbeloppet för den som saknar lön).",
        *(f"{SEVERITY_LABELS[r.severity]}: {r.label} ({r.source})." for r in CONFLICT_RULES),
        "Klienter visas med pseudonym; varje klient i översynen skrivs i åtkomstloggen.",
    )
    return ReviewReport(ReviewName.DOUBLE_DECISIONS, period, request.scope_label(len(units)),
                        findings, tables, basis)


def _conflict_row(overlap: DecisionOverlap, pseudonym: str, unit: str) -> tuple[object, ...]:
    assert overlap.overlap.end is not None
    return (pseudonym, unit, overlap.rule.label, SEVERITY_LABELS[overlap.rule.severity],
            f"{overlap.first.id} ({overlap.first.insats.value})",
            f"{overlap.second.id} ({overlap.second.insats.value})",
            overlap.overlap.start, overlap.overlap.end - _ONE_DAY, overlap.days,
            overlap.rule.source)


def _findings(client_rows: list[tuple[object, ...]], stay_rows: list[tuple[object, ...]],
              conflict_rows: list[tuple[object, ...]], unexplained: list[str]) -> tuple[str, ...]:
    def total(rows: list[tuple[object, ...]], index: int) -> int:
        return sum(int(r[index]) for r in rows)  # type: ignore[call-overload]

    found = [
        f"{len(client_rows)} klienter har beslut om både personlig assistans och "
        f"korttidsvistelse som gäller samtidigt i perioden "
        f"({total(client_rows, 3)} beslutsdagar sammanlagt).",
    ]
    if stay_rows:
        found.append(
            f"Under {len(stay_rows)} korttidsvistelser ({total(stay_rows, 5) // 60} timmar "
            f"vistelsetid) utfördes {format_hours(total(stay_rows, 6), 1)} personlig assistans "
            f"samma dagar, varav {format_hours(total(stay_rows, 7), 1)} under själva "
            f"vistelsen; assistanskostnaden var {format_kronor(total(stay_rows, 9))}.")
    if unexplained:
        found.append(
            f"{format_hours(total(stay_rows, 8), 1)} assistans samma dagar som en "
            f"korttidsvistelse saknar registrerat skäl och ersätts inte av FK "
            f"({format_kronor(total(stay_rows, 10))}): {', '.join(unexplained)}. Registrera "
            "skälet (korttidshemmet tillgodoser inte behovet) eller planera bort "
            "assistansen under vistelsen.")
    else:
        found.append("All assistans samma dagar som en korttidsvistelse har ett registrerat "
                     "skäl.")
    if conflict_rows:
        names = ", ".join(sorted({str(r[0]) for r in conflict_rows}))
        rules = "; ".join(sorted({f"{r[2]} ({r[9]})" for r in conflict_rows}))
        found.append(f"Fel: {len(conflict_rows)} par av beslut gäller samtidigt fast de inte "
                     f"får: {rules}. Klienter: {names}. Ett av besluten ska ändras.")
    else:
        found.append("Inga beslut om ledsagarservice gäller samtidigt med personlig assistans.")
    return tuple(found)


SPEC = ReviewSpec(ReviewName.DOUBLE_DECISIONS, Capability.VIEW_CLIENTS, double_decisions_review)
