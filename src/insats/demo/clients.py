"""Clients (brukare) and their decisions (beslut), after seed 001 "Organisation".

Per cluster: 89 SFB cases (39 performed by the municipality, 50 by private providers),
26 LSS personal-assistance cases, korttidsvistelse (incl. five double decisions with
personal assistance), stödfamiljer, korttidstillsyn, ledsagar- and avlösarservice,
kontaktperson and boendestöd. Identity numbers are synthetic: serials 980–999.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from insats.demo import organisation as org
from insats.demo.names import person_name, street_address
from insats.domain.clients import Client
from insats.domain.common import Period
from insats.domain.decisions import DecidedBy, Decision, Insats, LegalBasis, Payer
from insats.domain.personnummer import make_identity

SFB_MUNICIPAL = 39
SFB_PRIVATE = 50
LSS_PA = 26
LSS_PA_VISIT_STYLE = 8
LSS_PA_PERIOD_TOTAL = 3
DOUBLE_DECISIONS = 5
KTV_OTHER = 25
SUPPORT_FAMILY = 8
KTS = 12
COMPANION = 10
RELIEF = 8
CONTACT = 20
HOUSING_SUPPORT = 15
OTHER_MUNICIPALITY_CODE = "1442"  # Vårgårda buys places at a korttidshem
TEST_SERIALS = (980, 999)  # clearly synthetic birth serials
HISTORY_START = dt.date(2025, 1, 1)


@dataclass(frozen=True, slots=True)
class PaCase:
    """A personal-assistance case the municipality performs (gets a group and shifts)."""

    client_id: str
    unit_id: str
    decision_ids: tuple[str, ...]
    visit_style: bool = False
    over_permille: int = 1000  # scheduled / granted, per mille (planted over-scheduling)
    weekdays_only: bool = False


@dataclass(frozen=True, slots=True)
class Grant:
    """The parts of a personal-assistance grant besides the hours."""

    basic_needs_minutes: int | None = None
    double_minutes: int = 0
    increased_rate: bool = False


@dataclass(slots=True)
class ClientBook:
    clients: list[Client] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    pa_cases: list[PaCase] = field(default_factory=list)
    basansvar_client_ids: list[str] = field(default_factory=list)
    ktv_clients_by_unit: dict[str, list[str]] = field(default_factory=dict)
    resource_decision_ids: dict[str, list[str]] = field(default_factory=dict)


class _Ids:
    def __init__(self) -> None:
        self.client = 0
        self.decision = 0
        self.identities: set[tuple[dt.date, int]] = set()

    def next_client(self) -> str:
        self.client += 1
        return f"C{self.client:04d}"

    def next_decision(self) -> str:
        self.decision += 1
        return f"D{self.decision:05d}"


def _round_to(value: int, step: int) -> int:
    return max(step, (value + step // 2) // step * step)


class _Builder:
    def __init__(self, rng: random.Random, ids: _Ids, cluster: int, end: dt.date) -> None:
        self.rng = rng
        self.ids = ids
        self.cluster = cluster
        self.end = end
        self.book = ClientBook()

    def unit(self, index: int) -> str:
        return org.unit_id(self.cluster, index)

    def client(self, unit_id: str, age: int, *, home: str = org.MUNICIPALITY_CODE) -> str:
        rng = self.rng
        birth = HISTORY_START - dt.timedelta(days=age * 365 + rng.randint(10, 350))
        serial = rng.randint(*TEST_SERIALS)
        while (birth, serial) in self.ids.identities:
            serial = rng.randint(*TEST_SERIALS)
            birth -= dt.timedelta(days=rng.randint(0, 1))
        self.ids.identities.add((birth, serial))
        client_id = self.ids.next_client()
        given, family = person_name(rng)
        self.book.clients.append(Client(
            id=client_id,
            pseudonym=f"B-{client_id[1:]}",
            identity=make_identity(birth, serial),
            given_name=given,
            family_name=family,
            unit_id=unit_id,
            home_municipality_code=home,
            address=street_address(rng),
            latitude=round(57.93 + rng.uniform(-0.05, 0.05), 5),
            longitude=round(12.53 + rng.uniform(-0.08, 0.08), 5),
        ))
        return client_id

    def decision(self, client_id: str, basis: LegalBasis, insats: Insats, period: Period,
                 *, provider: str = org.MUNICIPAL_PROVIDER_ID, payer: Payer | None = None,
                 grant: Grant | None = None, weekly: int | None = None,
                 total: int | None = None, replaces: str | None = None) -> Decision:
        grant = grant or Grant()
        decided_by = DecidedBy.FK if basis is LegalBasis.SFB else DecidedBy.MUNICIPALITY
        if payer is None:
            payer = Payer.FK if basis is LegalBasis.SFB else Payer.MUNICIPALITY
        decided_on = period.start - dt.timedelta(days=self.rng.randint(7, 45))
        decision = Decision(
            id=self.ids.next_decision(), client_id=client_id, legal_basis=basis,
            insats=insats, period=period, decided_by=decided_by, payer=payer,
            provider_id=provider, decided_on=decided_on, granted_minutes_per_week=weekly,
            granted_minutes_total=total,
            double_assistance_minutes_per_week=grant.double_minutes,
            basic_needs_minutes_per_week=grant.basic_needs_minutes,
            increased_rate=grant.increased_rate, replaces_decision_id=replaces,
        )
        self.book.decisions.append(decision)
        return decision

    def weekly_chain(self, client_id: str, basis: LegalBasis, weekly: int, *,
                     provider: str = org.MUNICIPAL_PROVIDER_ID, change: bool = False,
                     grant: Grant | None = None) -> list[str]:
        """One open-ended decision, or two when it changes during the history."""
        rng = self.rng
        first_start = dt.date(rng.randint(2019, 2024), rng.randint(1, 12), 1)
        pa = Insats.PERSONAL_ASSISTANCE
        if not change:
            decision = self.decision(client_id, basis, pa, Period(first_start, None),
                                     provider=provider, weekly=weekly, grant=grant)
            return [decision.id]
        change_on = dt.date(rng.choice((2025, 2025, 2026)), rng.randint(2, 9), 1)
        first = self.decision(client_id, basis, pa, Period(first_start, change_on),
                              provider=provider, weekly=weekly, grant=grant)
        factor = rng.choice((1.1, 1.15, 1.2, 1.25, 0.9))
        new_weekly = _round_to(int(weekly * factor), 30)
        if basis is LegalBasis.SFB:
            new_weekly = min(max(new_weekly, 2400), 10080)
        second = self.decision(client_id, basis, pa, Period(change_on, None),
                               provider=provider, weekly=new_weekly, grant=grant,
                               replaces=first.id)
        return [first.id, second.id]

    def period_total_chain(self, client_id: str, weekly: int) -> list[str]:
        """Six-month beviljandeperioder with a total each, every one replacing the last."""
        ids: list[str] = []
        start = dt.date(2024, 7, 1)
        previous: str | None = None
        while start < self.end:
            end = org_add_six_months(start)
            period = Period(start, end)
            total = _round_to(weekly * period.days // 7 * self.rng.randint(90, 115) // 100, 60)
            decision = self.decision(client_id, LegalBasis.LSS, Insats.PERSONAL_ASSISTANCE,
                                     period, total=total, replaces=previous)
            ids.append(decision.id)
            previous = decision.id
            start = end
        return ids

    def simple(self, client_id: str, basis: LegalBasis, insats: Insats,
               weekly: int | None = None, payer: Payer | None = None) -> Decision:
        start = dt.date(self.rng.randint(2021, 2024), self.rng.randint(1, 12), 1)
        return self.decision(client_id, basis, insats, Period(start, None), payer=payer,
                             weekly=weekly)


def org_add_six_months(day: dt.date) -> dt.date:
    month = day.month + 6
    return dt.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _sfb_weekly(rng: random.Random) -> int:
    bucket = rng.choices((0, 1, 2, 3), weights=(5, 8, 12, 14))[0]
    low, high = ((168, 168), (120, 150), (80, 119), (40, 79))[bucket]
    return rng.randint(low, high) * 60


def build_clients(rng: random.Random, clusters: int, end: dt.date) -> ClientBook:
    ids = _Ids()
    total = ClientBook()
    for cluster in range(clusters):
        part = _build_cluster(_Builder(rng, ids, cluster, end))
        total.clients += part.clients
        total.decisions += part.decisions
        total.pa_cases += part.pa_cases
        total.basansvar_client_ids += part.basansvar_client_ids
        total.ktv_clients_by_unit.update(part.ktv_clients_by_unit)
        total.resource_decision_ids.update(part.resource_decision_ids)
    return total


def _build_cluster(b: _Builder) -> ClientBook:
    rng = b.rng
    pa_units = [b.unit(i) for i in org.PA_UNIT_INDEXES]
    over_scheduled = set(rng.sample(range(SFB_MUNICIPAL), 4))
    increased = set(rng.sample(range(SFB_MUNICIPAL), 2))
    doubles: list[str] = []
    for n in range(SFB_MUNICIPAL):
        age = rng.randint(6, 16) if n < 3 else rng.randint(19, 64)
        unit = pa_units[n % len(pa_units)]
        client_id = b.client(unit, age)
        if n < 3:
            doubles.append(client_id)
        weekly = _sfb_weekly(rng)
        basic_needs = rng.randint(22, 60) * 60
        double = rng.choice((7, 14, 21)) * 60 if rng.random() < 0.15 else 0
        grant = Grant(basic_needs, double, n in increased)
        chain = b.weekly_chain(client_id, LegalBasis.SFB, weekly,
                               change=rng.random() < 0.25, grant=grant)
        over = rng.randint(1050, 1150) if n in over_scheduled else 1000
        b.book.pa_cases.append(PaCase(client_id, unit, tuple(chain), over_permille=over))
    weights = org.private_provider_weights()
    for n in range(SFB_PRIVATE):
        provider = rng.choices([p for p, _ in weights], weights=[w for _, w in weights])[0]
        if n < 3:
            provider = org.LAPSED_PERMIT_PROVIDER_ID
        client_id = b.client(pa_units[n % len(pa_units)], rng.randint(8, 64))
        b.weekly_chain(client_id, LegalBasis.SFB, _sfb_weekly(rng), provider=provider,
                       change=rng.random() < 0.15, grant=Grant(rng.randint(22, 60) * 60))
        if n < 3:
            b.book.basansvar_client_ids.append(client_id)
    resource_unit = b.unit(org.RESOURCE_UNIT_INDEX)
    for n in range(LSS_PA):
        visit = n < LSS_PA_VISIT_STYLE
        unit = resource_unit if visit else pa_units[n % len(pa_units)]
        is_child = n in (LSS_PA_VISIT_STYLE, LSS_PA_VISIT_STYLE + 1)
        client_id = b.client(unit, rng.randint(7, 15) if is_child else rng.randint(20, 64))
        if is_child:
            doubles.append(client_id)
        weekly = rng.randint(5, 40) * 60
        if visit:
            weekly = rng.choice((420, 630, 840, 1050, 1260))
        if LSS_PA_VISIT_STYLE + 2 <= n < LSS_PA_VISIT_STYLE + 2 + LSS_PA_PERIOD_TOTAL:
            chain = b.period_total_chain(client_id, weekly)
        else:
            chain = b.weekly_chain(client_id, LegalBasis.LSS, weekly,
                                   change=rng.random() < 0.2,
                                   grant=Grant(rng.randint(3, 19) * 60))
        b.book.pa_cases.append(PaCase(
            client_id, unit, tuple(chain), visit_style=visit,
            weekdays_only=not visit and rng.random() < 0.3,
        ))
    _build_other_support(b, doubles)
    return b.book


def _build_other_support(b: _Builder, doubles: list[str]) -> None:
    rng = b.rng
    ktv_units = [b.unit(i) for i in org.KTV_UNIT_INDEXES]
    by_unit: dict[str, list[str]] = {u: [] for u in ktv_units}
    for n, client_id in enumerate(doubles[:DOUBLE_DECISIONS]):
        b.simple(client_id, LegalBasis.LSS, Insats.SHORT_TERM_STAY)
        by_unit[ktv_units[n % 3]].append(client_id)
    for n in range(KTV_OTHER):
        bought = n < 2
        unit = ktv_units[n % 3]
        client_id = b.client(unit, rng.randint(6, 20),
                             home=OTHER_MUNICIPALITY_CODE if bought else org.MUNICIPALITY_CODE)
        b.simple(client_id, LegalBasis.LSS, Insats.SHORT_TERM_STAY,
                 payer=Payer.OTHER_MUNICIPALITY if bought else None)
        by_unit[unit].append(client_id)
    b.book.ktv_clients_by_unit = by_unit
    for _ in range(SUPPORT_FAMILY):
        client_id = b.client(b.unit(org.SUPPORT_FAMILY_UNIT_INDEX), rng.randint(4, 15))
        b.simple(client_id, LegalBasis.LSS, Insats.SHORT_TERM_STAY)
    for _ in range(KTS):
        client_id = b.client(b.unit(org.KTS_UNIT_INDEX), rng.randint(13, 20))
        b.simple(client_id, LegalBasis.LSS, Insats.SHORT_TERM_SUPERVISION)
    for _ in range(CONTACT):
        client_id = b.client(b.unit(org.CONTACT_UNIT_INDEX), rng.randint(10, 60))
        b.simple(client_id, LegalBasis.LSS, Insats.CONTACT_PERSON)
    resource = b.unit(org.RESOURCE_UNIT_INDEX)
    resource_ids: list[str] = []
    for count, basis, insats, hours in (
        (COMPANION, LegalBasis.LSS, Insats.COMPANION_SERVICE, (2, 10)),
        (RELIEF, LegalBasis.LSS, Insats.RELIEF_SERVICE, (2, 8)),
        (HOUSING_SUPPORT, LegalBasis.SOL, Insats.HOUSING_SUPPORT, (2, 8)),
    ):
        for _ in range(count):
            client_id = b.client(resource, rng.randint(12, 70))
            weekly = rng.randint(*hours) * 60
            resource_ids.append(b.simple(client_id, basis, insats, weekly).id)
    b.book.resource_decision_ids[resource] = resource_ids
