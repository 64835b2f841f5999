"""The scenario calculator page: ``/scenarios?year=2026&unit=U03&meeting_interval_weeks=12``.

A GET form of the numbers each scenario assumes (empty means the rule parameter), and a
table of the saving per year with an expandable "Underlag" per scenario. Needs
``RUN_SCENARIOS``; the service keeps an enhetschef to their own units.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from insats.domain.access import Capability
from insats.domain.common import DomainError, Money
from insats.domain.rules.parameters import ParameterUnit, parse_parameter_value
from insats.domain.scenarios import ScenarioParameters
from insats.services.scenarios import run_scenario_report
from insats.services.scope import unit_choices
from insats.web.deps import Context, requires
from insats.web.routes.ledger import require_id
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

WHOLE_NUMBERS = {
    "meeting_interval_weeks": "Mötesintervallet",
    "meeting_minutes": "Mötets längd",
    "training_small_group": "Smågruppens storlek",
    "training_large_group": "Storgruppens storlek",
    "break_minutes": "Rastens längd",
    "break_longer_than": "Passlängden för rast",
}
MAX_TEXT = 40


def _whole(text: str, what: str) -> int | None:
    text = text.strip()[:MAX_TEXT]
    if not text:
        return None
    if not text.isdigit():
        raise DomainError("scenario.parameter", f"{what}: {text!r} är inget heltal.")
    return int(text)


def parameters_from(values: dict[str, str], premises: list[str] | None) -> ScenarioParameters:
    """The form's values as scenario parameters (empty fields: the rule parameters)."""
    numbers = {name: _whole(values.get(name, ""), what) for name, what in WHOLE_NUMBERS.items()}
    cost = values.get("training_cost_per_hour", "").strip()[:MAX_TEXT]
    share = values.get("school_taxi_share", "").strip()[:MAX_TEXT]
    return ScenarioParameters(
        **numbers,
        training_cost_per_hour=Money.kronor(cost).ore if cost else None,
        school_taxi_share=parse_parameter_value(ParameterUnit.PERMILLE, share) if share else None,
        premises=None if premises is None else tuple(p[:MAX_TEXT] for p in premises),
    )


@router.get("/scenarios")
def scenarios_page(request: Request, year: str = "", unit: str = "",
                   premises: list[str] = Query(default=[]), premises_chosen: str = "",
                   ctx: Context = Depends(requires(Capability.RUN_SCENARIOS))) -> Response:
    values = {name: str(request.query_params.get(name, ""))
              for name in (*WHOLE_NUMBERS, "training_cost_per_hour", "school_taxi_share")}
    unit_id = require_id(unit, "Enheten") if unit else None
    context: dict[str, Any] = {
        "report": None, "error": None, "values": values, "unit": unit_id or "",
        "units": unit_choices(ctx.uow_factory, ctx.caller), "year": year[:4],
    }
    status = 200
    try:
        chosen_year = int(year) if year.strip() else dt.date.today().year
    except ValueError:
        chosen_year = 0
    try:
        if chosen_year == 0:
            raise DomainError("scenario.year", "Året ska skrivas med fyra siffror, t.ex. 2026.")
        parameters = parameters_from(values, premises if premises_chosen else None)
        context["report"] = run_scenario_report(
            ctx.uow_factory, caller=ctx.caller, year=chosen_year, unit_id=unit_id,
            parameters=parameters)
        context["year"] = str(chosen_year)
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        context["error"] = refused.message
        status = 400
    return render(request, "scenarios/page.html", context, status_code=status)
