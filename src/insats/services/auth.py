"""Use cases for signing in: accounts, passwords, server-side sessions and rate limiting.

Passwords are hashed with argon2id. A session is a random token in an HttpOnly cookie; the
database keeps only its SHA-256, so a copy of the database cannot be replayed as a cookie.
A session ends at logout, after 30 minutes without a request, or 12 hours after sign-in,
whichever comes first. Sign-in is refused for 15 minutes after five failures for one user
name, or twenty from one address, so passwords cannot be guessed online.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from insats.domain.access import Account, Role, Viewer
from insats.domain.common import DomainError
from insats.services.runtime import UowFactory

IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most this often
MIN_PASSWORD_LENGTH = 10

# argon2id with OWASP's recommended minimum (Password Storage Cheat Sheet: 19 MiB of
# memory, 2 iterations, 1 lane). argon2-cffi's default (64 MiB, 3 iterations, 4 lanes)
# took over half a second of both cores per sign-in on the 2-core server, so sign-ins
# queued behind each other under load (docs/benchmarks.md, web load). Hashes made with
# other parameters still verify and are rehashed with these at the next sign-in.
ARGON2_MEMORY_KIB = 19_456
ARGON2_ITERATIONS = 2
ARGON2_LANES = 1
_hasher = PasswordHasher(time_cost=ARGON2_ITERATIONS, memory_cost=ARGON2_MEMORY_KIB,
                         parallelism=ARGON2_LANES)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("account.password_short",
                          f"Lösenordet ska ha minst {MIN_PASSWORD_LENGTH} tecken.")
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the user name is unknown, so a wrong name and a wrong
    password take the same time and a caller cannot tell which user names exist (made at
    the first sign-in, not when the module is imported: every command imports it)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignInRefused(DomainError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: the cookie token (shown once, never stored) and its CSRF token."""

    token: str
    csrf_token: str
    viewer: Viewer


@dataclass(frozen=True, slots=True)
class ActiveSession:
    viewer: Viewer
    csrf_token: str
    token_hash: str


def create_account(uow_factory: UowFactory, *, username: str, display_name: str, role: Role,
                   password: str, unit_ids: Collection[str] = ()) -> Account:
    """Add an account; an enhetschef must be given at least one unit."""
    username = username.strip()
    if not username:
        raise DomainError("account.username", "Användarnamnet får inte vara tomt.")
    if role is Role.UNIT_MANAGER and not unit_ids:
        raise DomainError("account.units", "En enhetschef ska ha minst en enhet.")
    account = Account(id=secrets.token_hex(8), username=username, display_name=display_name,
                      role=role, password_hash=hash_password(password),
                      unit_ids=frozenset(unit_ids))
    with uow_factory() as uow:
        if uow.accounts.by_username(username) is not None:
            raise DomainError("account.exists", f"Användarnamnet {username} finns redan.")
        for unit_id in account.unit_ids:
            if uow.organisation.get(unit_id) is None:
                raise DomainError("account.unit", f"Enheten {unit_id} finns inte.")
        uow.accounts.add(account, created_at=utc_now())
        uow.commit()
    return account


def list_accounts(uow_factory: UowFactory) -> list[Account]:
    with uow_factory() as uow:
        return uow.accounts.all()


def sign_in(uow_factory: UowFactory, *, username: str, password: str, remote_addr: str,
            now: dt.datetime | None = None) -> SignedIn:
    """Check the password and start a session, or refuse with a Swedish reason that does
    not reveal whether the user name exists."""
    now = now or utc_now()
    since = now - FAILURE_WINDOW
    with uow_factory() as uow:
        if (uow.login_failures.count_since(username=username, since=since)
                >= MAX_FAILURES_PER_USER
                or uow.login_failures.count_from_address_since(remote_addr=remote_addr,
                                                               since=since)
                >= MAX_FAILURES_PER_ADDRESS):
            raise SignInRefused(
                "auth.rate_limited",
                "För många misslyckade inloggningar. Vänta 15 minuter och försök igen.")
        account = uow.accounts.by_username(username)
        valid = _verify(account.password_hash if account else _dummy_hash(), password)
        if account is None or not valid or not account.active:
            uow.login_failures.add(username=username, remote_addr=remote_addr, at=now)
            uow.commit()
            raise SignInRefused("auth.invalid", "Fel användarnamn eller lösenord.")
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        uow.login_failures.clear(username)
        uow.web_sessions.purge_before(now - 2 * ABSOLUTE_TIMEOUT)
        uow.web_sessions.add(token_hash=_token_hash(token), account_id=account.id,
                             csrf_token=csrf, at=now, remote_addr=remote_addr)
        if _hasher.check_needs_rehash(account.password_hash):
            uow.accounts.set_password_hash(account.id, _hasher.hash(password))
        uow.commit()
    return SignedIn(token, csrf, account.viewer())


def resume_session(uow_factory: UowFactory, token: str,
                   now: dt.datetime | None = None) -> ActiveSession | None:
    """The session behind a cookie token, or None when it is unknown, ended or timed out
    (a timed-out session is ended so that it cannot come back)."""
    if not token:
        return None
    now = now or utc_now()
    token_hash = _token_hash(token)
    with uow_factory() as uow:
        row = uow.web_sessions.state(token_hash)
        if row is None or row.ended_at is not None:
            return None
        if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > ABSOLUTE_TIMEOUT:
            uow.web_sessions.end(token_hash, now)
            uow.commit()
            return None
        account = row.account
        if account is None or not account.active:
            return None
        csrf = row.csrf_token
        if now - row.last_seen_at > TOUCH_EVERY:
            uow.web_sessions.touch(token_hash, now)
            uow.commit()
    return ActiveSession(account.viewer(), csrf, token_hash)


def sign_out(uow_factory: UowFactory, token: str, now: dt.datetime | None = None) -> None:
    with uow_factory() as uow:
        uow.web_sessions.end(_token_hash(token), now or utc_now())
        uow.commit()
