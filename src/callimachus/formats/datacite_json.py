"""DataCite metadata (kernel 4.6) as the DataCite REST API's ``attributes`` object.

This dict is the single DataCite mapping of a record: :mod:`callimachus.formats.datacite_xml`
renders the same dict as XML, so the two exports cannot disagree. Keys and value shapes follow
the REST API (``schemeUri``, ``rightsUri``, ``publisher`` as an object, ``types``).
"""

from __future__ import annotations

from typing import Any

from callimachus.formats import common, dates, vocab
from callimachus.formats.base import FormatContext, Record, clean_text, json_bytes

SCHEMA_VERSION = "http://datacite.org/schema/kernel-4"
_SCHEME_TYPES = {v.lower(): v for v in vocab.DATACITE_IDENTIFIER_TYPES} | {"ads": "bibcode", "pubmed": "PMID"}
_NAME_SCHEMES = {
    "orcid": ("ORCID", "https://orcid.org"),
    "ror": ("ROR", "https://ror.org"),
    "isni": ("ISNI", "https://isni.org"),
    "gnd": ("GND", "https://d-nb.info/gnd/"),
}


def identifier_type(scheme: str | None, identifier: str = "") -> str | None:
    """DataCite relatedIdentifierType for one of our schemes; URLs of unknown schemes become URL."""
    found = _SCHEME_TYPES.get(str(scheme or "").lower())
    if found:
        return found
    return "URL" if identifier.startswith(("http://", "https://")) else None


def _name_identifiers(person: common.Person) -> list[dict[str, str]]:
    result = []
    for scheme, value in person.identifiers.items():
        if scheme not in _NAME_SCHEMES:
            continue
        name, uri = _NAME_SCHEMES[scheme]
        full = value if value.startswith("http") else f"{uri.rstrip('/')}/{value.removeprefix('gnd:')}"
        result.append({"nameIdentifier": full, "nameIdentifierScheme": name, "schemeUri": uri})
    return result


def _affiliations(person: common.Person) -> list[dict[str, str]]:
    result = []
    for aff in person.affiliations:
        item = {"name": aff.name}
        if aff.ror:
            item |= {"affiliationIdentifier": aff.ror_url or "", "affiliationIdentifierScheme": "ROR",
                     "schemeUri": "https://ror.org"}
        result.append(item)
    return result


def agent(person: common.Person) -> dict[str, Any]:
    """A creator/contributor object (without ``contributorType``)."""
    item: dict[str, Any] = {"name": person.name, "nameType": "Personal" if person.personal else "Organizational"}
    if person.personal:
        if person.given:
            item["givenName"] = person.given
        if person.family:
            item["familyName"] = person.family
    item["nameIdentifiers"] = _name_identifiers(person)
    item["affiliation"] = _affiliations(person)
    return item


def _titles(record: Record) -> list[dict[str, str]]:
    titles = [{"title": common.title(record) or "Untitled"}]
    for extra in common.metadata(record).get("additional_titles") or []:
        if not extra.get("title"):
            continue
        item = {"title": clean_text(extra["title"]), "titleType": vocab.title_type(extra.get("type"))}
        if lang := extra.get("lang"):
            item["lang"] = vocab.language_codes(lang)[1]
        titles.append(item)
    return titles


def _dates(record: Record) -> list[dict[str, str]]:
    result = []
    if issued := dates.to_iso(common.publication_date(record)):
        result.append({"date": issued, "dateType": "Issued"})
    if until := common.embargo_until(record):
        result.append({"date": until, "dateType": "Available"})
    for entry in common.metadata(record).get("dates") or []:
        value = dates.to_iso(entry.get("date"))
        if not value:
            continue
        item = {"date": value, "dateType": vocab.date_type(entry.get("type"))}
        if info := clean_text(entry.get("description") or "").strip():
            item["dateInformation"] = info
        result.append(item)
    return result


def _related(record: Record) -> list[dict[str, str]]:
    result = []
    if concept := common.concept_doi(record):
        result.append({"relatedIdentifier": concept, "relatedIdentifierType": "DOI", "relationType": "IsVersionOf"})
    for rel in common.metadata(record).get("related_identifiers") or []:
        ident = clean_text(rel.get("identifier") or "").strip()
        kind = identifier_type(rel.get("scheme"), ident)
        if not ident or not kind:
            continue
        item = {"relatedIdentifier": ident, "relatedIdentifierType": kind,
                "relationType": vocab.relation_type(rel.get("relation_type"))}
        if rel.get("resource_type"):
            item["resourceTypeGeneral"] = vocab.datacite_resource_type(rel["resource_type"])[0]
        result.append(item)
    for ref in common.metadata(record).get("references") or []:
        ident = clean_text(ref.get("identifier") or "").strip()
        kind = identifier_type(ref.get("scheme"), ident)
        if ident and kind:
            result.append({"relatedIdentifier": ident, "relatedIdentifierType": kind, "relationType": "References"})
    return result


