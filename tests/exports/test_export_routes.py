"""``/records/{id}/export/{format}``: every format, for records of several resource types made
through the API with every optional field; legacy keys, citations, bad names and styles."""

from __future__ import annotations

import pytest
from signposting import find_signposting_http_link

from callimachus.formats import registry
from tests.exports.checks import (
    CONTENT_TYPES,
    EXTENSIONS,
    RESOURCE_TYPES,
    SITE,
    api_record,
    check_body,
    check_citation,
)

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def test_every_export_format_is_tested():
    assert set(CONTENT_TYPES) == {f.name for f in registry.export_formats()}


@pytest.mark.parametrize("resource_type", RESOURCE_TYPES)
def test_every_export_validates(client, owner, resource_type):
    record = api_record(client, owner.headers, resource_type)
    recid = record["id"]
    for name, content_type in CONTENT_TYPES.items():
        response = client.get(f"/records/{recid}/export/{name}")
        assert response.status_code == 200, (name, response.text)
        assert response.headers["content-type"].split(";")[0] == content_type, name
        assert response.headers["content-disposition"] == f"attachment; filename={recid}.{EXTENSIONS[name]}"
        check_body(name, response.content, record)
        links = find_signposting_http_link([response.headers["link"]], f"{SITE}/records/{recid}/export/{name}")
        [describes] = [link for link in links if link.rel == "describes"]
        assert (str(describes.target), str(describes.type)) == (f"{SITE}/records/{recid}", "text/html")
        [linkset] = links.linksets
        assert str(linkset.target) == f"{SITE}/api/records/{recid}"


def test_export_names_are_case_insensitive_and_head_matches_get(client, owner, metadata):
    record = api_record(client, owner.headers)
    url = f"/records/{record['id']}/export/BibTeX"
    got, head = client.get(url), client.head(url)
    assert got.status_code == head.status_code == 200
    for name in ("content-type", "content-disposition", "link"):
        assert got.headers[name] == head.headers[name]
    assert head.content == b""


@pytest.mark.parametrize(("legacy", "current"), [("hx", "bibtex"), ("dcite4", "datacite-xml"), ("xd", "dublincore"),
                                                  ("xm", "marcxml"), ("dcat", "dcat-ap")])
def test_legacy_export_keys_redirect(client, owner, legacy, current):
    record = api_record(client, owner.headers)
    response = client.get(f"/records/{record['id']}/export/{legacy}?token=abc", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"{SITE}/records/{record['id']}/export/{current}?token=abc"
    followed = client.get(f"/records/{record['id']}/export/{legacy}")
    assert followed.status_code == 200
    assert followed.headers["content-type"].split(";")[0] == CONTENT_TYPES[current]


def test_unknown_format_is_404_listing_the_known_ones(client, owner):
    record = api_record(client, owner.headers)
    for recid in (record["id"], "999999"):
        response = client.get(f"/records/{recid}/export/endnote")
        assert response.status_code == 404
        message = response.json()["message"]
        assert "endnote" in message
        for name in [*CONTENT_TYPES, "citation"]:
            assert name in message
    # Internal (OAI-PMH only) formats are not exports.
    assert client.get(f"/records/{record['id']}/export/oai_dc").status_code == 404


@pytest.mark.parametrize(("style", "expected"), [("apa", "Carberry, J., & "), ("ieee", "J. Carberry and"),
                                                 ("harvard", "(2024) “Tide"), ("chicago", "Carberry, J., and"),
                                                 ("vancouver", "Carberry J,")])
def test_citation_route(client, owner, style, expected):
    record = api_record(client, owner.headers)
    response = client.get(f"/records/{record['id']}/export/citation", params={"style": style})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    check_citation(response.content, record)
    assert expected in response.text
    assert 'rel="describes"' in response.headers["link"]


def test_citation_defaults_to_apa_and_honours_locale(client, owner):
    record = api_record(client, owner.headers)
    url = f"/records/{record['id']}/export/citation"
    assert client.get(url).text == client.get(url, params={"style": "apa", "locale": "en-US"}).text
    german = client.get(url, params={"style": "apa", "locale": "de-DE"})
    assert german.status_code == 200 and "[Datensatz]" in german.text


def test_unknown_citation_style_or_locale_is_400(client, owner):
    record = api_record(client, owner.headers)
    url = f"/records/{record['id']}/export/citation"
    for params in ({"style": "no-such-style"}, {"style": "../../etc/passwd"}, {"style": "apa", "locale": "xx-YY"}):
        response = client.get(url, params=params)
        assert response.status_code == 400, params
        assert response.json()["status"] == 400
    assert "no-such-style" in client.get(url, params={"style": "no-such-style"}).json()["message"]


def test_exports_of_missing_and_draft_records_are_404(client, owner, metadata):
    from tests.helpers import create_draft

    draft = create_draft(client, owner.headers, metadata)
    missing = client.get("/records/999999/export/json")
    assert missing.status_code == 404
    assert client.get(f"/records/{draft['id']}/export/json").json() == missing.json()
    assert client.get("/records/not-a-number/export/json").status_code == 404
