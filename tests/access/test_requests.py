"""Access requests from users and guests; decisions; notifications by e-mail (outbox)."""

from __future__ import annotations

import email
import re

import pytest
from starlette.testclient import TestClient

from tests.helpers import published_record


def outbox(ctx) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in ctx.mailer.messages()]


def body_of(message) -> str:
    return message.get_payload(decode=True).decode()


@pytest.fixture
def closed_files(client, owner, metadata):
    return published_record(client, owner.headers, metadata, files={"secret.csv": b"hidden"}, access={"record": "public", "files": "restricted"})


def test_user_request_accepted_with_expiry(client, ctx, owner, make_account, closed_files, clock):
    asker = make_account("asker@example.org")
    rid = closed_files["id"]
    made = client.post(f"/api/records/{rid}/access/request", json={"message": "For my thesis."}, headers=asker.headers)
    assert made.status_code == 201
    request = made.json()
    assert request["status"] == "submitted" and request["type"] == "user-access-request"
    notice = outbox(ctx)[-1]
    assert notice["To"] == owner.email and "asker@example.org" in body_of(notice) and "For my thesis." in body_of(notice)
    assert client.post(f"/api/records/{rid}/access/request", json={"message": "again"}, headers=asker.headers).status_code == 409
    listed = client.get("/api/requests", headers=owner.headers).json()["hits"]["hits"]
    assert [r["id"] for r in listed] == [request["id"]]
    # The requester cannot decide their own request.
    assert client.post(f"/api/requests/{request['id']}/actions/accept", json={}, headers=asker.headers).status_code == 403
    until = clock.now().date().replace(year=clock.now().year + 1).isoformat()
    accepted = client.post(f"/api/requests/{request['id']}/actions/accept", json={"expires_at": until}, headers=owner.headers)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert outbox(ctx)[-1]["To"] == "asker@example.org"
    assert client.get(f"/api/records/{rid}/files/secret.csv/content", headers=asker.headers).content == b"hidden"
    before = len(outbox(ctx))
    twice = client.post(f"/api/requests/{request['id']}/actions/accept", json={}, headers=owner.headers)
    assert twice.status_code == 409 and "already accepted" in twice.json()["message"]
    assert len(outbox(ctx)) == before
    clock.advance(days=400)
    assert client.get(f"/api/records/{rid}/files/secret.csv/content", headers=asker.headers).status_code == 404


def test_user_request_declined(client, ctx, owner, make_account, closed_files):
    asker = make_account("asker@example.org")
    request = client.post(f"/api/records/{closed_files['id']}/access/request", json={"message": "please"}, headers=asker.headers).json()
    declined = client.post(f"/api/requests/{request['id']}/actions/decline", json={"message": "Not yet."}, headers=owner.headers)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert "Not yet." in body_of(outbox(ctx)[-1])
    assert client.get(f"/api/records/{closed_files['id']}/files/secret.csv/content", headers=asker.headers).status_code == 404
    assert client.post(f"/api/requests/{request['id']}/actions/accept", json={}, headers=owner.headers).status_code == 409


def test_guest_request_confirmed_then_accepted(app, client, ctx, owner, closed_files):
    guest = TestClient(app, base_url="http://testserver")
    rid = closed_files["id"]
    made = guest.post(f"/api/records/{rid}/access/request", json={"email": "Guest@Example.org", "full_name": "A. Guest", "message": "Curious."})
    assert made.status_code == 201 and made.json()["status"] == "unconfirmed"
    confirmation = outbox(ctx)[-1]
    assert confirmation["To"] == "guest@example.org"
    token = re.search(r"token=([\w-]+)", body_of(confirmation)).group(1)
    # Nothing reaches the owners before the guest confirms.
    assert client.get("/api/requests", headers=owner.headers).json()["hits"]["total"] == 0
    assert guest.post("/api/access-requests/confirm", json={"token": "forged"}).status_code == 404
    confirmed = guest.post("/api/access-requests/confirm", json={"token": token})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "submitted"
    assert guest.post("/api/access-requests/confirm", json={"token": token}).status_code == 409
    assert outbox(ctx)[-1]["To"] == owner.email
    request_id = confirmed.json()["id"]
    assert client.post(f"/api/requests/{request_id}/actions/accept", json={}, headers=owner.headers).status_code == 200
    granted = body_of(outbox(ctx)[-1])
    link = re.search(r"(/records/\d+\?token=[\w-]+)", granted).group(1)
    assert guest.get(link).status_code == 200
    secret_token = link.split("token=")[1]
    assert guest.get(f"/api/records/{rid}/files/secret.csv/content?token={secret_token}").content == b"hidden"


def test_requests_can_be_turned_off(app, client, owner, make_account, closed_files):
    rid = closed_files["id"]
    client.put(f"/api/records/{rid}/access", json={"settings": {"allow_user_requests": False, "allow_guest_requests": False}}, headers=owner.headers)
    asker = make_account()
    refused = client.post(f"/api/records/{rid}/access/request", json={"message": "?"}, headers=asker.headers)
    assert refused.status_code == 403 and "do not accept" in refused.json()["message"]
    guest = TestClient(app, base_url="http://testserver")
    assert guest.post(f"/api/records/{rid}/access/request", json={"email": "g@example.org", "full_name": "G", "message": "?"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": "not-an-address", "full_name": "G"}, "email"), ({"email": "g@example.org"}, "full_name"), ({"email": "g@example.org", "full_name": "G", "extra": 1}, "extra")],
)
def test_bad_guest_requests(app, ctx, closed_files, body, field):
    guest = TestClient(app, base_url="http://testserver")
    response = guest.post(f"/api/records/{closed_files['id']}/access/request", json=body)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    assert outbox(ctx) == []


def test_no_request_for_open_or_hidden_records(client, owner, make_account, metadata):
    asker = make_account()
    open_record = published_record(client, owner.headers, metadata)
    assert client.post(f"/api/records/{open_record['id']}/access/request", json={"message": "?"}, headers=asker.headers).status_code == 400
    hidden = published_record(client, owner.headers, metadata, access={"record": "restricted", "files": "restricted"})
    assert client.post(f"/api/records/{hidden['id']}/access/request", json={"message": "?"}, headers=asker.headers).status_code == 404


def test_guest_confirms_through_the_page(app, ctx, owner, closed_files, client):
    guest = TestClient(app, base_url="http://testserver")
    guest.post(f"/api/records/{closed_files['id']}/access/request", json={"email": "g@example.org", "full_name": "G", "message": "hi"})
    link = re.search(r"(/access-requests/confirm\?token=[\w-]+)", body_of(outbox(ctx)[-1])).group(1)
    page = guest.get(link)
    assert page.status_code == 200 and "<form" in page.text
    assert client.get("/api/requests", headers=owner.headers).json()["hits"]["total"] == 0  # showing the page confirms nothing
    token = link.split("token=")[1]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # forms are CSRF-protected
    done = guest.post("/access-requests/confirm", data={"token": token, "csrf_token": csrf})
    assert done.status_code == 200 and "Your request was sent" in done.text
    assert client.get("/api/requests", headers=owner.headers).json()["hits"]["total"] == 1
