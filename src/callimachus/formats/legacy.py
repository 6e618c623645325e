"""Zenodo's legacy deposit metadata, mapped to the native record and back. Pure functions.

:func:`to_native` turns the ``metadata`` object of a legacy deposition (``upload_type``,
``creators[].name``, ``license``, ``journal_title``, …) into the native draft body
(``metadata``, ``custom_fields``, ``access``) plus what lives outside it: the concept's access
settings (``access_conditions``; ``closed`` is access without requests), the requested
communities, the DOI wishes. :func:`to_legacy` is the inverse; a legacy client that sends back
what it read changes nothing. Both record, in a :class:`PathMap`, which legacy field each
native field came from, so that validation errors name the fields the client sent.

Values are only reshaped here; the native validation (``callimachus.metadata``) checks them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from callimachus.core.errors import FieldError, ValidationError
from callimachus.metadata.vocabularies import get_vocabulary

ACCESS_RIGHTS = ("open", "embargoed", "restricted", "closed")
DEFAULT_LICENSES = {"dataset": "cc0-1.0"}  # Zenodo's legacy defaults; everything else cc-by-4.0
DEFAULT_LICENSE = "cc-by-4.0"
SUPERVISOR = "supervisor"
NOTE_TYPES = {"notes": "notes", "method": "methods"}
ALTERNATE = "isalternateidentifier"
REQUIRED = "Missing data for required field."
EC_FUNDER = "10.13039/501100000780"  # a bare grant number is an EC (FP7) grant, as on Zenodo

# Crossref Funder ID → (ROR id, name) of funders Zenodo clients commonly cite. A grant from a
# funder not listed keeps its funder DOI as the funder's name, so nothing is lost.
FUNDERS: dict[str, tuple[str, str]] = {
    EC_FUNDER: ("00k4n6c32", "European Commission"),
    "10.13039/501100000781": ("0472cxd90", "European Research Council"),
    "10.13039/100000001": ("021nxhr62", "National Science Foundation"),
    "10.13039/100000002": ("01cwqze88", "National Institutes of Health"),
    "10.13039/501100001659": ("018mejw64", "Deutsche Forschungsgemeinschaft"),
    "10.13039/501100001711": ("00yjd3n13", "Swiss National Science Foundation"),
    "10.13039/100004440": ("029chgv08", "Wellcome Trust"),
    "10.13039/100014013": ("001aqnf71", "UK Research and Innovation"),
    "10.13039/501100000923": ("05mmh0f86", "Australian Research Council"),
    "10.13039/501100000925": ("011kf5r70", "National Health and Medical Research Council"),
    "10.13039/501100001871": ("00snfqn58", "Fundação para a Ciência e a Tecnologia"),
    "10.13039/501100003246": ("04jsz6e67", "Nederlandse Organisatie voor Wetenschappelijk Onderzoek"),
    "10.13039/501100002428": ("013tf3c58", "Austrian Science Fund"),
    "10.13039/501100000038": ("01h531d29", "Natural Sciences and Engineering Research Council of Canada"),
    "10.13039/501100001665": ("00rbzpz17", "Agence Nationale de la Recherche"),
    "10.13039/501100002341": ("05k73zm37", "Research Council of Finland"),
    "10.13039/501100001602": ("0271asj38", "Science Foundation Ireland"),
    "10.13039/501100004410": ("04w9kkr77", "Scientific and Technological Research Council of Türkiye"),
}
FUNDER_DOI_BY_ROR = {ror: doi for doi, (ror, _) in FUNDERS.items()}
_GRANT = re.compile(r"^(?:(10\.\d{4,9}/[^\s:]+)::)?([^\s:]+)$")

# Custom-field groups: native key → (legacy prefix, {native sub-key: legacy name}).
CUSTOM_GROUPS: dict[str, dict[str, str]] = {
    "journal:journal": {"title": "journal_title", "volume": "journal_volume", "issue": "journal_issue", "pages": "journal_pages"},
    "meeting:meeting": {
        "title": "conference_title", "acronym": "conference_acronym", "dates": "conference_dates",
        "place": "conference_place", "url": "conference_url", "session": "conference_session",
        "session_part": "conference_session_part",
    },
    "imprint:imprint": {"isbn": "imprint_isbn", "place": "imprint_place", "title": "partof_title", "pages": "partof_pages"},
    "thesis:thesis": {"university": "thesis_university"},
}
# Where native fields not listed per item come from (longest prefix wins).
_STATIC_PATHS = {
    "metadata.resource_type": "metadata.upload_type",
    "metadata.rights": "metadata.license",
    "metadata.publisher": "metadata.imprint_publisher",
    "metadata.languages": "metadata.language",
    "metadata.funding": "metadata.grants",
    "metadata.additional_descriptions": "metadata.notes",
    "metadata.subjects": "metadata.keywords",
    "metadata.identifiers": "metadata.related_identifiers",
    "access.embargo": "metadata.embargo_date",
    "access": "metadata.access_right",
    "pids": "metadata.doi",
    "custom_fields": "metadata",
    **{
        f"custom_fields.{group}.{sub}": f"metadata.{legacy}"
        for group, names in CUSTOM_GROUPS.items()
        for sub, legacy in names.items()
    },
}


class PathMap:
    """Native field paths (or their prefixes) → the legacy field they were made from."""

    def __init__(self) -> None:
        self._paths: dict[str, str] = dict(_STATIC_PATHS)
        self._added: dict[str, str] = {}

    def add(self, native: str, legacy: str) -> None:
        self._paths[native] = self._added[native] = legacy

    def entries(self) -> list[tuple[str, str]]:
        """The ``(native, legacy)`` pairs recorded for this record (not the fixed ones)."""
        return list(self._added.items())

    def translate(self, native_field: str) -> str:
        """The legacy name of ``native_field``: its longest mapped prefix, else unchanged."""
        parts = native_field.split(".")
        for n in range(len(parts), 0, -1):
            found = self._paths.get(".".join(parts[:n]))
            if found is not None:
                return found
        return native_field

    def errors(self, errors: list[FieldError]) -> list[FieldError]:
        """``errors`` renamed to legacy fields; messages of fields that merge are joined."""
        merged: dict[str, list[str]] = {}
        for error in errors:
            messages = merged.setdefault(self.translate(error.field), [])
            messages.extend(m for m in error.messages if m not in messages)
        return [FieldError(name, messages) for name, messages in merged.items()]


@dataclass
class NativeInput:
    """A legacy ``metadata`` object as the native services take it.

    ``body`` is the native draft body (``metadata``, ``custom_fields``, ``access``); ``doi`` is the
    DOI the client named (external, or one of ours), which the service checks.
    """

    body: dict[str, Any]
    paths: PathMap
    access_right: str = "open"
    access_conditions: str | None = None
    communities: list[str] = field(default_factory=list)
    doi: str | None = None
    prereserve_doi: bool = False


# --- legacy → native -----------------------------------------------------------------------


def _alias(paths: PathMap, native: str, legacy: str, subs: tuple[tuple[str, str], ...] = ()) -> None:
    """Record that ``native`` came from ``legacy``, and each (native, legacy) sub-key pair below them."""
    paths.add(native, legacy)
    for nat, leg in subs:
        paths.add(f"{native}.{nat}", f"{legacy}.{leg}")


@functools.cache
def _upload_types() -> frozenset[str]:
    return frozenset(str(e.props.get("type") or e.id) for e in get_vocabulary("resourcetypes").all())


def _text(raw: dict[str, Any], key: str, errors: list[FieldError], path: str | None = None) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors.append(FieldError(path or f"metadata.{key}", ["Not a valid string."]))
        return None
    return value


def _items(raw: dict[str, Any], key: str, errors: list[FieldError], kind: type = dict) -> list[tuple[int, Any]]:
    """The entries of a legacy list, each of type ``kind``; wrong ones are reported and skipped."""
    value = raw.get(key)
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        errors.append(FieldError(f"metadata.{key}", ["Not a valid list."]))
        return []
    found: list[Any] = []
    for i, item in enumerate(value):
        if isinstance(item, kind):
            found.append((i, item))
        else:
            errors.append(FieldError(f"metadata.{key}.{i}", ["Not a valid object." if kind is dict else "Not a valid string."]))
    return found


def _resource_type(raw: dict[str, Any], errors: list[FieldError]) -> dict[str, str] | None:
    upload_type = _text(raw, "upload_type", errors)
    if upload_type is None:
        return None
    upload_type = upload_type.strip().lower()
    if upload_type not in _upload_types():
        errors.append(FieldError("metadata.upload_type", [f"Invalid upload type '{upload_type}'; use one of: {', '.join(sorted(_upload_types()))}."]))
        return None
    subtype = _text(raw, f"{upload_type}_type", errors)
    if not subtype:
        return {"id": upload_type}
    ident = f"{upload_type}-{subtype.strip().lower()}"
    if get_vocabulary("resourcetypes").get(ident) is None:
        errors.append(FieldError(f"metadata.{upload_type}_type", [f"Invalid {upload_type} type '{subtype}'."]))
        return None
    return {"id": ident}


def _person(raw: dict[str, Any], path: str, errors: list[FieldError]) -> dict[str, Any]:
    """A legacy creator (``name`` "Family, Given", ``affiliation``, ``orcid``, ``gnd``) as a native one."""
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(FieldError(f"{path}.name", [REQUIRED if not name else "Not a valid string."]))
    person: dict[str, Any] = {"type": "personal", "name": name}
    identifiers = [{"scheme": s, "identifier": raw[s]} for s in ("orcid", "gnd") if raw.get(s)]
    if identifiers:
        person["identifiers"] = identifiers
    out: dict[str, Any] = {"person_or_org": person}
    if raw.get("affiliation"):
        out["affiliations"] = [{"name": raw["affiliation"]}]
    return out


def _people(raw: dict[str, Any], errors: list[FieldError], paths: PathMap) -> tuple[list[Any], list[Any]]:
    creators: list[Any] = []
    for i, item in _items(raw, "creators", errors):
        creators.append(_person(item, f"metadata.creators.{i}", errors))
        _person_paths(paths, f"metadata.creators.{len(creators) - 1}", f"metadata.creators.{i}", item)
    contributors: list[Any] = []
    for key in ("contributors", "thesis_supervisors"):
        for i, item in _items(raw, key, errors):
            person = _person(item, f"metadata.{key}.{i}", errors)
            role = SUPERVISOR if key == "thesis_supervisors" else item.get("type")
            if role:
                person["role"] = {"id": role.lower() if isinstance(role, str) else role}
            contributors.append(person)
            native = f"metadata.contributors.{len(contributors) - 1}"
            _person_paths(paths, native, f"metadata.{key}.{i}", item)
    return creators, contributors


def _person_paths(paths: PathMap, native: str, legacy: str, raw: dict[str, Any]) -> None:
    schemes = [s for s in ("orcid", "gnd") if raw.get(s)]
    ids = tuple((f"person_or_org.identifiers.{k}", scheme) for k, scheme in enumerate(schemes))
    _alias(paths, native, legacy, (("person_or_org", "name"), ("affiliations", "affiliation"), ("role", "type"), *ids))


def _license(raw: dict[str, Any], resource_type: dict[str, str] | None, access_right: str, errors: list[FieldError]) -> list[Any]:
    value = raw.get("license")
    if isinstance(value, dict):
        value = value.get("id")
    if value in (None, ""):
        if access_right not in ("open", "embargoed"):
            return []
        kind = (resource_type or {}).get("id", "")
        return [{"id": DEFAULT_LICENSES.get(kind, DEFAULT_LICENSE)}]
    if not isinstance(value, str):
        errors.append(FieldError("metadata.license", ["Not a valid string."]))
        return []
    if get_vocabulary("licenses").get(value) is None:
        errors.append(FieldError("metadata.license", [f"Invalid license provided: '{value}'."]))
        return []
    return [{"id": value}]


def _access(raw: dict[str, Any], errors: list[FieldError]) -> tuple[str, dict[str, Any]]:
    right = raw.get("access_right") or "open"
    if right not in ACCESS_RIGHTS:
        errors.append(FieldError("metadata.access_right", [f"Must be one of: {', '.join(ACCESS_RIGHTS)}."]))
        return "open", {"record": "public", "files": "public"}
    access: dict[str, Any] = {"record": "public", "files": "public" if right == "open" else "restricted"}
    if right == "embargoed" and not raw.get("embargo_date"):
        errors.append(FieldError("metadata.embargo_date", ["An embargo date is required when the access right is embargoed."]))
    elif right == "embargoed":
        access["embargo"] = {"active": True, "until": raw["embargo_date"]}
    return right, access


def _subjects(raw: dict[str, Any], errors: list[FieldError], paths: PathMap) -> list[Any]:
    subjects: list[Any] = []
    for i, keyword in _items(raw, "keywords", errors, str):
        paths.add(f"metadata.subjects.{len(subjects)}", f"metadata.keywords.{i}")
        subjects.append({"subject": keyword})
    for i, item in _items(raw, "subjects", errors):
        for name in ("term", "identifier"):
            if not item.get(name):
                errors.append(FieldError(f"metadata.subjects.{i}.{name}", [REQUIRED]))
        _alias(paths, f"metadata.subjects.{len(subjects)}", f"metadata.subjects.{i}", (("subject", "term"), ("id", "identifier")))
        subjects.append({"id": item.get("identifier"), "subject": item.get("term"), "scheme": item.get("scheme")})
    return subjects


def _identifiers(raw: dict[str, Any], errors: list[FieldError], paths: PathMap) -> tuple[list[Any], list[Any]]:
    related: list[Any] = []
    alternate: list[Any] = []
    relations = get_vocabulary("relationtypes")
    for i, item in _items(raw, "related_identifiers", errors):
        legacy = f"metadata.related_identifiers.{i}"
        relation = str(item.get("relation") or "").replace("isOrignialFormOf", "isOriginalFormOf").lower()
        entry = {"identifier": item.get("identifier"), "scheme": item.get("scheme") or None}
        if relation == ALTERNATE:
            paths.add(f"metadata.identifiers.{len(alternate)}", legacy)
            alternate.append(entry)
            continue
        if not relation or relations.get(relation) is None:
            errors.append(FieldError(f"{legacy}.relation", [REQUIRED if not relation else f"Invalid relation type '{item.get('relation')}'."]))
        subs = (("relation_type", "relation"), ("identifier", "identifier"), ("scheme", "scheme"), ("resource_type", "resource_type"))
        _alias(paths, f"metadata.related_identifiers.{len(related)}", legacy, subs)
        entry["relation_type"] = {"id": relation}
        if item.get("resource_type"):
            entry["resource_type"] = {"id": item["resource_type"]}
        related.append(entry)
    return related, alternate


def _grants(raw: dict[str, Any], errors: list[FieldError], paths: PathMap) -> list[Any]:
    funding: list[Any] = []
    for i, item in _items(raw, "grants", errors):
        grant = item.get("id")
        match = _GRANT.match(grant.strip()) if isinstance(grant, str) else None
        if match is None:
            errors.append(FieldError(f"metadata.grants.{i}.id", ["Give a grant as <funder DOI>::<award number>."]))
            continue
        funder_doi, number = match.group(1) or EC_FUNDER, match.group(2)
        ror, name = FUNDERS.get(funder_doi, (None, funder_doi))
        funder = {"id": ror, "name": name} if ror else {"name": name}
        paths.add(f"metadata.funding.{len(funding)}", f"metadata.grants.{i}")
        funding.append({"funder": funder, "award": {"id": grant.strip(), "number": number}})
    return funding


def _locations(raw: dict[str, Any], errors: list[FieldError], paths: PathMap) -> list[Any]:
    features: list[Any] = []
    for i, item in _items(raw, "locations", errors):
        legacy = f"metadata.locations.{i}"
        if not item.get("place"):
            errors.append(FieldError(f"{legacy}.place", [REQUIRED]))
        feature: dict[str, Any] = {"place": item.get("place"), "description": item.get("description")}
        lat, lon = item.get("lat"), item.get("lon")
        if (lat is None) != (lon is None):
            errors.append(FieldError(legacy, ["Give both lat and lon, or neither."]))
        elif lat is not None:
            feature["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
        _alias(paths, f"metadata.locations.features.{len(features)}", legacy, (("place", "place"), ("description", "description")))
        features.append(feature)
    return features


def _dates(raw: dict[str, Any], errors: list[FieldError], paths: PathMap) -> list[Any]:
    dates: list[Any] = []
    for i, item in _items(raw, "dates", errors):
        legacy = f"metadata.dates.{i}"
        start, end = item.get("start"), item.get("end")
        if not start and not end:
            errors.append(FieldError(legacy, ["Give a start date, an end date or both."]))
            continue
        kind = item.get("type")
        if not kind:
            errors.append(FieldError(f"{legacy}.type", [REQUIRED]))
        _alias(paths, f"metadata.dates.{len(dates)}", legacy, (("date", "start"), ("type", "type"), ("description", "description")))
        if not isinstance(start or "", str) or not isinstance(end or "", str):
            errors.append(FieldError(legacy, ["Dates are strings like 2024-05-17."]))
            continue
        dates.append({"date": f"{start or '..'}/{end or '..'}", "type": {"id": kind.lower() if isinstance(kind, str) else kind}, "description": item.get("description")})
    return dates


def _custom_fields(raw: dict[str, Any]) -> dict[str, Any]:
    custom: dict[str, Any] = {}
    for group, names in CUSTOM_GROUPS.items():
        values = {sub: raw[legacy] for sub, legacy in names.items() if raw.get(legacy) not in (None, "")}
        if values:
            custom[group] = values
    return custom


def to_native(raw: Any, *, today: str) -> NativeInput:
    """The native form of a legacy ``metadata`` object; ValidationError names legacy fields.

    Unknown keys are ignored, as Zenodo does. A missing ``publication_date`` is ``today``; an
    open or embargoed record without ``license`` gets Zenodo's default licence.
    """
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ValidationError([FieldError("metadata", ["Not a valid object."])])
    errors: list[FieldError] = []
    paths = PathMap()
    resource_type = _resource_type(raw, errors)
    access_right, access = _access(raw, errors)
    creators, contributors = _people(raw, errors, paths)
    related, alternate = _identifiers(raw, errors, paths)
    notes = [{"description": raw[key], "type": {"id": kind}} for key, kind in NOTE_TYPES.items() if raw.get(key)]
    for n, (key, _) in enumerate((k, v) for k, v in NOTE_TYPES.items() if raw.get(k)):
        paths.add(f"metadata.additional_descriptions.{n}", f"metadata.{key}")
    language = _text(raw, "language", errors)
    metadata = {
        "resource_type": resource_type,
        "title": raw.get("title"),
        "publication_date": raw.get("publication_date") or today,
        "description": raw.get("description"),
        "creators": creators,
        "contributors": contributors,
        "rights": _license(raw, resource_type, access_right, errors),
        "subjects": _subjects(raw, errors, paths),
        "additional_descriptions": notes,
        "related_identifiers": related,
        "identifiers": alternate,
        "references": _references(raw, errors, paths),
        "funding": _grants(raw, errors, paths),
        "version": raw.get("version"),
        "publisher": raw.get("imprint_publisher"),
        "languages": [{"id": language}] if language else [],
        "dates": _dates(raw, errors, paths),
    }
    features = _locations(raw, errors, paths)
    metadata["locations"] = {"features": features} if features else None
    communities = _communities(raw, errors)
    conditions = _text(raw, "access_conditions", errors)
    doi = _text(raw, "doi", errors)
    if errors:
        raise ValidationError(errors)
    body = {"metadata": _drop_empty(metadata), "custom_fields": _custom_fields(raw), "access": access}
    return NativeInput(
        body=body, paths=paths, access_right=access_right, access_conditions=conditions, communities=communities,
        doi=doi.strip() if doi else None, prereserve_doi=raw.get("prereserve_doi") is True,
    )


def _references(raw: dict[str, Any], errors: list[FieldError], paths: PathMap) -> list[Any]:
    found = _items(raw, "references", errors, str)
    for n, (i, _) in enumerate(found):
        paths.add(f"metadata.references.{n}", f"metadata.references.{i}")
    return [{"reference": text} for _, text in found]


def _communities(raw: dict[str, Any], errors: list[FieldError]) -> list[str]:
    found: list[Any] = []
    for i, item in _items(raw, "communities", errors):
        ident = item.get("identifier")
        if not isinstance(ident, str) or not ident.strip():
            errors.append(FieldError(f"metadata.communities.{i}.identifier", [REQUIRED]))
        elif ident.strip() not in found:
            found.append(ident.strip())
    return found


def _drop_empty(value: dict[str, Any]) -> dict[str, Any]:
    """Top-level empty values removed, and None inside list entries (native omits absent keys)."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        if item in (None, "", [], {}):
            continue
        if isinstance(item, list):
            item = [{k: v for k, v in e.items() if v is not None} if isinstance(e, dict) else e for e in item]
        out[key] = item
    return out


