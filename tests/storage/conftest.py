"""A real S3 API (moto's server) on 127.0.0.1, and both stores under one contract."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from callimachus.storage.local import LocalFileStore
from callimachus.storage.s3 import S3FileStore
from tests.e2e.server import free_port


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def make_s3_store(endpoint: str) -> S3FileStore:
    store = S3FileStore.from_url(f"s3://testing:testing@bucket-{uuid.uuid4().hex[:12]}?endpoint_url={endpoint}&region=us-east-1")
    store.ensure_bucket()
    return store


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "local":
        return LocalFileStore(tmp_path / "files")
    return make_s3_store(request.getfixturevalue("s3_endpoint"))
