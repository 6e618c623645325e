"""A server killed with SIGKILL in the middle of an upload: nothing half-written is ever visible,
counted, or kept; after a restart the client's retry of the same key succeeds."""

from __future__ import annotations

import hashlib
import os
import socket
import time
from urllib.parse import urlparse

import httpx
import pytest

from tests.e2e.server import init_instance, running_server

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]
SIZE = 50 * 1024 * 1024
QUOTA = 55 * 1024 * 1024  # a counted partial upload would leave too little room for the retry


def staging(instance):
    return [p for p in (instance / "files" / "tmp").iterdir()]


def blobs(instance):
    return [p for p in (instance / "files" / "blobs").rglob("*") if p.is_file()]


def test_sigkill_during_upload(tmp_path):
    instance = tmp_path / "instance"
    env = {"CALLIMACHUS_MAX_RECORD_BYTES": str(QUOTA)}
    token = init_instance(instance, **env)["API token"]
    auth = {"Authorization": f"Bearer {token}"}
    payload = os.urandom(SIZE)
    with running_server(instance, **env) as server:
        draft = httpx.post(f"{server.url}/api/records", json={"metadata": {"title": "interrupted"}}, headers=auth).json()
        recid = draft["id"]
        assert httpx.post(f"{server.url}/api/records/{recid}/draft/files", json=[{"key": "big.bin"}], headers=auth).status_code == 201
        # Send the headers and half the body by hand, then kill the server mid-transfer.
        parsed = urlparse(server.url)
        sock = socket.create_connection((parsed.hostname, parsed.port))
        head = (
            f"PUT /api/records/{recid}/draft/files/big.bin/content HTTP/1.1\r\nHost: {parsed.netloc}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\nContent-Length: {SIZE}\r\n\r\n"
        )
        sock.sendall(head.encode() + payload[: SIZE // 2])
        deadline = time.monotonic() + 30
        while not any(p.stat().st_size > 0 for p in staging(instance)):
            assert time.monotonic() < deadline, "the upload never reached the server's staging area"
            time.sleep(0.05)
        server.kill()
        sock.close()
    assert blobs(instance) == []  # nothing was promoted or committed

    with running_server(instance, **env) as server:
        assert staging(instance) == []  # the half-received bytes are gone after restart
        listing = httpx.get(f"{server.url}/api/records/{recid}/draft/files", headers=auth).json()
        (entry,) = listing["entries"]
        assert entry["key"] == "big.bin" and entry["status"] == "pending" and "checksum" not in entry
        assert httpx.get(f"{server.url}/api/records/{recid}/draft/files/big.bin/content", headers=auth).status_code == 404
        retry = httpx.put(f"{server.url}/api/records/{recid}/draft/files/big.bin/content", content=payload, headers=auth, timeout=120)
        assert retry.status_code == 200, retry.text
        done = httpx.post(f"{server.url}/api/records/{recid}/draft/files/big.bin/commit", headers=auth).json()
        assert done["checksum"] == "md5:" + hashlib.md5(payload).hexdigest()
        assert done["size"] == SIZE
        downloaded = httpx.get(f"{server.url}/api/records/{recid}/draft/files/big.bin/content", headers=auth, timeout=120).content
        assert hashlib.sha256(downloaded).digest() == hashlib.sha256(payload).digest()
