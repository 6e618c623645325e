"""The embedded server lifts embargoes by itself: its in-process runner runs the job."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import MINIMAL_METADATA
from tests.e2e.server import init_instance, running_server

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]
NATIVE = {"Accept": "application/vnd.inveniordm.v1+json"}


def test_server_lifts_embargo_on_its_own(tmp_path):
    instance = tmp_path / "instance"
    env = {"CALLIMACHUS_EMBARGO_JOB_SECONDS": "0.5"}
    auth = {"Authorization": f"Bearer {init_instance(instance, **env)['API token']}"}
    with running_server(instance, **env) as server:
        until = (datetime.now(UTC) + timedelta(seconds=2)).replace(microsecond=0).isoformat()
        access = {"record": "restricted", "files": "restricted", "embargo": {"active": True, "until": until}}
        draft = httpx.post(f"{server.url}/api/records", json={"metadata": MINIMAL_METADATA, "access": access}, headers=auth).json()
        recid = draft["id"]
        httpx.post(f"{server.url}/api/records/{recid}/draft/files", json=[{"key": "a.txt"}], headers=auth)
        httpx.put(f"{server.url}/api/records/{recid}/draft/files/a.txt/content", content=b"later", headers=auth)
        httpx.post(f"{server.url}/api/records/{recid}/draft/files/a.txt/commit", headers=auth)
        assert httpx.post(f"{server.url}/api/records/{recid}/draft/actions/publish", headers=auth).status_code == 202
        assert httpx.get(f"{server.url}/api/records/{recid}").status_code == 404
        deadline = time.monotonic() + 20
        while True:
            seen = httpx.get(f"{server.url}/api/records/{recid}", headers={**auth, **NATIVE}).json()
            if seen["access"]["record"] == "public":  # stored state changed: the job ran
                break
            assert time.monotonic() < deadline, seen["access"]
            time.sleep(0.3)
        assert seen["access"]["files"] == "public" and seen["access"]["status"] == "open"
        assert httpx.get(f"{server.url}/api/records/{recid}/files/a.txt/content").content == b"later"
