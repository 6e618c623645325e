"""Versions: new version drafts, importing files (shared bytes), the latest, the concept DOI."""

from __future__ import annotations

import copy

from sqlalchemy import func, select

from callimachus.db.models import Blob, FileObject
from tests.helpers import NATIVE, publish, published_record, upload


def new_version(client, headers, recid):
    response = client.post(f"/api/records/{recid}/versions", headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_new_version_copies_metadata_without_files(client, owner, metadata):
    v1 = published_record(client, owner.headers, {**metadata, "version": "1.0"})
    draft = new_version(client, owner.headers, v1["id"])
    assert draft["status"] == "new_version_draft"
    assert draft["versions"]["index"] == 2
    assert draft["parent"]["id"] == v1["parent"]["id"]
    assert draft["metadata"]["title"] == v1["metadata"]["title"]
    assert "publication_date" not in draft["metadata"] and "version" not in draft["metadata"]
    assert draft["files"]["entries"] == {}
    assert int(draft["id"]) > int(v1["id"])
    # Asking again returns the same open draft.
    assert new_version(client, owner.headers, v1["id"])["id"] == draft["id"]


def test_new_version_reuses_one_file_and_replaces_another(client, owner, metadata, ctx):
    v1 = published_record(client, owner.headers, metadata, files={"keep.csv": b"1,2,3\n", "code.py": b"print(1)\n"})
    draft = new_version(client, owner.headers, v1["id"])
    imported = client.post(f"/api/records/{draft['id']}/draft/actions/files-import", headers=owner.headers)
    assert imported.status_code == 201
    assert sorted(e["key"] for e in imported.json()["entries"]) == ["code.py", "keep.csv"]
    assert client.delete(f"/api/records/{draft['id']}/draft/files/code.py", headers=owner.headers).status_code == 204
    upload(client, owner.headers, draft["id"], "code.py", b"print(2)\n")
    body = copy.deepcopy(client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json())
    body["metadata"]["publication_date"] = "2025-01-01"
    assert client.put(f"/api/records/{draft['id']}/draft", json=body, headers=owner.headers).status_code == 200
    v2 = publish(client, owner.headers, draft["id"])

    v1_files = v1["files"]["entries"]
    v2_files = v2["files"]["entries"]
    assert v2_files["keep.csv"]["file_id"] == v1_files["keep.csv"]["file_id"]  # one blob, two versions
    assert v2_files["code.py"]["file_id"] != v1_files["code.py"]["file_id"]
    with ctx.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Blob)) == 3
        assert uow.session.scalar(select(func.count()).select_from(FileObject)) == 4
    # The old version is untouched.
    assert client.get(f"/api/records/{v1['id']}/files/code.py/content").content == b"print(1)\n"
    assert client.get(f"/api/records/{v2['id']}/files/code.py/content").content == b"print(2)\n"


def test_versions_list_and_latest(client, owner, metadata):
    v1 = published_record(client, owner.headers, metadata)
    draft = new_version(client, owner.headers, v1["id"])
    body = client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json()
    body["metadata"]["publication_date"] = "2025-02-02"
    client.put(f"/api/records/{draft['id']}/draft", json=body, headers=owner.headers)
    upload(client, owner.headers, draft["id"], "new.csv", b"9\n")
    v2 = publish(client, owner.headers, draft["id"])
    listing = client.get(f"/api/records/{v1['id']}/versions").json()
    assert [h["id"] for h in listing["hits"]["hits"]] == [v2["id"], v1["id"]]
    assert [h["versions"]["index"] for h in listing["hits"]["hits"]] == [2, 1]
    for recid in (v1["id"], v2["id"], v1["parent"]["id"]):
        latest = client.get(f"/api/records/{recid}/versions/latest", follow_redirects=False)
        assert latest.status_code == 302
        assert latest.headers["location"].endswith(f"/api/records/{v2['id']}")
    assert client.get(f"/api/records/{v1['id']}", headers=NATIVE).json()["versions"]["is_latest"] is False
    assert client.get(f"/api/records/{v2['id']}", headers=NATIVE).json()["versions"]["is_latest"] is True


