"""Resumable uploads through the API: offsets, resuming, limits, and attachment to the draft."""

from __future__ import annotations

import hashlib
import os

from tests.helpers import create_draft, publish


def start(client, headers, recid, key, size):
    response = client.post(f"/api/records/{recid}/draft/files/{key}/upload", json={"size": size}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def send(client, headers, session, offset, data):
    return client.patch(f"/api/uploads/{session['id']}", content=data, headers={**headers, "Upload-Offset": str(offset)})


def test_chunks_then_publish(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    data = os.urandom(3_000_000)
    session = start(client, owner.headers, draft["id"], "big.bin", len(data))
    assert session["offset"] == 0 and session["size"] == len(data)
    first = send(client, owner.headers, session, 0, data[:1_000_000])
    assert first.status_code == 200 and first.json()["offset"] == 1_000_000
    assert send(client, owner.headers, session, 0, data[:1_000_000]).status_code == 409  # wrong offset
    head = client.head(f"/api/uploads/{session['id']}", headers=owner.headers)
    assert head.headers["upload-offset"] == "1000000" and head.headers["upload-length"] == str(len(data))
    # Asking to start again finds the same session, to resume.
    assert start(client, owner.headers, draft["id"], "big.bin", len(data))["id"] == session["id"]
    send(client, owner.headers, session, 1_000_000, data[1_000_000:2_000_000])
    last = send(client, owner.headers, session, 2_000_000, data[2_000_000:])
    assert last.status_code == 200
    assert last.json()["file"]["checksum"] == "md5:" + hashlib.md5(data).hexdigest()
    assert client.get(f"/api/uploads/{session['id']}", headers=owner.headers).status_code == 404
    assert client.post(f"/api/records/{draft['id']}/draft/files/big.bin/commit", headers=owner.headers).status_code == 200
    record = publish(client, owner.headers, draft["id"])
    assert client.get(f"/api/records/{record['id']}/files/big.bin/content").content == data


def test_limits(client, owner, metadata, ctx, make_account):
    ctx.settings = ctx.settings.with_overrides(max_record_bytes=1000)
    draft = create_draft(client, owner.headers, metadata)
    too_big = client.post(f"/api/records/{draft['id']}/draft/files/a.bin/upload", json={"size": 5000}, headers=owner.headers)
    assert too_big.status_code == 413
    assert client.post(f"/api/records/{draft['id']}/draft/files/a.bin/upload", json={"size": -1}, headers=owner.headers).status_code == 400
    assert client.post(f"/api/records/{draft['id']}/draft/files/..%2Fx/upload", json={"size": 1}, headers=owner.headers).status_code in (400, 404)
    session = start(client, owner.headers, draft["id"], "a.bin", 100)
    assert send(client, owner.headers, session, 0, b"x" * 150).status_code == 413  # more than declared
    assert client.get(f"/api/uploads/{session['id']}", headers=owner.headers).json()["offset"] == 0
    assert client.patch(f"/api/uploads/{session['id']}", content=b"x", headers=owner.headers).status_code == 400  # no offset
    stranger = make_account()
    assert client.get(f"/api/uploads/{session['id']}", headers=stranger.headers).status_code == 404
    assert send(client, stranger.headers, session, 0, b"x").status_code == 404
    assert client.delete(f"/api/uploads/{session['id']}", headers=owner.headers).status_code == 204
    assert client.get(f"/api/uploads/{session['id']}", headers=owner.headers).status_code == 404
    assert [p for p in ctx.files.tmp.iterdir()] == []
