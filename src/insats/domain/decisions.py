"""Decisions (beslut) and the hours they grant.

Sources: domain-rules.md §1.1, §1.4, §2 and "What the system must encode" items 1–2.
Granted time is per week, or a total for a beviljandeperiod of at most six months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from insats.domain.clients import Client
from insats.domain.common import DomainError, Minutes, Money, Period


class LegalBasis(StrEnum):
    SFB = "SFB"  # Socialförsäkringsbalken 51 kap., assistansersättning from FK
    LSS = "LSS"  # Lag (1993:387) om stöd och service, 9 § 1–10
    SOL = "SoL"  # Socialtjänstlagen (boendestöd)


class Insats(StrEnum):
    """The kind of support; LSS insatser carry their 9 § number."""

    RAD_OCH_STOD = "rad_och_stod"
    PERSONAL_ASSISTANCE = "personlig_assistans"
    COMPANION_SERVICE = "ledsagarservice"
    CONTACT_PERSON = "kontaktperson"
    RELIEF_SERVICE = "avlosarservice"
    SHORT_TERM_STAY = "korttidsvistelse"
    SHORT_TERM_SUPERVISION = "korttidstillsyn"
    HOUSING_CHILDREN = "boende_barn"
    HOUSING_ADULTS = "boende_vuxna"
    DAILY_ACTIVITY = "daglig_verksamhet"
    HOUSING_SUPPORT = "boendestod"


LSS_PARAGRAPH: dict[Insats, int] = {
    Insats.RAD_OCH_STOD: 1,
    Insats.PERSONAL_ASSISTANCE: 2,
    Insats.COMPANION_SERVICE: 3,
    Insats.CONTACT_PERSON: 4,
    Insats.RELIEF_SERVICE: 5,
    Insats.SHORT_TERM_STAY: 6,
    Insats.SHORT_TERM_SUPERVISION: 7,
    Insats.HOUSING_CHILDREN: 8,
    Insats.HOUSING_ADULTS: 9,
    Insats.DAILY_ACTIVITY: 10,
}

INSATS_LABELS: dict[Insats, str] = {
    Insats.RAD_OCH_STOD: "Råd och stöd",
    Insats.PERSONAL_ASSISTANCE: "Personlig assistans",
    Insats.COMPANION_SERVICE: "Ledsagarservice",
    Insats.CONTACT_PERSON: "Kontaktperson",
    Insats.RELIEF_SERVICE: "Avlösarservice",
    Insats.SHORT_TERM_STAY: "Korttidsvistelse",
    Insats.SHORT_TERM_SUPERVISION: "Korttidstillsyn",
    Insats.HOUSING_CHILDREN: "Boende för barn",
    Insats.HOUSING_ADULTS: "Boende för vuxna",
    Insats.DAILY_ACTIVITY: "Daglig verksamhet",
    Insats.HOUSING_SUPPORT: "Boendestöd",
}


class DecidedBy(StrEnum):
    FK = "FK"
    MUNICIPALITY = "kommun"


class Payer(StrEnum):
    FK = "FK"
    MUNICIPALITY = "kommun"
    OTHER_MUNICIPALITY = "annan_kommun"


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision granting an insats to a client for a period.

    Attributes:
        granted_minutes_per_week: the weekly grant, or None when only a period total is set.
        granted_minutes_total: a total for the whole beviljandeperiod (at most six months).
        double_assistance_minutes_per_week: a separate allotment when two assistants are
            needed at once (domain-rules §1.8); counted apart from the ordinary hours.
        provider_id: the provider (anordnare); the municipality's own provider id when it
            performs the assistance itself.
        increased_rate: förhöjt timbelopp approved by FK (at most schablon × 1.12).
        increased_rate_per_hour: the approved förhöjt amount per hour; None means the
            highest allowed (schablon × ``fk.increased_rate_max_factor``).
        paid_in_advance: FK pays in advance (förskott) and settles at the end of the
            beviljandeperiod; otherwise in arrears (efterskott, the main rule since
            2016-10-01, domain-rules §1.5).
        replaces_decision_id: the earlier decision this one changes (decision history).
    """

    id: str
    client_id: str
    legal_basis: LegalBasis
    insats: Insats
    period: Period
    decided_by: DecidedBy
    payer: Payer
    provider_id: str
    decided_on: dt.date
    granted_minutes_per_week: int | None = None
    granted_minutes_total: int | None = None
    double_assistance_minutes_per_week: int = 0
    basic_needs_minutes_per_week: int | None = None
    increased_rate: bool = False
    replaces_decision_id: str | None = None
    increased_rate_per_hour: Money | None = None
    paid_in_advance: bool = False

    def __post_init__(self) -> None:
        self._check_basis()
        self._check_grant()

    def _check_basis(self) -> None:
        if self.legal_basis is LegalBasis.SFB and self.insats is not Insats.PERSONAL_ASSISTANCE:
            raise DomainError(
                "decision.basis", "Beslut enligt SFB kan bara avse personlig assistans."
            )
        if self.legal_basis is LegalBasis.SFB and self.decided_by is not DecidedBy.FK:
            raise DomainError(
                "decision.decided_by", "Assistansersättning enligt SFB beslutas av FK."
            )
        if self.legal_basis is LegalBasis.LSS and self.insats not in LSS_PARAGRAPH:
            raise DomainError(
                "decision.basis",
                f"{INSATS_LABELS[self.insats]} är ingen insats enligt LSS 9 §.",
            )
        if self.legal_basis is LegalBasis.SOL and self.insats is not Insats.HOUSING_SUPPORT:
            raise DomainError("decision.basis", "Bara boendestöd registreras enligt SoL.")
        if self.increased_rate_per_hour is not None and not self.increased_rate:
            raise DomainError(
                "decision.increased_rate", "Ett förhöjt belopp kräver beslut om förhöjt timbelopp."
            )
        if self.increased_rate and self.legal_basis is not LegalBasis.SFB:
            raise DomainError(
                "decision.increased_rate", "Förhöjt timbelopp finns bara för SFB-beslut."
            )

    def _check_grant(self) -> None:
        for name, value in (
            ("beviljade minuter per vecka", self.granted_minutes_per_week),
            ("beviljade minuter för perioden", self.granted_minutes_total),
            ("dubbelassistans", self.double_assistance_minutes_per_week),
        ):
            if value is not None and value < 0:
                raise DomainError(
                    "decision.negative", f"{name.capitalize()} kan inte vara negativt."
                )
        if self.granted_minutes_total is not None and not self.period.months_apart_at_most(6):
            raise DomainError(
                "decision.period_total",
                "Timmar för en period kräver en beviljandeperiod på högst sex månader.",
            )
        hourly = self.insats in HOURLY_INSATSER
        if hourly and self.granted_minutes_per_week is None and self.granted_minutes_total is None:
            raise DomainError(
                "decision.grant_missing",
                f"{INSATS_LABELS[self.insats]} kräver beviljade timmar per vecka "
                "eller för perioden.",
            )

    @property
    def is_municipal_assistance(self) -> bool:
        return self.insats is Insats.PERSONAL_ASSISTANCE

    def active_on(self, day: dt.date) -> bool:
        return self.period.contains(day)

    def granted_in(self, period: Period) -> Minutes:
        """Granted minutes falling inside ``period``, pro rata by day.

        A weekly grant counts 1/7 of the week per day; a period total is spread evenly
        over the beviljandeperiod's days (domain-rules §1.4; within-period netting is
        uncertain, so this is the even spread used for planning and follow-up).
        """
        overlap = self.period.intersection(period)
        if overlap is None or overlap.end is None:
            return Minutes(0)
        days = overlap.days
        if self.granted_minutes_total is not None and self.period.end is not None:
            return Minutes(self.granted_minutes_total * days // self.period.days)
        if self.granted_minutes_per_week is not None:
            return Minutes(self.granted_minutes_per_week * days // 7)
        return Minutes(0)

    def double_granted_in(self, period: Period) -> Minutes:
        overlap = self.period.intersection(period)
        if overlap is None or overlap.end is None:
            return Minutes(0)
        return Minutes(self.double_assistance_minutes_per_week * overlap.days // 7)


HOURLY_INSATSER = frozenset(
    {Insats.PERSONAL_ASSISTANCE, Insats.COMPANION_SERVICE, Insats.RELIEF_SERVICE,
     Insats.HOUSING_SUPPORT}
)


def responsible_payer(basic_needs_minutes_per_week: int, threshold: Minutes) -> Payer:
    """FK pays when grundläggande behov exceed the threshold (51 kap. 3 § SFB: 20 h/week);
    otherwise the municipality (LSS 9 § 2). The threshold is a dated rule parameter."""
    return Payer.FK if basic_needs_minutes_per_week > threshold.value else Payer.MUNICIPALITY


def decision_conflicts(decisions: list[Decision]) -> list[tuple[str, str, str]]:
    """Conflicts between one client's decisions: (severity, code, Swedish message).

    - ledsagarservice together with personlig assistans: error (HFD 2011 ref 62)
    - korttidsvistelse together with personlig assistans on the same dates: warning
    """
    findings: list[tuple[str, str, str]] = []
    assistance = [d for d in decisions if d.insats is Insats.PERSONAL_ASSISTANCE]
    for other in decisions:
        for pa in assistance:
            if not pa.period.overlaps(other.period):
                continue
            if other.insats is Insats.COMPANION_SERVICE:
                findings.append((
                    "error",
                    "decision.companion_with_assistance",
                    "Ledsagarservice kan inte beviljas den som har personlig assistans "
                    "(HFD 2011 ref 62).",
                ))
            elif other.insats is Insats.SHORT_TERM_STAY:
                findings.append((
                    "warning",
                    "decision.double_stay",
                    "Dubbla beslut: korttidsvistelse och personlig assistans samma period.",
                ))
    return findings


def client_decision_conflicts(client: Client, decisions: list[Decision], *,
                              age_limit_years: Callable[[dt.date], int],
                              ) -> list[tuple[str, str, str]]:
    """Conflicts between a client and their decisions (domain-rules item 9):

    - assistansersättning (SFB) for a client living in a gruppbostad: error (106 kap.
      24 § SFB); municipal personal assistance for time outside it is allowed;
    - a new or extra grant of personal assistance decided on or after the day the client
      reached the age limit (66 for 2023–2025, the riktålder from 2026; the dated
      parameter ``fk.new_grant_age_limit``): error; hours granted before are kept.
    """
    findings: list[tuple[str, str, str]] = []
    by_id = {d.id: d for d in decisions}
    for decision in decisions:
        if decision.insats is not Insats.PERSONAL_ASSISTANCE:
            continue
        if client.lives_in_group_home and decision.legal_basis is LegalBasis.SFB:
            findings.append((
                "error", "decision.group_home",
                f"Beslut {decision.id}: assistansersättning betalas inte för den som bor i "
                "gruppbostad (106 kap. 24 § SFB); kommunal personlig assistans för tid "
                "utanför gruppbostaden kan beviljas enligt LSS.",
            ))
        age = client.age_on(decision.decided_on)
        if age is None or age < age_limit_years(decision.decided_on):
            continue
        earlier = by_id.get(decision.replaces_decision_id or "")
        weekly = decision.granted_minutes_per_week or 0
        if earlier is None or weekly > (earlier.granted_minutes_per_week or 0):
            findings.append((
                "error", "decision.age_limit",
                f"Beslut {decision.id}: nya eller utökade timmar kan inte beviljas efter "
                f"åldersgränsen ({age} år när beslutet fattades); tidigare beviljade timmar "
                "behålls.",
            ))
    return findings
