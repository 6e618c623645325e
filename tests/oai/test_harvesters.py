"""Real harvesters from PyPI against a real ``callimachus serve`` process: Sickle and
oaipmh-scythe (GET) and pyoai's maintained fork ``oaipmh`` (POST) harvest every record in every
metadata prefix, follow resumption tokens, see deletions, and harvest incrementally with ``from``."""

from __future__ import annotations

import time
from datetime import datetime

import httpx
import pytest
from oaipmh.client import Client as PyoaiClient
from oaipmh.metadata import MetadataRegistry
from oaipmh_scythe import Scythe
from sickle import Sickle

from tests.e2e.server import init_instance, running_server
from tests.oai.schemas import PREFIXES

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]
DOMAIN = "harvest.example.org"
ENV = {"CALLIMACHUS_OAI_DOMAIN": DOMAIN, "CALLIMACHUS_OAI_PAGE_SIZE": "2"}
METADATA = {
    "resource_type": {"id": "dataset"},
    "title": "Harvested",
    "publication_date": "2024-05-17",
    "creators": [{"person_or_org": {"type": "personal", "given_name": "Ada", "family_name": "Lovelace"}}],
    "rights": [{"id": "cc-by-4.0"}],
}


def _publish(url: str, auth: dict[str, str], title: str, **extra: object) -> int:
    draft = httpx.post(f"{url}/api/records", json={"metadata": {**METADATA, "title": title}, **extra}, headers=auth).json()
    recid = draft["id"]
    httpx.post(f"{url}/api/records/{recid}/draft/files", json=[{"key": "data.csv"}], headers=auth).raise_for_status()
    httpx.put(f"{url}/api/records/{recid}/draft/files/data.csv/content", content=b"a,b\n", headers=auth).raise_for_status()
    httpx.post(f"{url}/api/records/{recid}/draft/files/data.csv/commit", headers=auth).raise_for_status()
    httpx.post(f"{url}/api/records/{recid}/draft/actions/publish", headers=auth).raise_for_status()
    return int(recid)


def _recid(identifier: str) -> int:
    assert identifier.startswith(f"oai:{DOMAIN}:")
    return int(identifier.rsplit(":", 1)[1])


def sickle_harvest(base: str, prefix: str, **args: str) -> dict[int, bool]:
    records = Sickle(base).ListRecords(metadataPrefix=prefix, ignore_deleted=False, **args)
    return {_recid(r.header.identifier): r.header.deleted for r in records}


def scythe_harvest(base: str, prefix: str, **args: str) -> dict[int, bool]:
    with Scythe(base) as scythe:
        return {_recid(r.header.identifier): r.header.deleted for r in scythe.list_records(metadata_prefix=prefix, **args)}


def pyoai_harvest(base: str, prefix: str, **args: datetime) -> dict[int, bool]:
    registry = MetadataRegistry()
    registry.registerReader(prefix, lambda element: element)  # keep the payload as lxml
    client = PyoaiClient(base, registry)  # POSTs its requests
    found = {}
    for header, metadata, _about in client.listRecords(metadataPrefix=prefix, **args):
        assert header.isDeleted() or metadata is not None
        found[_recid(header.identifier())] = header.isDeleted()
    return found


def test_real_harvesters_harvest_everything_and_incrementally(tmp_path):
    instance = tmp_path / "instance"
    token = init_instance(instance, **ENV)["API token"]
    auth = {"Authorization": f"Bearer {token}"}
    with running_server(instance, **ENV) as server:
        base = f"{server.url}/oai2d"
        ids = [_publish(server.url, auth, f"Record {i}") for i in range(4)]
        _publish(server.url, auth, "Closed", access={"record": "restricted", "files": "restricted"})
        deleted = ids.pop()
        httpx.request("DELETE", f"{server.url}/api/records/{deleted}/delete", json={"removal_reason": {"id": "spam"}},
                      headers=auth).raise_for_status()
        expected = {**{i: False for i in ids}, deleted: True}
        for prefix in PREFIXES:
            assert sickle_harvest(base, prefix) == expected, ("sickle", prefix)
            assert scythe_harvest(base, prefix) == expected, ("scythe", prefix)
            assert pyoai_harvest(base, prefix) == expected, ("oaipmh", prefix)

        time.sleep(1.1)  # datestamps have one-second granularity
        since = datetime.utcnow().replace(microsecond=0)  # noqa: DTZ003 - pyoai wants naive UTC
        time.sleep(1.1)
        fresh = _publish(server.url, auth, "Published later")
        draft = httpx.post(f"{server.url}/api/records/{ids[0]}/draft", headers=auth).json()
        draft["metadata"]["title"] = "Edited later"
        httpx.put(f"{server.url}/api/records/{ids[0]}/draft", json=draft, headers=auth).raise_for_status()
        httpx.post(f"{server.url}/api/records/{ids[0]}/draft/actions/publish", headers=auth).raise_for_status()
        changed = {fresh: False, ids[0]: False}
        stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert sickle_harvest(base, "oai_dc", **{"from": stamp}) == changed
        assert scythe_harvest(base, "oai_datacite", from_=stamp) == changed
        assert pyoai_harvest(base, "marcxml", from_=since) == changed
