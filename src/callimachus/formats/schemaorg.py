"""schema.org JSON-LD for the landing page and the ``json-ld`` export (Google Dataset Search ready).

The type comes from the resource-type vocabulary (``Dataset``, ``SoftwareSourceCode``,
``ScholarlyArticle``…). ``description`` is always 50–5000 characters: when the record's own is
shorter (or equals the name) a factual sentence is generated from title, creators, type and
identifiers; nothing is padded. Downloads are listed only for files the public may see.
"""

from __future__ import annotations

from typing import Any

from callimachus.formats import common, dates, vocab
from callimachus.formats.base import FormatContext, Record, json_bytes

CONTEXT = "https://schema.org/"
MIN_DESCRIPTION, MAX_DESCRIPTION = 50, 5000
_TEMPORAL_DATE_TYPES = {"collected", "coverage", "valid"}


def schema_type(record: Record) -> str:
    """The schema.org type name of a record (``Dataset``); ``CreativeWork`` when unknown."""
    url = str(common.resource_type_props(record).get("schema.org") or "")
    name = url.rstrip("/").rsplit("/", 1)[-1]
    return name if name.isalnum() and name[:1].isupper() else "CreativeWork"


def _agent(person: common.Person) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Person" if person.personal else "Organization", "name": person.display}
    if person.personal:
        if person.given:
            item["givenName"] = person.given
        if person.family:
            item["familyName"] = person.family
    if urls := person.pid_urls:
        item["@id"] = urls[0]
        item["sameAs"] = urls
    if person.affiliations:
        item["affiliation"] = [
            {"@type": "Organization", "name": a.name} | ({"@id": a.ror_url, "sameAs": a.ror_url} if a.ror_url else {})
            for a in person.affiliations
        ]
    return item


def generated_description(record: Record, ctx: FormatContext) -> str:
    """A sentence describing the record from its title, creators, type, year and identifier."""
    kind = vocab.title_en(common.resource_type(record)) or "Record"
    names = [p.display for p in common.creators(record)]
    by = f" by {names[0]}" + (" et al." if len(names) > 1 else "") if names else ""
    year = common.publication_year(record)
    when = f" published in {year}" if year else " published"
    return (f'{kind} "{common.title(record) or "Untitled"}"{by},{when} by {common.publisher(record, ctx)} '
            f"and available at {common.identifier_url(record, ctx)}.")


def description(record: Record, ctx: FormatContext) -> str:
    """The record's description as text when 50–5000 chars and not the name, else a generated one."""
    text = common.description_text(record)
    if len(text) < MIN_DESCRIPTION or text == common.title(record):
        text = generated_description(record, ctx)
    if len(text) > MAX_DESCRIPTION:
        text = text[: MAX_DESCRIPTION - 1].rsplit(" ", 1)[0][: MAX_DESCRIPTION - 1] + "…"
    return text


def _places(record: Record) -> list[dict[str, Any]]:
    result = []
    for feature in common.locations(record):
        place: dict[str, Any] = {"@type": "Place"}
        if feature.get("place"):
            place["name"] = feature["place"]
        if feature.get("description"):
            place["description"] = feature["description"]
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates")
        if geometry.get("type") == "Point" and coords:
            place["geo"] = {"@type": "GeoCoordinates", "longitude": coords[0], "latitude": coords[1]}
        elif geometry.get("type") == "Polygon" and coords:
            lons = [c[0] for c in coords[0]]
            lats = [c[1] for c in coords[0]]
            place["geo"] = {"@type": "GeoShape", "box": f"{min(lats)} {min(lons)} {max(lats)} {max(lons)}"}
        if len(place) > 1:
            result.append(place)
    return result


def _temporal(record: Record) -> list[str]:
    values = []
    for entry in common.metadata(record).get("dates") or []:
        kind = str((entry.get("type") or {}).get("id") or "")
        if kind in _TEMPORAL_DATE_TYPES and (value := dates.to_iso(entry.get("date"), open_end="..")):
            values.append(value)
    return values


