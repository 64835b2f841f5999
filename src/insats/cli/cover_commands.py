"""`insats cover`: who can cover an absence's shifts (or one open shift), and booking one.

    insats cover F00123                      the ranked list for each shift of the absence
    insats cover S000456                     the ranked list for one shift
    insats cover S000456 --book E0042 --reason möte

The list is ordered pool, colleague with hours left, mertid, overtime; within a kind the
cheapest first, someone who knows the client ahead. People who may not take the shift are
listed under "Ej möjliga" with the reason. The command runs as the avdelningschef (see
:mod:`insats.cli.local_caller`).
"""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from insats.cli.inputs import database
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.domain.common import DomainError
from insats.domain.cover import COVER_REASON_LABELS, local_span, parse_reason
from insats.domain.formatting import format_kronor
from insats.services.cover import ShiftCover, book_cover, cover_options, what_is

console = make_console()
REASON_HELP = ("Orsak: " + ", ".join(label.lower() for label in COVER_REASON_LABELS.values())
               + " (standard: frånvarons orsak, annars annat).")


def cover(
    key: str = typer.Argument(..., metavar="PASS_ELLER_FRÅNVARO",
                              help="Ett pass-id eller ett frånvaro-id."),
    book: str | None = typer.Option(None, "--book", metavar="ANSTÄLLD",
                                    help="Boka passet åt den anställda (id)."),
    reason: str | None = typer.Option(
        None, "--reason", help=REASON_HELP),
    shift: str | None = typer.Option(None, "--shift", help="Vilket av frånvarons pass "
                                                           "som ska bokas."),
    limit: int = typer.Option(15, "--limit", min=1, help="Visa högst så många kandidater "
                                                         "per pass."),
) -> None:
    """Visa vem som kan täcka en frånvaros pass eller ett pass, eller boka en av dem."""
    factory = database()
    caller = cli_caller("cover")
    kind = what_is(factory, key)
    view = cover_options(factory, caller=caller,
                         **({"absence_id": key} if kind == "absence" else {"shift_id": key}))
    if book is None:
        if view.absence is not None:
            period = view.absence.period
            assert period.end is not None
            last = period.end - dt.timedelta(days=1)
            console.print(f"[bold]{view.absence_label}[/] {view.absent_name or ''} "
                          f"{period.start.isoformat()}–{last.isoformat()}")
        if not view.shifts:
            console.print("Inga publicerade pass att täcka.")
        for item in view.shifts:
            _print_shift(item, limit)
        return
    chosen = [s for s in view.shifts if shift is None or s.shift.id == shift]
    if len(chosen) != 1:
        raise DomainError("cover.which_shift",
                          "Frånvaron har flera pass: ange vilket med --shift."
                          if chosen else f"Passet {shift} hör inte till frånvaron.")
    target = chosen[0]
    why = parse_reason(reason) if reason is not None else target.suggested_reason
    booking = book_cover(factory, caller=caller, shift_id=target.shift.id, employee_id=book,
                         reason=why, expected_version=target.version,
                         absence_id=view.absence.id if view.absence is not None else None)
    console.print(f"Bokat: {book} tar passet {target.shift.id} "
                  f"({local_span(target.shift)}) som {booking.kind.value}, orsak "
                  f"{COVER_REASON_LABELS[booking.reason].lower()}, kostnad "
                  f"{format_kronor(booking.cost_ore)} inkl. PO.")


def _print_shift(item: ShiftCover, limit: int) -> None:
    who = item.current_name or "obemannat"
    table = Table(title=f"Pass {item.shift.id} {local_span(item.shift)} · {item.group.name} "
                        f"({item.unit_name}) · nu: {who}", title_justify="left")
    for column in ("Nr", "Id", "Medarbetare", "Hemenhet", "Typ", "Lön", "PO", "Kostnad",
                   "Känner brukaren", "Kontroller"):
        table.add_column(column, justify="right" if column in ("Nr", "Lön", "PO", "Kostnad")
                         else "left")
    for number, option in enumerate(item.proposal.options[:limit], start=1):
        table.add_row(str(number), option.employee_id, option.name, option.home_unit_id,
                      option.kind_label, format_kronor(option.pay_ore),
                      format_kronor(option.social_fee_ore), format_kronor(option.cost_ore),
                      "ja" if option.knows_client else "nej",
                      ", ".join(option.checks[:5]))
    console.print(table)
    if len(item.proposal.options) > limit:
        console.print(f"… och {len(item.proposal.options) - limit} kandidater till "
                      "(--limit).")
    if not item.proposal.options:
        console.print("Ingen kan ta passet utan att bryta mot en regel.")
    if item.proposal.excluded:
        console.print(f"[bold]Ej möjliga[/] ({len(item.proposal.excluded)}):")
        for excluded in item.proposal.excluded[:15]:
            console.print(f"  {excluded.employee_id} {excluded.name}: {excluded.reason}")
        if len(item.proposal.excluded) > 15:
            console.print(f"  … och {len(item.proposal.excluded) - 15} till.")