def _rights(record: Record) -> list[dict[str, str]]:
    result = []
    for right in common.rights(record):
        item = {"rights": right.title, "lang": "en"}
        if right.url:
            item["rightsUri"] = right.url
        if right.spdx_id:
            item |= {"rightsIdentifier": right.spdx_id, "rightsIdentifierScheme": "SPDX", "schemeUri": common.SPDX_URL}
        result.append(item)
    uri, label = vocab.COAR_ACCESS_RIGHTS[common.access_status(record)]
    result.append({"rights": label, "rightsUri": uri})
    return result


def _descriptions(record: Record) -> list[dict[str, str]]:
    result = []
    if text := common.description_text(record):
        result.append({"description": text, "descriptionType": "Abstract"})
    for extra in common.metadata(record).get("additional_descriptions") or []:
        text = common.html_to_text(extra.get("description"))
        if not text:
            continue
        item = {"description": text, "descriptionType": vocab.description_type(extra.get("type"))}
        if lang := extra.get("lang"):
            item["lang"] = vocab.language_codes(lang)[1]
        result.append(item)
    return result


def _point(lon: Any, lat: Any) -> dict[str, float]:
    return {"pointLongitude": float(lon), "pointLatitude": float(lat)}


def _geo_locations(record: Record) -> list[dict[str, Any]]:
    result = []
    for feature in common.locations(record):
        item: dict[str, Any] = {}
        if place := clean_text(feature.get("place") or "").strip():
            item["geoLocationPlace"] = place
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates")
        if geometry.get("type") == "Point" and coords:
            item["geoLocationPoint"] = _point(coords[0], coords[1])
        elif geometry.get("type") == "Polygon" and coords and len(coords[0]) >= 4:
            ring = coords[0]
            item["geoLocationPolygon"] = [{"polygonPoint": _point(c[0], c[1])} for c in ring]
            lons, lats = [float(c[0]) for c in ring], [float(c[1]) for c in ring]
            item["geoLocationBox"] = {"westBoundLongitude": min(lons), "eastBoundLongitude": max(lons),
                                      "southBoundLatitude": min(lats), "northBoundLatitude": max(lats)}
        if item:
            result.append(item)
    return result


def _funding(record: Record) -> list[dict[str, str]]:
    result = []
    for entry in common.funding(record):
        funder = entry["funder"]
        item = {"funderName": clean_text(funder.get("name") or funder.get("id") or "").strip() or "Unknown funder"}
        ident, kind = common.funder_identifier(funder)
        if ident and kind:
            item |= {"funderIdentifier": ident, "funderIdentifierType": kind}
        award = entry.get("award") or {}
        if number := clean_text(award.get("number") or "").strip():
            item["awardNumber"] = number
        urls = [i.get("identifier") for i in award.get("identifiers") or [] if i.get("scheme") == "url"]
        if urls and urls[0]:
            item["awardUri"] = str(urls[0])
        if title := common.award_title(award).strip():
            item["awardTitle"] = title
        result.append(item)
    return result


