"""Official schemas and validators for the exports, loaded once per test session, never from the network.

The files live in ``tests/data/schemas/`` (provenance in its README). XML schemas are built with
``allow="local"`` so that any attempt to fetch a remote import fails instead of going online.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import rdflib
import xmlschema
from hypothesis import HealthCheck, Phase, settings

SCHEMAS = (Path(__file__).parent.parent / "data" / "schemas").resolve()

# One place to tune the property tests' cost (the whole formats suite stays within minutes).
# CALLIMACHUS_HYPOTHESIS_NO_SHRINK=1 skips shrinking, for quick local iterations on a failure.
# CALLIMACHUS_HYPOTHESIS_EXAMPLES=N raises the example count for a deeper local search.
PROPERTY = settings(max_examples=int(os.environ.get("CALLIMACHUS_HYPOTHESIS_EXAMPLES", "40")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                    phases=[p for p in Phase if p != Phase.shrink or not os.environ.get("CALLIMACHUS_HYPOTHESIS_NO_SHRINK")])


def _xsd(path: Path, **kwargs: Any) -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(path), allow="local", **kwargs)


@cache
def datacite() -> xmlschema.XMLSchema10:
    return _xsd(SCHEMAS / "datacite/kernel-4.6/metadata.xsd")


@cache
def oai_datacite() -> xmlschema.XMLSchema10:
    return _xsd(SCHEMAS / "datacite/oai-1.1/oai.xsd")


@cache
def oai_dc() -> xmlschema.XMLSchema10:
    """oai_dc.xsd with its DCMI simpledc import mapped to the local copy (one schema set per prefix)."""
    return _xsd(SCHEMAS / "oai-pmh/oai_dc.xsd",
                locations=[("http://purl.org/dc/elements/1.1/", str(SCHEMAS / "oai-pmh/simpledc20021212.xsd"))])


@cache
def marc21() -> xmlschema.XMLSchema10:
    return _xsd(SCHEMAS / "marc21/MARC21slim.xsd")


@cache
def openaire() -> xmlschema.XMLSchema10:
    """OpenAIRE 4.0; its w3.org xml.xsd imports resolve to xmlschema's bundled copy."""
    return _xsd(SCHEMAS / "openaire/4.0/openaire.xsd")


@cache
def sitemap() -> xmlschema.XMLSchema10:
    return _xsd(SCHEMAS / "sitemaps/sitemap.xsd")


@cache
def siteindex() -> xmlschema.XMLSchema10:
    return _xsd(SCHEMAS / "sitemaps/siteindex.xsd")


@cache
def dcat_shapes() -> rdflib.Graph:
    """DCAT-AP 3.0.1 ``html/shacl/shapes.ttl`` + ``range.ttl`` (the pair pyshacl can run)."""
    graph = rdflib.Graph()
    for name in ("shapes.ttl", "range.ttl"):
        graph.parse(SCHEMAS / "dcat-ap" / name, format="turtle")
    return graph


@cache
def csl_data() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((SCHEMAS / "csl/csl-data.json").read_text()))


@cache
def cff() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((SCHEMAS / "cff/schema-1.2.0.json").read_text()))


@cache
def schemaorg_shapes() -> rdflib.Graph:
    """pyshacl's bundled datashapes.org SHACL rendering of schema.org (``http://schema.org/``)."""
    import pyshacl

    graph = rdflib.Graph()
    graph.parse(Path(pyshacl.__file__).parent / "assets" / "schema.ttl", format="turtle")
    return graph


def xml_errors(schema: xmlschema.XMLSchema10, document: bytes | str) -> list[str]:
    """Every validation error as ``reason @ path`` (empty when valid)."""
    text = document.decode("utf-8") if isinstance(document, bytes) else document
    return [f"{e.reason} @ {e.path}" for e in schema.iter_errors(text)]


def json_errors(validator: jsonschema.Draft7Validator, instance: Any) -> list[str]:
    return [f"{e.message} @ {list(e.path)}" for e in validator.iter_errors(instance)]