# --- native → legacy -----------------------------------------------------------------------


def _camel(title: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in title.split())


def _legacy_person(native: dict[str, Any], *, with_type: bool) -> dict[str, Any]:
    person = native.get("person_or_org") or {}
    out: dict[str, Any] = {"name": person.get("name") or ""}
    affiliations = native.get("affiliations") or []
    if affiliations and affiliations[0].get("name"):
        out["affiliation"] = affiliations[0]["name"]
    for ident in person.get("identifiers") or []:
        if ident.get("scheme") in ("orcid", "gnd") and ident.get("scheme") not in out:
            out[ident["scheme"]] = ident.get("identifier")
    role = native.get("role") or {}
    if with_type and role.get("id"):
        title = (role.get("title") or {}).get("en")
        out["type"] = _camel(title) if title else str(role["id"])
    return out


def access_right_of(access: dict[str, Any], settings: dict[str, Any] | None) -> str:
    """Zenodo's access right of a native ``access`` block and the concept's access settings.

    Restricted files without any way to request access (neither users nor guests) are closed.
    """
    embargo = access.get("embargo") or {}
    if embargo.get("active"):
        return "embargoed"
    if access.get("files") != "restricted" or embargo.get("until"):
        return "open"
    settings = settings or {}
    closed = settings.get("allow_user_requests") is False and settings.get("allow_guest_requests") is False
    return "closed" if closed else "restricted"


