"""The action plan: seed 001's thirteen actions with the "Tidsplan" rows, and the five
focus areas the committee reported on in November 2025 (seed 003).

Status, owner and follow-up are as the documents state them; where the Tidsplan names a
term ("Vt-24", "Feb 24") instead of a status, the action is planned with that text.
"""

from __future__ import annotations

import datetime as dt

from insats.domain.actions import Action, ActionStatus

D = dt.date
ONGOING, PLANNED = ActionStatus.ONGOING, ActionStatus.PLANNED

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


def build_actions(department_id: str) -> list[Action]:
    actions = [
        Action(id=f"A{n:02d}", department_id=department_id, activity=activity,
               measure=measure, status=status, owner_role=owner, follow_up_on=follow_up,
               follow_up_text=text)
        for n, (activity, measure, status, owner, follow_up, text) in enumerate(PLAN_2023, 1)
    ]
    for n, (activity, measure) in enumerate(FOCUS_2025, start=len(actions) + 1):
        actions.append(Action(
            id=f"A{n:02d}", department_id=department_id, activity=activity, measure=measure,
            status=ONGOING, owner_role="AC pers. ass och stöd", follow_up_on=D(2026, 5, 31),
            follow_up_text="Återrapportering till vård- och omsorgsnämnden maj 2026 "
                           "(2025.245 VON)",
        ))
    return actions
