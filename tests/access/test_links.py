"""Secret links: view, preview and edit; expiry; revocation; tokens of other records; sessions."""

from __future__ import annotations

import base64

import pytest
from starlette.testclient import TestClient

from tests.helpers import NATIVE, create_draft, published_record, upload


def make_link(client, headers, recid, permission="view", **extra):
    response = client.post(f"/api/records/{recid}/access/links", json={"permission": permission, **extra}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def restricted(client, owner, metadata):
    return published_record(
        client, owner.headers, {**metadata, "title": "Closed study"}, files={"secret.csv": b"s3cret"},
        access={"record": "restricted", "files": "restricted"},
    )


def fresh(app) -> TestClient:
    return TestClient(app, base_url="http://testserver")


def test_token_has_at_least_128_bits(client, owner, restricted):
    link = make_link(client, owner.headers, restricted["id"])
    raw = base64.urlsafe_b64decode(link["token"] + "=" * (-len(link["token"]) % 4))
    assert len(raw) * 8 >= 128
    assert {x["id"] for x in client.get(f"/api/records/{restricted['id']}/access/links", headers=owner.headers).json()["hits"]["hits"]} == {link["id"]}


def test_view_link_opens_a_restricted_record(app, client, owner, restricted):
    link = make_link(client, owner.headers, restricted["id"])
    visitor = fresh(app)
    rid = restricted["id"]
    assert visitor.get(f"/api/records/{rid}").status_code == 404
    opened = visitor.get(f"/api/records/{rid}?token={link['token']}", headers=NATIVE)
    assert opened.status_code == 200 and opened.json()["metadata"]["title"] == "Closed study"
    assert opened.headers["cache-control"] == "private, no-store"
    assert visitor.get(f"/api/records/{rid}/files/secret.csv/content?token={link['token']}").content == b"s3cret"
    page = visitor.get(f"/records/{rid}?token={link['token']}")
    assert page.status_code == 200 and page.headers["referrer-policy"] == "no-referrer"
    # A view link does not show drafts.
    client.post(f"/api/records/{rid}/draft", headers=owner.headers)
    assert visitor.get(f"/api/records/{rid}/draft?token={link['token']}").status_code == 404


def test_preview_link_shows_a_draft_before_publication(app, client, owner, metadata):
    draft = create_draft(client, owner.headers, {**metadata, "title": "Under review"})
    upload(client, owner.headers, draft["id"], "manuscript.pdf", b"%PDF-draft")
    link = make_link(client, owner.headers, draft["id"], "preview")
    reviewer = fresh(app)
    token = link["token"]
    assert reviewer.get(f"/api/records/{draft['id']}/draft?token={token}").json()["metadata"]["title"] == "Under review"
    assert reviewer.get(f"/api/records/{draft['id']}/draft/files/manuscript.pdf/content?token={token}").content == b"%PDF-draft"
    page = reviewer.get(f"/records/{draft['id']}?preview=1&token={token}")
    assert page.status_code == 200 and "Under review" in page.text
    # Preview is read-only.
    assert fresh(app).put(f"/api/records/{draft['id']}/draft?token={token}", json={"metadata": metadata}).status_code == 401
    # A session that remembers the link is credentials too: writes need the page's CSRF header.
    assert reviewer.put(f"/api/records/{draft['id']}/draft?token={token}", json={"metadata": metadata}).status_code == 403


def test_edit_link_allows_editing_not_publishing(app, client, owner, metadata, make_account):
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "a.txt", b"x")
    link = make_link(client, owner.headers, draft["id"], "edit")
    colleague = make_account()
    changed = {**metadata, "title": "Edited by a colleague"}
    url = f"/api/records/{draft['id']}/draft?token={link['token']}"
    assert client.put(url, json={"metadata": changed}, headers=colleague.headers).status_code == 200
    assert client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json()["metadata"]["title"] == "Edited by a colleague"
    refused = client.post(f"/api/records/{draft['id']}/draft/actions/publish?token={link['token']}", headers=colleague.headers)
    assert refused.status_code == 403


def test_expired_and_revoked_links_stop_working_even_in_a_session(app, client, owner, restricted, clock):
    rid = restricted["id"]
    expiring = make_link(client, owner.headers, rid, expires_at=(clock.now().date().replace(year=clock.now().year + 1)).isoformat())
    revoked = make_link(client, owner.headers, rid)
    for link in (expiring, revoked):
        browser = fresh(app)
        assert browser.get(f"/records/{rid}?token={link['token']}").status_code == 200
        assert browser.get(f"/records/{rid}").status_code == 200  # the session remembers the token
        if link is revoked:
            assert client.delete(f"/api/records/{rid}/access/links/{link['id']}", headers=owner.headers).status_code == 204
        else:
            clock.advance(days=400)
        missing = browser.get("/records/999999", headers={"Accept": "text/html"})
        gone = browser.get(f"/records/{rid}", headers={"Accept": "text/html"})
        assert gone.status_code == 404 and gone.text == missing.text
        assert browser.get(f"/api/records/{rid}?token={link['token']}").status_code == 404


def test_tokens_of_other_records_and_forged_tokens_open_nothing(app, client, owner, restricted, metadata):
    other = published_record(client, owner.headers, metadata, access={"record": "restricted", "files": "restricted"})
    foreign = make_link(client, owner.headers, other["id"])
    visitor = fresh(app)
    expected = visitor.get("/api/records/999999").json()
    for token in (foreign["token"], "forged" + foreign["token"][6:], "x" * 43, "'; DROP TABLE access_links; --", "a" * 5000):
        response = visitor.get(f"/api/records/{restricted['id']}", params={"token": token})
        assert response.status_code == 404 and response.json() == expected


@pytest.mark.parametrize(
    ("body", "field"),
    [({"permission": "admin"}, "permission"), ({"permission": "view", "expires_at": "2001-01-01"}, "expires_at"),
     ({"permission": "view", "expires_at": "soon"}, "expires_at"), ({"permission": "view", "colour": "red"}, "colour")],
)
def test_bad_link_requests(client, owner, restricted, body, field):
    response = client.post(f"/api/records/{restricted['id']}/access/links", json=body, headers=owner.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert client.get(f"/api/records/{restricted['id']}/access/links", headers=owner.headers).json()["hits"]["total"] == 0


def test_only_managers_handle_links(client, owner, restricted, make_account):
    stranger = make_account()
    assert client.post(f"/api/records/{restricted['id']}/access/links", json={"permission": "view"}, headers=stranger.headers).status_code == 404
    public = published_record(client, owner.headers, {"title": "Open", "resource_type": {"id": "dataset"}, "publication_date": "2024", "creators": restricted["metadata"]["creators"], "rights": [{"id": "cc0-1.0"}]})
    assert client.post(f"/api/records/{public['id']}/access/links", json={"permission": "view"}, headers=stranger.headers).status_code == 403


def test_link_update(client, owner, restricted):
    link = make_link(client, owner.headers, restricted["id"])
    response = client.patch(f"/api/records/{restricted['id']}/access/links/{link['id']}", json={"permission": "preview", "description": "reviewers"}, headers=owner.headers)
    assert response.status_code == 200
    assert response.json()["permission"] == "preview" and response.json()["description"] == "reviewers"