def _legacy_people(m: dict[str, Any], out: dict[str, Any], paths: PathMap) -> None:
    out["creators"] = [_legacy_person(c, with_type=False) for c in m.get("creators") or []]
    for i, creator in enumerate(out["creators"]):
        _person_paths(paths, f"metadata.creators.{i}", f"metadata.creators.{i}", creator)
    for i, contributor in enumerate(m.get("contributors") or []):
        supervisor = (contributor.get("role") or {}).get("id") == SUPERVISOR
        key = "thesis_supervisors" if supervisor else "contributors"
        entry = _legacy_person(contributor, with_type=not supervisor)
        legacy = f"metadata.{key}.{len(out.setdefault(key, []))}"
        out[key].append(entry)
        _person_paths(paths, f"metadata.contributors.{i}", legacy, entry)


def _legacy_subjects(m: dict[str, Any], out: dict[str, Any], paths: PathMap) -> None:
    for i, subject in enumerate(m.get("subjects") or []):
        if subject.get("id"):
            legacy = f"metadata.subjects.{len(out.setdefault('subjects', []))}"
            item = {"term": subject.get("subject"), "identifier": subject["id"], "scheme": subject.get("scheme")}
            out["subjects"].append({k: v for k, v in item.items() if v})
        else:
            legacy = f"metadata.keywords.{len(out.setdefault('keywords', []))}"
            out["keywords"].append(subject.get("subject"))
        paths.add(f"metadata.subjects.{i}", legacy)


