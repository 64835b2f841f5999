"""Accounts, server-side web sessions and failed sign-ins."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from insats.db.models.access import AccountRow, AccountUnitRow, LoginFailureRow, WebSessionRow
from insats.db.repositories._base import StaleVersionError, flush_or_stale
from insats.domain.access import Account


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _entity(self, row: AccountRow) -> Account:
        units = self.session.scalars(
            select(AccountUnitRow.unit_id).where(AccountUnitRow.account_id == row.id)
        ).all()
        return Account(row.id, row.username, row.display_name, row.role, row.password_hash,
                       frozenset(units), row.active)

    def add(self, account: Account, *, created_at: dt.datetime) -> None:
        self.session.add(AccountRow(
            id=account.id, username=account.username, display_name=account.display_name,
            role=account.role, password_hash=account.password_hash, active=account.active,
            created_at=created_at,
        ))
        self.session.flush()
        self.session.add_all(AccountUnitRow(account_id=account.id, unit_id=unit_id)
                             for unit_id in sorted(account.unit_ids))
        self.session.flush()

    def get(self, account_id: str) -> Account | None:
        row = self.session.get(AccountRow, account_id)
        return None if row is None else self._entity(row)

    def by_username(self, username: str) -> Account | None:
        row = self.session.scalars(
            select(AccountRow).where(func.lower(AccountRow.username) == username.lower())
        ).first()
        return None if row is None else self._entity(row)

    def all(self) -> list[Account]:
        rows = self.session.scalars(select(AccountRow).order_by(AccountRow.username)).all()
        return [self._entity(row) for row in rows]

    def set_password_hash(self, account_id: str, password_hash: str) -> None:
        row = self.session.get(AccountRow, account_id)
        if row is None:
            raise StaleVersionError("Kontot", account_id)
        row.password_hash = password_hash
        flush_or_stale(self.session, "Kontot", account_id)


class SessionState(NamedTuple):
    """A web session's times and CSRF token, with its account (None when it is gone)."""

    csrf_token: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    ended_at: dt.datetime | None
    account: Account | None


class WebSessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def state(self, token_hash: str) -> SessionState | None:
        """The session and its account in two plain selects (read on every request, so
        no ORM objects are built)."""
        found = self.session.execute(
            select(WebSessionRow.csrf_token, WebSessionRow.created_at,
                   WebSessionRow.last_seen_at, WebSessionRow.ended_at, AccountRow.id,
                   AccountRow.username, AccountRow.display_name, AccountRow.role,
                   AccountRow.password_hash, AccountRow.active)
            .outerjoin(AccountRow, AccountRow.id == WebSessionRow.account_id)
            .where(WebSessionRow.token_hash == token_hash)).first()
        if found is None:
            return None
        csrf, created, seen, ended, account_id, username, name, role, hashed, active = found
        account = None
        if account_id is not None:
            units = self.session.scalars(select(AccountUnitRow.unit_id)
                                         .where(AccountUnitRow.account_id == account_id))
            account = Account(account_id, username, name, role, hashed, frozenset(units),
                              active)
        return SessionState(csrf, created, seen, ended, account)

    def add(self, *, token_hash: str, account_id: str, csrf_token: str, at: dt.datetime,
            remote_addr: str) -> None:
        self.session.add(WebSessionRow(
            token_hash=token_hash, account_id=account_id, csrf_token=csrf_token,
            created_at=at, last_seen_at=at, ended_at=None, remote_addr=remote_addr,
        ))
        self.session.flush()

    def touch(self, token_hash: str, at: dt.datetime) -> None:
        self.session.execute(update(WebSessionRow)
                             .where(WebSessionRow.token_hash == token_hash)
                             .values(last_seen_at=at))

    def end(self, token_hash: str, at: dt.datetime) -> None:
        self.session.execute(update(WebSessionRow)
                             .where(WebSessionRow.token_hash == token_hash,
                                    WebSessionRow.ended_at.is_(None))
                             .values(ended_at=at))

    def end_all_of(self, account_id: str, at: dt.datetime) -> None:
        self.session.execute(update(WebSessionRow)
                             .where(WebSessionRow.account_id == account_id,
                                    WebSessionRow.ended_at.is_(None))
                             .values(ended_at=at))

    def purge_before(self, at: dt.datetime) -> int:
        """Drop sessions that started before ``at`` (they are long past their 12 hours)."""
        result = self.session.execute(delete(WebSessionRow)
                                      .where(WebSessionRow.created_at < at))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class LoginFailureRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *, username: str, remote_addr: str, at: dt.datetime) -> None:
        self.session.add(LoginFailureRow(username=username.lower(), remote_addr=remote_addr,
                                         at=at))
        self.session.flush()

    def count_since(self, *, username: str, since: dt.datetime) -> int:
        return int(self.session.scalar(
            select(func.count()).select_from(LoginFailureRow)
            .where(LoginFailureRow.username == username.lower(), LoginFailureRow.at >= since)
        ) or 0)

    def count_from_address_since(self, *, remote_addr: str, since: dt.datetime) -> int:
        return int(self.session.scalar(
            select(func.count()).select_from(LoginFailureRow)
            .where(LoginFailureRow.remote_addr == remote_addr, LoginFailureRow.at >= since)
        ) or 0)

    def clear(self, username: str) -> None:
        self.session.execute(delete(LoginFailureRow)
                             .where(LoginFailureRow.username == username.lower()))
