"""The action plan (issue 7): ``/actions`` lists the actions the viewer sees with status,
owner and follow-up date, overdue follow-ups in red, filtered by unit, status or overdue;
``/actions/{id}`` shows one action's targets (baseline, target, date and the last month's
measured value), its follow-up history and, for those who may change it, a form to write
a follow-up and change status, date or owner, and one to add or change a target.

Reading needs ``VIEW_ACTIONS`` (every role); changing needs ``EDIT_ACTIONS``, and the
service keeps a unit manager to actions of their units or that they own (checked before
the input is read). A change made on a stale page gets 409 with the page and a Swedish
message; invalid input 400 with the message by the form. ``/actions/overdue-notice`` is
the overview's notice of the signed-in owner's overdue follow-ups (loaded by htmx).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from insats.db.repositories._base import StaleVersionError
from insats.domain.access import Capability
from insats.domain.actions import ACTION_STATUS_LABELS, ActionStatus, parse_status
from insats.domain.common import DomainError
from insats.domain.figure_catalogue import DEFINITIONS
from insats.services.action_plans import (
    DEPARTMENT_LEVEL,
    action_detail,
    action_plan,
    add_action,
    editable_action,
    overdue_follow_ups,
    owner_choices,
    set_target,
    update_action,
)
from insats.web.deps import Context, requires
from insats.web.routes.ledger import read_day
from insats.web.templating import render

router = APIRouter(include_in_schema=False)

NOTICES = {"saved": "Uppföljningen är sparad.", "target": "Målet är sparat.",
           "created": "Åtgärden är tillagd i planen."}
TEXT_LIMIT = 2000


def _today() -> dt.date:
    return dt.date.today()


def _plan_page(request: Request, ctx: Context, *, unit: str | None = None,
               status: str | None = None, overdue: str | None = None,
               error: str | None = None, form: dict[str, str] | None = None,
               status_code: int = 200) -> Response:
    unit_id = (unit or "")[:40] or None
    chosen = None
    if status:
        try:
            chosen = ActionStatus(status[:20])
        except ValueError:
            chosen = None
    plan = action_plan(ctx.uow_factory, caller=ctx.caller, on=_today(), unit_id=unit_id,
                       status=chosen, overdue_only=bool(overdue))
    return render(request, "actions/plan.html", {
        "plan": plan, "unit": unit_id or "", "status": chosen.value if chosen else "",
        "overdue": bool(overdue), "statuses": ACTION_STATUS_LABELS,
        "department_level": DEPARTMENT_LEVEL, "error": error, "form": form or {},
        "can_add": ctx.viewer.can(Capability.EDIT_ACTIONS),
    }, status_code=status_code)


@router.get("/actions")
def plan_page(request: Request, unit: str | None = None, status: str | None = None,
              overdue: str | None = None,
              ctx: Context = Depends(requires(Capability.VIEW_ACTIONS))) -> Response:
    return _plan_page(request, ctx, unit=unit, status=status, overdue=overdue)


@router.post("/actions")
def add_page(request: Request, unit: str = Form(""), activity: str = Form(""),
             measure: str = Form(""), owner_role: str = Form(""),
             follow_up_on: str = Form(""),
             ctx: Context = Depends(requires(Capability.EDIT_ACTIONS))) -> Response:
    """A new planned action for a unit or (avdelningschef) the whole department; its
    creator owns it."""
    form = {"unit": unit[:40], "activity": activity[:TEXT_LIMIT + 1],
            "measure": measure[:TEXT_LIMIT + 1], "owner_role": owner_role[:200],
            "follow_up_on": follow_up_on[:20]}
    try:
        day = read_day(follow_up_on) if follow_up_on.strip() else None
        if follow_up_on.strip() and day is None:
            raise DomainError("action.follow_up_on",
                              "Uppföljningsdatum: skriv datumet ÅÅÅÅ-MM-DD.")
        added = add_action(ctx.uow_factory, caller=ctx.caller, activity=form["activity"],
                           measure=form["measure"], owner_role=form["owner_role"],
                           unit_id=form["unit"] or None, follow_up_on=day,
                           owner_username=ctx.viewer.username)
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        return _plan_page(request, ctx, error=refused.message, form=form, status_code=400)
    return RedirectResponse(f"/actions/{added.id}?{urlencode({'notice': 'created'})}",
                            status_code=303)


@router.get("/actions/overdue-notice")
def overdue_notice(request: Request,
                   ctx: Context = Depends(requires(Capability.VIEW_ACTIONS))) -> Response:
    items = overdue_follow_ups(ctx.uow_factory, caller=ctx.caller, on=_today())
    return render(request, "actions/_overdue.html", {"overdue_items": items})


def _detail_page(request: Request, ctx: Context, action_id: str, *,
                 notice: str | None = None, error: str | None = None,
                 target_error: str | None = None, form: dict[str, str] | None = None,
                 status_code: int = 200) -> Response:
    detail = action_detail(ctx.uow_factory, caller=ctx.caller, action_id=action_id,
                           on=_today())
    owners = (owner_choices(ctx.uow_factory, caller=ctx.caller, action_id=action_id)
              if detail.item.can_edit else [])
    context: dict[str, Any] = {
        "d": detail, "item": detail.item, "a": detail.item.action, "notice": notice,
        "error": error, "target_error": target_error, "form": form or {},
        "statuses": ACTION_STATUS_LABELS, "owners": owners, "figures": DEFINITIONS,
    }
    return render(request, "actions/detail.html", context, status_code=status_code)


@router.get("/actions/{action_id}")
def detail_page(request: Request, action_id: str, notice: str | None = None,
                ctx: Context = Depends(requires(Capability.VIEW_ACTIONS))) -> Response:
    return _detail_page(request, ctx, action_id[:40], notice=NOTICES.get(notice or ""))


@router.post("/actions/{action_id}")
def update_page(request: Request, action_id: str, version: str = Form(""),
                text: str = Form(""), status: str = Form(""), follow_up_on: str = Form(""),
                owner_role: str = Form(""), owner: str = Form(""),
                ctx: Context = Depends(requires(Capability.EDIT_ACTIONS))) -> Response:
    """A follow-up: a note, a new status, the next date or another owner (any of them)."""
    action_id = action_id[:40]
    current = editable_action(ctx.uow_factory, caller=ctx.caller, action_id=action_id)
    form = {"text": text[:TEXT_LIMIT + 1], "status": status[:20],
            "follow_up_on": follow_up_on[:20], "owner_role": owner_role[:200],
            "owner": owner[:100]}
    try:
        expected = int(version)
        a = current.action
        new_status = parse_status(status) if status else None
        day = read_day(follow_up_on) if follow_up_on.strip() else None
        if follow_up_on.strip() and day is None:
            raise DomainError("action.follow_up_on",
                              "Uppföljningsdatum: skriv datumet ÅÅÅÅ-MM-DD.")
        new_status = new_status if new_status is not a.status else None
        day = day if day != a.follow_up_on else None
        role = owner_role if owner_role.strip() not in ("", a.owner_role) else None
        username = owner if owner.strip() != (a.owner_username or "") else None
        if not text.strip() and (new_status, day, role, username) == (None,) * 4:
            raise DomainError("action.nothing",
                              "Uppföljning: skriv vad som gjorts, eller ändra status, datum "
                              "eller ansvarig.")
        update_action(ctx.uow_factory, caller=ctx.caller, action_id=action_id,
                      expected_version=expected, status=new_status, follow_up_on=day,
                      owner_role=role, owner_username=username,
                      note=text[:TEXT_LIMIT + 1] or None)
    except ValueError:
        return _detail_page(request, ctx, action_id, form=form, status_code=400,
                            error="Sidan var inaktuell: ladda om och försök igen.")
    except StaleVersionError as stale:
        return _detail_page(request, ctx, action_id, form=form, error=stale.message,
                            status_code=409)
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        return _detail_page(request, ctx, action_id, form=form, error=refused.message,
                            status_code=400)
    return RedirectResponse(f"/actions/{action_id}?{urlencode({'notice': 'saved'})}",
                            status_code=303)


@router.post("/actions/{action_id}/target")
def target_page(request: Request, action_id: str, edit: str = Form(""),
                figure: str = Form(""), unit: str = Form(""),
                baseline: str = Form(""), baseline_period: str = Form(""),
                target: str = Form(""), target_on: str = Form(""),
                ctx: Context = Depends(requires(Capability.EDIT_ACTIONS))) -> Response:
    """Add a target (``edit`` empty) or change one (``edit`` is "ID@VERSION" as read)."""
    action_id = action_id[:40]
    editable_action(ctx.uow_factory, caller=ctx.caller, action_id=action_id)
    try:
        target_id, _, version = edit[:60].rpartition("@")
        day = read_day(target_on)
        if day is None:
            raise DomainError("action.target_on", "Måldatum: skriv datumet ÅÅÅÅ-MM-DD.")
        set_target(ctx.uow_factory, caller=ctx.caller, action_id=action_id,
                   figure_code=figure[:64], baseline=baseline[:40],
                   baseline_period=baseline_period[:16], target=target[:40], target_on=day,
                   unit_id=unit[:40] or None, target_id=target_id[:40] or None,
                   expected_version=int(version) if target_id else None)
    except ValueError:
        return _detail_page(request, ctx, action_id, status_code=400,
                            target_error="Sidan var inaktuell: ladda om och försök igen.")
    except StaleVersionError as stale:
        return _detail_page(request, ctx, action_id, target_error=stale.message,
                            status_code=409)
    except DomainError as refused:
        if refused.code in ("not_found", "access.denied"):
            raise
        return _detail_page(request, ctx, action_id, target_error=refused.message,
                            status_code=400)
    return RedirectResponse(f"/actions/{action_id}?{urlencode({'notice': 'target'})}",
                            status_code=303)
