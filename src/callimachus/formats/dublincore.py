"""Simple Dublin Core in the OAI ``oai_dc`` container: the ``dublincore`` export and the OAI payload.

Only the 15 DCMES elements (no dcterms, no ``xsi:type``); identifiers as resolvable URLs; access
rights as COAR and info:eu-repo URIs in ``dc:rights`` beside the licence URL and name.
"""

from __future__ import annotations

from lxml import etree

from callimachus.formats import common, dates, vocab
from callimachus.formats.base import FormatContext, Record, clean_text, sub, xml_bytes

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def _related_url(identifier: str, scheme: str | None) -> str:
    """A related identifier as a URL where a resolver is known, else ``scheme:identifier``."""
    kind = str(scheme or "").lower()
    if kind == "doi":
        return common.DOI_RESOLVER + identifier
    if kind == "arxiv":
        return "https://arxiv.org/abs/" + identifier.removeprefix("arXiv:")
    if kind in ("handle", "hdl"):
        return "https://hdl.handle.net/" + identifier
    if kind == "pmid":
        return "https://pubmed.ncbi.nlm.nih.gov/" + identifier
    if identifier.startswith(("http://", "https://")):
        return identifier
    return f"{kind}:{identifier}" if kind else identifier


def _identifiers(record: Record, ctx: FormatContext) -> list[str]:
    values = [common.doi_url(common.doi(record)) or "", common.landing_url(record, ctx),
              common.oai_identifier(record, ctx)]
    for ident in common.metadata(record).get("identifiers") or []:
        if ident.get("identifier"):
            values.append(_related_url(str(ident["identifier"]), ident.get("scheme")))
    return [v for v in dict.fromkeys(values) if v]


def _rights(record: Record) -> list[str]:
    status = common.access_status(record)
    values = [vocab.COAR_ACCESS_RIGHTS[status][0], vocab.EU_REPO_ACCESS_RIGHTS[status]]
    for right in common.rights(record):
        if right.url:
            values.append(right.url)
        values.append(right.title)
    return list(dict.fromkeys(values))


def _types(record: Record) -> list[str]:
    rtype = common.resource_type(record)
    p = common.resource_type_props(record)
    values = []
    if eurepo := p.get("eurepo"):
        values.append(str(eurepo))
    if title := vocab.title_en(rtype):
        values.append(title)
    return values


def _dates(record: Record) -> list[str]:
    values = [dates.to_iso(common.publication_date(record))]
    if until := common.embargo_until(record):
        values.append(f"info:eu-repo/date/embargoEnd/{until}")
    return [v for v in values if v]


def _coverage(record: Record) -> list[str]:
    return [clean_text(f["place"]).strip() for f in common.locations(record) if f.get("place")]


def _relations(record: Record) -> list[str]:
    values = []
    if concept := common.concept_doi(record):
        values.append(common.DOI_RESOLVER + concept)
    for rel in common.metadata(record).get("related_identifiers") or []:
        if rel.get("identifier"):
            values.append(_related_url(clean_text(rel["identifier"]).strip(), rel.get("scheme")))
    return values


def _source(record: Record) -> list[str]:
    journal = common.journal(record)
    if not journal.get("title"):
        return []
    parts = [clean_text(journal["title"])]
    if journal.get("volume"):
        parts.append(f"{journal['volume']}" + (f"({journal['issue']})" if journal.get("issue") else ""))
    if journal.get("pages"):
        parts.append(str(journal["pages"]))
    return [", ".join(parts)]


def dc_values(record: Record, ctx: FormatContext) -> list[tuple[str, str]]:
    """``(element, value)`` pairs of the record's Simple Dublin Core description, empty ones dropped."""
    meta = common.metadata(record)
    pairs: list[tuple[str, str]] = [("title", common.title(record))]
    pairs += [("title", clean_text(t.get("title"))) for t in meta.get("additional_titles") or []]
    pairs += [("creator", p.name) for p in common.creators(record)]
    pairs += [("contributor", p.name) for p in common.contributors(record)]
    pairs += [("subject", s) for s in common.keywords(record)]
    pairs.append(("description", common.description_text(record)))
    pairs += [("description", common.html_to_text(d.get("description"))) for d in meta.get("additional_descriptions") or []]
    pairs.append(("publisher", common.publisher(record, ctx)))
    pairs += [("date", d) for d in _dates(record)]
    pairs += [("type", t) for t in _types(record)]
    pairs += [("format", clean_text(f)) for f in meta.get("formats") or []]
    pairs += [("identifier", i) for i in _identifiers(record, ctx)]
    pairs += [("source", s) for s in _source(record)]
    pairs += [("language", code[0]) for code in common.languages(record)]
    pairs += [("relation", r) for r in _relations(record)]
    pairs += [("coverage", c) for c in _coverage(record)]
    pairs += [("rights", r) for r in _rights(record)]
    return [(k, v.strip()) for k, v in pairs if v and v.strip()]


def oai_dc_element(record: Record, ctx: FormatContext) -> etree._Element:
    """The ``<oai_dc:dc>`` element of a record."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    for element, value in dc_values(record, ctx):
        sub(root, f"{{{DC_NS}}}{element}", value)
    return root


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """``oai_dc`` XML document (also the ``dublincore`` export)."""
    return xml_bytes(oai_dc_element(record, ctx))


__all__ = ["dc_values", "oai_dc_element", "serialize"]
