"""The API with files in an S3-compatible store (a real S3 API server): upload, publish, download."""

from __future__ import annotations

import hashlib
import os

import pytest
from starlette.testclient import TestClient

from tests.helpers import create_draft, publish, upload
from tests.storage.conftest import make_s3_store


@pytest.fixture
def s3_client(ctx, s3_endpoint):
    from callimachus.app import create_app

    ctx.files = make_s3_store(s3_endpoint)
    with TestClient(create_app(ctx=ctx), base_url="http://testserver") as client:
        yield client


def test_deposit_and_download_through_s3(s3_client, owner, metadata, ctx):
    data = os.urandom(10 * 1024 * 1024)
    draft = create_draft(s3_client, owner.headers, metadata)
    upload(s3_client, owner.headers, draft["id"], "big.bin", data)
    record = publish(s3_client, owner.headers, draft["id"])
    response = s3_client.get(f"/api/records/{record['id']}/files/big.bin/content")
    assert hashlib.sha256(response.content).digest() == hashlib.sha256(data).digest()
    part = s3_client.get(f"/api/records/{record['id']}/files/big.bin/content", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == data[100:200]
    assert [k for k, _ in ctx.files.iter_keys()] == [f"blobs/{hashlib.sha256(data).hexdigest()[:2]}/{hashlib.sha256(data).hexdigest()[2:4]}/{hashlib.sha256(data).hexdigest()}"]