def _related_items(record: Record, ctx: FormatContext) -> list[dict[str, Any]]:
    items = []
    journal, imprint, meeting = common.journal(record), common.imprint(record), common.meeting(record)
    if journal.get("title"):
        first, last = common.page_range(journal.get("pages"))
        item: dict[str, Any] = {"relationType": "IsPublishedIn", "relatedItemType": "Journal",
                                "titles": [{"title": clean_text(journal["title"])}]}
        if journal.get("issn"):
            item["relatedItemIdentifier"] = {"relatedItemIdentifier": journal["issn"], "relatedItemIdentifierType": "ISSN"}
        item |= {k: clean_text(journal[k]) for k in ("volume", "issue") if journal.get(k)}
        item |= {k: v for k, v in (("firstPage", first), ("lastPage", last)) if v}
        items.append(item)
    if imprint.get("title"):
        first, last = common.page_range(imprint.get("pages"))
        item = {"relationType": "IsPublishedIn", "relatedItemType": "Book",
                "titles": [{"title": clean_text(imprint["title"])}]}
        if imprint.get("isbn"):
            item["relatedItemIdentifier"] = {"relatedItemIdentifier": imprint["isbn"], "relatedItemIdentifierType": "ISBN"}
        item |= {k: v for k, v in (("firstPage", first), ("lastPage", last)) if v}
        item["publisher"] = common.publisher(record, ctx)
        if imprint.get("edition"):
            item["edition"] = clean_text(imprint["edition"])
        items.append(item)
    if meeting.get("title"):
        item = {"relationType": "IsPartOf", "relatedItemType": "Event", "titles": [{"title": clean_text(meeting["title"])}]}
        if meeting.get("url"):
            item["relatedItemIdentifier"] = {"relatedItemIdentifier": meeting["url"], "relatedItemIdentifierType": "URL"}
        items.append(item)
    return items


def _types(record: Record) -> dict[str, str]:
    general, detail = vocab.datacite_resource_type(common.resource_type(record))
    p = common.resource_type_props(record)
    types = {"resourceTypeGeneral": general, "resourceType": detail}
    schema = str(p.get("schema.org") or "").rsplit("/", 1)[-1]
    if schema:
        types["schemaOrg"] = schema
    if p.get("csl"):
        types["citeproc"] = str(p["csl"])
    return types


def attributes(record: Record, ctx: FormatContext) -> dict[str, Any]:
    """The DataCite REST ``attributes`` of a record (empty lists omitted)."""
    meta = common.metadata(record)
    doi = common.doi(record)
    publisher: dict[str, str] = {"name": common.publisher(record, ctx)}
    if ctx.publisher_ror and publisher["name"] == ctx.site_name:
        publisher |= {"publisherIdentifier": common.ROR_URL + ctx.publisher_ror,
                      "publisherIdentifierScheme": "ROR", "schemeUri": common.ROR_URL}
    year = common.publication_year(record)
    data: dict[str, Any] = {
        "doi": doi,
        "url": common.landing_url(record, ctx),
        "types": _types(record),
        "creators": [agent(p) for p in common.creators(record)] or [{"name": ":unav", "nameType": "Organizational",
                                                                   "nameIdentifiers": [], "affiliation": []}],
        "titles": _titles(record),
        "publisher": publisher,
        "publicationYear": f"{year:04d}" if year is not None and 0 <= year <= 9999 else "",
        "subjects": _subjects(record),
        "contributors": [agent(p) | {"contributorType": vocab.contributor_type(p.role)} for p in common.contributors(record)],
        "dates": _dates(record),
        "language": (common.languages(record) or [("", "", "")])[0][1] or None,
        "identifiers": _alternate_identifiers(record, ctx),
        "relatedIdentifiers": _related(record),
        "sizes": [clean_text(s) for s in meta.get("sizes") or [] if s],
        "formats": [clean_text(s) for s in meta.get("formats") or [] if s],
        "version": clean_text(meta.get("version") or "").strip() or None,
        "rightsList": _rights(record),
        "descriptions": _descriptions(record),
        "geoLocations": _geo_locations(record),
        "fundingReferences": _funding(record),
        "relatedItems": _related_items(record, ctx),
        "schemaVersion": SCHEMA_VERSION,
    }
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _subjects(record: Record) -> list[dict[str, str]]:
    result = []
    for subject in common.metadata(record).get("subjects") or []:
        text = clean_text(subject.get("subject") or "").strip()
        if not text:
            continue
        item = {"subject": text}
        if subject.get("scheme"):
            item["subjectScheme"] = clean_text(subject["scheme"])
        if str(subject.get("id") or "").startswith(("http://", "https://")):
            item["valueUri"] = subject["id"]
        result.append(item)
    return result


def _alternate_identifiers(record: Record, ctx: FormatContext) -> list[dict[str, str]]:
    result = [{"identifier": common.landing_url(record, ctx), "identifierType": "URL"}]
    for ident in common.metadata(record).get("identifiers") or []:
        value = clean_text(ident.get("identifier") or "").strip()
        if value:
            scheme = str(ident.get("scheme") or "")
            result.append({"identifier": value, "identifierType": identifier_type(scheme, value) or scheme or "Other"})
    return result


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """DataCite JSON export: the flat ``attributes`` object, as Zenodo's ``datacite-json`` export."""
    return json_bytes(attributes(record, ctx))
