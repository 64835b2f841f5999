"""The scenario calculator: what the measures of the action plan would save per year,
computed from the department's own data (issue 7, deliverable 4; seeds 001 and 002).

Each scenario takes its inputs (a frozen dataclass of figures read from the database and
the numbers it assumes, each a :class:`Given` with its source) and returns a
:class:`ScenarioResult`: the cost per year today and in the scenario, the saving, and the
"based on" lines (``basis``) in Swedish that state every input, where it comes from and
what is assumed. The formulas are in docs/scenarios.md.

Figures are read for a window of whole months (:class:`DataWindow`) and scaled to a year
by 12 / months. Staff time is costed at the hourly wage (månadslön × 12 / (52 × full-time
week), or the timlön) plus the social fees (``pay.social_fee_rate``); substitutes' time
at the mean timlön of the hourly substitutes plus holiday pay (``pay.holiday_pay_rate``)
and social fees.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from insats.domain.common import DomainError, Money
from insats.domain.formatting import format_hours, format_kronor, format_number

WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
PERMILLE = 1000


class ScenarioKey(StrEnum):
    MEETINGS = "moten"
    TRAINING = "utbildning"
    BREAKS = "raster"
    SCHOOL_TAXI = "skolskjuts"
    PREMISES = "lokaler"


SCENARIO_NAMES: dict[ScenarioKey, str] = {
    ScenarioKey.MEETINGS: "Färre och kortare APT- och verksamhetsmöten",
    ScenarioKey.TRAINING: "Utbildning i storgrupp i stället för smågrupper",
    ScenarioKey.BREAKS: "Schemalagda raster (korttidsvistelse m.fl.)",
    ScenarioKey.SCHOOL_TAXI: "Skolskjuts betalas av Barn- och ungdomsförvaltningen",
    ScenarioKey.PREMISES: "Uppsagda lokaler",
}


@dataclass(frozen=True, slots=True)
class Given:
    """A number a scenario assumes and where it comes from (a rule parameter with its
    source, the user, or the data), in Swedish."""

    value: int
    source: str


@dataclass(frozen=True, slots=True)
class DataWindow:
    """The months ``[start, start + months)`` the figures were read for."""

    start: dt.date
    months: int

    def __post_init__(self) -> None:
        if self.months <= 0:
            raise DomainError("scenario.window", "Det finns inga månader att räkna på.")

    @property
    def per_year(self) -> float:
        return MONTHS_PER_YEAR / self.months

    @property
    def end(self) -> dt.date:
        """The first day after the window."""
        month = self.start.month - 1 + self.months
        return dt.date(self.start.year + month // 12, month % 12 + 1, 1)

    @property
    def label(self) -> str:
        last = self.end - dt.timedelta(days=1)
        scaled = "" if self.months == MONTHS_PER_YEAR else (
            f", uppräknat till helår (× 12/{self.months})")
        return f"{self.start.isoformat()}–{last.isoformat()} ({self.months} mån{scaled})"


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """One scenario: the cost per year today (baseline) and with the measure, in öre, what
    both consist of, and the lines it is based on."""

    key: ScenarioKey
    baseline_cost: Money
    scenario_cost: Money
    baseline: str
    scenario: str
    basis: tuple[str, ...]
    baseline_minutes: int | None = None  # hours the cost is made of, per year
    scenario_minutes: int | None = None

    @property
    def name(self) -> str:
        return SCENARIO_NAMES[self.key]

    @property
    def saving(self) -> Money:
        """The saving per year (negative when the scenario costs more)."""
        return self.baseline_cost - self.scenario_cost


@dataclass(frozen=True, slots=True)
class Pay:
    """How staff time is costed: the social fees and, for substitutes, holiday pay and the
    mean timlön of the hourly substitutes."""

    social_fee: Given  # per mille
    holiday_pay: Given  # per mille, on a substitute's timlön
    substitute_wage_per_hour: Given  # öre

    def staff_cost(self, wage_ore: float) -> float:
        """Öre with social fees, for a sum of wages."""
        return wage_ore * (PERMILLE + self.social_fee.value) / PERMILLE

    @property
    def substitute_cost_per_hour(self) -> float:
        return self.staff_cost(self.substitute_wage_per_hour.value
                               * (PERMILLE + self.holiday_pay.value) / PERMILLE)

    def lines(self, *, substitutes: bool) -> list[str]:
        lines = [f"Sociala avgifter (PO-pålägg): {_permille(self.social_fee.value)} "
                 f"({self.social_fee.source})."]
        if substitutes:
            lines.append(
                f"Vikariens kostnad: {format_kronor(round(self.substitute_cost_per_hour))}/h = "
                f"timlön {format_kronor(self.substitute_wage_per_hour.value)}/h "
                f"({self.substitute_wage_per_hour.source}) + semesterersättning "
                f"{_permille(self.holiday_pay.value)} ({self.holiday_pay.source}) + PO.")
        return lines


# --- meetings ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class UnitMeetings:
    """A unit's APT and verksamhetsmöten in the window.

    Attributes:
        meeting_minutes: the meetings' lengths added up.
        off_shift_minutes: participant minutes of those who had no shift at the time (paid
            on top of their schedule); their wages in ``off_shift_wage`` (öre, no fees).
        substitute_minutes: minutes of substitutes for participants who had a shift.
    """

    unit_name: str
    meetings: int
    meeting_minutes: int
    off_shift_minutes: int
    off_shift_wage: int
    substitute_minutes: int


@dataclass(frozen=True, slots=True)
class MeetingInputs:
    window: DataWindow
    units: tuple[UnitMeetings, ...]
    pay: Pay
    interval_weeks: Given
    minutes: Given
    substitute_account: Money | None = None  # booked on the account Vikarier, for comparison


def meetings_scenario(inputs: MeetingInputs) -> ScenarioResult:
    """Meetings every ``interval_weeks`` of ``minutes`` instead of today's (seed 002: every
    sixth week, 180 minutes, to every twelfth week, 90 minutes). A unit's cost per meeting
    minute stays as observed; a unit never gets more or longer meetings than today."""
    _positive(inputs.interval_weeks, "Mötesintervallet")
    _positive(inputs.minutes, "Mötets längd")
    scale = inputs.window.per_year
    sub_rate = inputs.pay.substitute_cost_per_hour
    base = new = 0.0
    base_minutes = new_minutes = 0.0
    meetings = meeting_minutes = 0
    for unit in inputs.units:
        if unit.meetings == 0 or unit.meeting_minutes == 0:
            continue
        cost = (inputs.pay.staff_cost(unit.off_shift_wage)
                + unit.substitute_minutes * sub_rate / 60) * scale
        paid = (unit.off_shift_minutes + unit.substitute_minutes) * scale
        per_year = unit.meetings * scale
        length = unit.meeting_minutes / unit.meetings
        kept = (min(per_year, WEEKS_PER_YEAR / inputs.interval_weeks.value)
                * min(length, inputs.minutes.value)) / (per_year * length)
        base += cost
        new += cost * kept
        base_minutes += paid
        new_minutes += paid * kept
        meetings += unit.meetings
        meeting_minutes += unit.meeting_minutes
    units = sum(1 for u in inputs.units if u.meetings)
    off_shift = sum(u.off_shift_minutes for u in inputs.units)
    if meetings:
        yearly = meetings * scale / units
        today = (f"{format_number(meetings * scale)} möten/år i {units} enheter: var "
                 f"{format_number(WEEKS_PER_YEAR / yearly, 1)}:e vecka, i snitt "
                 f"{format_number(meeting_minutes / meetings)} min")
    else:
        today = "Inga möten registrerade"
    basis = [
        f"Möten: {meetings} APT- och verksamhetsmöten i {units} enheter ur tabellen "
        f"aktiviteter, {inputs.window.label}.",
        f"Deltagare utan pass vid mötet: {format_hours(off_shift)} betald mötestid, "
        "värderad till deltagarnas timlön "
        f"(månadslön × 12 / (52 × heltidsvecka)) + PO.",
        f"Deltagare med pass: ersatta av vikarie, "
        f"{format_hours(sum(u.substitute_minutes for u in inputs.units))} vikarietid "
        f"(antal vikarier per möte enligt aktiviteten).",
        *inputs.pay.lines(substitutes=True),
        f"Förslag: möte var {inputs.interval_weeks.value}:e vecka "
        f"({inputs.interval_weeks.source}), {inputs.minutes.value} minuter "
        f"({inputs.minutes.source}); 52 veckor per år.",
        "Antagande: kostnaden per mötesminut (deltagare och vikarier) är densamma som i dag; "
        "en enhet som redan har färre eller kortare möten räknas inte upp.",
    ]
    booked = inputs.substitute_account
    if booked is not None and booked.ore > 0:
        substitutes = sum(u.substitute_minutes for u in inputs.units) * sub_rate / 60
        basis.append(
            f"Jämförelse: kontot Vikarier {format_kronor(booked.ore)} i perioden; "
            f"mötenas vikarietid motsvarar {format_kronor(round(substitutes))} "
            f"({format_number(100 * substitutes / booked.ore, 1)}\u00a0%).")
    return ScenarioResult(
        ScenarioKey.MEETINGS, _money(base), _money(new), today,
        f"Var {inputs.interval_weeks.value}:e vecka, högst {inputs.minutes.value} min",
        tuple(basis), round(base_minutes), round(new_minutes))


# --- training ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Training:
    """A training held in the window: its participants (in the caller's scope and in all)."""

    title: str
    minutes: int
    participants: int
    participants_in_scope: int


@dataclass(frozen=True, slots=True)
class TrainingInputs:
    window: DataWindow
    trainings: tuple[Training, ...]
    small_group: Given
    large_group: Given
    session_cost_per_hour: Given  # öre per hour of a session: leader, preparation, room


def sessions_needed(participants: int, group_size: int) -> int:
    return math.ceil(participants / group_size) if participants > 0 else 0


def training_scenario(inputs: TrainingInputs) -> ScenarioResult:
    """The department's trainings given in groups of ``large_group`` instead of
    ``small_group``: fewer sessions, each costing ``session_cost_per_hour`` for its
    length. The participants' own time is the same either way. A caller's share of a
    training is its share of the participants."""
    _positive(inputs.small_group, "Smågruppens storlek")
    _positive(inputs.large_group, "Storgruppens storlek")
    rate = inputs.session_cost_per_hour.value
    scale = inputs.window.per_year
    base_minutes = new_minutes = 0.0
    people = 0
    for training in inputs.trainings:
        if training.participants <= 0 or training.participants_in_scope <= 0:
            continue
        share = training.participants_in_scope / training.participants * scale
        small = sessions_needed(training.participants, inputs.small_group.value)
        large = sessions_needed(training.participants, inputs.large_group.value)
        base_minutes += small * training.minutes * share
        new_minutes += large * training.minutes * share
        people += training.participants_in_scope
    base = base_minutes * rate / 60
    new = new_minutes * rate / 60
    held = [t for t in inputs.trainings if t.participants_in_scope > 0]
    basis = [
        f"Utbildningar: {len(held)} tillfällen med {people} deltagare ur tabellen "
        f"aktiviteter (utbildning), {inputs.window.label}.",
        *(f"– {t.title}: {t.participants} deltagare, {t.minutes} min"
          + (f" (varav {t.participants_in_scope} i urvalet)"
             if t.participants_in_scope != t.participants else "") for t in held),
        f"I dag: grupper om {inputs.small_group.value} ({inputs.small_group.source}); "
        f"förslag: grupper om {inputs.large_group.value} ({inputs.large_group.source}).",
        f"Kostnad per utbildningstimme (utbildare, förberedelse, lokal): "
        f"{format_kronor(rate)} ({inputs.session_cost_per_hour.source}).",
        "Deltagarnas egen tid är densamma i båda fallen och ingår inte; antal tillfällen = "
        "deltagare / gruppstorlek, avrundat uppåt.",
    ]
    return ScenarioResult(
        ScenarioKey.TRAINING, _money(base), _money(new),
        f"Grupper om {inputs.small_group.value}: {format_hours(round(base_minutes))} "
        "utbildningstid/år",
        f"Grupper om {inputs.large_group.value}: {format_hours(round(new_minutes))} "
        "utbildningstid/år",
        tuple(basis), round(base_minutes), round(new_minutes))


# --- breaks -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class UnitBreaks:
    """A unit's staffed shifts longer than the limit with a shorter break than proposed.

    ``missing_minutes`` is the break time they lack (proposed minus scheduled, per shift);
    ``missing_wage`` the staff's wages for it (öre, no fees).
    """

    unit_name: str
    shifts: int
    missing_minutes: int
    missing_wage: int


@dataclass(frozen=True, slots=True)
class BreakInputs:
    window: DataWindow
    units: tuple[UnitBreaks, ...]
    pay: Pay
    break_minutes: Given
    longer_than: Given  # minutes: a shift longer than this gets a break


def breaks_scenario(inputs: BreakInputs) -> ScenarioResult:
    """A scheduled, unpaid break of ``break_minutes`` in every shift longer than
    ``longer_than`` in groups where staff can leave (korttidsvistelse, korttidstillsyn,
    fritid): the missing break time is paid time today and not in the scenario."""
    _positive(inputs.break_minutes, "Rastens längd")
    scale = inputs.window.per_year
    shifts = sum(u.shifts for u in inputs.units)
    minutes = sum(u.missing_minutes for u in inputs.units)
    cost = inputs.pay.staff_cost(sum(u.missing_wage for u in inputs.units)) * scale
    per_unit = [f"– {u.unit_name}: {u.shifts} pass, {format_hours(u.missing_minutes)} saknad rast"
                for u in inputs.units if u.shifts]
    basis = [
        f"Pass: {shifts} bemannade, publicerade pass längre än "
        f"{format_hours(inputs.longer_than.value, 1)} ({inputs.longer_than.source}) med kortare "
        f"rast än {inputs.break_minutes.value} min ({inputs.break_minutes.source}), i "
        f"personalgrupper där raster kan tas; tabellen schemapass, {inputs.window.label}.",
        *per_unit,
        "Saknad rasttid värderad till den schemalagda personalens timlön + PO.",
        *inputs.pay.lines(substitutes=False),
        "Antagande: rasten är obetald och minskar de betalda timmarna i schemat (färre "
        "timmar att bemanna); verksamheten kan täcka rasten med övrig personal på plats.",
    ]
    return ScenarioResult(
        ScenarioKey.BREAKS, _money(cost), Money(0),
        f"{format_number(shifts * scale)} pass/år utan full rast: "
        f"{format_hours(round(minutes * scale))} betald rasttid",
        f"{inputs.break_minutes.value} min obetald rast i pass över "
        f"{format_hours(inputs.longer_than.value, 1)}",
        tuple(basis), round(minutes * scale), 0)


# --- school taxi ------------------------------------------------------------------------
SCHOOL_TAXI_WORDS = ("skolskjuts", "skola")


def is_school_taxi(description: str) -> bool:
    """A taxi cost entry for trips between school and korttidstillsyn (skolskjuts), by the
    words of its text."""
    text = description.casefold()
    return any(word in text for word in SCHOOL_TAXI_WORDS)


@dataclass(frozen=True, slots=True)
class TaxiInputs:
    """Taxi costs in the window; ``school`` are the entries whose text names skolskjuts.
    ``school_share`` (per mille of all taxi), when given, replaces the text match."""

    window: DataWindow
    total: Money
    entries: int
    school: Money
    school_entries: int
    school_share: Given | None = None


def school_taxi_scenario(inputs: TaxiInputs) -> ScenarioResult:
    """Taxi trips between school and korttidstillsyn are skolskjuts, paid by the education
    department (seed 001): their cost leaves the department."""
    scale = inputs.window.per_year
    total = inputs.total.ore * scale
    basis = [
        f"Taxi: {inputs.entries} verifikationsrader på kontot Taxi, summa "
        f"{format_kronor(inputs.total.ore)}, {inputs.window.label}.",
    ]
    if inputs.school_share is None:
        school = inputs.school.ore * scale
        basis.append(
            f"Skolskjuts: {inputs.school_entries} rader vars text nämner "
            f"{' eller '.join(repr(w) for w in SCHOOL_TAXI_WORDS)}, summa "
            f"{format_kronor(inputs.school.ore)}.")
    else:
        school = total * inputs.school_share.value / PERMILLE
        basis.append(f"Skolskjutsens andel av taxikostnaden: "
                     f"{_permille(inputs.school_share.value)} ({inputs.school_share.source}).")
    basis.append("Antagande: Barn- och ungdomsförvaltningen tar över hela kostnaden för resor "
                 "mellan skola och korttidstillsyn (skolskjuts); övriga taxiresor finns kvar.")
    return ScenarioResult(
        ScenarioKey.SCHOOL_TAXI, _money(total), _money(total - school),
        f"Taxi {format_kronor(round(total))}/år, varav skolskjuts {format_kronor(round(school))}",
        "Skolskjuts betalas av BoU", tuple(basis))


# --- premises ---------------------------------------------------------------------------
_USE = re.compile(r"nyttja\w*\s+(?:ca\s+)?(\d{1,3})\s*%", re.IGNORECASE)


def stated_use(description: str) -> int | None:
    """The use share a premises entry's text states (``nyttjas ca 15 %``), per mille."""
    found = _USE.search(description)
    return int(found[1]) * 10 if found else None


@dataclass(frozen=True, slots=True)
class Lease:
    """One rented premises: the premises entries with the same unit, text and landlord."""

    key: str
    unit_name: str
    description: str
    counterparty: str
    amount: Money  # booked in the window
    entries: int

    @property
    def use_share(self) -> int | None:
        return stated_use(self.description)

    def label(self) -> str:
        party = f", {self.counterparty}" if self.counterparty else ""
        return f"{self.unit_name}: {self.description}{party}"


@dataclass(frozen=True, slots=True)
class PremisesInputs:
    window: DataWindow
    leases: tuple[Lease, ...]
    given_up: frozenset[str]  # lease keys
    chosen_by: str  # how the leases were chosen, in Swedish
    low_use_below: Given | None = None  # per mille, when chosen by stated use


def low_use_leases(leases: Sequence[Lease], below: int) -> frozenset[str]:
    """The leases whose text states a use share under ``below`` per mille."""
    return frozenset(lease.key for lease in leases
                     if lease.use_share is not None and lease.use_share < below)


def select_leases(leases: Sequence[Lease], selectors: Collection[str]) -> frozenset[str]:
    """The leases a user named: by key, or by a piece of the unit name, text or landlord
    (case does not matter)."""
    chosen: set[str] = set()
    for selector in (s.strip() for s in selectors):
        if not selector:
            continue
        wanted = selector.casefold()
        chosen |= {lease.key for lease in leases
                   if lease.key == selector or wanted in lease.label().casefold()}
    return frozenset(chosen)


def premises_scenario(inputs: PremisesInputs) -> ScenarioResult:
    """The chosen premises given up: their rent leaves the department."""
    scale = inputs.window.per_year
    total = sum(lease.amount.ore for lease in inputs.leases) * scale
    chosen = [lease for lease in inputs.leases if lease.key in inputs.given_up]
    saved = sum(lease.amount.ore for lease in chosen) * scale
    basis = [
        f"Lokaler: {len(inputs.leases)} hyresobjekt (kontot Lokaler, grupperat på enhet, "
        f"text och hyresvärd), summa {format_kronor(round(total / scale))}, "
        f"{inputs.window.label}.",
        f"Uppsagda: {inputs.chosen_by}"
        + (f" ({inputs.low_use_below.source})" if inputs.low_use_below else "") + ".",
        *(f"– {lease.label()}: {format_kronor(round(lease.amount.ore * scale))}/år"
          for lease in chosen),
        "Antagande: hela hyran upphör (efter uppsägningstiden); flyttkostnader och "
        "verksamhet som behöver flytta till andra lokaler ingår inte.",
    ]
    if not chosen:
        basis.insert(2, "Ingen lokal vald.")
    return ScenarioResult(
        ScenarioKey.PREMISES, _money(total), _money(total - saved),
        f"{len(inputs.leases)} hyresobjekt, {format_kronor(round(total))}/år",
        f"{len(chosen)} av {len(inputs.leases)} hyresobjekt sägs upp", tuple(basis))


# --- all of them ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ScenarioInputs:
    meetings: MeetingInputs
    training: TrainingInputs
    breaks: BreakInputs
    school_taxi: TaxiInputs
    premises: PremisesInputs


def run_scenarios(inputs: ScenarioInputs) -> list[ScenarioResult]:
    return [meetings_scenario(inputs.meetings), training_scenario(inputs.training),
            breaks_scenario(inputs.breaks), school_taxi_scenario(inputs.school_taxi),
            premises_scenario(inputs.premises)]


@dataclass(frozen=True, slots=True)
class ScenarioParameters:
    """What a user may set; None means the rule parameter (or, for premises, the leases
    whose text states a low use)."""

    meeting_interval_weeks: int | None = None
    meeting_minutes: int | None = None
    training_small_group: int | None = None
    training_large_group: int | None = None
    training_cost_per_hour: int | None = None  # öre
    break_minutes: int | None = None
    break_longer_than: int | None = None  # minutes
    school_taxi_share: int | None = None  # per mille
    premises: tuple[str, ...] | None = field(default=None)  # see select_leases

    def __post_init__(self) -> None:
        checks = (
            (self.meeting_interval_weeks, 1, 104, "Mötesintervallet (veckor)"),
            (self.meeting_minutes, 1, 24 * 60, "Mötets längd (minuter)"),
            (self.training_small_group, 1, 10_000, "Smågruppens storlek"),
            (self.training_large_group, 1, 10_000, "Storgruppens storlek"),
            (self.training_cost_per_hour, 0, 10**8, "Kostnaden per utbildningstimme"),
            (self.break_minutes, 1, 120, "Rastens längd (minuter)"),
            (self.break_longer_than, 0, 24 * 60, "Passlängden för rast (minuter)"),
            (self.school_taxi_share, 0, PERMILLE, "Skolskjutsens andel"),
        )
        for value, low, high, what in checks:
            if value is not None and not low <= value <= high:
                raise DomainError("scenario.parameter",
                                  f"{what} ska vara mellan {low} och {high}.")


def _positive(given: Given, what: str) -> None:
    if given.value <= 0:
        raise DomainError("scenario.parameter", f"{what} måste vara större än noll.")


def _money(ore: float) -> Money:
    return Money(round(ore))


def _permille(value: int) -> str:
    return f"{format_number(value / 10, 0 if value % 10 == 0 else 1)}\u00a0%"

