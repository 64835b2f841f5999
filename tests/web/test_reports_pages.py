"""The committee-report pages on the demo department: a draft made through the form, a
text saved and a stale save answered with 409 on the page, the preview, issuing with the
page's stamp, the issued PDF for the committee (who never sees the draft's texts), a unit
manager refused outside their units, and the pages' English texts.

Each test makes its own report (the demo database is shared by the web tests); issued
versions cannot be deleted, so they stay.
"""

from __future__ import annotations

import re
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import DemoWeb

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("job_worker")]

REPORT_URL = re.compile(r"/reports/(R[0-9a-f]{12})")
JOB_URL = re.compile(r"\?job=(J[0-9a-f]{12})$")


def _create(client: TestClient, *, unit: str = "avdelningen", title: str = "") -> str:
    response = client.post("/reports", data={
        "start": "2026-08", "end": "2026-10", "unit": unit, "title": title,
        "diarienummer": "2026.777 VON", "csrf_token": client.csrf},  # type: ignore[attr-defined]
        follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    match = REPORT_URL.search(response.headers["location"])
    assert match
    return match.group(1)


def _version_of(html: str, subject: str) -> str:
    match = re.search(rf'name="subject" value="{re.escape(subject)}">\s*'
                      r'<input type="hidden" name="version" value="(\d+)">', html)
    assert match, subject
    return match.group(1)


def _wait_until_issued(client: TestClient, report_id: str, job_id: str,
                       limit: float = 120.0) -> str:
    """Poll the issue job's partial like the page does; the URL it moves the page to."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        partial = client.get(f"/reports/{report_id}/issuing/{job_id}",
                             headers={"HX-Request": "true"})
        assert partial.status_code == 200
        if "HX-Redirect" in partial.headers:
            return partial.headers["HX-Redirect"]
        assert "Rapporten utfärdades inte" not in partial.text, partial.text
        assert 'hx-trigger="every 2s"' in partial.text
        time.sleep(0.3)
    raise AssertionError(f"the issue job {job_id} did not end within {limit} s")


def test_write_save_preview_and_issue(signed_in: Callable[[str], TestClient]) -> None:
    head = signed_in("avdelningschef")
    report_id = _create(head, title="Återrapportering webbtest")
    page = head.get(f"/reports/{report_id}?notice=created")
    assert page.status_code == 200
    assert "Utkastet är skapat" in page.text and "2026.777 VON" in page.text
    assert 'name="subject" value="figure:overtime_hours"' in page.text
    assert "augusti–oktober 2026" in page.text

    version = _version_of(page.text, "section:background")
    saved = head.post(f"/reports/{report_id}/texts", data={
        "subject": "section:background", "text": "Bakgrunden från webben.",
        "version": version, "csrf_token": head.csrf},  # type: ignore[attr-defined]
        follow_redirects=False)
    assert saved.status_code == 303
    stale = head.post(f"/reports/{report_id}/texts", data={
        "subject": "section:background", "text": "En annan text.", "version": version,
        "csrf_token": head.csrf})  # type: ignore[attr-defined]
    assert stale.status_code == 409
    assert "har ändrats av någon annan" in stale.text

    preview = head.get(f"/reports/{report_id}/preview")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    assert preview.headers["content-type"] == "application/pdf"
    sheet = head.get(f"/reports/{report_id}/preview?format=xlsx")
    assert sheet.content.startswith(b"PK")

    page = head.get(f"/reports/{report_id}")
    stamp = re.search(r'name="stamp" value="([^"]+)"', page.text)
    assert stamp
    issued = head.post(f"/reports/{report_id}/issue", data={
        "stamp": stamp.group(1), "csrf_token": head.csrf},  # type: ignore[attr-defined]
        follow_redirects=False)
    assert issued.status_code == 303
    job = JOB_URL.search(issued.headers["location"])
    assert job, issued.headers["location"]
    waiting = head.get(issued.headers["location"])
    assert "Utfärda version 1" not in waiting.text  # no second issue while one runs
    page = head.get(_wait_until_issued(head, report_id, job.group(1)))
    assert "Rapporten är utfärdad" in page.text
    assert f"/reports/{report_id}/versions/1/pdf" in page.text
    assert "Utfärda version 2" in page.text

    committee = signed_in("namnd")
    listed = committee.get("/reports")
    assert "Återrapportering webbtest" in listed.text
    seen = committee.get(f"/reports/{report_id}")
    assert seen.status_code == 200
    assert "Bakgrunden från webben." not in seen.text  # drafts' texts are not shown
    assert "<textarea" not in seen.text
    pdf = committee.get(f"/reports/{report_id}/versions/1/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert committee.get(f"/reports/{report_id}/preview").status_code == 403


def test_the_document_block_is_edited_with_its_version(
        signed_in: Callable[[str], TestClient]) -> None:
    head = signed_in("avdelningschef")
    report_id = _create(head)
    page = head.get(f"/reports/{report_id}")
    version = re.search(r'action="/reports/[^"]+/header"[^>]*>\s*<input type="hidden" '
                        r'name="csrf_token" value="[^"]+">\s*<input type="hidden" '
                        r'name="version" value="(\d+)">', page.text)
    assert version
    fields = {"title": "Återrapportering med nytt diarienummer",
              "document_type": "Återrapportering", "deciding_body": "Vård- och omsorgsnämnden",
              "diarienummer": "2026.888 VON", "validity": "Tills vidare",
              "responsible": "AC Pers. assistans och stöd", "version": version.group(1),
              "csrf_token": head.csrf}  # type: ignore[attr-defined]
    saved = head.post(f"/reports/{report_id}/header", data=fields, follow_redirects=False)
    assert saved.status_code == 303
    page = head.get(saved.headers["location"])
    assert "Dokumentuppgifterna är sparade." in page.text and "2026.888 VON" in page.text
    stale = head.post(f"/reports/{report_id}/header", data=fields)
    assert stale.status_code == 409 and "har ändrats av någon annan" in stale.text


def test_a_stale_issue_is_refused_on_the_page(signed_in: Callable[[str], TestClient]) -> None:
    head = signed_in("avdelningschef")
    report_id = _create(head)
    refused = head.post(f"/reports/{report_id}/issue", data={
        "stamp": "gammal", "csrf_token": head.csrf})  # type: ignore[attr-defined]
    assert refused.status_code == 409
    assert "Texterna har ändrats sedan sidan laddades" in refused.text
    assert "Ingen version är utfärdad ännu." in refused.text


def test_drafts_are_for_their_writers(demo_web: DemoWeb,
                                      signed_in: Callable[[str], TestClient]) -> None:
    manager = signed_in("enhetschef")
    refused = manager.post("/reports", data={
        "start": "2026-08", "end": "2026-10", "unit": "avdelningen",
        "csrf_token": manager.csrf})  # type: ignore[attr-defined]
    assert refused.status_code == 403
    own = _create(manager, unit=demo_web.own_unit_id)
    assert manager.get(f"/reports/{own}").status_code == 200
    assert signed_in("enhetschef2").get(f"/reports/{own}/preview").status_code == 403
    assert signed_in("samordnare").get(f"/reports/{own}").status_code == 404  # a draft
    bad = manager.post("/reports", data={"start": "2026-10", "end": "2026-08",
                                         "unit": demo_web.own_unit_id,
                                         "csrf_token": manager.csrf})  # type: ignore[attr-defined]
    assert bad.status_code == 400 and "den sista månaden är före den första" in bad.text


def test_every_text_of_the_pages_has_an_english_translation() -> None:
    root = Path(__file__).parents[2] / "src" / "insats" / "web"
    catalogue = tomllib.loads((root / "locale" / "en" / "reports.toml").read_text())
    for template in (root / "templates" / "reports").glob("*.html"):
        texts = [a or b for a, b in re.findall(r'_\("([^"]+)"\)|_\(\'([^\']+)\'\)',
                                                template.read_text())]
        assert texts and [t for t in texts if t not in catalogue] == [], template.name
