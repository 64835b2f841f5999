"""Page routes, one module per feature, each exposing ``router``; the JSON API's routers
live in ``insats.web.api``. Both packages are discovered, so a new feature adds a module
and nothing else."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter


def discover(package: str) -> list[APIRouter]:
    module = importlib.import_module(package)
    routers = []
    for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        feature = importlib.import_module(f"{package}.{info.name}")
        router = getattr(feature, "router", None)
        if isinstance(router, APIRouter):
            routers.append(router)
    return routers