def funding_nodes(record: Record) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    funders: list[dict[str, Any]] = []
    grants: list[dict[str, Any]] = []
    for entry in common.funding(record):
        funder = {"@type": "Organization", "name": entry["funder"].get("name") or entry["funder"].get("id")}
        if url := common.funder_identifier(entry["funder"])[0]:
            funder |= {"@id": url, "sameAs": url}
        if funder not in funders:
            funders.append(funder)
        award = entry.get("award") or {}
        if award.get("number") or award.get("title"):
            grant = {"@type": "Grant", "funder": funder}
            grant |= {k: v for k, v in (("identifier", award.get("number")), ("name", common.award_title(award))) if v}
            grants.append(grant)
    return funders, grants


def _files(record: Record, ctx: FormatContext, kind: str) -> dict[str, Any]:
    files = common.visible_files(record, ctx)
    if not files:
        return {}
    objects = [{"@type": "DataDownload" if kind == "Dataset" else "MediaObject", "name": f.key,
                "contentUrl": f.download_url, "encodingFormat": f.mimetype, "contentSize": f"{f.size} B"}
               for f in files]
    return {"distribution": objects} if kind == "Dataset" else {"associatedMedia": objects}


def _related(record: Record) -> dict[str, Any]:
    out: dict[str, list[str]] = {}
    keys = {"ispartof": "isPartOf", "haspart": "hasPart", "cites": "citation", "isderivedfrom": "isBasedOn"}
    for rel in common.metadata(record).get("related_identifiers") or []:
        key = keys.get(str((rel.get("relation_type") or {}).get("id") or ""))
        if key and rel.get("scheme") in ("doi", "url"):
            ident = str(rel.get("identifier"))
            out.setdefault(key, []).append(common.doi_url(ident) if rel["scheme"] == "doi" else ident)  # type: ignore[arg-type]
    return out


def to_dict(record: Record, ctx: FormatContext) -> dict[str, Any]:
    """The JSON-LD object (``@context`` https://schema.org/) of a record."""
    meta = common.metadata(record)
    kind = schema_type(record)
    ident = common.identifier_url(record, ctx)
    funders, grants = funding_nodes(record)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": kind,
        "@id": ident,
        "identifier": ident,
        "url": common.landing_url(record, ctx),
        "name": common.title(record) or "Untitled",
        "alternateName": [t["title"] for t in meta.get("additional_titles") or [] if t.get("title")],
        "description": description(record, ctx),
        "creator": [_agent(p) for p in common.creators(record)],
        "contributor": [_agent(p) for p in common.contributors(record)],
        "datePublished": dates.start_date(common.publication_date(record)),
        "dateModified": str(record.get("updated") or "") or None,
        "inLanguage": [code[1] for code in common.languages(record)],
        "keywords": common.keywords(record),
        "license": [r.url for r in common.rights(record) if r.url],
        "version": meta.get("version"),
        "publisher": {"@type": "Organization", "name": common.publisher(record, ctx)},
        "spatialCoverage": _places(record),
        "temporalCoverage": _temporal(record),
        "funder": funders,
        "funding": grants,
        "isAccessibleForFree": common.access_status(record) == "open",
        "sameAs": [u for u in (common.landing_url(record, ctx),) if u != ident],
    }
    if kind == "Dataset":
        data["includedInDataCatalog"] = {"@type": "DataCatalog", "name": ctx.site_name, "url": ctx.site_url}
    if kind == "SoftwareSourceCode":
        data["codeRepository"] = common.custom_field(record, "code:codeRepository")
        data["programmingLanguage"] = common.programming_languages(record)
    data |= _files(record, ctx, kind) | _related(record)
    return _compact(data)


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values; unwrap one-element lists where schema.org expects a single value."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value in (None, "", [], {}):
            continue
        if key in ("license", "inLanguage", "temporalCoverage") and isinstance(value, list) and len(value) == 1:
            value = value[0]
        out[key] = value
    return out


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """schema.org JSON-LD (``application/ld+json``), safe to embed in a ``<script>`` element."""
    return json_bytes(to_dict(record, ctx), html_safe=True)
