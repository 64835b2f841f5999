"""What a viewer may see: their units, and one client after a scope check that is logged.

Every use case that shows client data goes through ``client_in_scope``: it refuses a
client outside the viewer's units (and writes the refusal to the access log) and logs the
read otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

from insats.db.maintenance import has_department
from insats.db.repositories._base import NotFoundError
from insats.domain.access import AccessDenied, AuditAction, Caller, Capability
from insats.domain.clients import Client
from insats.domain.common import DomainError
from insats.domain.organisation import Unit
from insats.services.audit import Touched, log
from insats.services.runtime import UowFactory
from insats.services.uow import UnitOfWork


def in_scope(units: Iterable[Unit], caller: Caller) -> list[Unit]:
    """The units of ``units`` in the caller's scope, by name."""
    return sorted((u for u in units if caller.viewer.sees_unit(u.id)), key=lambda u: u.name)


def visible_units(uow: UnitOfWork, caller: Caller) -> list[Unit]:
    """The units in the caller's scope, by name."""
    return in_scope(uow.organisation.units(), caller)


def unit_choices(uow_factory: UowFactory, caller: Caller) -> list[Unit]:
    with uow_factory() as uow:
        return visible_units(uow, caller)


def unit_in_scope(uow: UnitOfWork, caller: Caller, unit_id: str) -> Unit:
    unit = uow.organisation.get(unit_id)
    if unit is None:
        raise NotFoundError("Enheten", unit_id)
    caller.viewer.require_unit(unit.id)
    return unit


def client_in_scope(uow: UnitOfWork, caller: Caller, client_id: str, *,
                    action: AuditAction = AuditAction.READ) -> Client:
    """The client, if the caller may see it; the read (or the refusal) is logged in ``uow``,
    which the caller commits. A refusal is committed here, before raising."""
    caller.viewer.require(Capability.VIEW_CLIENTS)
    client = uow.clients.get(client_id)
    if client is None:
        raise NotFoundError("Brukaren", client_id)
    touched = [Touched("client", client.id, client.id, client.unit_id)]
    if not caller.viewer.sees_unit(client.unit_id):
        log(uow, caller, AuditAction.DENIED, touched)
        uow.commit()
        raise AccessDenied("Brukaren hör till en enhet utanför din behörighet.")
    log(uow, caller, action, touched)
    return client


def require_department(uow: UnitOfWork) -> None:
    """Refuse, in Swedish, to work on a database that holds no department yet."""
    if not has_department(uow.session):
        raise DomainError("department.empty", "Databasen innehåller ingen avdelning ännu. "
                          "Kör 'insats demo load' eller importera enheterna först.")
