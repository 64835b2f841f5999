"""The committee report's content: period parsing, subjects, formatting, JSON round trip
and hash, and the frozen rule of issued versions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from insats.domain.committee_report import (
    SECTION_BACKGROUND,
    FigureValue,
    IssuedReportFrozen,
    IssuedVersion,
    ReportContent,
    check_subject,
    check_text,
    describe_target,
    format_value,
    month_keys,
    next_version_number,
    period_label,
)
from insats.domain.common import DomainError
from tests.committee_report_builders import sample_content


def test_months_and_their_labels() -> None:
    assert month_keys(dt.date(2025, 11, 1), dt.date(2026, 2, 1)) == (
        "2025-11", "2025-12", "2026-01")
    assert period_label(dt.date(2026, 1, 1), dt.date(2026, 11, 1)) == "januari–oktober 2026"
    assert period_label(dt.date(2026, 3, 1), dt.date(2026, 4, 1)) == "mars 2026"
    assert period_label(dt.date(2025, 11, 1), dt.date(2026, 3, 1)) == (
        "november 2025–februari 2026")


def test_subjects_and_texts() -> None:
    assert check_subject("section:background") == "section:background"
    assert check_subject("action:A01") == "action:A01"
    assert check_subject("figure:overtime_hours") == "figure:overtime_hours"
    for bad in ("section:other", "action:", "client:B1", "x" * 200):
        with pytest.raises(DomainError):
            check_subject(bad)
    assert check_text("  rad 1\r\nrad 2 \n") == "rad 1\nrad 2"
    with pytest.raises(DomainError):
        check_text("x" * 20_001)


def test_values_are_formatted_the_swedish_way_and_small_counts_hidden() -> None:
    assert format_value(FigureValue(Decimal("1234.4")), "tim") == "1\u00a0234\u00a0tim"
    assert format_value(FigureValue(Decimal("8.44")), "%", 1) == "8,4\u00a0%"
    assert format_value(FigureValue(Decimal(-12345)), "kr") == "−12\u00a0345\u00a0kr"
    assert format_value(FigureValue(Decimal("2.46")), "per brukare", 1) == (
        "2,5\u00a0per brukare")
    assert format_value(FigureValue(Decimal(7)), "antal") == "7"
    assert format_value(FigureValue(None, True), "antal") == "<5"
    assert format_value(FigureValue(None), "kr") == "–"


def test_targets_are_described_in_the_figure_s_own_unit() -> None:
    assert describe_target("overtime_hours", Decimal(2120), Decimal(1500),
                           dt.date(2026, 12, 31)) == (
        "Övertid och mertid, timmar: från 2\u00a0120 till 1\u00a0500\u00a0tim senast 2026-12-31")
    sick = describe_target("sick_rate_short_pct", Decimal(7), Decimal(6), dt.date(2026, 12, 31))
    assert sick.endswith("från 7,0 till 6,0\u00a0% senast 2026-12-31")
    assert describe_target("okänd", Decimal(1), Decimal(2), dt.date(2026, 1, 1)) == (
        "okänd: från 1 till 2 senast 2026-01-01")


def test_content_round_trips_through_json_with_the_same_hash() -> None:
    content = sample_content().as_issued(
        number=3, at=dt.datetime(2026, 11, 5, 9, 30, tzinfo=dt.UTC), by="Anna Berg")
    text = content.to_json()
    again = ReportContent.from_json(text)
    assert again == content
    assert again.to_json() == text
    assert again.sha256() == content.sha256()
    assert content.version_line == "Version 3, utfärdad 2026-11-05 av Anna Berg"


def test_texts_are_filled_in_by_subject() -> None:
    content = sample_content().with_texts({SECTION_BACKGROUND: "Ny bakgrund",
                                           "action:A02": "Klart i mars."})
    assert content.section(SECTION_BACKGROUND) == "Ny bakgrund"
    assert [a.comment for a in content.actions] == ["", "Klart i mars."]
    assert content.subjects[:2] == ["section:introduction", "section:background"]
    assert content.subjects[-1] == "section:next_steps"
    assert "figure:overtime_hours" in content.subjects


def test_an_issued_version_is_frozen_and_checked_against_its_hash() -> None:
    content = sample_content()
    version = IssuedVersion("V1", "R1", 1, dt.datetime(2026, 11, 5, tzinfo=dt.UTC), "anna",
                            content.to_json(), content.sha256())
    version.verify()
    assert version.content == content
    with pytest.raises(IssuedReportFrozen):
        version.amend()
    tampered = dataclasses.replace(version, content_json=version.content_json.replace(
        "Bokslutet", "Bokföringen"))
    with pytest.raises(DomainError) as caught:
        tampered.verify()
    assert caught.value.code == "report.tampered"
    assert next_version_number([]) == 1
    assert next_version_number([1, 2]) == 3
