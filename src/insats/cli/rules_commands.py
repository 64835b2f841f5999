"""`insats rules …`: the dated rate and limit parameters, listed and corrected by users."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from insats.cli.output import make_console
from insats.config import get_settings
from insats.domain.rules import Certainty, ParameterUnit, RuleParameter
from insats.domain.rules.parameters import format_parameter_value, parse_parameter_value
from insats.services import rules
from insats.services.runtime import uow_factory_for

app = typer.Typer(help="Regelvärden: belopp och gränser med giltighetstid och källa.",
                  no_args_is_help=True)
console = make_console()

CERTAINTY_LABELS = {
    Certainty.CONFIRMED: "bekräftad",
    Certainty.SECONDARY: "sekundär källa",
    Certainty.UNCERTAIN: "osäker",
}


@app.command("list")
def list_values(
    key: str = typer.Option("", "--key", help="Visa bara nycklar som börjar så, t.ex. fk."),
) -> None:
    """Lista regelvärden med giltighet, säkerhet och källa."""
    table = Table(title="Regelvärden")
    for header in ("Nyckel", "Från", "Till", "Värde", "Säkerhet", "Källa"):
        table.add_column(header, overflow="fold")
    for p in rules.list_parameters(uow_factory_for(get_settings().database_url), key_prefix=key):
        table.add_row(
            p.key, p.valid_from.isoformat(), p.valid_to.isoformat() if p.valid_to else "",
            format_parameter_value(p.unit, p.value),
            f"[red]{CERTAINTY_LABELS[p.certainty]}[/]" if p.certainty is Certainty.UNCERTAIN
            else CERTAINTY_LABELS[p.certainty],
            p.source,
        )
    console.print(table)


@app.command("set")
def set_value(
    key: str = typer.Argument(..., help="Parameterns nyckel, t.ex. fk.schablon_per_hour."),
    valid_from: str = typer.Option(..., "--from", help="Giltig från ÅÅÅÅ-MM-DD."),
    value: str = typer.Option(
        ..., "--value", help="Värdet, t.ex. 340,50 (kr), 11:00 (h), 112 (%)."
    ),
    source: str = typer.Option(..., "--source", help="Källan: beslut, avtal eller länk."),
    unit: ParameterUnit = typer.Option(
        None, "--unit", help="Enhet för en ny nyckel (ore, minutes, permille, count, days, years)."
    ),
    valid_to: str = typer.Option(None, "--to", help="Giltig till (exklusive) ÅÅÅÅ-MM-DD."),
    certainty: Certainty = typer.Option(Certainty.CONFIRMED, "--certainty"),
) -> None:
    """Lägg till ett nytt regelvärde eller rätta ett befintligt (samma nyckel och från-datum)."""
    factory = uow_factory_for(get_settings().database_url)
    stored = rules.list_parameters(factory, key_prefix=key)
    known_unit = next((p.unit for p in stored if p.key == key), None)
    chosen_unit = unit or known_unit
    if chosen_unit is None:
        raise typer.BadParameter(f"{key} är en ny nyckel: ange --unit.")
    parameter = RuleParameter(
        key=key, valid_from=_date(valid_from), valid_to=_date(valid_to) if valid_to else None,
        value=parse_parameter_value(chosen_unit, value), unit=chosen_unit,
        source=source, certainty=certainty,
    )
    corrected = rules.set_parameter(factory, parameter)
    verb = "Rättade" if corrected else "Lade till"
    console.print(f"{verb} {key} från {parameter.valid_from}: "
                  f"{format_parameter_value(parameter.unit, parameter.value)}.")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD).") from None
