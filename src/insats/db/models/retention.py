"""Table ``retention_runs``: the log of retention (gallring) runs; append-only.

One row per run that removed or anonymised records: who ran it, when, the date it ran as
of, and per record type the limit applied (with its source), the cutoff date and the
counts. Triggers (migration 0012) refuse UPDATE and DELETE, as on the access log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from insats.db.base import Base, UTCDateTime


class RetentionRunRow(Base):
    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    ran_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ran_by: Mapped[str] = mapped_column(String(100))
    as_of: Mapped[dt.date] = mapped_column(Date)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