def _legacy_identifiers(m: dict[str, Any], out: dict[str, Any], paths: PathMap) -> None:
    relations = get_vocabulary("relationtypes")
    found: list[Any] = []
    for i, rel in enumerate(m.get("related_identifiers") or []):
        relation = (rel.get("relation_type") or {}).get("id") or ""
        entry = relations.get(relation)
        datacite = str(entry.props.get("datacite") or relation) if entry is not None else relation
        legacy_relation = datacite[:1].lower() + datacite[1:]  # DataCite's "IsCitedBy" → "isCitedBy"
        item = {"identifier": rel.get("identifier"), "relation": legacy_relation, "scheme": rel.get("scheme"),
                "resource_type": (rel.get("resource_type") or {}).get("id")}
        paths.add(f"metadata.related_identifiers.{i}", f"metadata.related_identifiers.{len(found)}")
        found.append({k: v for k, v in item.items() if v})
    for i, alt in enumerate(m.get("identifiers") or []):
        paths.add(f"metadata.identifiers.{i}", f"metadata.related_identifiers.{len(found)}")
        item = {"identifier": alt.get("identifier"), "relation": "isAlternateIdentifier", "scheme": alt.get("scheme")}
        found.append({k: v for k, v in item.items() if v})
    if found:
        out["related_identifiers"] = found


