"""Search documents: one per published record version and one per draft, built from the native
record JSON (``services.render.record_json``, rendered with its files) and the access facts.

Both backends store exactly what :func:`build_document` returns; nothing is analysed twice.
Dates are whole seconds since 1970 (UTC; an embargo end is rounded up, so an index never
lifts an embargo early). Sort keys pack the sorted value and the document key into one integer
(or one string for titles), so every sort is a total order that both backends follow alike and
a cursor can resume after the last key.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from callimachus.metadata.dates import date_bounds
from callimachus.metadata.vocabularies import get_vocabulary
from callimachus.search import analysis
from callimachus.search.fields import FIELDS, Kind

KEY_BITS = 32
MAX_RECID = 2 ** (KEY_BITS - 1) - 1
SECTION_POSITIONS = 16_000  # PostgreSQL keeps positions up to 16,383


@dataclass(frozen=True)
class DocumentFacts:
    """What the document needs beyond the record JSON: access facts and version flags."""

    is_draft: bool
    published: bool
    parent_id: int
    owner_id: int
    access_record: str
    access_files: str
    embargo_until: datetime | None
    files_enabled: bool
    is_latest: bool  # published version that is its concept's latest
    is_latest_draft: bool  # what represents the concept in its owner's list
    user_view: bool  # shown in owners' lists (a record with an open edit is shown by the draft)
    created: datetime  # what "newest" sorts by: publication of a version, creation of a draft
    updated: datetime


@dataclass
class IndexDocument:
    key: int  # recid * 2, plus 1 for a draft
    id: int
    parent_id: int
    owner_id: int
    version_index: int
    flags: dict[str, bool]
    dates: dict[str, int | None]  # seconds since 1970, UTC
    text: list[tuple[str, list[str]]]  # (section, words of one value)
    keywords: dict[str, list[str]]
    facets: dict[str, list[str]]
    sort: dict[str, int]
    sort_title: str
    fingerprint: int = 0

    def words_with_positions(self) -> Iterator[tuple[str, str, int]]:
        """(section, word, position): positions count per section, one left empty between values."""
        positions: dict[str, int] = {}
        for section, found in self.text:
            start = positions.get(section, 0) + 1
            for offset, word in enumerate(found):
                yield section, word, start + offset
            positions[section] = start + len(found)


def document_key(recid: int, is_draft: bool) -> int:
    if not 0 < recid <= MAX_RECID:
        raise ValueError(f"record id {recid} is outside what the search index can key")
    return recid * 2 + int(is_draft)


def key_recid(key: int) -> tuple[int, bool]:
    """(recid, is_draft) of a document key."""
    return key >> 1, bool(key & 1)


def seconds(moment: datetime | None, *, round_up: bool = False) -> int | None:
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    value = moment.timestamp()
    return math.ceil(value) if round_up else math.floor(value)


def sort_value(value: int, key: int) -> int:
    return (max(value, 0) << KEY_BITS) | key


def build_document(record: dict[str, Any], facts: DocumentFacts) -> IndexDocument:
    """The search document of a record or draft, from its native JSON and access facts."""
    recid = int(record["id"])
    key = document_key(recid, facts.is_draft)
    metadata = record.get("metadata") or {}
    start, end = _publication_bounds(metadata.get("publication_date"))
    text = _cap_sections(_text_values(record, metadata))
    resource_type = _resource_type(metadata)
    keywords = _keywords(record, metadata, facts, resource_type)
    facets = _facets(metadata, keywords, start, resource_type)
    dates = {
        "created": seconds(facts.created),
        "updated": seconds(facts.updated),
        "embargo_until": seconds(facts.embargo_until, round_up=True),
        "pub_start": start,
        "pub_end": end,
    }
    keywords["_exists"] = _present(text, keywords, dates)
    version_index = int((record.get("versions") or {}).get("index") or 1)
    doc = IndexDocument(
        key=key,
        id=recid,
        parent_id=facts.parent_id,
        owner_id=facts.owner_id,
        version_index=version_index,
        flags={
            "is_draft": facts.is_draft, "published": facts.published, "files_enabled": facts.files_enabled,
            "is_latest": facts.is_latest, "is_latest_draft": facts.is_latest_draft, "user_view": facts.user_view,
        },
        dates=dates,
        text=text,
        keywords=keywords,
        facets=facets,
        sort={
            "newest": sort_value((dates["created"] or 0) // 60, key),
            "updated": sort_value((dates["updated"] or 0) // 60, key),
            "publication": sort_value(_day_number(start), key),
            "version": sort_value(version_index, key),
        },
        sort_title="-".join(analysis.words(str(metadata.get("title") or "")))[:100] + f"!{key:010d}",
    )  # fmt: skip
    doc.fingerprint = fingerprint(doc)
    return doc


def fingerprint(doc: IndexDocument) -> int:
    """A signed 64-bit digest of everything indexed, to tell a stale index document."""
    body = (
        doc.key, doc.id, doc.parent_id, doc.owner_id, doc.version_index, sorted(doc.flags.items()),
        sorted(doc.dates.items()), doc.text, sorted(doc.keywords.items()), sorted(doc.facets.items()),
        sorted(doc.sort.items()), doc.sort_title,
    )  # fmt: skip
    digest = hashlib.blake2b(pickle.dumps(body, protocol=5), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _day_number(start: int | None) -> int:
    if start is None:
        return 0
    return start // 86400 + 800_000  # days since 1970 made positive for dates back to year -200


def _publication_bounds(value: Any) -> tuple[int | None, int | None]:
    if not isinstance(value, str) or not value:
        return None, None
    try:
        first, last = date_bounds(value)
    except ValueError:
        return None, None
    start = seconds(analysis.day_start(first)) if first else -(2**40)
    end = seconds(analysis.day_end(last)) if last else 2**40
    return start, end


def _strings(items: Iterable[Any], *path: str) -> list[str]:
    """Non-empty strings found at ``path`` in each item (a list or dict at the end is walked)."""
    out: list[str] = []
    for item in items:
        value: Any = item
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        if value is None:
            continue
        if isinstance(value, str):
            if value.strip():
                out.append(value)
        elif isinstance(value, (list, dict)):
            out.extend(v for v in (value.values() if isinstance(value, dict) else value) if isinstance(v, str) and v.strip())
    return out


def _list(metadata: dict[str, Any], name: str) -> list[Any]:
    value = metadata.get(name)
    return value if isinstance(value, list) else []


def _people(people: list[Any]) -> tuple[list[str], list[str], list[str]]:
    names, affiliations, ids = [], [], []
    for person in people:
        if not isinstance(person, dict):
            continue
        org = person.get("person_or_org") or {}
        name = org.get("name") or " ".join(p for p in (org.get("given_name"), org.get("family_name")) if p)
        if name:
            names.append(str(name))
        affiliations.extend(_strings(person.get("affiliations") or [], "name"))
        ids.extend(_strings(org.get("identifiers") or [], "identifier"))
    return names, affiliations, ids


def _text_values(record: dict[str, Any], md: dict[str, Any]) -> list[tuple[str, list[str]]]:
    creators, creator_affs, _ = _people(_list(md, "creators"))
    contributors, contributor_affs, _ = _people(_list(md, "contributors"))
    custom = record.get("custom_fields") or {}
    sections: list[tuple[str, Iterable[str]]] = [
        ("ti", [str(md.get("title") or ""), *_strings(_list(md, "additional_titles"), "title")]),
        ("de", map(analysis.html_text, [str(md.get("description") or ""), *_strings(_list(md, "additional_descriptions"), "description")])),
        ("cr", creators), ("ca", creator_affs), ("co", contributors), ("cf", contributor_affs),
        ("su", _strings(_list(md, "subjects"), "subject")),
        ("pu", [str(md.get("publisher") or "")]),
        ("fu", [*_strings(_list(md, "funding"), "funder", "name"), *_strings(_list(md, "funding"), "award", "title"),
                *_strings(_list(md, "funding"), "award", "acronym")]),
        ("ho", [*_strings([custom], "journal:journal", "title"), *_strings([custom], "meeting:meeting", "title"),
                *_strings([custom], "meeting:meeting", "acronym"), *_strings([custom], "imprint:imprint", "title"),
                *_strings([custom], "thesis:thesis", "university")]),
        ("id", [*_strings([record], "pids", "doi", "identifier"), *_strings([record], "parent", "pids", "doi", "identifier"),
                *_strings(_list(md, "identifiers"), "identifier"), *_strings(_list(md, "related_identifiers"), "identifier")]),
        ("ot", [str(md.get("version") or ""), *_strings(_list(md, "references"), "reference"),
                *_strings(((md.get("locations") or {}).get("features") or []), "place"),
                *_strings(_list(md, "dates"), "description"), *_strings([md], "formats"), *_strings([md], "sizes")]),
    ]  # fmt: skip
    out = []
    for section, values in sections:
        for value in values:
            found = analysis.words(value)
            if found:
                out.append((section, found))
    return out


def _cap_sections(values: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Keep each section's positions (words plus one gap per value) within what both backends store."""
    used: dict[str, int] = {}
    out = []
    for section, found in values:
        room = SECTION_POSITIONS - used.get(section, 0)
        if room <= 1:
            continue
        kept = found[: room - 1]
        used[section] = used.get(section, 0) + len(kept) + 1
        out.append((section, kept))
    return out


