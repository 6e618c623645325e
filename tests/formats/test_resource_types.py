"""Every resource type of the vocabulary, in every access state, gives valid documents."""

from __future__ import annotations

import io
import json

import pybtex.database
import pymarc
import pytest
import rdflib
import yaml
from lxml import etree

from callimachus.formats import (
    bibtex,
    cff,
    citation,
    csl,
    datacite_xml,
    dcat,
    dublincore,
    marcxml,
    openaire,
    schemaorg,
)
from callimachus.metadata.vocabularies import get_vocabulary

from . import validators
from .records import CTX, full_record

pytestmark = [pytest.mark.backend_independent,
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

RESOURCE_TYPES = [e.id for e in get_vocabulary("resourcetypes").all()]
ACCESS = ["open", "embargoed", "restricted", "metadata-only"]


@pytest.mark.parametrize("resource_type", RESOURCE_TYPES)
def test_every_resource_type_validates(resource_type: str) -> None:
    access = ACCESS[RESOURCE_TYPES.index(resource_type) % len(ACCESS)]
    record = full_record(resource_type, access=access)
    assert validators.xml_errors(validators.datacite(), datacite_xml.serialize(record, CTX)) == []
    assert validators.xml_errors(validators.oai_dc(), dublincore.serialize(record, CTX)) == []
    assert validators.xml_errors(validators.openaire(), openaire.serialize(record, CTX)) == []
    marc = marcxml.serialize(record, CTX)
    assert validators.xml_errors(validators.marc21(), marc) == []
    assert pymarc.parse_xml_to_array(io.BytesIO(marc))
    assert validators.json_errors(validators.csl_data(), [json.loads(csl.serialize(record, CTX))]) == []
    assert validators.json_errors(validators.cff(), yaml.safe_load(cff.serialize(record, CTX))) == []
    pybtex.database.parse_string(bibtex.serialize(record, CTX), "bibtex")
    data = json.loads(schemaorg.serialize(record, CTX))
    assert 50 <= len(data["description"]) <= 5000
    graph = rdflib.Graph().parse(data=dcat.serialize(record, CTX), format="xml")
    assert len(graph) > 20
    assert "Carberry" in citation.format_citation(record, "apa")


@pytest.mark.parametrize("resource_type", RESOURCE_TYPES)
def test_types_map_into_each_standard(resource_type: str) -> None:
    record = full_record(resource_type)
    root = etree.fromstring(datacite_xml.serialize(record, CTX))
    general = root.find("{http://datacite.org/schema/kernel-4}resourceType").get("resourceTypeGeneral")
    expected = record["metadata"]["resource_type"]["props"]["datacite_general"]
    assert general == expected or (general, expected) in {("Text", "Poster"), ("Text", "Presentation")}
    assert csl.to_dict(record, CTX)["type"] == record["metadata"]["resource_type"]["props"]["csl"]
    assert schemaorg.schema_type(record) == record["metadata"]["resource_type"]["props"]["schema.org"].rsplit("/", 1)[-1]
