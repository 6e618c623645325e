"""Files: upload steps, keys, quotas, and downloads (Range, ETag, disposition, no inline HTML)."""

from __future__ import annotations

import hashlib
import os
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from callimachus.db.models import Blob, FileObject
from tests.helpers import create_draft, published_record, upload


def rows(ctx, model) -> int:
    with ctx.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)))


def blob_files(ctx) -> list[str]:
    root = ctx.files.root / "blobs"
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


def staging_files(ctx) -> list[str]:
    return sorted(p.name for p in ctx.files.tmp.iterdir())


def test_three_step_upload_reports_checksums(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    declared = client.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": "a.csv"}, {"key": "b.txt"}], headers=owner.headers)
    assert declared.status_code == 201
    entries = {e["key"]: e for e in declared.json()["entries"]}
    assert entries["a.csv"]["status"] == "pending" and "checksum" not in entries["a.csv"]
    assert entries["a.csv"]["links"]["content"].endswith(f"/api/records/{draft['id']}/draft/files/a.csv/content")
    data = os.urandom(300_000)
    put = client.put(f"/api/records/{draft['id']}/draft/files/a.csv/content", content=data, headers=owner.headers)
    assert put.status_code == 200
    assert put.json()["status"] == "pending"
    done = client.post(f"/api/records/{draft['id']}/draft/files/a.csv/commit", headers=owner.headers).json()
    assert done["status"] == "completed"
    assert done["checksum"] == "md5:" + hashlib.md5(data).hexdigest()
    assert done["size"] == len(data)
    assert done["mimetype"] == "text/csv"
    with_sha = client.get(f"/api/records/{draft['id']}/draft/files/a.csv/content", headers=owner.headers)
    assert with_sha.content == data


def test_commit_without_content_is_refused(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    client.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": "a.csv"}], headers=owner.headers)
    response = client.post(f"/api/records/{draft['id']}/draft/files/a.csv/commit", headers=owner.headers)
    assert response.status_code == 400
    assert "No content" in response.json()["message"]


def test_unicode_keys_round_trip(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    key = "données météo 2024 ✓ – 北京.csv"
    upload(client, owner.headers, draft["id"], key, b"x,y\n")
    listing = client.get(f"/api/records/{draft['id']}/draft/files", headers=owner.headers).json()
    assert [e["key"] for e in listing["entries"]] == [key]
    content = client.get(f"/api/records/{draft['id']}/draft/files/{quote(key, safe='')}/content", headers=owner.headers)
    assert content.content == b"x,y\n"
    assert "filename*=UTF-8''" + quote(key, safe="") in content.headers["content-disposition"]


@pytest.mark.parametrize("key", ["../x", "/etc/passwd", "a/b", "a\\b", "nul\x00byte", "..", ".", " padded ", "tab\tkey"])
def test_keys_that_could_escape_are_refused(client, owner, metadata, ctx, key):
    draft = create_draft(client, owner.headers, metadata)
    before = rows(ctx, FileObject)
    response = client.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": key}], headers=owner.headers)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["field"] == "0.key"
    assert rows(ctx, FileObject) == before


def test_duplicate_keys_are_refused(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "a.txt", b"1")
    response = client.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": "a.txt"}], headers=owner.headers)
    assert response.status_code == 400
    assert "already exists" in str(response.json()["errors"])


def test_storage_path_never_derives_from_the_key(client, owner, metadata, ctx):
    draft = create_draft(client, owner.headers, metadata)
    data = b"content addressed"
    upload(client, owner.headers, draft["id"], "secret-name.txt", data)
    stored = blob_files(ctx)
    assert stored == [str(ctx.files.root / "blobs" / hashlib.sha256(data).hexdigest()[:2] / hashlib.sha256(data).hexdigest()[2:4] / hashlib.sha256(data).hexdigest())]
    assert all("secret-name" not in path for path in stored)


def test_upload_past_quota_is_refused_while_streaming(client, owner, metadata, ctx):
    ctx.settings = ctx.settings.with_overrides(max_record_bytes=1_000_000)
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "first.bin", os.urandom(600_000))
    client.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": "second.bin"}], headers=owner.headers)
    before_blobs = blob_files(ctx)

    def body():  # no Content-Length: the limit must hold while streaming
        for _ in range(20):
            yield os.urandom(100_000)

    response = client.put(f"/api/records/{draft['id']}/draft/files/second.bin/content", content=body(), headers=owner.headers)
    assert response.status_code == 413, response.text
    assert "exceeds" in response.json()["message"]
    assert blob_files(ctx) == before_blobs
    assert staging_files(ctx) == []
    listing = client.get(f"/api/records/{draft['id']}/draft/files", headers=owner.headers).json()
    second = next(e for e in listing["entries"] if e["key"] == "second.bin")
    assert "checksum" not in second and second["status"] == "pending"


def test_declared_length_past_quota_is_refused_before_reading(client, owner, metadata, ctx):
    ctx.settings = ctx.settings.with_overrides(max_record_bytes=1000)
    draft = create_draft(client, owner.headers, metadata)
    client.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": "big.bin"}], headers=owner.headers)
    response = client.put(f"/api/records/{draft['id']}/draft/files/big.bin/content", content=b"x" * 5000, headers=owner.headers)
    assert response.status_code == 413
    assert rows(ctx, Blob) == 0


def test_file_count_limit(client, owner, metadata, ctx):
    ctx.settings = ctx.settings.with_overrides(max_record_files=3)
    draft = create_draft(client, owner.headers, metadata)
    ok = client.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": f"{i}.txt"} for i in range(3)], headers=owner.headers)
    assert ok.status_code == 201
    response = client.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": "4.txt"}], headers=owner.headers)
    assert response.status_code == 400
    assert "at most 3 files" in str(response.json()["errors"])


def test_replacing_content_does_not_count_twice(client, owner, metadata, ctx):
    ctx.settings = ctx.settings.with_overrides(max_record_bytes=1000)
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "a.bin", b"x" * 800)
    response = client.put(f"/api/records/{draft['id']}/draft/files/a.bin/content", content=b"y" * 900, headers=owner.headers)
    assert response.status_code == 200, response.text


def test_delete_draft_file(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "a.txt", b"1")
    assert client.delete(f"/api/records/{draft['id']}/draft/files/a.txt", headers=owner.headers).status_code == 204
    assert client.get(f"/api/records/{draft['id']}/draft/files/a.txt", headers=owner.headers).status_code == 404


def test_same_bytes_share_one_blob(client, owner, metadata, ctx):
    data = b"shared bytes"
    for _ in range(2):
        draft = create_draft(client, owner.headers, metadata)
        upload(client, owner.headers, draft["id"], "same.txt", data)
    assert rows(ctx, Blob) == 1
    assert rows(ctx, FileObject) == 2


# --- downloads -------------------------------------------------------------------------------


@pytest.fixture
def record_with_files(client, owner, metadata):
    files = {
        "data.bin": bytes(range(256)) * 40,
        "page.html": b"<script>alert(1)</script>",
        "image.svg": b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        "notes.xml": b"<a/>",
        "run.js": b"alert(1)",
        "paper.pdf": b"%PDF-1.4 fake",
    }
    return published_record(client, owner.headers, metadata, files=files), files


def test_download_whole_file(client, record_with_files):
    record, files = record_with_files
    response = client.get(f"/api/records/{record['id']}/files/data.bin/content")
    assert response.status_code == 200
    assert response.content == files["data.bin"]
    assert response.headers["etag"] == f'"{hashlib.md5(files["data.bin"]).hexdigest()}"'
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-length"] == str(len(files["data.bin"]))


@pytest.mark.parametrize(("header", "start", "end"), [("bytes=0-99", 0, 99), ("bytes=1000-", 1000, 10239), ("bytes=-10", 10230, 10239), ("bytes=10000-99999", 10000, 10239)])
def test_download_ranges(client, record_with_files, header, start, end):
    record, files = record_with_files
    response = client.get(f"/api/records/{record['id']}/files/data.bin/content", headers={"Range": header})
    assert response.status_code == 206
    assert response.content == files["data.bin"][start : end + 1]
    assert response.headers["content-range"] == f"bytes {start}-{end}/{len(files['data.bin'])}"


def test_unsatisfiable_range(client, record_with_files):
    record, files = record_with_files
    response = client.get(f"/api/records/{record['id']}/files/data.bin/content", headers={"Range": "bytes=99999-"})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(files['data.bin'])}"


