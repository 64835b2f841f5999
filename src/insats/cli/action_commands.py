"""`insats actions`: the action plan, its follow-ups and targets (issue 7).

    insats actions list                              every action, overdue ones marked
    insats actions list --unit U01 --overdue --format csv
    insats actions show A03                          targets and follow-up history
    insats actions add --unit U01 --activity "Minska övertiden" --measure "..." --owner-role EC
    insats actions update A03 --status pagar --follow-up 2026-12-31 --note "Avstämt"
    insats actions follow-up A03 "Schemat stämt av mot besluten" --next 2027-01-31
    insats actions target A03 --figure overtime_hours --baseline 1400 --period 2025-10 \\
        --target 900 --by 2026-12-31

The command line acts as the avdelningschef (:mod:`insats.cli.local_caller`); notes it
writes have the author ``cli``. A change is checked against the version read just before
it, so an edit made in the web meanwhile is not overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Sequence
from decimal import Decimal

import typer
from rich.markup import escape
from rich.table import Table

from insats.cli.inputs import database, parse_day
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.domain.actions import parse_figure, parse_status
from insats.domain.common import DomainError
from insats.domain.formatting import format_number
from insats.services.action_plans import (
    DEPARTMENT_LEVEL,
    PlanItem,
    TargetView,
    action_detail,
    action_plan,
    add_action,
    add_follow_up,
    set_target,
    update_action,
)
from insats.services.planning import resolve_units

console = make_console()
app = typer.Typer(help="Åtgärdsplanen: åtgärder, uppföljningar och mål.",
                  no_args_is_help=True)
CSV_COLUMNS = ("åtgärd", "enhet", "aktivitet", "åtgärd_text", "status", "ansvarig_roll",
               "ansvarig", "uppföljning", "försenad_dagar", "senaste_uppföljning", "mål")


def _today(on: str | None) -> dt.date:
    return parse_day(on, "--on") if on else dt.date.today()


def _unit_filter(unit: str | None) -> str | None:
    if unit is None:
        return None
    if unit.strip().casefold() in (DEPARTMENT_LEVEL, "avd"):
        return DEPARTMENT_LEVEL
    return resolve_units(database(), [unit])[0].id


def target_text(view: TargetView) -> str:
    t = view.target

    def shown(value: Decimal) -> str:
        return format_number(float(value), view.decimals) + (f" {view.unit}" if view.unit else "")

    where = f" ({view.unit_name})" if view.unit_name else ""
    text = (f"{view.label}{where}: {shown(t.baseline)} ({t.baseline_period}) → "
            f"{shown(t.target)} senast {t.target_on.isoformat()}")
    if view.current is not None:
        text += f", nu {shown(view.current)} ({view.current_period})"
    return text


@app.command("list")
def list_actions(
    unit: str = typer.Option(None, "--unit", help="Enhetens id eller namn, eller "
                             "'avdelningen' för avdelningens egna åtgärder."),
    status: str = typer.Option(None, "--status", help="planerad, pågår, klar eller pausad."),
    overdue: bool = typer.Option(False, "--overdue", help="Bara försenade uppföljningar."),
    output_format: str = typer.Option("table", "--format", help="table eller csv."),
    on: str = typer.Option(None, "--on", help="Dagens datum ÅÅÅÅ-MM-DD (standard: i dag)."),
) -> None:
    """Åtgärdsplanen: status, ansvarig och uppföljning per åtgärd."""
    if output_format not in ("table", "csv"):
        raise DomainError("actions.format", "--format ska vara table eller csv.")
    plan = action_plan(database(), caller=cli_caller("actions list"), on=_today(on),
                       unit_id=_unit_filter(unit),
                       status=parse_status(status) if status else None, overdue_only=overdue)
    if output_format == "csv":
        _write_csv(plan.items)
        return
    table = Table(title=f"Åtgärdsplan (läge {plan.on.isoformat()}; {plan.overdue} försenade)")
    for title in ("Id", "Enhet", "Aktivitet", "Status", "Ansvarig", "Uppföljning",
                  "Mål"):
        table.add_column(title)
    for item in plan.items:
        a = item.action
        due = a.follow_up_on.isoformat() if a.follow_up_on else a.follow_up_text or "–"
        if item.overdue:
            due = f"[bold red]{due} (försenad {item.days_overdue} d)[/]"
        owner = a.owner_role + (f"\n{a.owner_username}" if a.owner_username else "")
        what = f"{escape(a.activity)}\n[dim]{escape(a.measure)}[/]"
        table.add_row(a.id, item.unit_name or "Avdelningen", what, item.status_label, owner, due,
                      escape("\n".join(target_text(t) for t in item.targets)))
    console.print(table)


def _write_csv(items: Sequence[PlanItem]) -> None:
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        a = item.action
        writer.writerow([
            a.id, a.unit_id or "", a.activity, a.measure, a.status.value, a.owner_role,
            a.owner_username or "", a.follow_up_on.isoformat() if a.follow_up_on else "",
            item.days_overdue, item.latest.written_on.isoformat() if item.latest else "",
            " | ".join(target_text(t) for t in item.targets),
        ])


@app.command("show")
def show(action_id: str = typer.Argument(..., metavar="ÅTGÄRD"),
         on: str = typer.Option(None, "--on", help="Dagens datum ÅÅÅÅ-MM-DD.")) -> None:
    """En åtgärd med mål och uppföljningar."""
    detail = action_detail(database(), caller=cli_caller("actions show"), action_id=action_id,
                           on=_today(on))
    item, a = detail.item, detail.item.action
    console.print(f"[bold]{a.id} {escape(a.activity)}[/] ({item.unit_name or 'Avdelningen'})")
    console.print(f"Åtgärd: {escape(a.measure)}")
    console.print(f"Status: {item.status_label} · Ansvarig: {a.owner_role}"
                  + (f" ({a.owner_username})" if a.owner_username else ""))
    due = a.follow_up_on.isoformat() if a.follow_up_on else "inget datum"
    flag = f" [bold red]försenad {item.days_overdue} dagar[/]" if item.overdue else ""
    console.print(f"Uppföljning: {due}{flag} {a.follow_up_text}".rstrip())
    console.print(f"Version: {item.version}")
    for view in item.targets:
        console.print(f"  Mål {view.target.id}: {escape(target_text(view))}")
    for note in detail.follow_ups:
        console.print(f"  {note.written_on.isoformat()} {note.author}: {escape(note.text)} "
                      f"[dim]({note.status.value})[/]")


SEEN_VERSION_HELP = ("Versionen du läste (insats actions show); nekas om någon annan har "
                     "ändrat åtgärden sedan dess. Utan den: den lagrade versionen.")


def _version(action_id: str, command: str) -> int:
    detail = action_detail(database(), caller=cli_caller(command), action_id=action_id,
                           on=dt.date.today())
    return detail.item.version


@app.command("add")
def add(
    activity: str = typer.Option(..., "--activity", help="Aktiviteten, t.ex. 'Införa raster'."),
    measure: str = typer.Option(..., "--measure", help="Åtgärden: vad som ska göras."),
    owner_role: str = typer.Option(..., "--owner-role", help="Ansvarig roll, t.ex. 'EC'."),
    unit: str = typer.Option(None, "--unit", help="Enhetens id eller namn (standard: hela "
                             "avdelningen)."),
    follow_up: str = typer.Option(None, "--follow-up", help="Första uppföljning ÅÅÅÅ-MM-DD."),
    owner: str = typer.Option(None, "--owner", help="Ansvarigt konto (användarnamn)."),
    how: str = typer.Option("", "--how", help="Hur åtgärden följs upp, t.ex. 'Månadsvis "
                            "i ledningsgruppen'."),
) -> None:
    """Lägg till en planerad åtgärd för en enhet eller hela avdelningen."""
    factory = database()
    action = add_action(
        factory, caller=cli_caller("actions add"), activity=activity, measure=measure,
        owner_role=owner_role, unit_id=resolve_units(factory, [unit])[0].id if unit else None,
        follow_up_on=parse_day(follow_up, "--follow-up") if follow_up else None,
        owner_username=owner, follow_up_text=how)
    console.print(f"Åtgärd {action.id} tillagd: {escape(action.activity)}.")


@app.command("update")
def update(
    action_id: str = typer.Argument(..., metavar="ÅTGÄRD"),
    status: str = typer.Option(None, "--status", help="planerad, pagar/pågår, klar, pausad."),
    follow_up: str = typer.Option(None, "--follow-up", help="Nästa uppföljning ÅÅÅÅ-MM-DD, "
                                  "eller 'ingen'."),
    owner_role: str = typer.Option(None, "--owner-role", help="Ansvarig roll, t.ex. 'EC'."),
    owner: str = typer.Option(None, "--owner", help="Ansvarigt konto (användarnamn); '' "
                              "tar bort det."),
    note: str = typer.Option(None, "--note", help="Anteckning i uppföljningshistoriken."),
    version: int = typer.Option(None, "--version", help=SEEN_VERSION_HELP),
) -> None:
    """Ändra status, uppföljningsdatum eller ansvarig, med en anteckning."""
    clear = follow_up is not None and follow_up.strip().casefold() == "ingen"
    item = update_action(
        database(), caller=cli_caller("actions update"), action_id=action_id,
        expected_version=_version(action_id, "actions update") if version is None else version,
        status=parse_status(status) if status else None,
        follow_up_on=parse_day(follow_up, "--follow-up") if follow_up and not clear else None,
        clear_follow_up=clear, owner_role=owner_role, owner_username=owner, note=note)
    a = item.action
    console.print(f"{a.id}: {item.status_label}, uppföljning "
                  f"{a.follow_up_on.isoformat() if a.follow_up_on else 'inget datum'}.")


@app.command("follow-up")
def follow_up(
    action_id: str = typer.Argument(..., metavar="ÅTGÄRD"),
    text: str = typer.Argument(..., metavar="TEXT", help="Vad som gjorts eller setts."),
    status: str = typer.Option(None, "--status", help="Status efter uppföljningen."),
    next_on: str = typer.Option(None, "--next", help="Nästa uppföljning ÅÅÅÅ-MM-DD."),
    version: int = typer.Option(None, "--version", help=SEEN_VERSION_HELP),
) -> None:
    """Skriv en uppföljning (ändrar status och nästa datum i samma steg)."""
    seen = _version(action_id, "actions follow-up") if version is None else version
    note = add_follow_up(
        database(), caller=cli_caller("actions follow-up"), action_id=action_id,
        expected_version=seen, text=text,
        status=parse_status(status) if status else None,
        next_follow_up_on=parse_day(next_on, "--next") if next_on else None)
    console.print(f"Uppföljning sparad för {action_id} ({note.written_on.isoformat()}).")


@app.command("target")
def target(
    action_id: str = typer.Argument(..., metavar="ÅTGÄRD"),
    figure: str = typer.Option(..., "--figure", help="Nyckeltalets kod, t.ex. "
                               "overtime_hours, eller dess namn."),
    baseline: str = typer.Option(..., "--baseline", help="Utgångsvärde."),
    period: str = typer.Option(..., "--period", help="Utgångsvärdets period ÅÅÅÅ eller "
                               "ÅÅÅÅ-MM."),
    target_value: str = typer.Option(..., "--target", help="Målvärde."),
    by: str = typer.Option(..., "--by", help="Måldatum ÅÅÅÅ-MM-DD."),
    unit: str = typer.Option(None, "--unit", help="Enheten målet gäller (standard: hela "
                             "avdelningen)."),
    target_id: str = typer.Option(None, "--id", help="Ändra detta mål i stället för att "
                                  "lägga till ett."),
) -> None:
    """Lägg till eller ändra ett mål (nyckeltal, utgångsvärde, målvärde, datum)."""
    factory = database()
    caller = cli_caller("actions target")
    version = None
    if target_id:
        detail = action_detail(factory, caller=caller, action_id=action_id,
                               on=dt.date.today())
        version = next((v.version for v in detail.item.targets if v.target.id == target_id),
                       None)
        if version is None:
            raise DomainError("not_found", f"Målet {target_id} finns inte för {action_id}.")
    saved = set_target(
        factory, caller=caller, action_id=action_id, figure_code=parse_figure(figure).value,
        baseline=baseline, baseline_period=period, target=target_value,
        target_on=parse_day(by, "--by"),
        unit_id=resolve_units(factory, [unit])[0].id if unit else None,
        target_id=target_id, expected_version=version)
    console.print(f"Mål {saved.id} sparat för {action_id}.")
