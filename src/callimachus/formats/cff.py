"""Citation File Format 1.2.0 (``cff`` export, YAML) for software and any other record.

Only values the CFF 1.2.0 schema accepts are written: ``date-released`` as a full date,
``license`` as SPDX ids the schema knows (otherwise ``license-url``), DOIs matching CFF's
pattern, ORCIDs as URLs.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from callimachus.formats import common, dates
from callimachus.formats.base import FormatContext, Record, clean_tree

CFF_VERSION = "1.2.0"
_DOI = re.compile(r"^10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-\.\(\)\[\]\\]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _unique(items: list[Any]) -> list[Any]:
    """The items in order without repeats: CFF's arrays (authors, identifiers, keywords, licences) are uniqueItems."""
    seen: set[str] = set()
    kept = []
    for item in items:
        fingerprint = json.dumps(item, sort_keys=True)
        if fingerprint not in seen:
            seen.add(fingerprint)
            kept.append(item)
    return kept


def _author(person: common.Person) -> dict[str, str]:
    if person.personal and person.family:
        item = {"family-names": person.family}
        if person.given:
            item["given-names"] = person.given
        if person.orcid_url:
            item["orcid"] = person.orcid_url
        if person.affiliations:
            item["affiliation"] = "; ".join(a.name for a in person.affiliations)
        return item
    return {"name": person.name}  # a CFF entity has no affiliation


@cache
def cff_licenses() -> frozenset[str]:
    """SPDX ids the CFF 1.2.0 schema enumerates (newer SPDX ids are not valid ``license`` values)."""
    text = resources.files("callimachus.formats").joinpath("data/cff-licenses.json").read_text(encoding="utf-8")
    return frozenset(json.loads(text)["licenses"])


def _licenses(record: Record) -> dict[str, Any]:
    ids = _unique([r.spdx_id for r in common.rights(record) if r.spdx_id and r.spdx_id in cff_licenses()])
    if ids:
        return {"license": ids[0] if len(ids) == 1 else ids}
    urls = [r.url for r in common.rights(record) if r.url and r.url.startswith(("http://", "https://"))]
    return {"license-url": urls[0]} if urls else {}


def _identifiers(record: Record, ctx: FormatContext) -> list[dict[str, str]]:
    items = [{"type": "url", "value": common.landing_url(record, ctx), "description": "Landing page"}]
    if (concept := common.concept_doi(record)) and _DOI.match(concept):
        items.append({"type": "doi", "value": concept, "description": "All versions of this work"})
    for ident in common.metadata(record).get("identifiers") or []:
        value = str(ident.get("identifier") or "")
        if ident.get("scheme") == "doi" and _DOI.match(value):
            items.append({"type": "doi", "value": value})
        elif value.startswith(("http://", "https://")):
            items.append({"type": "url", "value": value})
    return _unique(items)


def to_dict(record: Record, ctx: FormatContext) -> dict[str, Any]:
    """The CFF document of a record as a dict (keys in CFF's customary order)."""
    meta = common.metadata(record)
    kind = "software" if str(common.resource_type(record).get("id") or "").startswith("software") else "dataset"
    data: dict[str, Any] = {
        "cff-version": CFF_VERSION,
        "message": "If you use this work, please cite it using the metadata from this file.",
        "type": kind,
        "title": common.title(record) or "Untitled",
        "authors": _unique([_author(p) for p in common.creators(record)]) or [{"name": common.publisher(record, ctx)}],
    }
    doi = common.doi(record)
    if doi and _DOI.match(doi):
        data["doi"] = doi
    data["identifiers"] = _identifiers(record, ctx)
    data["url"] = common.landing_url(record, ctx)
    repo = common.custom_field(record, "code:codeRepository")
    if isinstance(repo, str) and repo.startswith(("http://", "https://")):
        data["repository-code"] = repo
    if abstract := common.description_text(record):
        data["abstract"] = abstract
    if keywords := _unique([k for k in common.keywords(record) if k]):
        data["keywords"] = keywords
    data |= _licenses(record)
    if version := str(meta.get("version") or "").strip():
        data["version"] = version
    released = dates.start_date(common.publication_date(record))
    if _DATE.match(released):
        data["date-released"] = released
    return clean_tree(data)  # type: ignore[no-any-return]


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """CITATION.cff YAML (UTF-8)."""
    text = yaml.safe_dump(to_dict(record, ctx), sort_keys=False, allow_unicode=True, width=1000)
    return text.encode("utf-8")
