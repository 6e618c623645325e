"""OAI-PMH response documents, built with lxml (values are escaped by lxml, never by hand).

Every response is ``<OAI-PMH>`` with ``responseDate`` (UTC, ``Z``), the ``request`` element (the
base URL, with the arguments that may be echoed as attributes) and either ``error`` elements or
the verb's element. Datestamps are written to the second, the granularity Identify announces.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from callimachus.services.oai import Item
from callimachus.web.oai.arguments import OaiError

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)


def q(tag: str) -> str:
    return f"{{{OAI}}}{tag}"


def utc(moment: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ssZ``."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, q(tag), attrs)
    if text is not None:
        element.text = text
    return element


def document(base_url: str, now: datetime, echo: dict[str, str]) -> etree._Element:
    """The root with ``responseDate`` and ``request``; the caller appends errors or the verb."""
    root = etree.Element(q("OAI-PMH"), nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_SCHEMA}")
    add(root, "responseDate", utc(now))
    add(root, "request", base_url, **echo)
    return root


def errors(root: etree._Element, found: list[OaiError]) -> etree._Element:
    for error in found:
        add(root, "error", error.message, code=error.code)
    return root


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


_RECORD, _HEADER, _IDENTIFIER, _DATESTAMP, _SET_SPEC, _METADATA = (
    q(tag) for tag in ("record", "header", "identifier", "datestamp", "setSpec", "metadata"))


def header(parent: etree._Element, item: Item, identifier: str) -> etree._Element:
    element = etree.SubElement(parent, _HEADER)
    if item.deleted:
        element.set("status", "deleted")
    etree.SubElement(element, _IDENTIFIER).text = identifier
    etree.SubElement(element, _DATESTAMP).text = utc(item.datestamp)
    for spec in item.set_specs:
        etree.SubElement(element, _SET_SPEC).text = spec
    return element


def record(parent: etree._Element, item: Item, identifier: str) -> etree._Element:
    """A ``record``: its header, and for a record that is not deleted its metadata payload."""
    element = etree.SubElement(parent, _RECORD)
    header(element, item, identifier)
    if not item.deleted and item.payload is not None:
        etree.SubElement(element, _METADATA).append(etree.fromstring(item.payload, _PARSER))
    return element


def resumption_token(parent: etree._Element, token: str, *, cursor: int, total: int, expires: datetime | None) -> None:
    """An incomplete list's token (``token`` empty for the last page), with its cursor and size."""
    attrs = {"cursor": str(cursor), "completeListSize": str(max(total, 1))}
    if expires is not None and token:
        attrs["expirationDate"] = utc(expires)
    add(parent, "resumptionToken", token or None, **attrs)


def oai_identifier_description(parent: etree._Element, repository_identifier: str, sample: str) -> None:
    """The ``oai-identifier`` description of Identify (scheme, repository identifier, sample)."""
    description = add(parent, "description")
    root = etree.SubElement(description, f"{{{OAI_IDENTIFIER}}}oai-identifier", nsmap={None: OAI_IDENTIFIER, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA}")
    for tag, text in (("scheme", "oai"), ("repositoryIdentifier", repository_identifier), ("delimiter", ":"),
                      ("sampleIdentifier", sample)):
        etree.SubElement(root, f"{{{OAI_IDENTIFIER}}}{tag}").text = text
