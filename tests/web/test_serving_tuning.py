"""A serving application tunes its process's garbage collection; a test application
(given a database URL, not warmed) leaves it as it is."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from insats.web.app import SERVING_GC_THRESHOLDS, create_app


@pytest.fixture
def _garbage_collection_restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("_garbage_collection_restored")
def test_a_warmed_application_collects_for_serving(database_url: str) -> None:
    gc.unfreeze()
    assert gc.get_threshold() != SERVING_GC_THRESHOLDS
    with TestClient(create_app(database_url, warm=True, jobs_in_process=False)):
        assert gc.get_threshold() == SERVING_GC_THRESHOLDS
        assert gc.get_freeze_count() > 0  # what was alive at start is left out


@pytest.mark.usefixtures("_garbage_collection_restored")
def test_an_application_not_warmed_leaves_collection_alone(database_url: str) -> None:
    gc.unfreeze()
    before = gc.get_threshold()
    with TestClient(create_app(database_url, jobs_in_process=False)) as client:
        assert client.get("/login").status_code == 200
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0
