"""The action plan: seed 001's thirteen actions with the "Tidsplan" rows, the five focus
areas the committee reported on in November 2025 (seed 003), and unit-level actions.

Status, owner and follow-up are as the documents state them; where the Tidsplan names a
term ("Vt-24", "Feb 24") instead of a status, the action is planned with that text.

What the documents do not say, and the demo assumes (docs/action-plans.md):

- owners: actions whose Tidsplan owner is an EC (enhetschef) of personal assistance belong
  to the demo account ``enhetschef``, the others to ``avdelningschef``; the unit-level
  actions to the manager of their unit;
- targets: each action is tied to one or two key figures of
  :class:`insats.domain.figure_catalogue.FigureCode`. Baselines are the month of October
  2025 (the month before the committee's follow-up), rounded from the key figures of the
  demo department generated with seed 2026 (``services.key_figures.figure_report``). They
  are constants, so a demo with another seed or scale or a history that starts later keeps
  them; the action page shows the measured value of the latest month beside them. The
  targets (values and dates) are the demo's assumptions, in the direction the action aims;
- follow-up history: the committee's follow-up of 3 November 2025 (2025.245 VON) is written
  as a note on the actions it speaks of, with the renewed follow-up in May 2026;
- unit-level actions (the committee asked for plans per unit, § 33/2025): two for the first
  personal-assistance unit, one for the second and one for Kullingsgården, written in 2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from insats.demo import organisation as org
from insats.domain.actions import Action, ActionFollowUp, ActionStatus, ActionTarget
from insats.domain.calendar import local_datetime
from insats.domain.figure_catalogue import FigureCode as F

D = dt.date
ONGOING, PLANNED = ActionStatus.ONGOING, ActionStatus.PLANNED
HEAD, MANAGER, MANAGER2 = "avdelningschef", "enhetschef", "enhetschef2"

# (activity, measure, status, owner role, follow-up date, follow-up text)
PLAN_2023: tuple[tuple[str, str, ActionStatus, str, dt.date | None, str], ...] = (
    ("Ej utföra mer tid än beviljad", "Bemanna efter beslut", ONGOING, "EC pers. ass", None,
     "Regelbunden månadsuppföljning EC & AC"),
    ("Införa raster", "Schemalägga raster anpassat efter verksamhet", ONGOING,
     "EC korttidsvistelse (KTV) och övrig LSS", D(2024, 4, 1), "2024-04-01 EC"),
    ("Optimera schemaläggning", "Se över antal timmar med bilaga J; samköra personal i "
     "flera grupper", PLANNED, "EC AC", D(2024, 6, 30),
     "Vt-24. Regelbunden uppföljning med särskild avstämning 2024-06-30"),
    ("Ej ha övertalig personal", "Tillsätta övertalighetsteamet (ca 5–7 personer) på "
     "vakanta tjänster inom personlig assistans", ONGOING, "AC pers. ass", None,
     "Följs upp vid varje vakans"),
    ("Se över bemanningstäthet", "Se över bemanningen främst inom korttidsvistelse och "
     "korttidstillsyn", ONGOING, "EC KTV", None, "Följs upp i ledningsgruppen"),
    ("Översyn av korttidsvistelse", "Översyn av andel dubbla beslut (fem ärenden med "
     "korttidsvistelse och personlig assistans)", PLANNED,
     "EC myndighet, AC myndighet, EC KTV, AC pers. ass och stöd", D(2024, 6, 30), "Vt-24"),
    ("Översyn av resursenhetens uppdrag", "Se över om boendestöd, ledsagning och "
     "avlösarservice ska ingå i annan befintlig verksamhet", ONGOING, "AC pers. ass", None,
     "Resursteamet kombinerar insatserna sedan 2023"),
    ("Optimera organisation av hemtjänstliknande assistans", "Översyn av organisering av "
     "utförande", PLANNED, "AC pers. ass, AC BMSS", D(2024, 3, 1), "Vt-24"),
    ("Avveckla handkassakorten", "Skapa nya arbetssätt och rutiner för utlägg inom "
     "personlig assistans", PLANNED, "AC pers. ass, AC BMSS", D(2024, 4, 1), "Feb 24"),
    ("Översyn av lokaler", "Säga upp hyra av lokaler avdelningen ej behöver", ONGOING, "FC",
     D(2024, 12, 31), ""),
    ("Se över utbetalningar av OB- och övertidsersättning PAN-anställda", "Kontrollera "
     "PAN-anställdas tidrapporter innan godkännande", ONGOING, "EC pers. ass", None,
     "Regelbundet EC, följs upp av AC"),
    ("Taxiresor från skola", "BoU betalar skolskjuts", ONGOING, "EC KTV, AC",
     D(2024, 1, 30), "2024-01-30 AC"),
    ("Säkra intäkter och utgifter", "Skapa rutiner och avtal för fakturering (basansvar, "
     "övergång till SFB, köpta platser)", ONGOING, "AC, redovisningsekonom", D(2024, 3, 1),
     ""),
)

FOCUS_2025: tuple[tuple[str, str], ...] = (
    ("Följa beslutade timmar och säkerställa intäkter",
     "Schemastruktur mot beslut; fullständig tidrapportering"),
    ("Optimera bemanningen", "Central schemaläggning och samplanering över enhetsgränser"),
    ("Sänka sjukfrånvaron", "Systematisk uppföljning av korttids- och långtidsfrånvaro"),
    ("Rekrytering av fler timvikarier i syfte att minska övertiden",
     "Rekrytera timvikarier till vikariepoolen"),
    ("Effektivisera mötestid/utbildningstid", "Klustra fler möten inför första kvartalet 2026"),
)


# Per action: (figure, unit index in the cluster or None, baseline Oct 2025, target, by)
BASELINE_PERIOD = "2025-10"
_T = tuple[F, int | None, str, str, dt.date]
TARGETS: dict[str, tuple[_T, ...]] = {
    "A01": ((F.HOURS_BEYOND_GRANTED, None, "190", "60", D(2026, 12, 31)),
            (F.COST_BEYOND_GRANTED, None, "68000", "20000", D(2026, 12, 31))),
    "A02": ((F.NET_COST_PER_HOUR, org.KTV_UNIT_INDEXES[1], "409", "380", D(2026, 12, 31)),),
    "A03": ((F.OVERTIME_HOURS, None, "2120", "1500", D(2026, 12, 31)),),
    "A04": ((F.SUBSTITUTE_HOURS, None, "1260", "1100", D(2026, 12, 31)),),
    "A05": ((F.COST_PER_CLIENT, org.KTV_UNIT_INDEXES[0], "52400", "47000", D(2026, 12, 31)),
            (F.COST_PER_CLIENT, org.KTS_UNIT_INDEX, "22200", "20000", D(2026, 12, 31))),
    "A06": ((F.COST_PER_CLIENT, org.KTV_UNIT_INDEXES[0], "52400", "49000", D(2026, 6, 30)),),
    "A07": ((F.NET_COST_PER_HOUR, org.RESOURCE_UNIT_INDEX, "610", "560", D(2026, 12, 31)),),
    "A08": ((F.NET_COST_PER_HOUR, None, "263", "250", D(2026, 12, 31)),),
    "A09": ((F.BUDGET_DEVIATION, None, "-1060000", "-800000", D(2026, 12, 31)),),
    "A10": ((F.BUDGET_DEVIATION, None, "-1060000", "-900000", D(2026, 12, 31)),),
    "A11": ((F.OVERTIME_COST, None, "502000", "400000", D(2026, 12, 31)),),
    "A12": ((F.OUTCOME, org.KTS_UNIT_INDEX, "267000", "250000", D(2026, 6, 30)),),
    "A13": ((F.FK_REVENUE_AT_RISK, None, "43700", "10000", D(2026, 6, 30)),
            (F.FK_REVENUE_BILLED, None, "5775000", "6000000", D(2026, 12, 31))),
    "A14": ((F.HOURS_BEYOND_GRANTED, None, "190", "60", D(2026, 12, 31)),
            (F.FK_REVENUE_AT_RISK, None, "43700", "10000", D(2026, 12, 31))),
    "A15": ((F.OVERTIME_HOURS, None, "2120", "1500", D(2026, 12, 31)),),
    "A16": ((F.SICK_RATE_SHORT, None, "7.1", "5.5", D(2026, 12, 31)),
            (F.SICK_RATE_LONG, None, "4.8", "4.0", D(2026, 12, 31))),
    "A17": ((F.OVERTIME_COST, None, "502000", "350000", D(2026, 12, 31)),),
    "A18": ((F.MEETING_TRAINING_HOURS, None, "422", "340", D(2026, 3, 31)),),
    "A19": ((F.HOURS_BEYOND_GRANTED, org.PA_UNIT_INDEXES[0], "119", "20", D(2026, 12, 31)),),
    "A20": ((F.FK_REVENUE_AT_RISK, org.PA_UNIT_INDEXES[0], "2250", "500", D(2026, 12, 31)),),
    "A21": ((F.OVERTIME_HOURS, org.PA_UNIT_INDEXES[1], "442", "300", D(2026, 12, 31)),),
    "A22": ((F.NET_COST_PER_HOUR, org.KTV_UNIT_INDEXES[1], "409", "380", D(2026, 12, 31)),),
}

# Unit-level actions: (unit index, activity, measure, owner role, owner, follow-up date)
UNIT_PLANS: tuple[tuple[int, str, str, str, str | None, dt.date], ...] = (
    (org.PA_UNIT_INDEXES[0], "Följa beslutade timmar på enheten",
     "Stäm av schemastrukturen mot besluten för brukarna vars schema ligger över beviljad "
     "tid", "EC", MANAGER, D(2026, 10, 31)),
    (org.PA_UNIT_INDEXES[0], "Fullständig tidrapportering",
     "Påminn och följ upp pass utan tidrapport före månadens attest", "EC", MANAGER,
     D(2026, 12, 15)),
    (org.PA_UNIT_INDEXES[1], "Minska övertiden på enheten",
     "Boka vikariepoolen före övertid; följ upp övertid per vecka med samordnarna", "EC",
     MANAGER2, D(2026, 12, 31)),
    (org.KTV_UNIT_INDEXES[1], "Schemalagda raster på Kullingsgården",
     "Lägg in raster i schemat och se över bemanningen kvällstid (tre i tjänst)",
     "EC korttidsvistelse (KTV)", None, D(2026, 11, 30)),
)

REPORT_ON = D(2025, 11, 3)  # the committee's follow-up (seed 003)
NEXT_REPORT_ON = D(2026, 5, 31)
# (action, status after, note) from the follow-up of 3 November 2025
FOLLOW_UPS_2025: tuple[tuple[str, ActionStatus, str], ...] = (
    ("A01", ONGOING, "Genom den nya schemastrukturen har det blivit tydligt när scheman "
     "ligger utanför beslut."),
    ("A03", ONGOING, "Schemaläggningen har lyfts bort från enhetscheferna till samordnarna: "
     "ny översikt över schema, bemanning och beslut. Bemanningshandboken används som stöd."),
    ("A13", ONGOING, "Enhetscheferna har under 2025 fått i uppdrag att säkra intäkter, bland "
     "annat genom fullständig tidsrapportering; avdelningen har kunnat säkra intäkter som "
     "inte varit beräknade."),
    ("A14", ONGOING, "Ett centralt fokus under året. Den nya schemastrukturen visar när "
     "scheman ligger utanför beslut; fullständig tidrapportering har säkrat intäkter."),
    ("A15", ONGOING, "Samplaneringen inom avdelningen har förbättrats och akuta lösningar "
     "har minskat eftersom samordnarna arbetar systematiskt över enhetsgränserna. "
     "Förväntas minska övertiden."),
    ("A16", ONGOING, "Systematisk uppföljning av korttids- och långtidsfrånvaro har sänkt "
     "sjukfrånvaron. Arbetet fortsätter."),
    ("A17", ONGOING, "Fokusområde för att minska övertid och komma till rätta med "
     "tillsvidareanställningar. Schemaplaneringen behöver fortsatt arbete för att på sikt "
     "kunna minska antalet timvikarier."),
    ("A18", ONGOING, "Målet är att klustra fler möten inför första kvartalet 2026. "
     "Medarbetardagarna har haft en positiv effekt: medarbetarna träffas över "
     "enhetsgränserna och får samma information samtidigt."),
)


@dataclass(frozen=True, slots=True)
class DemoActionPlan:
    actions: tuple[Action, ...]
    targets: tuple[ActionTarget, ...]
    follow_ups: tuple[ActionFollowUp, ...]


def _owner(owner_role: str) -> str:
    return MANAGER if owner_role.startswith("EC pers. ass") else HEAD


def build_action_plan(department_id: str) -> DemoActionPlan:
    """The department's actions, unit actions, their targets and the 2025 follow-ups."""
    actions = build_actions(department_id)
    for unit_index, activity, measure, role, owner, follow_up in UNIT_PLANS:
        actions.append(Action(
            id=f"A{len(actions) + 1:02d}", department_id=department_id, activity=activity,
            measure=measure, status=ONGOING, owner_role=role, follow_up_on=follow_up,
            follow_up_text="Handlingsplan på enhetsnivå (2025.245 VON)",
            unit_id=org.unit_id(0, unit_index), owner_username=owner,
        ))
    targets = [
        ActionTarget(
            id=f"{action_id}-M{n}", action_id=action_id, figure_code=figure.value,
            baseline=Decimal(baseline), baseline_period=BASELINE_PERIOD,
            target=Decimal(target), target_on=by,
            unit_id=None if unit_index is None else org.unit_id(0, unit_index),
        )
        for action_id, rows in TARGETS.items()
        for n, (figure, unit_index, baseline, target, by) in enumerate(rows, 1)
    ]
    written_at = local_datetime(REPORT_ON, dt.time(10))
    follow_ups = [
        ActionFollowUp(
            id=f"{action_id}-U1", action_id=action_id, written_on=REPORT_ON,
            written_at=written_at, author=HEAD, status=status,
            text=f"Återrapport till vård- och omsorgsnämnden (2025.245 VON): {text}",
            next_follow_up_on=NEXT_REPORT_ON,
        )
        for action_id, status, text in FOLLOW_UPS_2025
    ]
    noted = {f.action_id: f for f in follow_ups}
    actions = [
        replace(action, status=noted[action.id].status,
                follow_up_on=noted[action.id].next_follow_up_on)
        if action.id in noted else action
        for action in actions
    ]
    return DemoActionPlan(tuple(actions), tuple(targets), tuple(follow_ups))


def build_actions(department_id: str) -> list[Action]:
    actions = [
        Action(id=f"A{n:02d}", department_id=department_id, activity=activity,
               measure=measure, status=status, owner_role=owner, follow_up_on=follow_up,
               follow_up_text=text, owner_username=_owner(owner))
        for n, (activity, measure, status, owner, follow_up, text) in enumerate(PLAN_2023, 1)
    ]
    for n, (activity, measure) in enumerate(FOCUS_2025, start=len(actions) + 1):
        actions.append(Action(
            id=f"A{n:02d}", department_id=department_id, activity=activity, measure=measure,
            status=ONGOING, owner_role="AC pers. ass och stöd", follow_up_on=D(2026, 5, 31),
            follow_up_text="Återrapportering till vård- och omsorgsnämnden maj 2026 "
                           "(2025.245 VON)",
            owner_username=HEAD,
        ))
    return actions