def test_if_none_match_gives_304(client, record_with_files):
    record, _ = record_with_files
    url = f"/api/records/{record['id']}/files/data.bin/content"
    etag = client.get(url).headers["etag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("key", ["page.html", "image.svg", "notes.xml", "run.js"])
def test_active_content_is_always_an_attachment(client, record_with_files, key):
    record, _ = record_with_files
    response = client.get(f"/api/records/{record['id']}/files/{key}/content")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["content-security-policy"]


def test_pdf_is_inline_unless_download_asked(client, record_with_files):
    record, _ = record_with_files
    url = f"/api/records/{record['id']}/files/paper.pdf/content"
    assert client.get(url).headers["content-disposition"].startswith("inline;")
    assert client.get(url + "?download=1").headers["content-disposition"].startswith("attachment;")


def test_record_files_listing(client, record_with_files):
    record, files = record_with_files
    listing = client.get(f"/api/records/{record['id']}/files").json()
    assert sorted(e["key"] for e in listing["entries"]) == sorted(files)
    one = client.get(f"/api/records/{record['id']}/files/data.bin").json()
    assert one["checksum"] == "md5:" + hashlib.md5(files["data.bin"]).hexdigest()
    assert client.get(f"/api/records/{record['id']}/files/nope.txt").status_code == 404
