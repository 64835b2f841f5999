"""The key figures the department follows, each defined once.

A figure's code is its stable name in the database (``action_targets.figure_code``),
in committee reports and in exports; docs/key-figures.md gives each one's formula,
source tables, unit and how small counts are suppressed.

The figures are computed from additive monthly sums (:class:`FigureSums`), one per unit
and month: a scope's sums are the sums of its units, and a period's sums are the sums of
its months (the census fields, such as the clients of a month, add up to "client-months",
whose mean over the months is the period's average). :func:`figure_values` turns one set
of sums into every figure, so a period total is always a ratio of sums, never a mean of
monthly ratios.

Year-end forecast (:func:`year_end_forecast`): made at the end of a month *m* of year *Y*
from that year's booked outcome and budget: outcome January–*m* plus the budget of the
months after *m*, plus the average monthly overrun so far (outcome minus budget, divided
by *m*) for each month left. A period's forecast is the one made at the end of its last
month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from insats.domain.access import SMALL_COUNT_LIMIT
from insats.domain.disclosure import exposed_entries, suppress_table
from insats.domain.formatting import NBSP, format_number

TOTAL_KEY = "total"
"""The period key of a figure over the whole period (see :class:`FigureReport`)."""
MONTHS_PER_YEAR = 12


class FigureCode(StrEnum):
    # economy
    BUDGET = "budget_kr"  # budgeted net cost
    OUTCOME = "outcome_kr"  # booked net cost
    BUDGET_DEVIATION = "budget_deviation_kr"  # budget minus outcome (negative = deficit)
    YEAR_END_FORECAST = "year_end_forecast_kr"  # forecast net cost for the whole year
    COST_PER_CLIENT = "cost_per_client_kr"  # KPB: net cost per client
    NET_COST_PER_HOUR = "net_cost_per_performed_hour_kr"
    # hours against decisions
    GRANTED_HOURS = "granted_hours"
    PERFORMED_HOURS = "performed_hours"
    HOURS_BEYOND_GRANTED = "hours_beyond_granted"
    COST_BEYOND_GRANTED = "cost_beyond_granted_kr"
    # revenue
    FK_REVENUE_BILLED = "fk_revenue_billed_kr"
    FK_REVENUE_AT_RISK = "fk_revenue_at_risk_kr"
    # staffing
    OVERTIME_HOURS = "overtime_hours"
    OVERTIME_COST = "overtime_cost_kr"
    SUBSTITUTE_HOURS = "substitute_hours"
    SUBSTITUTE_COST = "substitute_cost_kr"
    SICK_RATE_SHORT = "sick_rate_short_pct"  # days 1–14
    SICK_RATE_LONG = "sick_rate_long_pct"  # day 15 on
    MEETING_TRAINING_HOURS = "meeting_training_hours"
    MEETING_TRAINING_COST = "meeting_training_cost_kr"
    # quality
    ASSISTANTS_PER_CLIENT = "assistants_per_client"  # continuity, distinct per month
    # comparable with Kolada
    CLIENTS_ON_1_OCTOBER = "clients_on_1_october"
    KOLADA_N28006 = "kolada_n28006_kr_per_inhabitant"


class FigureUnit(StrEnum):
    """What a figure's value is measured in (the value's label)."""

    KRONOR = "kr"
    KRONOR_PER_CLIENT = "kr/brukare"
    KRONOR_PER_HOUR = "kr/tim"
    KRONOR_PER_INHABITANT = "kr/inv 0–64 år"
    HOURS = "tim"
    PERCENT = "%"
    COUNT = "antal"
    PER_CLIENT = "per brukare"


class Suppression(StrEnum):
    """How a figure is shown to the committee (nämnd), where counts 1–4 are hidden.

    - ``NONE``: an organisational amount (budget, booked costs), always shown.
    - ``COUNT``: the figure is a count of clients: 1–4 hidden, and enough other cells
      that no hidden count can be computed from the totals (``domain.disclosure``).
    - ``CLIENTS``: a sum or mean over the scope's clients (their hours, their cost per
      client): hidden where the clients behind it are 1–4 in the month (the average over
      the months for the period), with the same complementary cells as the client counts.
    - ``STAFF``: a sick-leave rate: hidden where the staff behind it are 1–4 (health data
      about a few named people).
    """

    NONE = "none"
    COUNT = "count"
    CLIENTS = "clients"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class FigureDefinition:
    code: FigureCode
    name: str  # Swedish
    unit: FigureUnit
    formula: str  # Swedish
    sources: tuple[str, ...]  # tables read
    kolada_id: str | None = None
    higher_is_better: bool | None = None
    suppression: Suppression = Suppression.NONE
    decimals: int = 0


_D = FigureDefinition
_ECONOMY = ("cost_entries", "budgets")
_TIME = ("time_entries", "assistance_groups")
_GRANTS = ("decisions", "clients", "providers")

DEFINITIONS: tuple[FigureDefinition, ...] = (
    _D(FigureCode.BUDGET, "Budget, nettokostnad", FigureUnit.KRONOR,
       "Budgeterade kostnader minus budgeterade intäkter.", ("budgets",)),
    _D(FigureCode.OUTCOME, "Utfall, nettokostnad", FigureUnit.KRONOR,
       "Bokförda kostnader minus bokförda intäkter (FK, försäljning, interna).",
       ("cost_entries",), higher_is_better=False),
    _D(FigureCode.BUDGET_DEVIATION, "Budgetavvikelse", FigureUnit.KRONOR,
       "Budget minus utfall; negativt är underskott.", _ECONOMY, higher_is_better=True),
    _D(FigureCode.YEAR_END_FORECAST, "Helårsprognos, nettokostnad", FigureUnit.KRONOR,
       "Årets utfall t.o.m. månaden + resterande månaders budget + hittillsvarande "
       "genomsnittlig månadsavvikelse (utfall − budget) × antal återstående månader. "
       "Perioden: prognosen vid periodens sista månad.", _ECONOMY, higher_is_better=False),
    _D(FigureCode.COST_PER_CLIENT, "Kostnad per brukare (KPB)", FigureUnit.KRONOR_PER_CLIENT,
       "Nettokostnad / antal brukare med beslut sista dagen i månaden (perioden: "
       "genomsnittet av månadernas antal).", ("cost_entries", *_GRANTS),
       higher_is_better=False, suppression=Suppression.CLIENTS),
    _D(FigureCode.NET_COST_PER_HOUR, "Nettokostnad per utförd timme", FigureUnit.KRONOR_PER_HOUR,
       "Nettokostnad / utförda timmar (efter avdrag för ersättning från FK, jfr KPB:s "
       "nettotimkostnad).", ("cost_entries", *_TIME), higher_is_better=False,
       suppression=Suppression.CLIENTS),
    _D(FigureCode.GRANTED_HOURS, "Beviljade timmar (egen regi)", FigureUnit.HOURS,
       "Timmar som kommunens egna timbeslut beviljar i månaden (vanlig och dubbel "
       "assistans; veckobeslut 1/7 per dag).", _GRANTS, suppression=Suppression.CLIENTS),
    _D(FigureCode.PERFORMED_HOURS, "Utförda timmar", FigureUnit.HOURS,
       "Arbetad tid i gällande tidrader (ej avvisade eller ersatta) som börjar i månaden.",
       _TIME, suppression=Suppression.CLIENTS),
    _D(FigureCode.HOURS_BEYOND_GRANTED, "Utfört utöver beviljat", FigureUnit.HOURS,
       "Per brukare och månad: utfört minus beviljat när positivt, summerat.",
       (*_TIME, *_GRANTS), higher_is_better=False, suppression=Suppression.CLIENTS),
    _D(FigureCode.COST_BEYOND_GRANTED, "Kostnad för utfört utöver beviljat", FigureUnit.KRONOR,
       "Timmar utöver beviljat × enhetens personalkostnad per utförd timme i månaden "
       "(löner, sociala avgifter, övertid och vikarier / utförda timmar).",
       ("cost_entries", *_TIME, *_GRANTS), higher_is_better=False,
       suppression=Suppression.CLIENTS),
    _D(FigureCode.FK_REVENUE_BILLED, "Intäkt från FK", FigureUnit.KRONOR,
       "Bokförd intäkt från Försäkringskassan (konto intakt_fk) i månaden.",
       ("cost_entries",), higher_is_better=True, suppression=Suppression.CLIENTS),
    _D(FigureCode.FK_REVENUE_AT_RISK, "FK-intäkt i fara", FigureUnit.KRONOR,
       "Publicerade, bemannade pass för brukarnas grupper före innevarande månad utan "
       "gällande tidrad × schablonbeloppet per timme (övre gräns: även LSS-ärenden räknas).",
       ("planned_shifts", *_TIME, "rule_parameters"), higher_is_better=False,
       suppression=Suppression.CLIENTS),
    _D(FigureCode.OVERTIME_HOURS, "Övertid och mertid, timmar", FigureUnit.HOURS,
       "Arbetad tid i tidrader av slaget övertid eller mertid.", _TIME,
       higher_is_better=False),
    _D(FigureCode.OVERTIME_COST, "Övertid och mertid, kostnad", FigureUnit.KRONOR,
       "Bokförd kostnad på konto övertid.", ("cost_entries",), higher_is_better=False),
    _D(FigureCode.SUBSTITUTE_HOURS, "Timvikarier, timmar", FigureUnit.HOURS,
       "Arbetad tid i tidrader av anställda med anställningsform timvikarie.",
       (*_TIME, "employees"), higher_is_better=False),
    _D(FigureCode.SUBSTITUTE_COST, "Timvikarier, kostnad", FigureUnit.KRONOR,
       "Bokförd kostnad på konto vikarier.", ("cost_entries",), higher_is_better=False),
    _D(FigureCode.SICK_RATE_SHORT, "Sjukfrånvaro dag 1–14", FigureUnit.PERCENT,
       "Sjukfrånvaro dag 1–14 av sjukperioden / avtalad tid, månadsanställda per "
       "hemenhet.", ("absences", "employees", "rule_parameters"), higher_is_better=False,
       suppression=Suppression.STAFF, decimals=1),
    _D(FigureCode.SICK_RATE_LONG, "Sjukfrånvaro dag 15–", FigureUnit.PERCENT,
       "Sjukfrånvaro från dag 15 av sjukperioden / avtalad tid, månadsanställda per "
       "hemenhet.", ("absences", "employees", "rule_parameters"), higher_is_better=False,
       suppression=Suppression.STAFF, decimals=1),
    _D(FigureCode.MEETING_TRAINING_HOURS, "Möten och utbildning, timmar", FigureUnit.HOURS,
       "Aktiviteternas längd × antal deltagare (APT, verksamhetsmöten, utbildning, "
       "medarbetardagar) som börjar i månaden.", ("activities", "activity_participants")),
    _D(FigureCode.MEETING_TRAINING_COST, "Möten och utbildning, kostnad", FigureUnit.KRONOR,
       "Per deltagare: längd × timlön × (1 + personalomkostnadspålägg).",
       ("activities", "activity_participants", "employees", "rule_parameters"),
       higher_is_better=False),
    _D(FigureCode.ASSISTANTS_PER_CLIENT, "Kontinuitet: assistenter per brukare",
       FigureUnit.PER_CLIENT,
       "Antal olika anställda med tid hos brukaren i månaden, i genomsnitt över brukarna "
       "med utförd tid (perioden: summa / antal brukarmånader).", _TIME,
       higher_is_better=False, suppression=Suppression.CLIENTS, decimals=1),
    _D(FigureCode.CLIENTS_ON_1_OCTOBER, "Brukare med personlig assistans 1 oktober",
       FigureUnit.COUNT,
       "Brukare med beslut om personlig assistans (LSS eller SFB, alla anordnare) den 1 "
       "oktober; visas i oktober, perioden visar den senaste 1 oktober.", _GRANTS,
       suppression=Suppression.COUNT),
    _D(FigureCode.KOLADA_N28006, "Kostnad personlig assistans exkl. ersättning från FK",
       FigureUnit.KRONOR_PER_INHABITANT,
       "(Bruttokostnad − interna intäkter − försäljning − ersättning från FK) för "
       "enheter med personlig assistans / invånare 0–64 år (parametern "
       "kolada.inhabitants_0_64). Jämförbart med Kolada för ett helt kalenderår.",
       ("cost_entries", "units", "rule_parameters"), kolada_id="N28006",
       higher_is_better=False, decimals=0),
)

DEFINITION_BY_CODE: dict[FigureCode, FigureDefinition] = {d.code: d for d in DEFINITIONS}
assert set(DEFINITION_BY_CODE) == set(FigureCode), "every figure code needs a definition"


def definition(code: FigureCode) -> FigureDefinition:
    return DEFINITION_BY_CODE[code]


# --- pure formulas -----------------------------------------------------------------------
def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator / denominator; None when the denominator is zero (no basis)."""
    if denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def kronor(ore: int | Decimal) -> Decimal:
    return Decimal(ore) / 100


