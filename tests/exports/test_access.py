"""Exports honour access: hidden files leave no trace (names, sizes, checksums, links), restricted
records are the same 404 as missing ones, personalised responses are never cached."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from tests.exports.checks import CONTENT_TYPES, SITE, api_record
from tests.exports.test_negotiation import ACCEPT

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

MARKER_KEY = "zzsecretmarker-results.pdf"
MARKER_CONTENT = b"%PDF-1.4 " + b"S" * 777_768  # 777,777 bytes
MARKERS = (MARKER_KEY, "zzsecretmarker", hashlib.md5(MARKER_CONTENT).hexdigest(), "777777", "777.8 kB")


def every_representation(client, recid: str, headers: dict[str, str] | None = None, params: dict[str, str] | None = None) -> dict[str, object]:
    """Every export, every negotiated type, the citation, the linkset and the landing page."""
    headers, params = headers or {}, params or {}
    responses: dict[str, object] = {}
    for name in [*CONTENT_TYPES, "citation"]:
        responses[f"export {name}"] = client.get(f"/records/{recid}/export/{name}", headers=headers, params=params)
    for accept in [*ACCEPT, "text/x-bibliography", "application/linkset+json", "application/json"]:
        responses[f"accept {accept}"] = client.get(f"/api/records/{recid}", headers={**headers, "Accept": accept}, params=params)
    responses["landing"] = client.get(f"/records/{recid}", headers={**headers, "Accept": "text/html"}, params=params)
    return responses


# What the owner may rightly see of their own files: the native JSON and the landing page's file table.
OWNER_VIEWS = ("accept application/vnd.inveniordm.v1+json", "accept application/json", "landing")


def assert_no_file_trace(responses: dict[str, object], headers_only: tuple[str, ...] = ()) -> None:
    for what, response in responses.items():
        assert response.status_code == 200, (what, response.text[:300])
        body = "" if what in headers_only else response.text
        text = body + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        for marker in MARKERS:
            assert marker not in text, (what, marker)
        assert "/files/" not in response.headers.get("link", ""), what


@pytest.mark.parametrize("files_access", ["restricted", "embargoed"])
def test_hidden_files_leave_no_trace(client, owner, clock, files_access):
    access = {"record": "public", "files": "restricted"}
    if files_access == "embargoed":
        until = (clock.now() + timedelta(days=30)).date().isoformat()
        access["embargo"] = {"active": True, "until": until, "reason": "Patent pending"}
    record = api_record(client, owner.headers, files={MARKER_KEY: MARKER_CONTENT}, access=access)
    assert_no_file_trace(every_representation(client, record["id"]))
    # Exports are public descriptions: even the owner's copies list no restricted file.
    mine = every_representation(client, record["id"], owner.headers)
    assert MARKER_KEY in mine["landing"].text and MARKER_KEY in mine["accept application/json"].text
    assert_no_file_trace(mine, headers_only=OWNER_VIEWS)


def test_metadata_only_version_shows_nothing_of_earlier_files(client, owner):
    first = api_record(client, owner.headers, files={MARKER_KEY: MARKER_CONTENT})
    assert any(MARKER_KEY in r.text for r in every_representation(client, first["id"]).values())  # the check can fail
    draft = client.post(f"/api/records/{first['id']}/versions", headers=owner.headers).json()
    draft["files"] = {"enabled": False}
    draft["metadata"]["publication_date"] = "2025-01-01"
    assert client.put(f"/api/records/{draft['id']}/draft", json=draft, headers=owner.headers).status_code == 200
    published = client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=owner.headers)
    assert published.status_code == 202, published.text
    assert_no_file_trace(every_representation(client, draft["id"]))


def test_open_files_are_listed(client, owner):
    record = api_record(client, owner.headers, files={MARKER_KEY: MARKER_CONTENT})
    responses = every_representation(client, record["id"])
    for name in ("json", "json-ld", "dcat-ap"):
        assert MARKER_KEY in responses[f"export {name}"].text, name
    assert f"/api/records/{record['id']}/files/{MARKER_KEY}/content" in responses["landing"].headers["link"]


def test_restricted_record_is_the_same_404_as_a_missing_one(client, owner, make_account):
    record = api_record(client, owner.headers, access={"record": "restricted", "files": "restricted"})
    stranger = make_account("stranger@example.org")
    missing = every_representation(client, "999999")
    for headers in ({}, stranger.headers):
        hidden = every_representation(client, record["id"], headers)
        for what, response in hidden.items():
            assert response.status_code == 404, what
            # Pages may echo their own path (a sign-in link back): compare with the ids blanked.
            blank = response.text.replace(f"/records/{record['id']}", "/records/ID")
            assert blank == missing[what].text.replace("/records/999999", "/records/ID"), what
            assert "Tide gauge" not in response.text
    # A format on a hidden record: 404 even for an unknown citation style (nothing to tell apart).
    styled = client.get(f"/records/{record['id']}/export/citation", params={"style": "no-such-style"})
    assert styled.status_code == 404


def test_personalised_responses_are_private(client, owner):
    record = api_record(client, owner.headers, access={"record": "restricted", "files": "restricted"})
    link = client.post(f"/api/records/{record['id']}/access/links", json={"permission": "view"}, headers=owner.headers).json()
    for kwargs in ({"headers": owner.headers}, {"params": {"token": link["token"]}}):
        for what, response in every_representation(client, record["id"], **kwargs).items():
            assert response.status_code == 200, (what, response.text[:200])
            assert response.headers["cache-control"] == "private, no-store", what
    public = api_record(client, owner.headers)
    anonymous = TestClient(client.app, base_url=SITE).get(f"/records/{public['id']}/export/bibtex")  # no session
    assert "private" not in anonymous.headers.get("cache-control", "")
