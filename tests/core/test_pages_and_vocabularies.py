"""The simple landing page, vocabularies and the OpenAPI document."""

from __future__ import annotations

import hashlib

from tests.helpers import published_record


def test_landing_page_shows_the_record(client, owner, metadata):
    record = published_record(client, owner.headers, metadata, files={"temps.csv": b"1,2\n"})
    page = client.get(f"/records/{record['id']}")
    assert page.status_code == 200
    html = page.text
    assert metadata["title"].replace("–", "–") in html
    assert "Carberry, Josiah" in html and "https://orcid.org/0000-0002-1825-0097" in html
    assert record["pids"]["doi"]["identifier"] in html
    assert "Creative Commons Attribution 4.0 International" in html
    assert hashlib.md5(b"1,2\n").hexdigest() in html
    assert f"/api/records/{record['id']}/files/temps.csv/content" in html
    assert "Version 1" in html


def test_landing_page_of_missing_record(client):
    response = client.get("/records/9999", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "<h1>404</h1>" in response.text


def test_vocabularies(client):
    licences = client.get("/api/vocabularies/licenses?q=cc-by-4.0").json()
    assert licences["hits"]["hits"][0]["id"] == "cc-by-4.0"
    assert licences["hits"]["hits"][0]["props"]["url"].startswith("https://creativecommons.org/licenses/by/4.0")
    types = client.get("/api/vocabularies/resourcetypes?size=100").json()
    ids = {h["id"] for h in types["hits"]["hits"]}
    assert {"dataset", "software", "publication-article", "image-photo"} <= ids
    languages = client.get("/api/vocabularies/languages/eng").json()
    assert languages["title"]["en"] == "English"
    assert client.get("/api/vocabularies/spaceships").status_code == 404
    assert client.get("/api/licenses", follow_redirects=False).headers["location"].startswith("/api/vocabularies/licenses")


def test_openapi_document(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/records/{recid}/draft/actions/publish" in spec["paths"]
    assert "/api/records/{recid}/draft/files/{key}/content" in spec["paths"]
