"""Accounts and the access log on both backends (the web tests cover sessions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import text

from insats.domain.access import AuditAction, Caller, Role, Viewer
from insats.domain.common import DomainError
from insats.services.audit import Touched, access_log, log
from insats.services.auth import create_account, sign_in
from insats.services.uow import UnitOfWork

Factory = Callable[[], UnitOfWork]


def test_an_account_is_stored_with_an_argon2_hash_not_the_password(uow_factory: Factory
                                                                   ) -> None:
    create_account(uow_factory, username="Anna", display_name="Anna A",
                   role=Role.DEPARTMENT_HEAD, password="ett-långt-lösenord")
    with uow_factory() as uow:
        stored = uow.session.execute(text("SELECT password_hash FROM accounts")).scalar_one()
    assert stored.startswith("$argon2id$") and "långt" not in stored
    signed = sign_in(uow_factory, username="anna", password="ett-långt-lösenord",
                     remote_addr="127.0.0.1")  # user names are case-insensitive
    assert signed.viewer.username == "Anna"


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"password": "kort"}, "account.password_short"),
    ({"role": Role.UNIT_MANAGER}, "account.units"),
    ({"username": "  "}, "account.username"),
])
def test_bad_accounts_are_refused_in_swedish(uow_factory: Factory, kwargs: dict[str, object],
                                             code: str) -> None:
    values: dict[str, object] = {"username": "per", "display_name": "Per",
                                 "role": Role.COMMITTEE, "password": "tillräckligt-långt"}
    values.update(kwargs)
    with pytest.raises(DomainError) as refused:
        create_account(uow_factory, **values)  # type: ignore[arg-type]
    assert refused.value.code == code


def test_a_user_name_is_unique(uow_factory: Factory) -> None:
    create_account(uow_factory, username="per", display_name="Per", role=Role.COMMITTEE,
                   password="tillräckligt-långt")
    with pytest.raises(DomainError, match="finns redan"):
        create_account(uow_factory, username="PER", display_name="Per 2",
                       role=Role.COMMITTEE, password="tillräckligt-långt")


def test_the_access_log_is_per_month_and_only_for_the_department_head(uow_factory: Factory
                                                                      ) -> None:
    head = Caller(Viewer("a1", "chef", "Chefen", Role.DEPARTMENT_HEAD), "10.1.1.1", "GET /x")
    manager = Caller(Viewer("a2", "ec", "EC", Role.UNIT_MANAGER, frozenset({"u1"})))
    october = dt.datetime(2026, 10, 31, 22, 59, tzinfo=dt.UTC)
    november = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)
    with uow_factory() as uow:
        log(uow, head, AuditAction.READ, [Touched("client", "c1", "c1", "u1")], at=october)
        log(uow, head, AuditAction.UPDATE, [Touched("client_stay", "s1", "c1", "u1"),
                                            Touched("client", "c2", "c2", "u2")], at=november)
        uow.commit()
    page = access_log(uow_factory, head, year=2026, month=11)
    assert page.total == 2 and {e.object_id for e in page.events} == {"s1", "c2"}
    assert page.events[0].remote_addr == "10.1.1.1" and page.events[0].route == "GET /x"
    assert access_log(uow_factory, head, year=2026, month=11, unit_id="u1").total == 1
    assert access_log(uow_factory, head, year=2026, month=10).total == 1
    with pytest.raises(DomainError) as denied:
        access_log(uow_factory, manager, year=2026, month=11)
    assert denied.value.code == "access.denied"


def test_the_access_log_refuses_updates_and_deletes_even_in_raw_sql(uow_factory: Factory
                                                                    ) -> None:
    head = Caller(Viewer("a1", "chef", "Chefen", Role.DEPARTMENT_HEAD))
    with uow_factory() as uow:
        log(uow, head, AuditAction.READ, [Touched("client", "c1", "c1", "u1")])
        uow.commit()
    for statement in ("UPDATE audit_events SET username = 'någon annan'",
                      "DELETE FROM audit_events"):
        with uow_factory() as uow, pytest.raises(Exception, match="append-only"):
            uow.session.execute(text(statement))
            uow.session.flush()
    with uow_factory() as uow:
        assert uow.session.execute(text("SELECT username FROM audit_events")).scalar_one() \
            == "chef"
