"""CodeMeta 3.0 JSON-LD (``codemeta`` export): software metadata, usable for any record type.

Software records are ``SoftwareSourceCode``; other records keep their schema.org type, since
CodeMeta is a schema.org profile. Licences are SPDX URLs where the licence has an SPDX id.
"""

from __future__ import annotations

from typing import Any

from callimachus.formats import common, dates, schemaorg
from callimachus.formats.base import FormatContext, Record, json_bytes

CONTEXT = "https://w3id.org/codemeta/3.0"
_STATUS_URL = "https://www.repostatus.org/#"


def _person(person: common.Person) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Person" if person.personal else "Organization"}
    if person.personal and person.family:
        item |= {"familyName": person.family} | ({"givenName": person.given} if person.given else {})
    else:
        item["name"] = person.name
    if urls := person.pid_urls:
        item["@id"] = urls[0]
    if person.affiliations:
        item["affiliation"] = [{"@type": "Organization", "name": a.name} | ({"@id": a.ror_url} if a.ror_url else {})
                               for a in person.affiliations]
    return item


def _licenses(record: Record) -> list[str]:
    return [common.SPDX_URL + r.spdx_id if r.spdx_id else r.url for r in common.rights(record) if r.spdx_id or r.url]  # type: ignore[misc]


def to_dict(record: Record, ctx: FormatContext) -> dict[str, Any]:
    """The CodeMeta object of a record (empty values omitted)."""
    meta = common.metadata(record)
    kind = schemaorg.schema_type(record)
    status = common.custom_field(record, "code:developmentStatus")
    status_id = status.get("id") if isinstance(status, dict) else status
    funders, grants = schemaorg.funding_nodes(record)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": kind if kind != "CreativeWork" or common.resource_type(record).get("id") != "software" else "SoftwareSourceCode",
        "@id": common.identifier_url(record, ctx),
        "identifier": common.identifier_url(record, ctx),
        "name": common.title(record) or "Untitled",
        "description": common.description_text(record),
        "author": [_person(p) for p in common.creators(record)],
        "contributor": [_person(p) for p in common.contributors(record)],
        "license": _licenses(record),
        "version": meta.get("version"),
        "codeRepository": common.custom_field(record, "code:codeRepository"),
        "programmingLanguage": common.programming_languages(record),
        "developmentStatus": _STATUS_URL + str(status_id) if status_id else None,
        "keywords": common.keywords(record),
        "datePublished": dates.start_date(common.publication_date(record)),
        "dateModified": str(record.get("updated") or "")[:10] or None,
        "publisher": {"@type": "Organization", "name": common.publisher(record, ctx)},
        "url": common.landing_url(record, ctx),
        "funding": grants,
        "funder": funders,
    }
    files = common.visible_files(record, ctx)
    if files:
        data["downloadUrl"] = files[0].download_url if len(files) == 1 else [f.download_url for f in files]
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """CodeMeta JSON-LD (``application/ld+json`` with the CodeMeta 3.0 context)."""
    return json_bytes(to_dict(record, ctx))