def _legacy_grants(m: dict[str, Any], out: dict[str, Any], paths: PathMap) -> None:
    grants: list[Any] = []
    for i, funding in enumerate(m.get("funding") or []):
        award, funder = funding.get("award") or {}, funding.get("funder") or {}
        grant = award.get("id")
        if not grant:
            funder_doi = FUNDER_DOI_BY_ROR.get(funder.get("id") or "") or funder.get("name")
            if not award.get("number") or not funder_doi:
                continue  # a native funding entry Zenodo's grant ids cannot express
            grant = f"{funder_doi}::{award['number']}"
        paths.add(f"metadata.funding.{i}", f"metadata.grants.{len(grants)}")
        grants.append({"id": grant})
    if grants:
        out["grants"] = grants


def _legacy_places_and_dates(m: dict[str, Any], out: dict[str, Any], paths: PathMap) -> None:
    for i, feature in enumerate((m.get("locations") or {}).get("features") or []):
        item: dict[str, Any] = {"place": feature.get("place"), "description": feature.get("description")}
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Point" and geometry.get("coordinates"):
            item["lon"], item["lat"] = geometry["coordinates"][0], geometry["coordinates"][1]
        paths.add(f"metadata.locations.features.{i}", f"metadata.locations.{i}")
        out.setdefault("locations", []).append({k: v for k, v in item.items() if v is not None})
    for i, date in enumerate(m.get("dates") or []):
        text = str(date.get("date") or "")
        start, _, end = text.partition("/") if "/" in text else (text, "", text)
        kind = date.get("type") or {}
        item = {"start": start, "end": end, "type": (kind.get("title") or {}).get("en") or kind.get("id"),
                "description": date.get("description")}
        paths.add(f"metadata.dates.{i}", f"metadata.dates.{i}")
        out.setdefault("dates", []).append({k: v for k, v in item.items() if v and v != ".."})


