"""Grants to users (co-owners) and ownership transfer."""

from __future__ import annotations

import pytest

from tests.helpers import NATIVE, create_draft, publish, published_record, upload


def grant(client, headers, recid, email, permission, **extra):
    body = {"grants": [{"subject": {"type": "user", "email": email}, "permission": permission, **extra}]}
    return client.post(f"/api/records/{recid}/access/grants", json=body, headers=headers)


@pytest.fixture
def closed(client, owner, metadata):
    return published_record(client, owner.headers, metadata, access={"record": "restricted", "files": "restricted"})


def test_view_grant_opens_restricted_record(client, owner, make_account, closed):
    reader = make_account("reader@example.org")
    assert client.get(f"/api/records/{closed['id']}", headers=reader.headers).status_code == 404
    response = grant(client, owner.headers, closed["id"], "reader@example.org", "view")
    assert response.status_code == 201
    assert response.json()["hits"]["hits"][0]["subject"]["email"] == "reader@example.org"
    assert client.get(f"/api/records/{closed['id']}", headers=reader.headers).status_code == 200
    assert client.get(f"/api/records/{closed['id']}/files/data.csv/content", headers=reader.headers).content == b"a,b\n1,2\n"
    # A view grant covers every version of the concept, and nothing else.
    assert client.post(f"/api/records/{closed['id']}/draft", headers=reader.headers).status_code == 403


def test_edit_grant_can_edit_but_not_publish_until_manage(client, owner, make_account, metadata):
    editor = make_account("editor@example.org")
    record = published_record(client, owner.headers, metadata)
    assert grant(client, owner.headers, record["id"], "editor@example.org", "edit").status_code == 201
    draft = client.post(f"/api/records/{record['id']}/draft", headers=editor.headers)
    assert draft.status_code == 201
    body = draft.json()
    body["metadata"]["title"] = "Edited by a co-author"
    assert client.put(f"/api/records/{record['id']}/draft", json=body, headers=editor.headers).status_code == 200
    refused = client.post(f"/api/records/{record['id']}/draft/actions/publish", headers=editor.headers)
    assert refused.status_code == 403
    assert client.get(f"/api/records/{record['id']}", headers=NATIVE).json()["metadata"]["title"] == metadata["title"]
    grants = client.get(f"/api/records/{record['id']}/access/grants", headers=owner.headers).json()["hits"]["hits"]
    changed = client.patch(f"/api/records/{record['id']}/access/grants/{grants[0]['id']}", json={"permission": "manage"}, headers=owner.headers)
    assert changed.status_code == 200 and changed.json()["permission"] == "manage"
    assert client.post(f"/api/records/{record['id']}/draft/actions/publish", headers=editor.headers).status_code == 202
    assert client.get(f"/api/records/{record['id']}", headers=NATIVE).json()["metadata"]["title"] == "Edited by a co-author"


def test_manage_grant_is_a_co_owner(client, owner, make_account, metadata):
    co_owner = make_account("co@example.org")
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "a.csv", b"1")
    assert grant(client, owner.headers, draft["id"], "co@example.org", "manage").status_code == 201
    assert client.post(f"/api/records/{draft['id']}/access/links", json={"permission": "view"}, headers=co_owner.headers).status_code == 201
    assert client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=co_owner.headers).status_code == 202


def test_grant_to_unknown_email_changes_nothing(client, owner, closed):
    response = grant(client, owner.headers, closed["id"], "nobody@example.org", "view")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "grants.0.subject.email"
    assert client.get(f"/api/records/{closed['id']}/access/grants", headers=owner.headers).json()["hits"]["total"] == 0


@pytest.mark.parametrize("permission", ["owner", "read", None])
def test_bad_permission(client, owner, make_account, closed, permission):
    make_account("someone@example.org")
    response = grant(client, owner.headers, closed["id"], "someone@example.org", permission)
    assert response.status_code == 400


