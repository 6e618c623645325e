"""DCAT-AP 3 (pyshacl with the official shapes) and schema.org JSON-LD (Google's Dataset rules)."""

from __future__ import annotations

import json

import pyshacl
import pytest
import rdflib
from hypothesis import given, settings
from rdflib.namespace import DCTERMS, FOAF, RDF

from callimachus.formats import dcat, schemaorg
from callimachus.formats.dcat import DCAT

from . import validators
from .records import CTX, MARKER, full_record, make_record, records

pytestmark = [pytest.mark.backend_independent,
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

GOOGLE_RECOMMENDED = ("creator", "identifier", "keywords", "license", "url", "version", "isAccessibleForFree",
                      "datePublished", "inLanguage", "spatialCoverage", "temporalCoverage", "funder",
                      "includedInDataCatalog", "sameAs")


def _shacl(graph: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, str]:
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    return bool(conforms), str(text)


@validators.PROPERTY
@given(records())
def test_dcat_ap_conforms_to_official_shapes(record: dict) -> None:
    graph = rdflib.Graph().parse(data=dcat.serialize(record, CTX), format="xml")
    conforms, report = _shacl(graph, validators.dcat_shapes())
    assert conforms, report


def test_dcat_dataset_has_typed_nodes_and_distributions() -> None:
    graph = rdflib.Graph().parse(data=dcat.serialize(full_record(), CTX), format="xml")
    dataset = rdflib.URIRef("https://doi.org/10.5072/callimachus.124")
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 3
    for node in distributions:
        assert graph.value(node, DCAT.accessURL) == rdflib.URIRef("https://repo.example.org/records/124")
        assert graph.value(node, DCAT.downloadURL) is not None
        assert (graph.value(node, DCTERMS.license), RDF.type, DCTERMS.LicenseDocument) in graph
    contact = graph.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, rdflib.URIRef("http://www.w3.org/2006/vcard/ns#Kind")) in graph
    assert str(graph.value(dataset, DCTERMS.issued)) == "2024-05-17"


def test_dcat_without_visible_files_has_landing_distribution_only() -> None:
    document = dcat.serialize(full_record(access="restricted"), CTX)
    graph = rdflib.Graph().parse(data=document, format="xml")
    [node] = graph.objects(rdflib.URIRef("https://doi.org/10.5072/callimachus.124"), DCAT.distribution)
    assert graph.value(node, DCAT.downloadURL) is None
    assert MARKER not in document.decode()
    assert _shacl(graph, validators.dcat_shapes())[0]


def check_google_dataset(data: dict) -> None:
    """Google Dataset Search: name and a 50-5000 char description that is not the name."""
    assert data["@context"] == "https://schema.org/"
    assert data["name"]
    assert 50 <= len(data["description"]) <= 5000
    assert data["description"] != data["name"]
    for creator in data.get("creator", []):
        assert creator["@type"] in ("Person", "Organization") and creator["name"]
    if "license" in data:
        licences = data["license"] if isinstance(data["license"], list) else [data["license"]]
        assert all(url.startswith(("http://", "https://")) for url in licences)
    for download in data.get("distribution", []):
        assert download["@type"] == "DataDownload" and download["contentUrl"] and download["encodingFormat"]
    if "temporalCoverage" in data:
        values = data["temporalCoverage"] if isinstance(data["temporalCoverage"], list) else [data["temporalCoverage"]]
        assert all("?" not in v and "~" not in v for v in values)
    assert isinstance(data["isAccessibleForFree"], bool)


@validators.PROPERTY
@given(records())
def test_schemaorg_meets_google_requirements(record: dict) -> None:
    data = json.loads(schemaorg.serialize(record, CTX))
    check_google_dataset(data)
    assert data["@type"] == schemaorg.schema_type(record)
    if data["@type"] == "Dataset":
        assert data["includedInDataCatalog"]["name"] == "Callimachus"


