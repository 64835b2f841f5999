"""The overview's figure book: computed once, then served stale while one background
thread recomputes it, so no request waits for a recomputation."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from insats.services import overview


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dt.date]]:
    overview.forget_figures()
    calls: list[dt.date] = []

    def fake_compute(uow: Any, *, on: dt.date, reported_through: dt.date) -> Any:
        calls.append(on)
        return ("book", len(calls))

    monkeypatch.setattr(overview, "compute_book", fake_compute)
    yield calls
    overview.forget_figures()


@contextlib.contextmanager
def _uow() -> Iterator[None]:
    yield None


def test_the_book_is_reused_then_refreshed_in_the_background(
        computations: list[dt.date], monkeypatch: pytest.MonkeyPatch) -> None:
    day, today = dt.date(2026, 10, 31), dt.date(2026, 11, 23)
    first = overview.figure_book(_uow, None, on=day, today=today)  # type: ignore[arg-type]
    again = overview.figure_book(_uow, None, on=day, today=today)  # type: ignore[arg-type]
    assert first == again == ("book", 1) and len(computations) == 1

    monkeypatch.setattr(overview, "BOOK_TTL", 0.0)
    stale = overview.figure_book(_uow, None, on=day, today=today)  # type: ignore[arg-type]
    assert stale == ("book", 1)  # served at once, not recomputed in the request
    for thread in threading.enumerate():
        if thread.name == "insats-figures":
            thread.join(timeout=5)
    monkeypatch.setattr(overview, "BOOK_TTL", 120.0)
    fresh = overview.figure_book(_uow, None, on=day, today=today)  # type: ignore[arg-type]
    assert fresh == ("book", 2) and len(computations) == 2
