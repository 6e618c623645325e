"""DataCite Metadata Schema 4.6 XML, and the ``oai_datacite`` OAI-PMH payload that wraps it.

Rendered from :func:`callimachus.formats.datacite_json.attributes`, so XML and JSON carry the same
values. Element order inside the wrappers follows the XSD sequences.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from callimachus.formats import datacite_json
from callimachus.formats.base import FormatContext, Record, sub, xml_bytes

NS = "http://datacite.org/schema/kernel-4"
SCHEMA_LOCATION = "https://schema.datacite.org/meta/kernel-4.6/metadata.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DATACITE_NS = "http://schema.datacite.org/oai/oai-1.1/"
OAI_DATACITE_XSD = "http://schema.datacite.org/oai/oai-1.1/oai.xsd"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _agent(parent: etree._Element, tag: str, data: dict[str, Any]) -> None:
    element = sub(parent, _q(tag), contributorType=data.get("contributorType"))
    sub(element, _q(f"{tag}Name"), data["name"], nameType=data.get("nameType"))
    for key in ("givenName", "familyName"):
        if data.get(key):
            sub(element, _q(key), data[key])
    for ident in data.get("nameIdentifiers", []):
        sub(element, _q("nameIdentifier"), ident["nameIdentifier"],
            nameIdentifierScheme=ident["nameIdentifierScheme"], schemeURI=ident.get("schemeUri"))
    for aff in data.get("affiliation", []):
        sub(element, _q("affiliation"), aff["name"], affiliationIdentifier=aff.get("affiliationIdentifier"),
            affiliationIdentifierScheme=aff.get("affiliationIdentifierScheme"), schemeURI=aff.get("schemeUri"))


def _simple_list(root: etree._Element, attrs: dict[str, Any], key: str, wrapper: str, tag: str,
                 text_key: str, mapping: dict[str, str]) -> None:
    """Render a wrapper of text elements whose attributes are renamed by ``mapping`` (json → xml)."""
    values = attrs.get(key)
    if not values:
        return
    container = sub(root, _q(wrapper))
    for value in values:
        sub(container, _q(tag), value[text_key], **{xml: value.get(js) for js, xml in mapping.items()})


def _geo(root: etree._Element, locations: list[dict[str, Any]]) -> None:
    if not locations:
        return
    container = sub(root, _q("geoLocations"))
    for loc in locations:
        element = sub(container, _q("geoLocation"))
        if "geoLocationPlace" in loc:
            sub(element, _q("geoLocationPlace"), loc["geoLocationPlace"])
        if "geoLocationPoint" in loc:
            _point(element, "geoLocationPoint", loc["geoLocationPoint"])
        if "geoLocationBox" in loc:
            box = sub(element, _q("geoLocationBox"))
            for key in ("westBoundLongitude", "eastBoundLongitude", "southBoundLatitude", "northBoundLatitude"):
                sub(box, _q(key), repr(float(loc["geoLocationBox"][key])))
        if "geoLocationPolygon" in loc:
            polygon = sub(element, _q("geoLocationPolygon"))
            for point in loc["geoLocationPolygon"]:
                _point(polygon, "polygonPoint", point["polygonPoint"])


def _point(parent: etree._Element, tag: str, point: dict[str, float]) -> None:
    element = sub(parent, _q(tag))
    sub(element, _q("pointLongitude"), repr(float(point["pointLongitude"])))
    sub(element, _q("pointLatitude"), repr(float(point["pointLatitude"])))


def _funding(root: etree._Element, refs: list[dict[str, str]]) -> None:
    if not refs:
        return
    container = sub(root, _q("fundingReferences"))
    for ref in refs:
        element = sub(container, _q("fundingReference"))
        sub(element, _q("funderName"), ref["funderName"])
        if ref.get("funderIdentifier"):
            sub(element, _q("funderIdentifier"), ref["funderIdentifier"], funderIdentifierType=ref["funderIdentifierType"])
        if ref.get("awardNumber"):
            sub(element, _q("awardNumber"), ref["awardNumber"], awardURI=ref.get("awardUri"))
        if ref.get("awardTitle"):
            sub(element, _q("awardTitle"), ref["awardTitle"])


def _related_items(root: etree._Element, items: list[dict[str, Any]]) -> None:
    if not items:
        return
    container = sub(root, _q("relatedItems"))
    for item in items:
        element = sub(container, _q("relatedItem"), relationType=item["relationType"],
                      relatedItemType=item["relatedItemType"])
        if ident := item.get("relatedItemIdentifier"):
            sub(element, _q("relatedItemIdentifier"), ident["relatedItemIdentifier"],
                relatedItemIdentifierType=ident["relatedItemIdentifierType"])
        titles = sub(element, _q("titles"))
        for title in item.get("titles", []):
            sub(titles, _q("title"), title["title"])
        for key in ("publicationYear", "volume", "issue", "firstPage", "lastPage", "publisher", "edition"):
            if item.get(key):
                sub(element, _q(key), item[key])


def resource_element(record: Record, ctx: FormatContext) -> etree._Element:
    """The ``<resource>`` element (kernel-4, schemaLocation 4.6) of a record."""
    attrs = datacite_json.attributes(record, ctx)
    root = etree.Element(_q("resource"), nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} {SCHEMA_LOCATION}")
    if attrs.get("doi"):
        sub(root, _q("identifier"), attrs["doi"], identifierType="DOI")
    else:
        sub(root, _q("identifier"), attrs["url"], identifierType="URL")
    creators = sub(root, _q("creators"))
    for creator in attrs["creators"]:
        _agent(creators, "creator", creator)
    _simple_list(root, attrs, "titles", "titles", "title", "title", {"titleType": "titleType", "lang": "xml_lang"})
    publisher = attrs["publisher"]
    sub(root, _q("publisher"), publisher["name"], publisherIdentifier=publisher.get("publisherIdentifier"),
        publisherIdentifierScheme=publisher.get("publisherIdentifierScheme"), schemeURI=publisher.get("schemeUri"))
    sub(root, _q("publicationYear"), attrs.get("publicationYear") or "0000")
    types = attrs["types"]
    sub(root, _q("resourceType"), types.get("resourceType", ""), resourceTypeGeneral=types["resourceTypeGeneral"])
    _simple_list(root, attrs, "subjects", "subjects", "subject", "subject",
                 {"subjectScheme": "subjectScheme", "valueUri": "valueURI"})
    if attrs.get("contributors"):
        contributors = sub(root, _q("contributors"))
        for contributor in attrs["contributors"]:
            _agent(contributors, "contributor", contributor)
    _simple_list(root, attrs, "dates", "dates", "date", "date", {"dateType": "dateType", "dateInformation": "dateInformation"})
    if attrs.get("language"):
        sub(root, _q("language"), attrs["language"])
    _simple_list(root, attrs, "identifiers", "alternateIdentifiers", "alternateIdentifier", "identifier",
                 {"identifierType": "alternateIdentifierType"})
    _simple_list(root, attrs, "relatedIdentifiers", "relatedIdentifiers", "relatedIdentifier", "relatedIdentifier",
                 {"relatedIdentifierType": "relatedIdentifierType", "relationType": "relationType",
                  "resourceTypeGeneral": "resourceTypeGeneral"})
    for key, wrapper, tag in (("sizes", "sizes", "size"), ("formats", "formats", "format")):
        if attrs.get(key):
            container = sub(root, _q(wrapper))
            for value in attrs[key]:
                sub(container, _q(tag), value)
    if attrs.get("version"):
        sub(root, _q("version"), attrs["version"])
    _simple_list(root, attrs, "rightsList", "rightsList", "rights", "rights",
                 {"rightsUri": "rightsURI", "rightsIdentifier": "rightsIdentifier",
                  "rightsIdentifierScheme": "rightsIdentifierScheme", "schemeUri": "schemeURI", "lang": "xml_lang"})
    _simple_list(root, attrs, "descriptions", "descriptions", "description", "description",
                 {"descriptionType": "descriptionType", "lang": "xml_lang"})
    _geo(root, attrs.get("geoLocations", []))
    _funding(root, attrs.get("fundingReferences", []))
    _related_items(root, attrs.get("relatedItems", []))
    return root


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """DataCite 4.6 XML document of a record."""
    return xml_bytes(resource_element(record, ctx))


def serialize_oai(record: Record, ctx: FormatContext) -> bytes:
    """The ``oai_datacite`` payload: DataCite's OAI wrapper around the 4.6 ``<resource>``."""
    root = etree.Element(f"{{{OAI_DATACITE_NS}}}oai_datacite", nsmap={None: OAI_DATACITE_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DATACITE_NS} {OAI_DATACITE_XSD}")
    sub(root, f"{{{OAI_DATACITE_NS}}}schemaVersion", "4.6")
    sub(root, f"{{{OAI_DATACITE_NS}}}datacentreSymbol", ctx.datacentre_symbol)
    payload = sub(root, f"{{{OAI_DATACITE_NS}}}payload")
    payload.append(resource_element(record, ctx))
    return xml_bytes(root)