def test_schemaorg_dataset_has_recommended_properties() -> None:
    data = json.loads(schemaorg.serialize(full_record(), CTX))
    check_google_dataset(data)
    missing = [p for p in GOOGLE_RECOMMENDED if p not in data]
    assert missing == []
    assert data["identifier"] == "https://doi.org/10.5072/callimachus.124"
    assert data["creator"][0]["sameAs"] == ["https://orcid.org/0000-0002-1825-0097"]
    assert data["creator"][0]["affiliation"][0]["sameAs"] == "https://ror.org/01ggx4157"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/legalcode"
    assert data["temporalCoverage"] == "1900/2020"
    assert data["inLanguage"] == "en"
    assert data["funder"][0]["sameAs"] == "https://ror.org/00k4n6c32"
    assert len(data["distribution"]) == 3


def test_short_description_is_replaced_by_a_generated_sentence() -> None:
    record = full_record()
    record["metadata"]["description"] = "<p>Short.</p>"
    data = json.loads(schemaorg.serialize(record, CTX))
    assert len(data["description"]) >= 50
    assert "Tide gauge records" in data["description"] and "Carberry" in data["description"]
    assert "Short." not in data["description"]


@pytest.mark.parametrize(("resource_type", "expected"), [
    ("dataset", "Dataset"), ("software", "SoftwareSourceCode"), ("publication-article", "ScholarlyArticle"),
])
def test_schemaorg_type_from_resource_type(resource_type: str, expected: str) -> None:
    data = json.loads(schemaorg.serialize(full_record(resource_type), CTX))
    assert data["@type"] == expected
    assert ("distribution" in data) == (expected == "Dataset")


def _as_schemaorg_graph(data: dict) -> rdflib.Graph:
    """Parse offline: the remote context is replaced by the vocabulary the shapes use."""
    local = dict(data, **{"@context": {"@vocab": "http://schema.org/"}})
    return rdflib.Graph().parse(data=json.dumps(local), format="json-ld")


SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def schemaorg_violations(graph: rdflib.Graph) -> list[str]:
    """SHACL results, except JSON numbers for coordinates.

    JSON-LD maps a JSON number with a fraction to ``xsd:double``; the 2021 datashapes rendering
    accepts only ``xsd:float`` or text for latitude/longitude, although schema.org's range is Number.
    """
    _, results, _ = pyshacl.validate(graph, shacl_graph=validators.schemaorg_shapes(), inference="none")
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        value = results.value(result, SH.value)
        if isinstance(value, rdflib.Literal) and value.datatype == rdflib.XSD.double:
            continue
        found.append(f"{results.value(result, SH.resultPath)}: {results.value(result, SH.resultMessage)}")
    return found


@settings(validators.PROPERTY, max_examples=5)
@given(records(resource_type="dataset"))
def test_schemaorg_dataset_passes_schemaorg_shapes(record: dict) -> None:
    graph = _as_schemaorg_graph(json.loads(schemaorg.serialize(record, CTX)))
    assert schemaorg_violations(graph) == []


def test_schemaorg_shapes_catch_a_wrong_distribution() -> None:
    data = json.loads(schemaorg.serialize(full_record(), CTX))
    data["distribution"] = [{"@type": "Person", "name": "x"}]
    assert schemaorg_violations(_as_schemaorg_graph(data)) != []


def test_metadata_only_record_has_no_downloads() -> None:
    record = make_record(full_record()["metadata"], access="metadata-only")
    data = json.loads(schemaorg.serialize(record, CTX))
    assert "distribution" not in data and data["isAccessibleForFree"] is False


def test_json_ld_is_safe_to_embed_in_a_script_element() -> None:
    record = full_record()
    record["metadata"]["title"] = "</script><script>alert(1)</script> & more"
    document = schemaorg.serialize(record, CTX).decode("utf-8")
    assert "<" not in document and ">" not in document and "&" not in document
    assert json.loads(document)["name"] == "</script><script>alert(1)</script> & more"
