"""Content negotiation on ``GET /api/records/{id}``: every export media type, citations, the linkset."""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.exports.checks import RESOURCE_TYPES, api_record, check_body, check_citation, check_linkset

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

# Accept header -> (export whose check applies, Content-Type answered)
ACCEPT = {
    "application/x-datacite+xml": ("datacite-xml", "application/vnd.datacite.datacite+xml"),
    "application/vnd.datacite.datacite+xml": ("datacite-xml", "application/vnd.datacite.datacite+xml"),
    "application/vnd.datacite.datacite+json": ("datacite-json", "application/vnd.datacite.datacite+json"),
    "application/ld+json": ("json-ld", "application/ld+json"),
    'application/ld+json; profile="https://schema.org"': ("json-ld", "application/ld+json"),
    'application/ld+json;profile="https://w3id.org/codemeta/3.0"': ("codemeta", "application/ld+json"),
    "application/x-bibtex": ("bibtex", "application/x-bibtex"),
    "application/vnd.citationstyles.csl+json": ("csl", "application/vnd.citationstyles.csl+json"),
    "application/marcxml+xml": ("marcxml", "application/marcxml+xml"),
    "application/x-dc+xml": ("dublincore", "application/x-dc+xml"),
    "application/dcat+xml": ("dcat-ap", "application/dcat+xml"),
    "application/vnd.geo+json": ("geojson", "application/vnd.geo+json"),
    "application/x-yaml": ("cff", "application/x-yaml"),
    "application/yaml": ("cff", "application/x-yaml"),
    "application/vnd.inveniordm.v1+json": ("json", "application/json"),
}


def same_document(name: str, first: bytes, second: bytes) -> bool:
    """Equal bytes; equal JSON for the native JSON (compact in the API, indented as an export); for
    DCAT (fresh blank node ids each time) isomorphic graphs."""
    if name == "json":
        return json.loads(first) == json.loads(second)
    if name != "dcat-ap":
        return first == second
    return isomorphic(rdflib.Graph().parse(data=first, format="xml"), rdflib.Graph().parse(data=second, format="xml"))


@pytest.mark.parametrize("resource_type", RESOURCE_TYPES[:3])
def test_every_accept_type_anonymous_and_authenticated(client, owner, resource_type):
    record = api_record(client, owner.headers, resource_type)
    url = f"/api/records/{record['id']}"
    for accept, (name, content_type) in ACCEPT.items():
        anonymous = client.get(url, headers={"Accept": accept})
        assert anonymous.status_code == 200, (accept, anonymous.text)
        assert anonymous.headers["content-type"].split(";")[0] == content_type, accept
        check_body(name, anonymous.content, record)
        export = client.get(f"/records/{record['id']}/export/{name}")
        assert same_document(name, anonymous.content, export.content), accept
        again = client.get(url, headers={"Accept": accept})  # from the public cache on SQLite
        assert same_document(name, again.content, anonymous.content)
        assert again.headers["content-type"] == anonymous.headers["content-type"]
        signed_in = client.get(url, headers={"Accept": accept, **owner.headers})
        assert signed_in.status_code == 200 and signed_in.headers["cache-control"] == "private, no-store"
        assert signed_in.headers["content-type"] == anonymous.headers["content-type"]
        check_body(name, signed_in.content, record)


def test_formatted_citations_by_accept_parameters(client, owner):
    record = api_record(client, owner.headers)
    url = f"/api/records/{record['id']}"
    apa = client.get(url, headers={"Accept": "text/x-bibliography"})
    assert apa.status_code == 200 and apa.headers["content-type"] == "text/plain; charset=utf-8"
    check_citation(apa.content, record)
    assert apa.text.startswith("Carberry, J., & ")
    ieee = client.get(url, headers={"Accept": "text/x-bibliography; style=ieee"})
    assert ieee.text.startswith("J. Carberry and")
    german = client.get(url, headers={"Accept": 'text/x-bibliography; style="apa"; locale=de-DE'})
    assert "[Datensatz]" in german.text
    # Each style is cached under its own key: asking again gives the same answers.
    assert client.get(url, headers={"Accept": "text/x-bibliography; style=ieee"}).text == ieee.text
    assert client.get(url, headers={"Accept": "text/x-bibliography"}).text == apa.text
    unknown = client.get(url, headers={"Accept": "text/x-bibliography; style=no-such-style"})
    assert unknown.status_code == 400 and "no-such-style" in unknown.json()["message"]
    assert client.get(url, headers={"Accept": "text/x-bibliography; style=apa; locale=zz-ZZ"}).status_code == 400


def test_linkset_by_accept(client, owner):
    record = api_record(client, owner.headers)
    response = client.get(f"/api/records/{record['id']}", headers={"Accept": "application/linkset+json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/linkset+json"
    check_linkset(response.content, record)


def test_quality_values_and_wildcards(client, owner):
    record = api_record(client, owner.headers)
    url = f"/api/records/{record['id']}"
    best = client.get(url, headers={"Accept": "application/x-bibtex;q=0.5, application/vnd.datacite.datacite+xml"})
    assert best.headers["content-type"] == "application/vnd.datacite.datacite+xml"
    assert client.get(url, headers={"Accept": "text/*"}).headers["content-type"] == "text/plain; charset=utf-8"
    assert client.get(url, headers={"Accept": "*/*"}).headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("accept", ["image/png", "application/linkset", "text/html", "application/x-bibtex;q=0"])
def test_nothing_acceptable_is_406(client, owner, accept):
    record = api_record(client, owner.headers)
    response = client.get(f"/api/records/{record['id']}", headers={"Accept": accept})
    assert response.status_code == 406
    message = response.json()["message"]
    for media_type in ("application/x-bibtex", "text/x-bibliography", "application/linkset+json", "application/dcat+xml"):
        assert media_type in message
