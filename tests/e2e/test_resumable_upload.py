"""A resumable upload whose connection is cut in the middle of a chunk, against a real server."""

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
CHUNK = 8 * 1024 * 1024


def test_upload_resumes_after_a_cut_connection(tmp_path):
    instance = tmp_path / "instance"
    token = init_instance(instance)["API token"]
    auth = {"Authorization": f"Bearer {token}"}
    data = os.urandom(3 * CHUNK + 1234)
    with running_server(instance) as server:
        recid = httpx.post(f"{server.url}/api/records", json={"metadata": {"title": "chunks"}}, headers=auth).json()["id"]
        session = httpx.post(f"{server.url}/api/records/{recid}/draft/files/data.bin/upload", json={"size": len(data)}, headers=auth).json()
        url = f"{server.url}/api/uploads/{session['id']}"
        assert httpx.patch(url, content=data[:CHUNK], headers={**auth, "Upload-Offset": "0"}, timeout=60).json()["offset"] == CHUNK
        # The second chunk's connection is cut half-way.
        parsed = urlparse(server.url)
        sock = socket.create_connection((parsed.hostname, parsed.port))
        head = (f"PATCH /api/uploads/{session['id']} HTTP/1.1\r\nHost: {parsed.netloc}\r\nAuthorization: Bearer {token}\r\n"
                f"Upload-Offset: {CHUNK}\r\nContent-Length: {CHUNK}\r\n\r\n")
        sock.sendall(head.encode() + data[CHUNK : CHUNK + CHUNK // 2])
        time.sleep(0.5)
        sock.close()
        # The client asks where to resume; the half chunk was never acknowledged.
        deadline = time.monotonic() + 20
        while True:
            response = httpx.head(url, headers=auth)
            if response.status_code == 200 and response.headers["upload-offset"] == str(CHUNK):
                resend = httpx.patch(url, content=data[CHUNK : 2 * CHUNK], headers={**auth, "Upload-Offset": str(CHUNK)}, timeout=60)
                if resend.status_code == 200:
                    break
            assert time.monotonic() < deadline, response.headers
            time.sleep(0.3)  # the server may still hold the cut chunk's lease for a moment
        done = httpx.patch(url, content=data[2 * CHUNK :], headers={**auth, "Upload-Offset": str(2 * CHUNK)}, timeout=60).json()
        assert done["file"]["checksum"] == "md5:" + hashlib.md5(data).hexdigest()
        content = httpx.get(f"{server.url}/api/records/{recid}/draft/files/data.bin/content", headers=auth, timeout=60).content
        assert hashlib.sha256(content).digest() == hashlib.sha256(data).digest()
