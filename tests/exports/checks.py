"""Shared pieces of the export tests: records made through the API, and one validity check per format.

``check_body(name, body, record)`` validates an export against the official schema or a strict
parser where one exists (tests/formats/validators.py), else checks the structure its spec requires.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from typing import Any

import bibtexparser
import pymarc
import pyshacl
import rdflib
import yaml
from lxml import etree
from signposting.linkset import LinksetJSON, _parse_linkset_json

from tests.formats import validators
from tests.formats.records import full_input
from tests.formats.test_citations import _strict_pybtex
from tests.formats.test_linked_data import _as_schemaorg_graph, check_google_dataset, schemaorg_violations
from tests.helpers import create_draft, publish, upload

SITE = "http://testserver"
# Resource types whose exports differ most: DataCite/schema.org/BibTeX/CSL types all change.
RESOURCE_TYPES = ("dataset", "software", "publication-article", "image-photo", "publication-thesis", "other")
FILES = {"tides.csv": b"station,level\nA,1.2\n", "paper.pdf": b"%PDF-1.4 minimal\n"}

# What each format must answer with, by export name.
CONTENT_TYPES = {
    "json": "application/json",
    "json-ld": "application/ld+json",
    "csl": "application/vnd.citationstyles.csl+json",
    "datacite-json": "application/vnd.datacite.datacite+json",
    "datacite-xml": "application/vnd.datacite.datacite+xml",
    "dublincore": "application/x-dc+xml",
    "marcxml": "application/marcxml+xml",
    "bibtex": "application/x-bibtex",
    "geojson": "application/vnd.geo+json",
    "dcat-ap": "application/dcat+xml",
    "codemeta": "application/ld+json",
    "cff": "application/x-yaml",
}
EXTENSIONS = {"json": "json", "json-ld": "jsonld", "csl": "json", "datacite-json": "json", "datacite-xml": "xml",
              "dublincore": "xml", "marcxml": "xml", "bibtex": "bib", "geojson": "geojson", "dcat-ap": "xml",
              "codemeta": "json", "cff": "cff"}


def full_metadata(resource_type: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Metadata and custom fields with every optional field, as a client sends them."""
    metadata, custom = full_input(resource_type)
    if resource_type == "publication-thesis":
        custom["thesis:thesis"] = {"university": "Brown University"}
    return copy.deepcopy(metadata), copy.deepcopy(custom)


def api_record(client: Any, headers: dict[str, str], resource_type: str = "dataset", *,
               files: dict[str, bytes] | None = None, **extra: Any) -> dict[str, Any]:
    """A record published through the API with every optional field (and ``files``, by default two)."""
    metadata, custom = full_metadata(resource_type)
    draft = create_draft(client, headers, metadata, custom_fields=custom, **extra)
    if extra.get("files", {}).get("enabled", True):
        for key, data in (FILES if files is None else files).items():
            upload(client, headers, draft["id"], key, data)
    return publish(client, headers, draft["id"])


def _xsd(schema: Callable[[], Any]) -> Callable[[bytes, dict[str, Any]], None]:
    def check(body: bytes, record: dict[str, Any]) -> None:
        assert validators.xml_errors(schema(), body) == []

    return check


def _json_native(body: bytes, record: dict[str, Any]) -> None:
    data = json.loads(body)
    assert data["id"] == record["id"] and data["metadata"]["title"] == record["metadata"]["title"]


def _json_ld(body: bytes, record: dict[str, Any]) -> None:
    data = json.loads(body)
    check_google_dataset(data)
    assert data["name"] == record["metadata"]["title"]
    if data["@type"] == "Dataset":
        assert schemaorg_violations(_as_schemaorg_graph(data)) == []


def _csl(body: bytes, record: dict[str, Any]) -> None:
    data = json.loads(body)
    assert validators.json_errors(validators.csl_data(), [data]) == []
    assert data["title"] == record["metadata"]["title"]


