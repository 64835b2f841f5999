"""The frame: sign-in, language, overview and the access log."""

from __future__ import annotations

from tests.web.access_matrix import ALL, Rule

RULES = [
    Rule("GET", "/login", ALL, public=True),
    Rule("POST", "/login", ALL, public=True),
    Rule("GET", "/language/{language}", ALL, params=lambda d: {"language": "en"},
         public=True),
    Rule("GET", "/favicon.ico", ALL, public=True),
    Rule("POST", "/logout", ALL, body=lambda d: {}),
    Rule("GET", "/", ALL),
    Rule("GET", "/audit", frozenset({"avdelningschef"})),
]
