"""Bad inputs get Zenodo's status and error shape, with fields named in the legacy terms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.legacy.data import every_field
from tests.legacy.test_roundtrip import SITE, _path, publish_legacy

VALIDATION = "A validation error occurred."


def errors_of(response: Any, status: int = 400) -> dict[str, list[str]]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and isinstance(body["message"], str)
    assert all(set(e) == {"field", "messages"} and isinstance(e["messages"], list) for e in body.get("errors", []))
    return {e["field"]: e["messages"] for e in body.get("errors", [])}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"upload_type": "spreadsheet"}, "metadata.upload_type"),
        ({"upload_type": "publication", "publication_type": "novel"}, "metadata.publication_type"),
        ({"access_right": "embargoed"}, "metadata.embargo_date"),
        ({"access_right": "embargoed", "embargo_date": "2001-01-01"}, "metadata.embargo_date"),
        ({"access_right": "secret"}, "metadata.access_right"),
        ({"license": "not-a-licence"}, "metadata.license"),
        ({"creators": [{"affiliation": "CERN"}]}, "metadata.creators.0.name"),
        ({"creators": [{"name": "Doe, J", "orcid": "0000-0002-1825-0098"}]}, "metadata.creators.0.orcid"),
        ({"contributors": [{"name": "Roe, R", "type": "Hero"}]}, "metadata.contributors.0.type"),
        ({"thesis_supervisors": [{"name": "Doe, J", "gnd": "not a gnd"}]}, "metadata.thesis_supervisors.0.gnd"),
        ({"publication_date": "2023-02-30"}, "metadata.publication_date"),
        ({"language": "klingon"}, "metadata.language"),
        ({"related_identifiers": [{"identifier": "10.1/x", "relation": "isFriendOf"}]}, "metadata.related_identifiers.0.relation"),
        ({"related_identifiers": [{"identifier": "not an id", "relation": "cites"}]}, "metadata.related_identifiers.0.identifier"),
        ({"grants": [{"id": "10.13039/501100000780::"}]}, "metadata.grants.0.id"),
        ({"locations": [{"lat": 95, "lon": 6, "place": "Nowhere"}]}, "metadata.locations.0"),
        ({"dates": [{"start": "2020-13-01", "type": "Collected"}]}, "metadata.dates.0.start"),
        ({"keywords": "ocean"}, "metadata.keywords"),
        ({"communities": ["ocean"]}, "metadata.communities.0"),
        ({"conference_url": "not a url"}, "metadata.conference_url"),
        ({"imprint_isbn": "978-0"}, "metadata.imprint_isbn"),
        ({"doi": "10.5072/callimachus.999999"}, "metadata.doi"),
        ({"doi": "not a doi"}, "metadata.doi"),
    ],
)
def test_bad_metadata_is_refused_naming_the_legacy_field(client, owner, changes, field):
    response = client.post("/api/deposit/depositions", json={"metadata": every_field(**changes)}, headers=owner.headers)
    errors = errors_of(response)
    assert response.json()["message"] == VALIDATION
    assert field in errors, errors
    assert client.get("/api/deposit/depositions", headers=owner.headers).json() == []  # nothing was saved


def test_bad_update_changes_nothing(client, owner):
    created = client.post("/api/deposit/depositions", json={"metadata": every_field()}, headers=owner.headers).json()
    response = client.put(f"/api/deposit/depositions/{created['id']}", json={"metadata": every_field(license="nope")}, headers=owner.headers)
    assert "metadata.license" in errors_of(response)
    after = client.get(f"/api/deposit/depositions/{created['id']}", headers=owner.headers).json()
    assert after["metadata"] == created["metadata"]


def test_unknown_top_level_key_is_refused(client, owner):
    response = client.post("/api/deposit/depositions", json={"metadata": {}, "colour": "blue"}, headers=owner.headers)
    assert errors_of(response) == {"colour": ["Unknown field."]}


def test_publishing_without_files(client, owner):
    created = client.post("/api/deposit/depositions", json={"metadata": every_field()}, headers=owner.headers).json()
    errors = errors_of(client.post(_path(created["links"]["publish"]), headers=owner.headers))
    assert errors == {"files.enabled": ["Missing uploaded files. To disable files for this record please mark it as metadata-only."]}


def test_publishing_an_incomplete_deposition_names_legacy_fields(client, owner):
    created = client.post("/api/deposit/depositions", json={}, headers=owner.headers).json()
    client.put(f"/api/deposit/depositions/{created['id']}", json={"metadata": {"contributors": [{"name": "Roe, R"}]}}, headers=owner.headers)
    client.put(_path(created["links"]["bucket"]) + "/a.txt", content=b"a", headers=owner.headers)
    errors = errors_of(client.post(_path(created["links"]["publish"]), headers=owner.headers))
    assert set(errors) == {"metadata.upload_type", "metadata.title", "metadata.creators", "metadata.contributors.0.type"}


def test_new_version_while_the_new_draft_holds_files(client, owner):
    first = publish_legacy(client, owner.headers, every_field())
    draft = client.post(_path(first["links"]["newversion"]), headers=owner.headers)
    assert draft.status_code == 201 and draft.json()["files"]  # the previous version's files came along
    again = client.post(_path(first["links"]["newversion"]), headers=owner.headers)
    errors = errors_of(again)
    assert errors == {"files.enabled": ["Please remove all files first."]}
    assert "Please remove all files first." in again.text
    new = draft.json()
    for item in new["files"]:
        assert client.delete(_path(item["links"]["self"]), headers=owner.headers).status_code == 204
    retry = client.post(_path(first["links"]["newversion"]), headers=owner.headers)
    assert retry.status_code == 201 and retry.json()["id"] == new["id"] and len(retry.json()["files"]) == 1


def test_authentication_and_scopes(client, owner, make_account):
    assert errors_of(client.get("/api/deposit/depositions"), 401) == {}
    assert errors_of(client.get("/api/deposit/depositions", headers={"Authorization": "Bearer wrong"}), 401) == {}
    reader = make_account(scopes=())
    writer = make_account(scopes=("deposit:write",))
    assert client.post("/api/deposit/depositions", json={}, headers=reader.headers).status_code == 403
    created = client.post("/api/deposit/depositions", json={"metadata": every_field()}, headers=writer.headers).json()
    assert client.put(_path(created["links"]["bucket"]) + "/a.txt", content=b"a", headers=writer.headers).status_code == 201
    refused = client.post(_path(created["links"]["publish"]), headers=writer.headers)
    assert errors_of(refused, 403) == {} and "deposit:actions" in refused.json()["message"]
    assert client.put(_path(created["links"]["bucket"]) + "/b.txt", content=b"b", headers=reader.headers).status_code == 403
    # Someone else's deposition does not exist for them.
    assert client.get(f"/api/deposit/depositions/{created['id']}", headers=owner.headers).status_code == 404
    assert client.put(f"{_path(created['links']['bucket'])}/c.txt", content=b"c", headers=owner.headers).status_code == 404


def test_a_published_record_is_not_a_deposition_for_other_readers(client, owner, make_account):
    first = publish_legacy(client, owner.headers, every_field())
    other = make_account()
    assert client.get(f"/api/records/{first['id']}", headers=other.headers).status_code == 200
    assert errors_of(client.get(f"/api/deposit/depositions/{first['id']}", headers=other.headers), 403) == {}
    assert client.put(f"/api/deposit/depositions/{first['id']}", json={"metadata": {}}, headers=owner.headers).status_code == 404
    assert client.delete(f"/api/deposit/depositions/{first['id']}", headers=owner.headers).status_code == 404
    assert client.put(_path(first["links"]["bucket"]) + "/new.txt", content=b"x", headers=owner.headers).status_code == 400
    assert SITE in first["links"]["bucket"]
