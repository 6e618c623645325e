"""CodeMeta, CFF 1.2.0 (against the CFF JSON Schema) and GeoJSON."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given

from callimachus.formats import cff, codemeta, geojson

from . import validators
from .records import CTX, full_record, records

pytestmark = pytest.mark.backend_independent


@validators.PROPERTY
@given(records())
def test_cff_validates(record: dict) -> None:
    document = yaml.safe_load(cff.serialize(record, CTX).decode("utf-8"))
    assert validators.json_errors(validators.cff(), document) == []
    assert document["title"] == record["metadata"]["title"]


def test_cff_software_values() -> None:
    document = yaml.safe_load(cff.serialize(full_record("software"), CTX))
    assert document["cff-version"] == "1.2.0"
    assert document["type"] == "software"
    assert document["authors"][0] == {"family-names": "Carberry", "given-names": "Josiah",
                                      "orcid": "https://orcid.org/0000-0002-1825-0097", "affiliation": "CERN"}
    assert document["authors"][1] == {"name": "ACME & Partners <Research>"}
    assert document["doi"] == "10.5072/callimachus.124"
    assert document["license"] == "CC-BY-4.0"
    assert document["date-released"] == "2024-05-17"
    assert isinstance(document["date-released"], str)  # quoted in YAML, as the CFF schema requires
    assert document["repository-code"] == "https://github.com/example/tides"
    assert document["version"] == "v2.1"


@validators.PROPERTY
@given(records())
def test_codemeta_structure(record: dict) -> None:
    data = json.loads(codemeta.serialize(record, CTX))
    assert data["@context"] == "https://w3id.org/codemeta/3.0"
    assert data["name"] and data["@type"]
    for author in data.get("author", []):
        assert author["@type"] in ("Person", "Organization")
        assert author.get("familyName") or author.get("name")
    assert all(url.startswith("http") for url in data.get("license", []))


def test_codemeta_software_values() -> None:
    data = json.loads(codemeta.serialize(full_record("software"), CTX))
    assert data["@type"] == "SoftwareSourceCode"
    assert data["identifier"] == "https://doi.org/10.5072/callimachus.124"
    assert data["license"] == ["https://spdx.org/licenses/CC-BY-4.0"]
    assert data["codeRepository"] == "https://github.com/example/tides"
    assert data["author"][0]["@id"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["version"] == "v2.1"


def _check_position(position: list) -> None:
    assert len(position) >= 2
    assert -180 <= position[0] <= 180 and -90 <= position[1] <= 90


@validators.PROPERTY
@given(records())
def test_geojson_structure(record: dict) -> None:
    data = json.loads(geojson.serialize(record, CTX))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(record["metadata"].get("locations", {}).get("features", []))
    for feature in data["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        if geometry["type"] == "Point":
            _check_position(geometry["coordinates"])
        elif geometry["type"] == "Polygon":
            for ring in geometry["coordinates"]:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                for position in ring:
                    _check_position(position)


def test_geojson_values() -> None:
    data = json.loads(geojson.serialize(full_record(), CTX))
    point, polygon = data["features"]
    assert point["geometry"] == {"type": "Point", "coordinates": [4.3, 52.1]}
    assert point["properties"]["place"] == "Scheveningen"
    assert polygon["geometry"]["type"] == "Polygon"
