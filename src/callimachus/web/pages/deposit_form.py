"""The deposit form as plain HTML fields, and back.

Field names are the dotted paths of the draft body the API takes (``metadata.title``,
``metadata.creators.0.person_or_org.family_name``, ``custom_fields.journal:journal.issn``), so the
services' error paths name form fields directly. Numbers are list positions; rows may come with
gaps (a script removed one) and are renumbered in order. Empty values are dropped, and so is a
list row holding nothing but choices with defaults (a person's type, an identifier's scheme…).

Three things a form cannot say as JSON are translated: coordinates (``lat``, ``lon`` or a
polygon's GeoJSON coordinates) become a location's ``geometry``; check boxes and radio buttons
become booleans; a DOI typed in becomes an external DOI.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from callimachus.core.errors import FieldError
from callimachus.web.pages.i18n import N_

ROOTS = ("metadata", "custom_fields", "access", "files", "pids")
# Choices that always carry a value: a list row holding only these is an empty row.
SELECTORS = frozenset({"type", "scheme", "role", "relation_type", "resource_type", "lang"})
MAX_FIELDS = 5000
MAX_VALUE = 400_000  # a description may be long; the schema has the real limits
MAX_DEPTH = 8
_PLACEHOLDER = re.compile(r"__\d+__")


@dataclass
class ParsedForm:
    body: dict[str, Any]
    errors: list[FieldError] = field(default_factory=list)  # what the form itself could not read
    raw: dict[str, str] = field(default_factory=dict)  # typed text shown again when it could not be used
    action: str = "save"


async def read_deposit_form(request: Request) -> tuple[dict[str, str], str]:
    """The posted text fields (the last value of a repeated name) and the button pressed."""
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    values: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values[key[:300]] = value[:MAX_VALUE]
    await form.close()
    return values, values.get("action", "save")


def _nest(values: dict[str, str]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for name, value in values.items():
        parts = name.split(".")
        if parts[0] not in ROOTS or len(parts) > MAX_DEPTH or "" in parts or any(_PLACEHOLDER.fullmatch(p) for p in parts):
            continue  # not ours, or a row template's placeholder (a browser without <template>)
        node = root
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            if not isinstance(node.get(parts[-1]), dict):
                node[parts[-1]] = value
    return root


def _listify(node: Any) -> Any:
    """Objects keyed only by numbers are lists, in numeric order (gaps closed)."""
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v) for k, v in node.items()}
    if items and all(k.isdigit() and len(k) < 7 for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def _prune(node: Any, in_item: bool = False) -> Any:
    """Drop empty strings, empty objects and lists, and list rows with nothing but defaults."""
    if isinstance(node, list):
        rows = [_prune(v, True) for v in node]
        return [v for v in rows if v not in (None, "", {}, [])]
    if isinstance(node, dict):
        pruned = {k: _prune(v, in_item) for k, v in node.items()}
        kept = {k: v for k, v in pruned.items() if v not in (None, "", {}, [])}
        if in_item and kept and set(kept) <= SELECTORS:
            return {}
        return kept
    if isinstance(node, str):
        return node if node.strip() else ""
    return node


def _number(text: str, path: str, errors: list[FieldError]) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        errors.append(FieldError(path, [N_("Enter a number, e.g. 46.2.")]))
        return None
    return value


def _geometry(feature: dict[str, Any], path: str, parsed: ParsedForm) -> None:
    lat, lon, polygon = (feature.pop(k, "") for k in ("lat", "lon", "polygon"))
    for key, text in (("lat", lat), ("lon", lon), ("polygon", polygon)):
        if text:
            parsed.raw[f"{path}.{key}"] = text
    if polygon:
        try:
            coordinates = json.loads(polygon)
        except ValueError:
            parsed.errors.append(FieldError(f"{path}.polygon", [N_("Enter the polygon as GeoJSON coordinates: [[[lon, lat], …]].")]))
            return
        feature["geometry"] = {"type": "Polygon", "coordinates": coordinates}
    elif lat or lon:
        if not (lat and lon):
            parsed.errors.append(FieldError(f"{path}.{'lon' if lat else 'lat'}", [N_("Give both latitude and longitude.")]))
            return
        y, x = _number(lat, f"{path}.lat", parsed.errors), _number(lon, f"{path}.lon", parsed.errors)
        if x is not None and y is not None:
            feature["geometry"] = {"type": "Point", "coordinates": [x, y]}


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "on", "1", "yes")


def _access(access: dict[str, Any]) -> dict[str, Any]:
    raw = access.get("embargo")
    embargo: dict[str, Any] = raw if isinstance(raw, dict) else {}
    out: dict[str, Any] = {k: v for k, v in access.items() if k != "embargo"}
    active = _flag(embargo.get("active", ""))
    out["embargo"] = {"active": active, "until": embargo.get("until") if active else None, "reason": embargo.get("reason") if active else None}
    return out


def parse_deposit_form(values: dict[str, str]) -> ParsedForm:
    """The draft body the form describes (to send through ``drafts.create_draft``/``update_draft``)."""
    parsed = ParsedForm(body={}, action=values.get("action", "save"))
    nested = _prune(_listify(_nest(values)))
    metadata = nested.get("metadata") if isinstance(nested.get("metadata"), dict) else {}
    features = (metadata.get("locations") or {}).get("features") if isinstance(metadata.get("locations"), dict) else None
    if isinstance(features, list):
        for i, feature in enumerate(features):
            if isinstance(feature, dict):
                _geometry(feature, f"metadata.locations.features.{i}", parsed)
    body: dict[str, Any] = {"metadata": metadata, "custom_fields": nested.get("custom_fields") or {}}
    body["access"] = _access(nested["access"]) if isinstance(nested.get("access"), dict) else {}
    files = nested.get("files")
    if isinstance(files, dict) and "enabled" in files:
        body["files"] = {"enabled": _flag(files["enabled"])}
    doi = ((nested.get("pids") or {}).get("doi") or {}) if isinstance(nested.get("pids"), dict) else {}
    if isinstance(doi, dict) and isinstance(doi.get("identifier"), str) and doi["identifier"].strip():
        body["pids"] = {"doi": {"identifier": doi["identifier"].strip(), "provider": "external"}}
    parsed.body = body
    return parsed


# --- errors: which field, and how to name it ----------------------------------------------------

_VOCABULARY_PATHS = [
    re.compile(p) for p in (
        r"^metadata\.resource_type$", r"^metadata\.(creators|contributors)\.\d+\.role$",
        r"^metadata\.(additional_titles|additional_descriptions|dates)\.\d+\.(type|lang)$",
        r"^metadata\.related_identifiers\.\d+\.(relation_type|resource_type)$", r"^metadata\.languages\.\d+$",
        r"^custom_fields\.code:developmentStatus$", r"^custom_fields\.code:programmingLanguage\.\d+$",
    )
]  # fmt: skip
_LANG_TEXT = re.compile(r"^(metadata\.rights\.\d+\.(title|description)|metadata\.funding\.\d+\.award\.title)$")
_FEATURE = re.compile(r"^(metadata\.locations\.features\.\d+)(\.geometry(\..*)?)?$")


def _polygon_at(body: dict[str, Any], feature_path: str) -> bool:
    index = int(feature_path.rsplit(".", 1)[1])
    features = ((body.get("metadata") or {}).get("locations") or {}).get("features") or []
    if index < len(features) and isinstance(features[index], dict):
        return ((features[index].get("geometry") or {}).get("type")) == "Polygon"
    return False


def field_name(path: str, body: dict[str, Any]) -> str:
    """The form field an error path points at (a vocabulary value's ``id``, a location's
    coordinates, a person's family name when the whole person is missing, …)."""
    if any(p.match(path) for p in _VOCABULARY_PATHS):
        return f"{path}.id"
    if _LANG_TEXT.match(path):
        return f"{path}.en"
    if path.endswith(".person_or_org"):
        return f"{path}.family_name"
    feature = _FEATURE.match(path)
    if feature:
        return f"{feature.group(1)}.{'polygon' if _polygon_at(body, feature.group(1)) else 'lat'}"
    if path.startswith("pids"):
        return "pids.doi.identifier"
    if path.startswith("files.entries"):
        return "files"
    if path.startswith("access.embargo") and not path.endswith(("until", "reason")):
        return "access.embargo.active"
    return path


def errors_by_field(errors: list[FieldError], body: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in errors:
        messages = found.setdefault(field_name(error.field, body), [])
        messages.extend(m for m in error.messages if m not in messages)
    return found


LABELS = {
    "metadata": "", "custom_fields": "", "person_or_org": "", "geometry": "", "features": N_("Locations"),
    "resource_type": N_("Resource type"), "title": N_("Title"), "publication_date": N_("Publication date"),
    "creators": N_("Creators"), "contributors": N_("Contributors"), "family_name": N_("Family name"),
    "given_name": N_("Given name"), "name": N_("Name"), "type": N_("Type"), "role": N_("Role"),
    "identifiers": N_("Identifiers"), "identifier": N_("Identifier"), "scheme": N_("Scheme"),
    "affiliations": N_("Affiliations"), "additional_titles": N_("Additional titles"),
    "description": N_("Description"), "additional_descriptions": N_("Additional descriptions"),
    "rights": N_("Licences and rights"), "subjects": N_("Keywords and subjects"), "subject": N_("Subject"),
    "dates": N_("Dates"), "date": N_("Date"), "languages": N_("Languages"), "lang": N_("Language"),
    "related_identifiers": N_("Related works"), "relation_type": N_("Relation"), "sizes": N_("Sizes"),
    "formats": N_("Formats"), "version": N_("Version"), "publisher": N_("Publisher"), "locations": "",
    "place": N_("Place"), "lat": N_("Latitude"), "lon": N_("Longitude"), "polygon": N_("Polygon"),
    "coordinates": N_("Coordinates"), "funding": N_("Funding"), "funder": N_("Funder"), "award": N_("Award"),
    "number": N_("Number"), "acronym": N_("Acronym"), "references": N_("References"), "reference": N_("Reference"),
    "link": N_("Link"), "id": "", "en": "", "journal:journal": N_("Journal"), "meeting:meeting": N_("Conference"),
    "imprint:imprint": N_("Imprint"), "thesis:thesis": N_("Thesis"), "code:codeRepository": N_("Code repository"),
    "code:programmingLanguage": N_("Programming languages"), "code:developmentStatus": N_("Development status"),
    "access": N_("Access"), "record": N_("Record"), "files": N_("Files"), "enabled": N_("Has files"),
    "embargo": N_("Embargo"), "until": N_("Embargo end date"), "reason": N_("Embargo reason"),
    "pids": "", "doi": N_("DOI"), "entries": N_("File"), "volume": N_("Volume"), "issue": N_("Issue"),
    "pages": N_("Pages"), "issn": N_("ISSN"), "isbn": N_("ISBN"), "edition": N_("Edition"),
    "session": N_("Session"), "session_part": N_("Session part"), "url": N_("URL"), "university": N_("University"),
    "department": N_("Department"), "date_submitted": N_("Date submitted"), "date_defended": N_("Date defended"),
}  # fmt: skip


def describe(path: str) -> list[str]:
    """The parts of a field's human name: ``["Creators", "2", "Family name"]`` (to translate)."""
    parts: list[str] = []
    for segment in path.split("."):
        if segment.isdigit():
            parts.append(str(int(segment) + 1))
        else:
            label = LABELS.get(segment, segment)
            if label:
                parts.append(label)
    return parts or [N_("The record")]


@dataclass(frozen=True)
class Problem:
    anchor: str  # the id of the field (f-<name>) to jump to
    label: list[str]
    messages: list[str]


def problems(errors: list[FieldError], body: dict[str, Any]) -> list[Problem]:
    """Every problem once, in the order reported, pointing at its field."""
    out: list[Problem] = []
    for error in errors:
        name = field_name(error.field, body)
        out.append(Problem(f"f-{name}", describe(error.field), list(error.messages)))
    return out
