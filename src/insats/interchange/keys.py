"""Stable ids for imported rows, so that importing the same file again finds the same rows.

An imported row's id is derived from the import kind, the source's name and the row's
external id (the file's ``Id`` column): ``<tag>-<external id>`` when the external id is
short and plain (≤ 24 of ``A–Z a–z 0–9 _ . : -``), else ``<tag>#<24 hex digits of its
SHA-256>``. Without an ``Id`` column a natural key stands in (e.g. employee and start).
The tag is 6 hex digits of the SHA-256 of kind and source, so two sources never share ids.
"""

from __future__ import annotations

import hashlib
import re

_PLAIN = re.compile(r"^[A-Za-z0-9_.:\-]{1,24}$")
TAG_LENGTH = 6


def source_tag(kind: str, source: str | None) -> str:
    return hashlib.sha256(f"{kind}\x1f{source or ''}".encode()).hexdigest()[:TAG_LENGTH]


def stable_id(tag: str, external: str) -> str:
    """The stored id (at most 31 characters) of the row with ``external`` id."""
    if _PLAIN.match(external):
        return f"{tag}-{external}"
    return f"{tag}#{hashlib.sha256(external.encode()).hexdigest()[:24]}"


def natural_id(tag: str, *parts: str) -> str:
    """The stored id of a row without an external id, from its natural key."""
    key = "\x1f".join(parts)
    return f"{tag}#{hashlib.sha256(key.encode()).hexdigest()[:24]}"