def _resource_type(md: dict[str, Any]) -> tuple[str, str, str]:
    """(id, type, subtype) of the record's resource type; subtype is "" for a bare type."""
    rt = md.get("resource_type") or {}
    rid = str(rt.get("id") or "") if isinstance(rt, dict) else ""
    props = rt.get("props") if isinstance(rt, dict) else None
    if not props and rid:
        entry = get_vocabulary("resourcetypes").get(rid)
        props = entry.props if entry is not None else {}
    props = props or {}
    kind = str(props.get("type") or rid.split("-", 1)[0])
    subtype = str(props.get("subtype") or "")
    return rid, kind, subtype


def _keywords(record: dict[str, Any], md: dict[str, Any], facts: DocumentFacts, resource_type: tuple[str, str, str]) -> dict[str, list[str]]:
    rid, kind, subtype = resource_type
    files = ((record.get("files") or {}).get("entries") or {}).values()
    related = _list(md, "related_identifiers")
    raw: dict[str, Iterable[str]] = {
        "doi": _strings([record], "pids", "doi", "identifier"),
        "conceptdoi": _strings([record], "parent", "pids", "doi", "identifier"),
        "creator_id": _people(_list(md, "creators"))[2],
        "contributor_id": _people(_list(md, "contributors"))[2],
        "resource_type": [rid] if rid else [],
        "resource_type_type": [kind] if kind else [],
        "resource_type_subtype": [subtype, subtype.removeprefix(kind + "-")] if subtype else [],
        "community": _strings([record], "parent", "communities", "ids"),
        "version": [str(md["version"])] if md.get("version") else [],
        "license": _strings(_list(md, "rights"), "id"),
        "language": _strings(_list(md, "languages"), "id"),
        "file_key": _strings(files, "key"),
        "file_type": _strings(files, "ext"),
        "related_id": _strings(related, "identifier"),
        "relation": _strings(related, "relation_type", "id"),
        "alt_id": _strings(_list(md, "identifiers"), "identifier"),
        "award": _strings(_list(md, "funding"), "award", "number"),
        "funder_id": _strings(_list(md, "funding"), "funder", "id"),
        "status": [str(record.get("status") or "")],
        "access_record": [facts.access_record],
        "access_files": [facts.access_files],
        "access_base": [access_base(facts)],
    }
    return {name: _normalized(values, analysis.keyword) for name, values in raw.items()}