def test_grant_removal(client, owner, make_account, closed):
    reader = make_account("reader@example.org")
    grant(client, owner.headers, closed["id"], "reader@example.org", "view")
    grant_id = client.get(f"/api/records/{closed['id']}/access/grants", headers=owner.headers).json()["hits"]["hits"][0]["id"]
    assert client.delete(f"/api/records/{closed['id']}/access/grants/{grant_id}", headers=owner.headers).status_code == 204
    assert client.get(f"/api/records/{closed['id']}", headers=reader.headers).status_code == 404


def test_expired_grant_gives_nothing(client, owner, make_account, closed, clock):
    reader = make_account("reader@example.org")
    until = clock.now().date().replace(year=clock.now().year + 1).isoformat()
    assert grant(client, owner.headers, closed["id"], "reader@example.org", "view", expires_at=until).status_code == 201
    assert client.get(f"/api/records/{closed['id']}", headers=reader.headers).status_code == 200
    clock.advance(days=400)
    assert client.get(f"/api/records/{closed['id']}", headers=reader.headers).status_code == 404


def test_transfer_keeps_dois_and_versions(client, owner, make_account, metadata):
    heir = make_account("heir@example.org")
    v1 = published_record(client, owner.headers, metadata, access={"record": "restricted", "files": "restricted"})
    nv = client.post(f"/api/records/{v1['id']}/versions", headers=owner.headers).json()
    nv["metadata"]["publication_date"] = "2025-01-01"
    client.put(f"/api/records/{nv['id']}/draft", json=nv, headers=owner.headers)
    client.post(f"/api/records/{nv['id']}/draft/actions/files-import", headers=owner.headers)
    v2 = publish(client, owner.headers, nv["id"])
    assert client.post(f"/api/records/{v1['id']}/access/transfer-ownership", json={"owned_by": {"email": "heir@example.org"}}, headers=heir.headers).status_code == 404
    moved = client.post(f"/api/records/{v1['id']}/access/transfer-ownership", json={"owned_by": {"email": "heir@example.org"}}, headers=owner.headers)
    assert moved.status_code == 200 and moved.json()["owned_by"] == {"user": str(heir.id)}
    for record in (v1, v2):
        seen = client.get(f"/api/records/{record['id']}", headers={**heir.headers, **NATIVE}).json()
        assert seen["pids"]["doi"] == record["pids"]["doi"]
        assert seen["parent"]["pids"]["doi"] == v2["parent"]["pids"]["doi"]
        assert seen["parent"]["access"]["owned_by"] == {"user": str(heir.id)}
    listing = client.get(f"/api/records/{v2['id']}/versions", headers=heir.headers).json()
    assert [h["id"] for h in listing["hits"]["hits"]] == [v2["id"], v1["id"]]
    # The previous owner keeps managing it as a co-owner; the new owner lists it as theirs.
    assert client.get(f"/api/records/{v1['id']}/access/links", headers=owner.headers).status_code == 200
    assert {h["id"] for h in client.get("/api/user/records", headers=heir.headers).json()["hits"]["hits"]} == {v2["id"]}
    # A co-owner cannot give the record away.
    assert client.post(f"/api/records/{v1['id']}/access/transfer-ownership", json={"owned_by": {"email": owner.email}}, headers=owner.headers).status_code == 403


def test_access_settings(client, owner, closed):
    response = client.put(f"/api/records/{closed['id']}/access", json={"settings": {"allow_guest_requests": False, "accept_conditions_text": "Only for research."}}, headers=owner.headers)
    assert response.status_code == 200
    settings = client.get(f"/api/records/{closed['id']}/access", headers=owner.headers).json()["settings"]
    assert settings["allow_guest_requests"] is False and settings["accept_conditions_text"] == "Only for research."
    assert client.put(f"/api/records/{closed['id']}/access", json={"settings": {"allow_user_requests": "maybe"}}, headers=owner.headers).status_code == 400
