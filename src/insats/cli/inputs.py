"""What the commands share for reading their input: the database from the settings, and
dates typed on the command line."""

from __future__ import annotations

import datetime as dt

from insats.config import get_settings
from insats.domain.common import DomainError
from insats.services.runtime import UowFactory, uow_factory_for


def database() -> UowFactory:
    """Units of work on the database the settings name (INSATS_DATABASE_URL)."""
    return uow_factory_for(get_settings().database_url)


def parse_day(text: str, option: str) -> dt.date:
    """A date written ÅÅÅÅ-MM-DD for ``option``, or a Swedish error naming the option."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError("cli.date",
                          f"{option}: {text!r} är inget datum (ÅÅÅÅ-MM-DD).") from None
