"""The retention page (gallring): the department head sees each record type's limit in
force today, with its cutoff and source, and the log of retention runs. Runs are started
from the command line (`insats retention run`), which on PostgreSQL uses the owner role;
nothing on this page removes anything."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from insats.domain.access import Capability
from insats.domain.retention import RetentionAction
from insats.domain.rules.parameters import format_parameter_value
from insats.services import retention
from insats.web.deps import Context, requires
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

ACTION_LABELS = {RetentionAction.REMOVE.value: "tas bort",
                 RetentionAction.ANONYMISE.value: "anonymiseras"}
CERTAINTY_LABELS = {"confirmed": "bekräftad", "secondary": "sekundär källa",
                    "uncertain": "osäker"}


@router.get("/retention")
def retention_page(request: Request,
                   ctx: Context = Depends(requires(Capability.RUN_RETENTION))) -> Response:
    today = dt.date.today()
    limits = retention.limits_on(ctx.uow_factory, ctx.caller, today)
    return render(request, "retention/page.html", {
        "today": today,
        "limits": [{"label": limit.spec.label, "key": limit.parameter.key,
                    "limit": format_parameter_value(limit.parameter.unit,
                                                    limit.parameter.value),
                    "cutoff": limit.cutoff, "reference": limit.spec.reference,
                    "action": ACTION_LABELS[limit.spec.action.value],
                    "certainty": CERTAINTY_LABELS[limit.parameter.certainty.value],
                    "source": limit.parameter.source} for limit in limits],
        "runs": retention.run_log(ctx.uow_factory, ctx.caller),
    })
