"""Decision rows (beslut) → ``Decision`` objects, with every row error collected.

``Till`` is the decision's last day, as case systems print it; the stored period is
half-open, so it ends the day after. Hours are per week or for the whole period, with a
decimal comma or as h:mm. The decision's own rules (``Decision.__post_init__``) are applied
and their messages reported on the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from insats.domain.common import DomainError, Period
from insats.domain.decisions import INSATS_LABELS, DecidedBy, Decision, Insats, LegalBasis, Payer
from insats.interchange import values
from insats.interchange.errors import CellError, ErrorCollector
from insats.interchange.keys import natural_id, stable_id
from insats.interchange.readers import SourceTable
from insats.interchange.references import References

LEGAL_BASES = {basis.value.casefold(): basis for basis in LegalBasis}
INSATSER: dict[str, Insats] = {
    **{insats.value: insats for insats in Insats},
    **{label.casefold(): insats for insats, label in INSATS_LABELS.items()},
}
DECIDED_BY = {"fk": DecidedBy.FK, "försäkringskassan": DecidedBy.FK,
              "kommun": DecidedBy.MUNICIPALITY, "kommunen": DecidedBy.MUNICIPALITY}
PAYERS = {"fk": Payer.FK, "försäkringskassan": Payer.FK, "kommun": Payer.MUNICIPALITY,
          "kommunen": Payer.MUNICIPALITY, "annan_kommun": Payer.OTHER_MUNICIPALITY,
          "annan kommun": Payer.OTHER_MUNICIPALITY}
# the domain rule's code → the column it is reported on
RULE_COLUMNS = {"decision.basis": "Insats", "decision.decided_by": "Beslutat av",
                "decision.increased_rate": "Förhöjt timbelopp",
                "decision.negative": "Timmar/vecka", "decision.period_total": "Timmar/period",
                "decision.grant_missing": "Timmar/vecka"}

Reader = Callable[[Any], Any]
_FIELDS: tuple[tuple[str, str, Reader], ...] = (
    ("Lagrum", "legal_basis", lambda v: values.choice(v, LEGAL_BASES, "lagrum")),
    ("Insats", "insats", lambda v: values.choice(v, INSATSER, "insats")),
    ("Från", "start", values.date),
    ("Till", "last_day", values.date),
    ("Beslutat av", "decided_by", lambda v: values.choice(v, DECIDED_BY, "beslutsfattare")),
    ("Betalare", "payer", lambda v: values.choice(v, PAYERS, "betalare")),
    ("Beslutsdatum", "decided_on", values.date),
    ("Timmar/vecka", "granted_minutes_per_week", values.hours_as_minutes),
    ("Timmar/period", "granted_minutes_total", values.hours_as_minutes),
    ("Dubbelassistans timmar/vecka", "double_assistance_minutes_per_week",
     values.hours_as_minutes),
    ("Grundläggande behov timmar/vecka", "basic_needs_minutes_per_week",
     values.hours_as_minutes),
    ("Förhöjt timbelopp", "increased_rate", values.boolean),
    ("Förhöjt belopp (kr/tim)", "increased_rate_per_hour", values.money),
    ("Förskott", "paid_in_advance", values.boolean),
)
_REQUIRED = {"Lagrum", "Insats", "Från", "Beslutat av", "Betalare", "Beslutsdatum"}


def read_decision_rows(
    table: SourceTable, columns: dict[str, int], refs: References, tag: str,
    errors: ErrorCollector,
) -> list[tuple[int, Decision]]:
    """(row number, decision) for every valid row; errors for every invalid one.

    ``refs.decisions`` holds stored decision ids; "Ersätter beslut" may name one of them,
    or the Id of a decision from the same source (this file or an earlier import).
    """
    if errors:
        return []
    rows: list[tuple[int, Decision, str | None]] = []
    seen: dict[str, int] = {}
    for row_no, cells in table.rows:
        problems: list[tuple[str, str]] = []
        decision = _decision(cells, columns, refs, tag, problems)
        replaces = values.text(values.cell(cells, columns, "Ersätter beslut")) or None
        if decision is not None:
            first = seen.setdefault(decision.id, row_no)
            if first != row_no:
                problems.append(("Id", f"Samma beslut finns redan på rad {first}."))
        for column, message in problems:
            errors.add(row_no, column, message)
        if not problems and decision is not None:
            rows.append((row_no, decision, replaces))
    in_file = set(seen)
    checked: list[tuple[int, Decision]] = []
    for row_no, decision, replaces in rows:
        if replaces is not None:
            target = _replaced(replaces, refs, tag, in_file)
            if target is None:
                errors.add(row_no, "Ersätter beslut", f"Okänt beslut {replaces!r}.")
                continue
            try:
                decision = Decision(**{**_as_kwargs(decision), "replaces_decision_id": target})
            except DomainError as error:  # pragma: no cover - the same values passed before
                errors.add(row_no, "Ersätter beslut", error.message)
                continue
        checked.append((row_no, decision))
    return checked


def _replaced(raw: str, refs: References, tag: str, in_file: set[str]) -> str | None:
    if raw in refs.decisions:
        return raw
    derived = stable_id(tag, raw)
    return derived if derived in refs.decisions or derived in in_file else None


def _as_kwargs(decision: Decision) -> dict[str, Any]:
    return {name: getattr(decision, name) for name in Decision.__dataclass_fields__}


def _decision(
    cells: Sequence[Any], columns: dict[str, int], refs: References, tag: str,
    problems: list[tuple[str, str]],
) -> Decision | None:
    raw_client = values.text(values.cell(cells, columns, "Brukare"))
    client_id = None
    if not raw_client:
        problems.append(("Brukare", "Värde saknas."))
    else:
        try:
            client_id = refs.client(raw_client)
        except CellError as error:
            problems.append(("Brukare", error.message))
    provider_id = values.text(values.cell(cells, columns, "Anordnare"))
    if not provider_id:
        problems.append(("Anordnare", "Värde saknas."))
    elif provider_id not in refs.providers:
        problems.append(("Anordnare", f"Okänd anordnare {provider_id!r}."))
    read: dict[str, Any] = {}
    for name, key, parse in _FIELDS:
        raw = values.cell(cells, columns, name)
        if raw == "":
            if name in _REQUIRED:
                problems.append((name, "Värde saknas."))
            continue
        try:
            read[key] = parse(raw)
        except CellError as error:
            problems.append((name, error.message))
    if problems or client_id is None:
        return None
    start: dt.date = read.pop("start")
    last_day: dt.date | None = read.pop("last_day", None)
    if last_day is not None and last_day < start:
        problems.append(("Till", "Sista dagen kan inte vara före första dagen."))
        return None
    period = Period(start, None if last_day is None else last_day + dt.timedelta(days=1))
    external = values.text(values.cell(cells, columns, "Id"))
    decision_id = stable_id(tag, external) if external else natural_id(
        tag, client_id, read["insats"].value, start.isoformat())
    try:
        return Decision(id=decision_id, client_id=client_id, period=period,
                        provider_id=provider_id, **read)
    except DomainError as error:
        problems.append((RULE_COLUMNS.get(error.code, "Insats"), error.message))
        return None
