"""Validating OAI-PMH responses offline: the official OAI-PMH schema with one schema set per
metadata prefix (OAI-PMH's simple DC and OpenAIRE's ``dc.xsd`` define the same namespace and
cannot be loaded together), then each payload against its own format's validator.

Schemas are loaded with ``allow="local"``: an import that is not mapped to a local file fails
instead of going to the network.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyshacl
import rdflib
import xmlschema
from lxml import etree

from tests.formats import validators
from tests.formats.validators import SCHEMAS

OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {"oai": OAI}
OAI_PMH = SCHEMAS / "oai-pmh"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
KERNEL4 = "http://datacite.org/schema/kernel-4"
MARC = "http://www.loc.gov/MARC21/slim"
RDF_ENVELOPE = Path(__file__).parent / "data" / "rdf-envelope.xsd"

# Namespace → local schema, per metadata prefix (None: responses without metadata).
EXTRA: dict[str | None, list[tuple[str, Path]]] = {
    None: [],
    "oai_dc": [("http://www.openarchives.org/OAI/2.0/oai_dc/", OAI_PMH / "oai_dc.xsd"),
               ("http://purl.org/dc/elements/1.1/", OAI_PMH / "simpledc20021212.xsd")],
    "oai_datacite": [("http://schema.datacite.org/oai/oai-1.1/", SCHEMAS / "datacite/oai-1.1/oai.xsd"),
                     (KERNEL4, SCHEMAS / "datacite/kernel-4.6/metadata.xsd")],
    "datacite": [(KERNEL4, SCHEMAS / "datacite/kernel-4.6/metadata.xsd")],
    "oai_openaire": [("http://namespace.openaire.eu/schema/oaire/", SCHEMAS / "openaire/4.0/openaire.xsd")],
    "marc21": [(MARC, SCHEMAS / "marc21/MARC21slim.xsd")],
    "marcxml": [(MARC, SCHEMAS / "marc21/MARC21slim.xsd")],
    "dcat": [(RDF, RDF_ENVELOPE)],
}
PREFIXES = tuple(p for p in EXTRA if p is not None)


@cache
def oai_schema(prefix: str | None) -> xmlschema.XMLSchema10:
    """OAI-PMH.xsd with oai-identifier.xsd (Identify) and the schemas of one metadata prefix."""
    locations = [("http://www.openarchives.org/OAI/2.0/oai-identifier", str(OAI_PMH / "oai-identifier.xsd"))]
    locations += [(ns, str(path)) for ns, path in EXTRA[prefix]]
    return xmlschema.XMLSchema10(str(OAI_PMH / "OAI-PMH.xsd"), locations=locations, allow="local")


def envelope_errors(body: bytes, prefix: str | None) -> list[str]:
    return validators.xml_errors(oai_schema(prefix), body)


def payloads(body: bytes) -> list[etree._Element]:
    root = etree.fromstring(body)
    return [m[0] for m in root.iterfind(".//oai:metadata", NS)]


def payload_errors(prefix: str, element: etree._Element) -> list[str]:
    """Errors of one payload against its format's own schema (DCAT: see :func:`dcat_errors`)."""
    text = etree.tostring(element)
    if prefix == "oai_dc":
        return validators.xml_errors(validators.oai_dc(), text)
    if prefix == "oai_datacite":
        resource = element.find(f".//{{{KERNEL4}}}resource")
        errors = validators.xml_errors(validators.oai_datacite(), text)
        return errors + (validators.xml_errors(validators.datacite(), etree.tostring(resource))
                         if resource is not None else ["oai_datacite payload has no DataCite resource"])
    if prefix == "datacite":
        return validators.xml_errors(validators.datacite(), text)
    if prefix == "oai_openaire":
        return validators.xml_errors(validators.openaire(), text)
    if prefix in ("marc21", "marcxml"):
        return validators.xml_errors(validators.marc21(), text)
    if prefix == "dcat":
        return []  # checked together, see dcat_errors
    return [f"no validator for {prefix}"]


def dcat_errors(elements: list[etree._Element]) -> list[str]:
    """All DCAT payloads of a harvest merged into one graph, checked with the DCAT-AP shapes."""
    graph = rdflib.Graph()
    for element in elements:
        graph.parse(data=etree.tostring(element), format="xml")
    if not elements:
        return []
    conforms, _, text = pyshacl.validate(graph, shacl_graph=validators.dcat_shapes(), inference="none")
    return [] if conforms else [str(text)[:3000]]