def _datacite_json(body: bytes, record: dict[str, Any]) -> None:
    data = json.loads(body)
    assert data["doi"] == record["pids"]["doi"]["identifier"]
    assert data["types"]["resourceTypeGeneral"] and data["publicationYear"] == "2024"
    assert data["titles"][0]["title"] == record["metadata"]["title"]
    assert all(c["name"] for c in data["creators"]) and data["publisher"]["name"]
    assert data["schemaVersion"] == "http://datacite.org/schema/kernel-4"


def _marcxml(body: bytes, record: dict[str, Any]) -> None:
    assert validators.xml_errors(validators.marc21(), body) == []
    [back] = pymarc.parse_xml_to_array(io.BytesIO(body))
    assert back["245"]["a"] == record["metadata"]["title"]


def _bibtex(body: bytes, record: dict[str, Any]) -> None:
    text = body.decode("utf-8")
    [(_, entry)] = _strict_pybtex(text).entries.items()
    assert entry.fields["doi"] == record["pids"]["doi"]["identifier"]
    library = bibtexparser.parse_string(text)
    assert len(library.entries) == 1 and library.failed_blocks == []


def _geojson(body: bytes, record: dict[str, Any]) -> None:
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(record["metadata"].get("locations", {}).get("features", []))
    for feature in data["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        positions = [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"][0]
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat, *_ in positions)


def _dcat(body: bytes, record: dict[str, Any]) -> None:
    graph = rdflib.Graph().parse(data=body, format="xml")
    conforms, _, report = pyshacl.validate(graph, shacl_graph=validators.dcat_shapes(), inference="none", allow_warnings=True)
    assert conforms, report


def _codemeta(body: bytes, record: dict[str, Any]) -> None:
    data = json.loads(body)
    assert data["@context"] == "https://w3id.org/codemeta/3.0"
    assert data["name"] == record["metadata"]["title"] and data["@type"]
    assert all(a["@type"] in ("Person", "Organization") for a in data.get("author", []))


def _cff(body: bytes, record: dict[str, Any]) -> None:
    document = yaml.safe_load(body.decode("utf-8"))
    assert validators.json_errors(validators.cff(), document) == []
    assert document["title"] == record["metadata"]["title"]


def check_citation(body: bytes, record: dict[str, Any]) -> None:
    text = body.decode("utf-8")
    assert record["metadata"]["title"].lower() in text.lower() and "Carberry" in text
    assert "\n" not in text.strip()


def check_linkset(body: bytes, record: dict[str, Any]) -> None:
    landing = f"{SITE}/records/{record['id']}"
    url = f"{SITE}/api/records/{record['id']}"
    parsed = _parse_linkset_json(LinksetJSON(body.decode("utf-8"), "application/linkset+json", url, url))
    mine = parsed.for_context(landing)
    assert str(mine.citeAs.target) == f"https://doi.org/{record['pids']['doi']['identifier']}"
    assert {str(d.type) for d in mine.describedBy} >= set(CONTENT_TYPES.values())
    anchors = {link["anchor"] for link in json.loads(body)["linkset"]}
    assert landing in anchors and url in anchors


CHECKS: dict[str, Callable[[bytes, dict[str, Any]], None]] = {
    "json": _json_native,
    "json-ld": _json_ld,
    "csl": _csl,
    "datacite-json": _datacite_json,
    "datacite-xml": _xsd(validators.datacite),
    "dublincore": _xsd(validators.oai_dc),
    "marcxml": _marcxml,
    "bibtex": _bibtex,
    "geojson": _geojson,
    "dcat-ap": _dcat,
    "codemeta": _codemeta,
    "cff": _cff,
}


def check_body(name: str, body: bytes, record: dict[str, Any]) -> None:
    CHECKS[name](body, record)


def xml_root(body: bytes) -> etree._Element:
    return etree.fromstring(body)