def _normalized(values: Iterable[str], normalize: Callable[[str], str]) -> list[str]:
    """Distinct normalised values, sorted (the common single value without set or sort)."""
    found = [v for v in values if v and v.strip()]
    if len(found) == 1:
        return [normalize(found[0])]
    return sorted({normalize(v) for v in found})


def access_base(facts: DocumentFacts) -> str:
    """The access status whatever the date; embargoes are settled at query time (``query.access_status_is``)."""
    if facts.embargo_until is not None:
        return "embargoed-open" if facts.files_enabled else "embargoed-metadata-only"
    if facts.access_record == "restricted":
        return "restricted"
    if not facts.files_enabled:
        return "metadata-only"
    return "restricted" if facts.access_files == "restricted" else "open"


def _facets(md: dict[str, Any], keywords: dict[str, list[str]], start: int | None, resource_type: tuple[str, str, str]) -> dict[str, list[str]]:
    rid, kind, subtype = resource_type
    year = datetime.fromtimestamp(start, UTC).year if start is not None and start > -(2**40) else None
    values: dict[str, Iterable[str]] = {
        "resource_type": [kind] if kind else [],
        "resource_subtype": [rid] if subtype else [],
        "access_base": keywords["access_base"],
        "file_type": keywords["file_type"],
        "subject": _strings(_list(md, "subjects"), "subject"),
        "license": _strings(_list(md, "rights"), "id"),
        "language": _strings(_list(md, "languages"), "id"),
        "publication_year": [str(year)] if year is not None else [],
        "communities": keywords["community"],
    }
    return {name: _normalized(found, analysis.facet_value) for name, found in values.items()}


_SPECS = tuple({spec.name: spec for spec in FIELDS.values()}.values())
_BY_SECTION = tuple((frozenset(spec.sections), spec.name) for spec in _SPECS if spec.kind == Kind.TEXT)
_BY_KEYWORD = tuple((spec.target, spec.name) for spec in _SPECS if spec.kind == Kind.KEYWORD)
_BY_DATE = tuple(
    ("pub_start" if spec.kind == Kind.INTERVAL else spec.target, spec.name) for spec in _SPECS if spec.kind in (Kind.DATE, Kind.INTERVAL)
)


def _present(text: list[tuple[str, list[str]]], keywords: dict[str, list[str]], dates: dict[str, int | None]) -> list[str]:
    """Canonical names of the fields this document has a value for (``_exists_``)."""
    sections = {section for section, _ in text}
    names = {name for wanted, name in _BY_SECTION if not wanted.isdisjoint(sections)}
    names.update(name for target, name in _BY_KEYWORD if keywords.get(target))
    names.update(name for target, name in _BY_DATE if dates.get(target) is not None)
    return sorted(names)