def test_concept_doi_resolves_to_latest(client, owner, metadata):
    v1 = published_record(client, owner.headers, metadata)
    concept = v1["parent"]["pids"]["doi"]["identifier"]
    assert concept == f"10.5072/callimachus.{v1['parent']['id']}"
    first = client.get(f"/doi/{concept}", follow_redirects=False)
    assert first.headers["location"].endswith(f"/records/{v1['id']}")
    draft = new_version(client, owner.headers, v1["id"])
    body = client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json()
    body["metadata"]["publication_date"] = "2025-02-02"
    client.put(f"/api/records/{draft['id']}/draft", json=body, headers=owner.headers)
    client.post(f"/api/records/{draft['id']}/draft/actions/files-import", headers=owner.headers)
    v2 = publish(client, owner.headers, draft["id"])
    assert v2["parent"]["pids"]["doi"]["identifier"] == concept
    assert v2["pids"]["doi"]["identifier"] != v1["pids"]["doi"]["identifier"]
    after = client.get(f"/doi/{concept}", follow_redirects=False)
    assert after.headers["location"].endswith(f"/records/{v2['id']}")
    # The landing page of the concept id goes to the newest version too.
    assert client.get(f"/records/{v1['parent']['id']}", follow_redirects=False).headers["location"] == f"/records/{v2['id']}"


def test_discarding_a_new_version_keeps_the_concept(client, owner, metadata):
    v1 = published_record(client, owner.headers, metadata)
    draft = new_version(client, owner.headers, v1["id"])
    assert client.delete(f"/api/records/{draft['id']}/draft", headers=owner.headers).status_code == 204
    assert client.get(f"/api/records/{v1['id']}").status_code == 200
    again = new_version(client, owner.headers, v1["id"])
    assert again["versions"]["index"] == 2
    assert again["id"] != draft["id"]  # recids are never reused


def test_public_listing_shows_latest_versions(client, owner, metadata):
    v1 = published_record(client, owner.headers, metadata)
    other = published_record(client, owner.headers, {**metadata, "title": "Another work"})
    draft = new_version(client, owner.headers, v1["id"])
    body = client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json()
    body["metadata"]["publication_date"] = "2025-02-02"
    client.put(f"/api/records/{draft['id']}/draft", json=body, headers=owner.headers)
    client.post(f"/api/records/{draft['id']}/draft/actions/files-import", headers=owner.headers)
    v2 = publish(client, owner.headers, draft["id"])
    latest = client.get("/api/records").json()
    assert {h["id"] for h in latest["hits"]["hits"]} == {v2["id"], other["id"]}
    everything = client.get("/api/records?all_versions=true").json()
    assert everything["hits"]["total"] == 3
    assert client.get("/api/records?size=1000").status_code == 400
    assert client.get("/api/records?page=0").status_code == 400


def test_deleted_record_leaves_a_tombstone(client, owner, metadata, make_account):
    admin = make_account("admin@example.org", admin=True)
    v1 = published_record(client, owner.headers, metadata)
    assert client.request("DELETE", f"/api/records/{v1['id']}/delete", json={"removal_reason": {"id": "spam"}}, headers=owner.headers).status_code == 403
    assert client.request("DELETE", f"/api/records/{v1['id']}/delete", json={}, headers=admin.headers).status_code == 400
    deleted = client.request("DELETE", f"/api/records/{v1['id']}/delete", json={"removal_reason": {"id": "spam"}, "note": "duplicate upload"}, headers=admin.headers)
    assert deleted.status_code == 200 and deleted.json()["status"] == "deleted"
    gone = client.get(f"/api/records/{v1['id']}")
    assert gone.status_code == 410
    assert gone.json()["tombstone"]["removal_reason"] == {"id": "spam"}
    page = client.get(f"/records/{v1['id']}", headers={"Accept": "text/html"})
    assert page.status_code == 410 and "duplicate upload" in page.text
    assert client.get(f"/api/records/{v1['id']}/files/data.csv/content").status_code == 404
    assert client.get("/api/records").json()["hits"]["total"] == 0
