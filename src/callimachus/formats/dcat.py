"""DCAT-AP 3 description of a record as RDF/XML (``dcat-ap`` export), built with rdflib.

Every linked node carries its ``rdf:type`` (publisher ``foaf:Agent``, licence
``dct:LicenseDocument``, distribution ``dcat:Distribution``, contact point ``vcard:Kind``…),
because the DCAT-AP SHACL shapes check classes without inference. Each distribution has the
mandatory ``dcat:accessURL`` (the landing page); ``dcat:downloadURL`` and file facts are given
only for files the public may see.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from callimachus.formats import common, dates, schemaorg, vocab
from callimachus.formats.base import FormatContext, Record, clean_text

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # open namespace: rdflib's closed one lacks DCAT 3 terms
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"
_ACCESS = {"open": "PUBLIC", "embargoed": "NON_PUBLIC", "restricted": "RESTRICTED", "metadata-only": "NON_PUBLIC"}


def _lit(text: str, lang: str | None = None) -> Literal:
    return Literal(clean_text(text), lang=lang or None)


def _date_literal(value: str) -> Literal | None:
    """An xsd:date / gYearMonth / gYear literal for the start of an EDTF value."""
    iso = dates.start_date(value)
    if not iso or iso.startswith("-"):
        return None
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}.get(len(iso))
    return Literal(iso, datatype=datatype) if datatype else None


def _agent(graph: Graph, person: common.Person) -> URIRef | BNode:
    urls = person.pid_urls
    node: URIRef | BNode = URIRef(urls[0]) if urls else BNode()
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, RDF.type, FOAF.Person if person.personal else FOAF.Organization))
    graph.add((node, FOAF.name, _lit(person.display)))
    return node


def _named_node(graph: Graph, iri: str | None, rdf_type: URIRef) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(iri) if iri else BNode()
    graph.add((node, RDF.type, rdf_type))
    return node


def _distribution(graph: Graph, record: Record, ctx: FormatContext, file: common.FileInfo | None) -> BNode:
    node = BNode()
    landing = URIRef(common.landing_url(record, ctx))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, landing))
    rights = _named_node(graph, EU_ACCESS + _ACCESS[common.access_status(record)], DCTERMS.RightsStatement)
    graph.add((node, DCTERMS.rights, rights))
    licence = next((r for r in sorted(common.rights(record), key=lambda r: r.spdx_id is None) if r.url), None)
    if licence is not None:  # DCAT-AP allows one licence per distribution; prefer an SPDX one
        graph.add((node, DCTERMS.license, _named_node(graph, licence.url, DCTERMS.LicenseDocument)))
    if file is None:
        graph.add((node, DCTERMS.title, _lit("Landing page")))
        return node
    graph.add((node, DCTERMS.title, _lit(file.key)))
    graph.add((node, DCAT.downloadURL, URIRef(file.download_url)))
    graph.add((node, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    media = _named_node(graph, IANA_MEDIA + file.mimetype, DCTERMS.MediaType)
    graph.add((node, DCAT.mediaType, media))
    return node


def _coverage(graph: Graph, dataset: URIRef, record: Record) -> None:
    for feature in common.locations(record):
        location = _named_node(graph, None, DCTERMS.Location)
        graph.add((dataset, DCTERMS.spatial, location))
        if feature.get("place"):
            graph.add((location, SKOS.prefLabel, _lit(feature["place"])))
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates")
        if geometry.get("type") == "Point" and coords:
            graph.add((location, DCAT.centroid, Literal(f"POINT({coords[0]} {coords[1]})", datatype=GSP.wktLiteral)))
        elif geometry.get("type") == "Polygon" and coords:
            ring = ", ".join(f"{c[0]} {c[1]}" for c in coords[0])
            graph.add((location, DCAT.bbox, Literal(f"POLYGON(({ring}))", datatype=GSP.wktLiteral)))
    for entry in common.metadata(record).get("dates") or []:
        if (entry.get("type") or {}).get("id") not in ("collected", "coverage", "valid"):
            continue
        period = dates.parse(entry.get("date"))
        if period is None:
            continue
        node = _named_node(graph, None, DCTERMS.PeriodOfTime)
        graph.add((dataset, DCTERMS.temporal, node))
        start = _date_literal(entry["date"].split("/")[0]) if period.start else None
        end = _date_literal(entry["date"].split("/")[-1]) if period.end else None
        for prop, value in ((DCAT.startDate, start), (DCAT.endDate, end)):
            if value is not None:
                graph.add((node, prop, value))


def _describe(graph: Graph, dataset: URIRef, record: Record, ctx: FormatContext) -> None:
    lang = (common.languages(record) or [("", "", "")])[0][1] or None
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, _lit(common.title(record) or "Untitled", lang)))
    graph.add((dataset, DCTERMS.description, _lit(schemaorg.description(record, ctx), lang)))
    graph.add((dataset, DCTERMS.identifier, _lit(common.identifier_url(record, ctx))))
    for ident in common.metadata(record).get("identifiers") or []:
        if ident.get("identifier"):
            node = _named_node(graph, None, ADMS.Identifier)
            graph.add((node, SKOS.notation, _lit(str(ident["identifier"]))))
            graph.add((dataset, ADMS.identifier, node))
    if issued := _date_literal(common.publication_date(record)):
        graph.add((dataset, DCTERMS.issued, issued))
    if record.get("updated"):
        graph.add((dataset, DCTERMS.modified, Literal(str(record["updated"]), datatype=XSD.dateTime)))
    if version := common.metadata(record).get("version"):
        graph.add((dataset, DCAT.version, _lit(version)))
    for keyword in common.keywords(record):
        graph.add((dataset, DCAT.keyword, _lit(keyword)))
    for code in common.languages(record):
        graph.add((dataset, DCTERMS.language, _named_node(graph, EU_LANGUAGE + code[0].upper(), DCTERMS.LinguisticSystem)))
    coar, label = vocab.coar_resource_type(common.resource_type(record))
    rtype = _named_node(graph, coar, SKOS.Concept)
    graph.add((rtype, SKOS.prefLabel, _lit(label, "en")))
    graph.add((dataset, DCTERMS.type, rtype))
    graph.add((dataset, DCTERMS.accessRights,
               _named_node(graph, EU_ACCESS + _ACCESS[common.access_status(record)], DCTERMS.RightsStatement)))


def to_graph(record: Record, ctx: FormatContext) -> Graph:
    """The RDF graph of a record as a ``dcat:Dataset``."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("adms", ADMS)
    dataset = URIRef(common.identifier_url(record, ctx))
    _describe(graph, dataset, record, ctx)
    publisher = _named_node(graph, None, FOAF.Agent)
    graph.add((publisher, FOAF.name, _lit(common.publisher(record, ctx))))
    graph.add((dataset, DCTERMS.publisher, publisher))
    for person in common.creators(record):
        graph.add((dataset, DCTERMS.creator, _agent(graph, person)))
    contact = _named_node(graph, None, VCARD.Kind)
    graph.add((contact, VCARD.fn, _lit(ctx.site_name)))
    graph.add((contact, VCARD.hasURL, URIRef(ctx.site_url)))
    if ctx.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + ctx.contact_email)))
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((dataset, DCAT.landingPage, _named_node(graph, common.landing_url(record, ctx), FOAF.Document)))
    _coverage(graph, dataset, record)
    files: list[common.FileInfo | None] = list(common.visible_files(record, ctx)) or [None]
    for file in files:
        graph.add((dataset, DCAT.distribution, _distribution(graph, record, ctx, file)))
    return graph


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """DCAT-AP 3 RDF/XML (``application/dcat+xml``)."""
    data: bytes = to_graph(record, ctx).serialize(format="pretty-xml", encoding="utf-8")
    return data