def hours(minutes: int | Decimal) -> Decimal:
    return Decimal(minutes) / 60


def year_end_forecast(*, outcome_to_date: int, budget_to_date: int, budget_rest: int,
                      months_elapsed: int) -> Decimal | None:
    """The year's net cost (öre) forecast at the end of month ``months_elapsed`` (1–12):
    outcome so far + the remaining budget + the average monthly overrun so far for each
    month left. None before any month has passed."""
    if not 1 <= months_elapsed <= MONTHS_PER_YEAR:
        return None
    months_left = MONTHS_PER_YEAR - months_elapsed
    overrun = Decimal(outcome_to_date - budget_to_date) / months_elapsed
    return Decimal(outcome_to_date + budget_rest) + overrun * months_left


def rounded(value: Decimal | None, decimals: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# --- the sums behind the figures ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FigureSums:
    """What the figures of one scope in one month (or period) are computed from: öre,
    minutes and counts. Every field adds up over units; over months, every field adds up
    except the ``as of`` group (forecast basis, inhabitants), taken from the last month,
    and ``clients_on_1_october``, the last one known."""

    budget_net: int = 0
    outcome_net: int = 0
    staff_cost: int = 0  # wages, social fees, overtime, substitutes
    fk_revenue: int = 0
    at_risk: int = 0
    overtime_cost: int = 0
    substitute_cost: int = 0
    kolada_net: int = 0  # net cost excl. FK of personal-assistance units
    granted_minutes: int = 0
    performed_minutes: int = 0
    beyond_minutes: int = 0
    beyond_cost: int = 0
    overtime_minutes: int = 0
    substitute_minutes: int = 0
    meeting_minutes: int = 0
    meeting_cost: int = 0
    contracted_minutes: int = 0
    short_sick_minutes: int = 0
    long_sick_minutes: int = 0
    client_months: int = 0  # clients with a decision on the month's last day, summed
    staff_months: int = 0  # staff employed on the month's last day, summed
    months: int = 0
    assistant_pairs: int = 0  # distinct (client, assistant) pairs per month, summed
    served_client_months: int = 0  # clients with performed time per month, summed
    # as of the (last) month
    outcome_to_date: int = 0
    budget_to_date: int = 0
    budget_rest: int = 0
    months_elapsed: int = 0
    inhabitants: int = 0
    assistance_units: int = 0  # units of personal assistance (N28006 is theirs)
    clients_on_1_october: int | None = None

    def __add__(self, other: FigureSums) -> FigureSums:
        """The sums of two scopes (units) in the same month or period."""
        values = {f.name: getattr(self, f.name) + getattr(other, f.name)
                  for f in fields(self) if f.name not in _NOT_ADDED_OVER_UNITS}
        october = (None if self.clients_on_1_october is None
                   and other.clients_on_1_october is None
                   else (self.clients_on_1_october or 0) + (other.clients_on_1_october or 0))
        return replace(self, **values, clients_on_1_october=october)


_NOT_ADDED_OVER_UNITS = frozenset({"months", "months_elapsed", "inhabitants",
                                   "clients_on_1_october"})
_AS_OF = frozenset({"outcome_to_date", "budget_to_date", "budget_rest", "months_elapsed",
                    "inhabitants", "assistance_units"})


def scope_sums(units: Iterable[FigureSums]) -> FigureSums:
    """The sums of a scope from its units' sums for one month or period."""
    total: FigureSums | None = None
    for item in units:
        total = item if total is None else total + item
    return total or FigureSums()


def period_sums(months: Sequence[FigureSums]) -> FigureSums:
    """The sums of a period from its months' sums (in order)."""
    if not months:
        return FigureSums()
    last = months[-1]
    values = {f.name: sum(getattr(m, f.name) for m in months)
              for f in fields(last) if f.name not in _AS_OF
              and f.name != "clients_on_1_october"}
    october = next((m.clients_on_1_october for m in reversed(months)
                    if m.clients_on_1_october is not None), None)
    return replace(last, **values, clients_on_1_october=october)


def figure_values(sums: FigureSums) -> dict[FigureCode, Decimal | None]:
    """Every figure from one set of sums, in its unit (kronor, hours, percent, ...)."""
    average_clients = ratio(sums.client_months, sums.months)
    forecast = year_end_forecast(outcome_to_date=sums.outcome_to_date,
                                 budget_to_date=sums.budget_to_date,
                                 budget_rest=sums.budget_rest,
                                 months_elapsed=sums.months_elapsed)
    per_client = (None if average_clients is None
                  else ratio(kronor(sums.outcome_net), average_clients))
    short, long = (ratio(100 * sums.short_sick_minutes, sums.contracted_minutes),
                   ratio(100 * sums.long_sick_minutes, sums.contracted_minutes))
    return {
        FigureCode.BUDGET: kronor(sums.budget_net),
        FigureCode.OUTCOME: kronor(sums.outcome_net),
        FigureCode.BUDGET_DEVIATION: kronor(sums.budget_net - sums.outcome_net),
        FigureCode.YEAR_END_FORECAST: None if forecast is None else kronor(forecast),
        FigureCode.COST_PER_CLIENT: per_client,
        FigureCode.NET_COST_PER_HOUR: ratio(kronor(sums.outcome_net),
                                            hours(sums.performed_minutes)),
        FigureCode.GRANTED_HOURS: hours(sums.granted_minutes),
        FigureCode.PERFORMED_HOURS: hours(sums.performed_minutes),
        FigureCode.HOURS_BEYOND_GRANTED: hours(sums.beyond_minutes),
        FigureCode.COST_BEYOND_GRANTED: kronor(sums.beyond_cost),
        FigureCode.FK_REVENUE_BILLED: kronor(sums.fk_revenue),
        FigureCode.FK_REVENUE_AT_RISK: kronor(sums.at_risk),
        FigureCode.OVERTIME_HOURS: hours(sums.overtime_minutes),
        FigureCode.OVERTIME_COST: kronor(sums.overtime_cost),
        FigureCode.SUBSTITUTE_HOURS: hours(sums.substitute_minutes),
        FigureCode.SUBSTITUTE_COST: kronor(sums.substitute_cost),
        FigureCode.SICK_RATE_SHORT: short,
        FigureCode.SICK_RATE_LONG: long,
        FigureCode.MEETING_TRAINING_HOURS: hours(sums.meeting_minutes),
        FigureCode.MEETING_TRAINING_COST: kronor(sums.meeting_cost),
        FigureCode.ASSISTANTS_PER_CLIENT: ratio(sums.assistant_pairs,
                                                sums.served_client_months),
        FigureCode.CLIENTS_ON_1_OCTOBER: (None if sums.clients_on_1_october is None
                                          else Decimal(sums.clients_on_1_october)),
        FigureCode.KOLADA_N28006: (ratio(kronor(sums.kolada_net), sums.inhabitants)
                                   if sums.assistance_units else None),
    }


def cost_beyond_granted(beyond_minutes: int, *, staff_cost: int,
                        performed_minutes: int) -> int:
    """Öre: the minutes beyond the grants at the unit's staff cost per performed minute
    in the same month (0 without performed time)."""
    if performed_minutes <= 0:
        return 0
    return beyond_minutes * staff_cost // performed_minutes


# --- the committee's view -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Hidden:
    """Which cells of a units × months table (with the units' period totals and the
    scope's row) the committee may not see."""

    cells: frozenset[tuple[int, int]]  # (unit row, month)
    unit_totals: frozenset[int]  # unit rows whose period value is hidden
    months: frozenset[int]  # months whose scope total is hidden
    total: bool  # the scope's period value


def hidden_by_counts(counts: Sequence[Sequence[int]], *,
                     limit: int = SMALL_COUNT_LIMIT) -> Hidden:
    """The hidden cells of every figure built over the counted people (units × months):
    the counts' small-count suppression with complements (``suppress_table``; the unit
    rows' period values are the table's row totals, the scope row its column totals).

    A unit's (and the scope's) period value is also hidden when its *average* count over
    the months is below ``limit`` (a small unit's year must not show either, although its summed
    months reach ``limit``). Such an added row total is put on a cycle of hidden entries by
    hiding the scope's total for one of the row's hidden months and the scope's period
    value, so that it cannot be computed back (see :mod:`insats.domain.disclosure`)."""
    if not counts or not counts[0]:
        return Hidden(frozenset(), frozenset(), frozenset(), False)
    rows, columns = len(counts), len(counts[0])
    table = suppress_table(counts, limit=limit)
    hidden: set[tuple[int, int]] = {(i, j) for i in range(rows) for j in range(columns)
                                    if table.cells[i][j] is None}
    hidden |= {(i, columns) for i in range(rows) if table.row_totals[i] is None}
    hidden |= {(rows, j) for j in range(columns) if table.column_totals[j] is None}
    if table.grand_total is None:
        hidden.add((rows, columns))
    for i, row in enumerate(counts):
        total = sum(row)
        month = next((j for j in range(columns) if (i, j) in hidden), None)
        if (i, columns) in hidden or not 0 < total < limit * columns or month is None:
            continue  # (no hidden month: the period value follows from the shown ones)
        hidden |= {(i, columns), (rows, month), (rows, columns)}
    if 0 < sum(map(sum, counts)) < limit * columns:  # the scope's average is small too
        hidden.add((rows, columns))
    if exposed_entries(hidden, rows, columns):  # cannot happen; never publish if it does
        hidden |= {(i, j) for i in range(rows + 1) for j in range(columns + 1)}
    return Hidden(
        cells=frozenset((i, j) for i, j in hidden if i < rows and j < columns),
        unit_totals=frozenset(i for i, j in hidden if i < rows and j == columns),
        months=frozenset(j for i, j in hidden if i == rows and j < columns),
        total=(rows, columns) in hidden)


# --- the report ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FigureCell:
    """One figure for one scope and period: ``value`` in the figure's unit (None: no basis,
    e.g. no clients, or suppressed); ``suppressed`` when hidden for the committee."""

    value: Decimal | None
    suppressed: bool = False


EMPTY_CELL = FigureCell(None)


@dataclass(frozen=True, slots=True)
class FigureScope:
    """A row group of the report: one unit, or the total of the shown units (None)."""

    unit_id: str | None
    label: str


def month_key(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


@dataclass(frozen=True)
class FigureReport:
    """Every figure for every scope, month and the whole period ``[start, end)``.

    ``months`` are keys "2026-01"...; :meth:`cell` takes such a key or :data:`TOTAL_KEY`.
    ``suppressed`` tells that small counts are hidden (the committee's view).
    """

    start: dt.date
    end: dt.date
    definitions: tuple[FigureDefinition, ...]
    months: tuple[str, ...]
    scopes: tuple[FigureScope, ...]
    cells: Mapping[tuple[FigureCode, str | None, str], FigureCell] = field(repr=False)
    suppressed: bool = False
    computed_at: dt.datetime | None = None

    @property
    def period_keys(self) -> tuple[str, ...]:
        return (*self.months, TOTAL_KEY)

    def cell(self, code: FigureCode | str, unit_id: str | None, period_key: str) -> FigureCell:
        return self.cells.get((FigureCode(code), unit_id, period_key), EMPTY_CELL)

    def scope(self, unit_id: str | None) -> FigureScope:
        for scope in self.scopes:
            if scope.unit_id == unit_id:
                return scope
        raise KeyError(unit_id)


# --- text ---------------------------------------------------------------------------------
SUPPRESSED_MARK = "x"
"""Shown for a hidden cell (as in official statistics: withheld for confidentiality)."""
NO_BASIS_MARK = "–"


def format_cell(definition: FigureDefinition, cell: FigureCell) -> str:
    """A cell for people: Swedish number format in the figure's unit, ``x`` when hidden
    for the committee, an en dash without basis."""
    if cell.suppressed:
        return SUPPRESSED_MARK
    if cell.value is None:
        return NO_BASIS_MARK
    text = format_number(float(cell.value), definition.decimals
                         if definition.unit is not FigureUnit.HOURS else 0)
    return f"{text}{NBSP}%" if definition.unit is FigureUnit.PERCENT else text


def period_label(start: dt.date, end: dt.date) -> str:
    """``2026-01..2026-10`` (the last month is included)."""
    last = end - dt.timedelta(days=1)
    return f"{month_key(start)}..{month_key(last)}"
