"""The English catalogue: one translation per Swedish text across all feature files."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from importlib import resources


def test_no_swedish_text_has_two_english_translations() -> None:
    folder = resources.files("insats.web").joinpath("locale", "en")
    translations: dict[str, set[str]] = defaultdict(set)
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            for swedish, english in tomllib.loads(entry.read_text(encoding="utf-8")).items():
                translations[swedish].add(english)
    clashes = {k: v for k, v in translations.items() if len(v) > 1}
    assert clashes == {}
