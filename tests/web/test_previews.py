"""File previews of every kind, their size limits and bad inputs, and the access rule."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from urllib.parse import quote

import pytest

from callimachus.web.pages import previewers
from tests.helpers import create_draft, published_record, upload
from tests.web.helpers import HTML, new_client

XSS = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"content of " + name.encode())
    return buffer.getvalue()


NOTEBOOK = {
    "nbformat": 4, "nbformat_minor": 5, "metadata": {},
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Analysis\n", "<script>alert(3)</script> [x](javascript:alert(4))"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["print('<b>hi</b>')"], "outputs": [
            {"output_type": "stream", "name": "stdout", "text": ["<b>hi</b>\n"]},
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<script>alert(5)</script>"], "application/javascript": "alert(6)", "text/plain": ["<HTML object>"]}},
            {"output_type": "display_data", "metadata": {}, "data": {"image/png": base64.b64encode(PNG).decode(), "text/plain": ["<Figure>"]}},
        ]},
    ],
}  # fmt: skip

FILES = {
    "table.csv": ("station,temp\n" + "".join(f"S{i},{i}.5\n" for i in range(150)) + f"X,{XSS}\n").encode(),
    "table.tsv": b"a\tb\nleft\tright\n",
    "analysis.py": f"print('{XSS}')\n".encode(),
    "README.md": f"# Title\n\nSome *text* and [a link](https://example.org) and [bad](javascript:alert(1)).\n\n{XSS}\n\n![img](https://example.org/x.png)\n".encode(),
    "data.json": json.dumps({"a": [1, 2], "html": XSS}).encode(),
    "broken.json": b'{"a": [1, 2',
    "archive.zip": _zip(["folder/", "folder/data.csv", f"{XSS}.txt"]),
    "broken.zip": b"PK\x03\x04 not really a zip",
    "notebook.ipynb": json.dumps(NOTEBOOK).encode(),
    "picture.png": PNG,
    "paper.pdf": b"%PDF-1.4\n%%EOF\n",
    "blob.bin": bytes(range(256)) * 4,
    "NOTES": b"plain text without an extension\n",
    "empty.txt": b"",
}


@pytest.fixture
def record(client, owner, metadata):
    return published_record(client, owner.headers, metadata, files=FILES)


def _preview(client, recid, key, **params):
    return client.get(f"/records/{recid}/preview/{quote(key, safe='')}", params=params, headers=HTML)


def _no_markup_from(text: str) -> None:
    """None of the payloads became markup: they only ever appear escaped."""
    for raw in ("<script>alert", "<img src=x", "onerror=alert(1)>", "href=\"javascript"):
        assert raw not in text, raw


def test_every_kind_of_preview(client, record):
    recid = record["id"]
    pages = {key: _preview(client, recid, key) for key in FILES}
    assert all(p.status_code == 200 for p in pages.values()), {k: p.status_code for k, p in pages.items()}
    for page in pages.values():
        _no_markup_from(page.text.replace('<script src="/static/site.js', ""))
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
    csv_page = pages["table.csv"].text
    assert "<th scope=\"col\">station</th>" in csv_page and "<td>S0</td>" in csv_page and "Showing the first 100 rows." in csv_page
    assert "<td>right</td>" in pages["table.tsv"].text
    assert "print(&#39;&#34;&gt;&lt;img" in pages["analysis.py"].text
    readme = pages["README.md"].text
    assert "<h2>Title</h2>" in readme and "<em>text</em>" in readme
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">a link</a>' in readme
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in readme and "example.org/x.png" not in readme
    assert "&#34;a&#34;: [\n    1," in pages["data.json"].text
    assert "not valid JSON" in pages["broken.json"].text and "{&#34;a&#34;: [1, 2" in pages["broken.json"].text
    archive = pages["archive.zip"].text
    assert "3 entries" in archive and "folder/data.csv" in archive and "&#34;&gt;&lt;img src=x" in archive
    assert "not a valid ZIP archive" in pages["broken.zip"].text
    notebook = pages["notebook.ipynb"].text
    assert "<h2>Analysis</h2>" in notebook and "&lt;b&gt;hi&lt;/b&gt;" in notebook and "data:image/png;base64," in notebook
    assert "alert(5)" not in notebook and "alert(6)" not in notebook and "&lt;HTML object&gt;" in notebook  # plain text only
    assert f'<img class="preview-image" src="/api/records/{recid}/files/picture.png/content"' in pages["picture.png"].text
    assert f'<iframe class="preview-frame" src="/api/records/{recid}/files/paper.pdf/content"' in pages["paper.pdf"].text
    assert "There is no preview for files of this type." in pages["blob.bin"].text
    assert "plain text without an extension" in pages["NOTES"].text
    assert f'href="/api/records/{recid}/files/blob.bin/content?download=1"' in pages["blob.bin"].text


def test_size_limits(client, owner, metadata):
    big_text = b"line of text\n" * 30_000  # 390 kB: only the first 256 KiB are shown
    big_json = b"[" + b"1," * 1_100_000 + b"1]"  # over 2 MiB: not parsed at all
    record = published_record(client, owner.headers, metadata, files={"big.txt": big_text, "big.json": big_json, "wide.csv": b"x\n" * 50_000})
    text = _preview(client, record["id"], "big.txt").text
    assert "Showing the first 256 KiB." in text and text.count("line of text") == 256 * 1024 // 13
    too_large = _preview(client, record["id"], "big.json").text
    assert "too large to preview" in too_large and "?download=1" in too_large
    assert "Showing the first 100 rows." in _preview(client, record["id"], "wide.csv").text


def test_previews_follow_the_download_rule(client, owner, metadata, make_account):
    hidden = published_record(client, owner.headers, metadata, files={"secret.csv": b"top,secret\n"}, access={"record": "public", "files": "restricted"})
    anonymous = new_client(client.app)
    missing = anonymous.get(f"/records/{hidden['id']}/preview/nothing.csv", headers=HTML)
    refused = anonymous.get(f"/records/{hidden['id']}/preview/secret.csv", headers=HTML)
    assert refused.status_code == missing.status_code == 404
    assert refused.text.replace("secret.csv", "nothing.csv") == missing.text
    assert "top" not in refused.text
    stranger = make_account()
    assert client.get(f"/records/{hidden['id']}/preview/secret.csv", headers={**HTML, **stranger.headers}).status_code == 404
    allowed = client.get(f"/records/{hidden['id']}/preview/secret.csv", headers={**HTML, **owner.headers})
    assert allowed.status_code == 200 and "<td>secret</td>" not in allowed.text and "<th scope=\"col\">secret</th>" in allowed.text
    assert allowed.headers["cache-control"] == "private, no-store"


def test_draft_previews(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "draft.csv", b"draft,only\n")
    url = f"/records/{draft['id']}/preview/draft.csv"
    owned = client.get(url, params={"preview": "1"}, headers={**HTML, **owner.headers})
    assert owned.status_code == 200 and "only" in owned.text
    assert f"/api/records/{draft['id']}/draft/files/draft.csv/content" in owned.text
    assert new_client(client.app).get(url, params={"preview": "1"}, headers=HTML).status_code == 404
    assert client.get(url, headers={**HTML, **owner.headers}).status_code == 404  # not published


def test_bad_record_ids_and_keys(client, record):
    assert client.get("/records/abc/preview/x.csv", headers=HTML).status_code == 404
    assert client.get(f"/records/{record['id']}/preview/folder%2Fdata.csv", headers=HTML).status_code == 404
    assert client.get(f"/records/{record['id']}/preview/nothing.csv", headers=HTML).status_code == 404


@pytest.mark.backend_independent
@pytest.mark.parametrize(
    ("key", "mimetype", "kind"),
    [
        ("a.CSV", "", "csv"), ("a.tab", "", "tsv"), ("x.svg", "image/svg+xml", "image"), ("x.tiff", "image/tiff", "sniff"),
        ("Makefile", "", "text"), ("x.geojson", "", "text"), ("x.unknown", "application/octet-stream", "sniff"),
        ("x", "application/ld+json", "json"), ("x.ipynb", "", "notebook"), ("paper.PDF", "", "pdf"),
    ],
)  # fmt: skip
def test_kinds(key, mimetype, kind):
    assert previewers.kind_for(key, mimetype) == kind


@pytest.mark.backend_independent
def test_zip_bombs_are_not_listed_and_deep_json_is_refused():
    many = previewers.zip_preview(io.BytesIO(_zip([f"f{i}" for i in range(30)])), len(_zip([f"f{i}" for i in range(30)])), previewers.Limits(zip_max_entries=20))
    assert many.kind == "too_large"
    assert previewers.zip_preview(io.BytesIO(b"x" * 100), 100).kind == "invalid"
    deep = previewers.render("json", b"[" * 100_000 + b"]" * 100_000, truncated=False)
    assert deep.kind in ("text", "invalid")


@pytest.mark.backend_independent
def test_markdown_is_sanitised():
    html = str(previewers.render_markdown('<svg onload="alert(1)"></svg>\n\n[x](javascript:alert(1)) <a href="x" onclick="y">z</a>\n\n| a |\n|---|\n| <b>1</b> |'))
    assert "<svg" not in html and not re.search(r"<[^>]+\son\w+=", html) and 'href="javascript' not in html
    assert "<table>" in html and "&lt;b&gt;1&lt;/b&gt;" in html
    dirty = str(previewers.sanitize_markdown_html('<p onclick="x">a</p><img src=x onerror=y><a href="javascript:z">b</a><style>p{}</style>'))
    assert dirty == "<p>a</p><a rel=\"nofollow noopener noreferrer\">b</a>"
