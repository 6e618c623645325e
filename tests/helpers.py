"""Small steps the API tests repeat: create a draft, upload, publish."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from starlette.testclient import TestClient

# Ask for InvenioRDM's native record JSON (plain application/json may mean Zenodo's shape).
NATIVE = {"Accept": "application/vnd.inveniordm.v1+json"}


def create_draft(client: TestClient, headers: dict[str, str], metadata: dict[str, Any], **extra: Any) -> dict[str, Any]:
    body = {"metadata": metadata, **extra}
    response = client.post("/api/records", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def upload(client: TestClient, headers: dict[str, str], recid: str, key: str, data: bytes) -> dict[str, Any]:
    """The three-step upload: declare, send content, commit."""
    response = client.post(f"/api/records/{recid}/draft/files", json=[{"key": key}], headers=headers)
    assert response.status_code == 201, response.text
    response = client.put(
        f"/api/records/{recid}/draft/files/{quote(key, safe='')}/content",
        content=data,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 200, response.text
    response = client.post(f"/api/records/{recid}/draft/files/{quote(key, safe='')}/commit", headers=headers)
    assert response.status_code == 200, response.text
    entry = response.json()
    assert entry["checksum"] == "md5:" + hashlib.md5(data).hexdigest()
    return entry


def publish(client: TestClient, headers: dict[str, str], recid: str) -> dict[str, Any]:
    response = client.post(f"/api/records/{recid}/draft/actions/publish", headers=headers)
    assert response.status_code == 202, response.text
    return response.json()


def published_record(client: TestClient, headers: dict[str, str], metadata: dict[str, Any], files: dict[str, bytes] | None = None, **extra: Any) -> dict[str, Any]:
    draft = create_draft(client, headers, metadata, **extra)
    for key, data in (files if files is not None else {"data.csv": b"a,b\n1,2\n"}).items():
        upload(client, headers, draft["id"], key, data)
    return publish(client, headers, draft["id"])
