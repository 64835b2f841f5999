"""`insats report committee`: the report to the committee for a period, as PDF (and XLSX).

    insats report committee --period 2026-01..2026-10 --out rapport.pdf
    insats report committee --period 2026-01..2026-10 --unit U03 --out rapport.pdf \
        --xlsx rapport.xlsx --issue

Without ``--issue`` the command writes a preview of the newest report with that period and
scope (creating a draft when there is none) from today's data; the texts are those written
in the application. With ``--issue`` it issues the report as a new immutable version and
writes that version's documents. The command runs as the avdelningschef
(:mod:`insats.cli.local_caller`).
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from insats.cli.inputs import database
from insats.cli.local_caller import cli_caller
from insats.cli.output import make_console
from insats.domain.committee_report import period_label
from insats.services.committee_reports import document, find_or_create_report, issue, preview
from insats.services.key_figures import parse_period

app = typer.Typer(help="Rapporter till nämnden.", no_args_is_help=True)
console = make_console()


@app.command("committee")
def committee(
    period: str = typer.Option(..., "--period", metavar="ÅÅÅÅ-MM..ÅÅÅÅ-MM",
                               help="Hela månader, till exempel 2026-01..2026-10."),
    out: Path = typer.Option(..., "--out", help="PDF-filen som skrivs."),
    unit: str | None = typer.Option(None, "--unit", metavar="ENHET",
                                    help="En enhet (id); utan den hela avdelningen."),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="Skriv även innehållet som XLSX."),
    issue_version: bool = typer.Option(False, "--issue",
                                       help="Utfärda en ny version (kan inte ändras efteråt)."),
) -> None:
    """Skriv återrapporteringen till nämnden som PDF (förhandsgranskning eller utfärdad)."""
    start, end = parse_period(None, period)
    factory = database()
    caller = cli_caller("report committee")
    started = time.perf_counter()
    report = find_or_create_report(factory, caller=caller, start=start, end=end,
                                   unit_id=unit)
    if issue_version:
        version = issue(factory, caller=caller, report_id=report.id)
        _, pdf = document(factory, caller=caller, report_id=report.id,
                          number=version.number, kind="pdf")
        sheet = (document(factory, caller=caller, report_id=report.id,
                          number=version.number, kind="xlsx")[1] if xlsx else None)
        what = (f"Version {version.number} utfärdad (kontrollsumma "
                f"{version.content_sha256[:12]})")
    else:
        pdf = preview(factory, caller=caller, report_id=report.id)
        sheet = preview(factory, caller=caller, report_id=report.id, kind="xlsx") \
            if xlsx else None
        what = "Förhandsgranskning"
    out.write_bytes(pdf)
    if xlsx is not None and sheet is not None:
        xlsx.write_bytes(sheet)
    console.print(f"{what}: rapport {report.id}, {period_label(start, end)}, "
                  f"{'enhet ' + unit if unit else 'hela avdelningen'}. "
                  f"Skrev {out}{' och ' + str(xlsx) if xlsx else ''} "
                  f"({time.perf_counter() - started:.1f} s).")
