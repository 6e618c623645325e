"""Previews of a published record's files in Chromium (CSV table, PDF in the browser's viewer),
and an XSS corpus in every free-text account field and in file names and contents: no payload
ever runs (no dialog, the ``window.__xss`` canary untouched, no CSP violation reported)."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import quote

import pytest
from tests.browser.conftest import METADATA, Site, publish_record, xss_fired

pytestmark = [pytest.mark.browser, pytest.mark.backend_independent]

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=2;alert(2)">',
    '"><img src=x onerror=window.__xss=3>',
    "<svg onload=window.__xss=4>",
    "javascript:window.__xss=5",
    "' onmouseover='window.__xss=6' x='",
    '<a href="javascript:window.__xss=7">click</a>',
    "<iframe srcdoc='<script>parent.__xss=8</script>'></iframe>",
]
# File keys may not contain "/", so these payloads avoid it.
KEY_PAYLOADS = ['"><img src=x onerror=window.__xss=9>.csv', "<svg onload=window.__xss=10>.txt", "' onmouseover='window.__xss=11' x='.md"]
JOINED = "\n".join(PAYLOADS)

PDF = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj
4 0 obj<</Length 44>>stream
BT /F1 24 Tf 20 100 Td (Hello PDF) Tj ET
endstream endobj
5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj
trailer<</Root 1 0 R>>
%%EOF"""


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n, payload in enumerate(PAYLOADS):
            archive.writestr(f"{n}-{payload}", b"x")
    return buffer.getvalue()


def _notebook() -> bytes:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": JOINED},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": JOINED, "outputs": [
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": JOINED, "application/javascript": "window.__xss=12"}},
            {"output_type": "stream", "name": "stdout", "text": JOINED},
        ]},
    ]}).encode()  # fmt: skip


FILES = {
    "temps.csv": b"station,temp\nA,12.1\nB,13.4\n" + "".join(f'"{p.replace(chr(34), chr(34) * 2)}",1\n' for p in PAYLOADS).encode(),
    "paper.pdf": PDF,
    "notes.txt": JOINED.encode(),
    "README.md": ("# Notes\n\n" + "\n\n".join(PAYLOADS) + "\n\n[link](javascript:window.__xss=13)\n").encode(),
    "data.json": json.dumps({"payloads": PAYLOADS}).encode(),
    "archive.zip": _zip(),
    "notebook.ipynb": _notebook(),
    **{key: JOINED.encode() for key in KEY_PAYLOADS},
}


@pytest.fixture(scope="module")
def record(site: Site) -> dict:
    metadata = {**METADATA, "title": "Readings " + PAYLOADS[2], "description": "<p>" + JOINED + "</p>"}
    return publish_record(site, metadata, FILES)


def _assert_clean(site: Site, page, where: str) -> None:
    page.mouse.move(200, 300)  # hover handlers would fire now
    assert xss_fired(page) == 0, where
    assert site.dialogs == [], where
    assert site.problems == [], f"{where}: {site.problems}"


def test_csv_and_pdf_previews(site: Site, record: dict):
    page = site.new_page()
    page.goto(f"/records/{record['id']}/preview/temps.csv")
    table = page.get_by_role("region", name="Table of temps.csv")
    assert table.get_by_role("columnheader", name="station").is_visible()
    assert table.get_by_role("cell", name="13.4").is_visible()
    assert table.get_by_role("cell", name=PAYLOADS[0]).is_visible()  # shown as text
    site.screenshot(page, "preview-csv")

    page.goto(f"/records/{record['id']}/preview/paper.pdf")
    frame = page.locator("iframe.preview-frame")
    assert frame.get_attribute("src") == f"/api/records/{record['id']}/files/paper.pdf/content"
    # Chromium's PDF viewer is an extension frame inside the iframe: the PDF rendered inline.
    deadline = 50
    while deadline and not any(f.url.startswith("chrome-extension://") for f in page.frames):
        page.wait_for_timeout(100)
        deadline -= 1
    assert any(f.url.startswith("chrome-extension://") for f in page.frames), [f.url for f in page.frames]
    page.wait_for_timeout(500)
    site.screenshot(page, "preview-pdf")
    _assert_clean(site, page, "pdf preview")


def test_no_payload_runs_in_previews_or_listings(site: Site, record: dict):
    page = site.new_page()
    for key in FILES:
        if key == "paper.pdf":
            continue
        page.goto(f"/records/{record['id']}/preview/{quote(key, safe='')}")
        assert page.locator("h1").inner_text() == key
        _assert_clean(site, page, key)
    site.screenshot(page, "preview-notebook-xss")
    page.goto(f"/records/{record['id']}/preview/README.md")
    assert page.locator(".preview-markdown h2").inner_text() == "Notes"
    site.screenshot(page, "preview-markdown")
    for url in ("/", f"/records/{record['id']}"):
        page.goto(url)
        _assert_clean(site, page, url)
    site.screenshot(page, "record")


def test_no_payload_runs_from_account_fields(site: Site):
    site.context.clear_cookies()
    page = site.new_page()
    page.goto("/signup")
    page.get_by_label("E-mail address").fill('"><svg/onload=window.__xss=19>@example.org')
    page.get_by_label("Password").fill("long enough password")
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_text("Enter an e-mail address like").is_visible()  # refused, and shown as text
    _assert_clean(site, page, "sign-up refusal")
    address = "x'onmouseover='window.__xss=20'@example.org"
    page.get_by_label("Your name").fill(PAYLOADS[1])
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Password").fill("long enough password")
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_text("Check your inbox").is_visible()
    _assert_clean(site, page, "sign-up answer")
    page.goto(site.link_for(address.lower(), "/account/confirm"))
    page.get_by_role("button", name="Confirm my address").click()
    page.wait_for_url("**/")
    _assert_clean(site, page, "home, signed in")
    for payload in PAYLOADS:
        page.goto("/account/settings")
        page.get_by_label("Your name").fill(payload)
        page.get_by_role("button", name="Save").click()
        assert page.get_by_label("Your name").input_value() == payload
        page.get_by_text("Account", exact=True).click()
        _assert_clean(site, page, f"settings with name {payload}")
    page.goto("/account/settings/applications")
    for payload in PAYLOADS[:4]:
        page.get_by_label("Name").fill(payload)
        page.get_by_role("button", name="Create token").click()
        assert page.get_by_role("row", name=payload).first.is_visible()
        _assert_clean(site, page, f"token named {payload}")
    site.screenshot(page, "tokens-xss")
    page.goto("/login?next=javascript:window.__xss=30")
    _assert_clean(site, page, "login with a javascript: next")
