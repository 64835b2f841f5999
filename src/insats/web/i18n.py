"""Swedish is the source language of the interface; English is a translation.

Templates write Swedish text as ``{{ _("Översikt") }}``; ``locale/en/<feature>.toml`` maps
each Swedish text to English (``"Översikt" = "Overview"``). A text missing from the
catalogue stays Swedish, so a page is never broken by a missing translation.
The language is chosen per browser with the cookie ``insats_lang`` (``sv`` or ``en``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
LANGUAGE_COOKIE = "insats_lang"


@lru_cache(maxsize=4)
def catalogue(language: str) -> dict[str, str]:
    if language == DEFAULT_LANGUAGE:
        return {}
    merged: dict[str, str] = {}
    folder = resources.files("insats.web").joinpath("locale", language)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            merged.update(tomllib.loads(entry.read_text(encoding="utf-8")))
    return merged


def translator(language: str) -> Callable[[str], str]:
    texts = catalogue(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    return lambda text: texts.get(text, text)