def to_legacy(
    native: dict[str, Any], *, access_settings: dict[str, Any] | None = None, communities: list[str] | None = None
) -> tuple[dict[str, Any], PathMap]:
    """The legacy ``metadata`` of a native record or draft JSON, and where each native field went.

    ``prereserve_doi`` is not included: it needs the DOI provider (see ``formats.zenodo``).
    """
    m = native.get("metadata") or {}
    paths = PathMap()
    out: dict[str, Any] = {k: m[k] for k in ("title", "publication_date", "description", "version") if m.get(k)}
    kind = (m.get("resource_type") or {}).get("id")
    if kind:
        upload_type, _, subtype = kind.partition("-")
        out["upload_type"] = upload_type
        if subtype:
            out[f"{upload_type}_type"] = subtype
    _legacy_people(m, out, paths)
    access = native.get("access") or {}
    out["access_right"] = access_right_of(access, access_settings)
    if (access.get("embargo") or {}).get("until"):
        out["embargo_date"] = access["embargo"]["until"]
    licences = [r["id"] for r in m.get("rights") or [] if r.get("id")]
    if licences:
        out["license"] = licences[0]
    if (access_settings or {}).get("accept_conditions_text"):
        out["access_conditions"] = access_settings["accept_conditions_text"]  # type: ignore[index]
    doi = ((native.get("pids") or {}).get("doi") or {}).get("identifier")
    if doi:
        out["doi"] = doi
    _legacy_subjects(m, out, paths)
    for i, note in enumerate(m.get("additional_descriptions") or []):
        key = {v: k for k, v in NOTE_TYPES.items()}.get((note.get("type") or {}).get("id") or "")
        if key and key not in out:
            out[key] = note.get("description")
            paths.add(f"metadata.additional_descriptions.{i}", f"metadata.{key}")
    _legacy_identifiers(m, out, paths)
    if m.get("references"):
        out["references"] = [r.get("reference") for r in m["references"]]
        for i, _ in enumerate(m["references"]):
            paths.add(f"metadata.references.{i}", f"metadata.references.{i}")
    if communities:
        out["communities"] = [{"identifier": c} for c in communities]
    _legacy_grants(m, out, paths)
    for group, names in CUSTOM_GROUPS.items():
        values = (native.get("custom_fields") or {}).get(group) or {}
        out.update({legacy: values[sub] for sub, legacy in names.items() if values.get(sub)})
    if m.get("publisher"):
        out["imprint_publisher"] = m["publisher"]
    if m.get("languages"):
        out["language"] = m["languages"][0].get("id")
    _legacy_places_and_dates(m, out, paths)
    return out, paths
