"""What a document is made of, and which names a query may use for each part.

A search document has

- *text* (analysed words with positions), in sections named by a short code (``ti`` title,
  ``de`` description, …); a query word without a field searches every section;
- *keywords*: whole values per keyword field (``doi``, ``file_key``, …);
- *numbers* and *dates*, for exact values and ranges;
- *flags* and the *access facts* the access rule reads (``published``, ``access_record``, …);
- *facet values* and *sort keys*.

Queries may name a field by Zenodo's legacy name (``creators.name``, ``access_right``, …) or by
its InvenioRDM name (``metadata.creators.person_or_org.name``); both resolve to one
:class:`FieldSpec` here. File-derived fields are marked ``files_only``: a clause on them only
considers documents whose files the principal may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    KEYWORD = "keyword"
    INTEGER = "integer"
    DATE = "date"
    INTERVAL = "interval"  # a date interval (publication date): two date fields, start and end
    ACCESS_STATUS = "access_status"  # derived at query time from access facts and the clock


# Text sections: code -> (weight for PostgreSQL ranking, boost for Tantivy scoring).
TEXT_SECTIONS: dict[str, tuple[str, float]] = {
    "ti": ("A", 3.0),  # titles
    "cr": ("B", 2.0),  # creator names
    "su": ("B", 1.5),  # subjects and keywords
    "de": ("D", 1.0),  # descriptions
    "ca": ("C", 1.0),  # creator affiliations
    "co": ("C", 1.0),  # contributor names
    "cf": ("D", 1.0),  # contributor affiliations
    "pu": ("D", 1.0),  # publisher
    "fu": ("D", 1.0),  # funders and awards
    "ho": ("D", 1.0),  # host publication: journal, meeting, imprint, thesis
    "id": ("D", 1.0),  # identifiers written as text (DOI, alternate and related identifiers)
    "ot": ("D", 1.0),  # other: version, places, references, formats
}
ALL_SECTIONS: tuple[str, ...] = tuple(TEXT_SECTIONS)

# Keyword fields the documents carry (values analysed with ``analysis.keyword``).
KEYWORD_FIELDS = (
    "doi", "conceptdoi", "creator_id", "contributor_id", "resource_type", "resource_type_type",
    "resource_type_subtype", "community", "version", "license", "language", "file_key", "file_type",
    "related_id", "relation", "alt_id", "award", "funder_id", "status", "access_record", "access_files",
    "access_base", "_exists",
)  # fmt: skip

# Keyword fields every document has exactly one value of, from this closed set: a backend may
# test "access_record is public" as "access_record is not restricted" (see tantivy_index).
CLOSED_KEYWORDS: dict[str, tuple[str, ...]] = {
    "access_record": ("public", "restricted"),
    "access_files": ("public", "restricted"),
}

INTEGER_FIELDS = ("id", "parent_id", "owner_id", "version_index")
DATE_FIELDS = ("created", "updated", "embargo_until", "pub_start", "pub_end")
FLAG_FIELDS = ("is_draft", "published", "files_enabled", "is_latest", "is_latest_draft", "user_view")  # on every document


@dataclass(frozen=True)
class FieldSpec:
    """A queryable field: its kind and where its values live in the document."""

    name: str  # canonical name (also what ``_exists_`` records)
    kind: Kind
    sections: tuple[str, ...] = ()  # TEXT: the sections searched
    target: str = ""  # KEYWORD/INTEGER/DATE: the document field
    files_only: bool = False


def _text(name: str, *sections: str) -> FieldSpec:
    return FieldSpec(name, Kind.TEXT, sections=sections)


def _kw(name: str, target: str | None = None, files_only: bool = False) -> FieldSpec:
    return FieldSpec(name, Kind.KEYWORD, target=target or name, files_only=files_only)


def _int(name: str, target: str) -> FieldSpec:
    return FieldSpec(name, Kind.INTEGER, target=target)


def _date(name: str, target: str) -> FieldSpec:
    return FieldSpec(name, Kind.DATE, target=target)


TITLE = _text("title", "ti")
DESCRIPTION = _text("description", "de")
CREATORS = _text("creators", "cr")
AFFILIATIONS = _text("affiliations", "ca")
CONTRIBUTORS = _text("contributors", "co")
CONTRIBUTOR_AFFILIATIONS = _text("contributor_affiliations", "cf")
SUBJECTS = _text("subjects", "su")
PUBLISHER = _text("publisher", "pu")
FUNDING = _text("funding", "fu")
HOST = _text("host", "ho")
REFERENCES = _text("other", "ot")
PUBLICATION_DATE = FieldSpec("publication_date", Kind.INTERVAL)
ACCESS_STATUS = FieldSpec("access_status", Kind.ACCESS_STATUS)

# Every name a query may use, legacy (Zenodo) and InvenioRDM, mapped to its field.
FIELDS: dict[str, FieldSpec] = {
    "title": TITLE, "titles": TITLE, "metadata.title": TITLE, "metadata.additional_titles.title": TITLE,
    "description": DESCRIPTION, "metadata.description": DESCRIPTION, "notes": DESCRIPTION, "method": DESCRIPTION,
    "metadata.additional_descriptions.description": DESCRIPTION,
    "creators": CREATORS, "creators.name": CREATORS, "creators.person_or_org.name": CREATORS,
    "metadata.creators.person_or_org.name": CREATORS, "metadata.creators.person_or_org.family_name": CREATORS,
    "metadata.creators.person_or_org.given_name": CREATORS,
    "creators.affiliation": AFFILIATIONS, "creators.affiliations.name": AFFILIATIONS,
    "metadata.creators.affiliations.name": AFFILIATIONS,
    "contributors": CONTRIBUTORS, "contributors.name": CONTRIBUTORS, "metadata.contributors.person_or_org.name": CONTRIBUTORS,
    "contributors.affiliation": CONTRIBUTOR_AFFILIATIONS, "metadata.contributors.affiliations.name": CONTRIBUTOR_AFFILIATIONS,
    "keywords": SUBJECTS, "subjects": SUBJECTS, "subjects.subject": SUBJECTS, "metadata.subjects.subject": SUBJECTS,
    "publisher": PUBLISHER, "metadata.publisher": PUBLISHER, "imprint_publisher": PUBLISHER,
    "grants": FUNDING, "grants.title": FUNDING, "grants.acronym": FUNDING, "grants.funder": FUNDING,
    "funding": FUNDING, "metadata.funding.funder.name": FUNDING, "metadata.funding.award.title": FUNDING,
    "journal": HOST, "journal.title": HOST, "meeting": HOST, "meeting.title": HOST, "conference_title": HOST,
    "journal_title": HOST, "imprint.title": HOST, "thesis.university": HOST,
    "references": REFERENCES, "metadata.references.reference": REFERENCES, "locations.place": REFERENCES,
    "metadata.locations.features.place": REFERENCES,
    "doi": _kw("doi"), "pids.doi.identifier": _kw("doi"),
    "conceptdoi": _kw("conceptdoi"), "parent.pids.doi.identifier": _kw("conceptdoi"),
    "recid": _int("recid", "id"), "id": _int("recid", "id"),
    "conceptrecid": _int("conceptrecid", "parent_id"), "parent.id": _int("conceptrecid", "parent_id"),
    "owners": _int("owners", "owner_id"), "parent.access.owned_by.user": _int("owners", "owner_id"),
    "versions.index": _int("versions.index", "version_index"),
    "creators.orcid": _kw("creator_id"), "creators.gnd": _kw("creator_id"), "creators.identifiers": _kw("creator_id"),
    "metadata.creators.person_or_org.identifiers.identifier": _kw("creator_id"),
    "contributors.orcid": _kw("contributor_id"), "contributors.gnd": _kw("contributor_id"),
    "metadata.contributors.person_or_org.identifiers.identifier": _kw("contributor_id"),
    "resource_type": _kw("resource_type"), "resource_type.id": _kw("resource_type"),
    "metadata.resource_type.id": _kw("resource_type"),
    "type": _kw("resource_type_type"), "upload_type": _kw("resource_type_type"),
    "resource_type.type": _kw("resource_type_type"), "metadata.resource_type.props.type": _kw("resource_type_type"),
    "subtype": _kw("resource_type_subtype"), "resource_type.subtype": _kw("resource_type_subtype"),
    "metadata.resource_type.props.subtype": _kw("resource_type_subtype"),
    "access_right": ACCESS_STATUS, "access_status": ACCESS_STATUS, "access.status": ACCESS_STATUS,
    "access.record": _kw("access.record", "access_record"), "access.files": _kw("access.files", "access_files"),
    "communities": _kw("communities", "community"), "parent.communities.ids": _kw("communities", "community"),
    "version": _kw("version"), "metadata.version": _kw("version"),
    "license": _kw("license"), "license.identifier": _kw("license"), "license.id": _kw("license"),
    "rights.id": _kw("license"), "metadata.rights.id": _kw("license"),
    "language": _kw("language"), "languages": _kw("language"), "metadata.languages.id": _kw("language"),
    "files.key": _kw("files.key", "file_key", True), "files.entries.key": _kw("files.key", "file_key", True),
    "filename": _kw("files.key", "file_key", True),
    "files.type": _kw("file_type", "file_type", True), "file_type": _kw("file_type", "file_type", True),
    "files.entries.ext": _kw("file_type", "file_type", True),
    "related.identifier": _kw("related.identifier", "related_id"),
    "metadata.related_identifiers.identifier": _kw("related.identifier", "related_id"),
    "related.relation": _kw("related.relation", "relation"),
    "metadata.related_identifiers.relation_type.id": _kw("related.relation", "relation"),
    "alternate.identifier": _kw("alternate.identifier", "alt_id"),
    "metadata.identifiers.identifier": _kw("alternate.identifier", "alt_id"),
    "grants.code": _kw("grants.code", "award"), "metadata.funding.award.number": _kw("grants.code", "award"),
    "metadata.funding.funder.id": _kw("funder.id", "funder_id"), "funder.id": _kw("funder.id", "funder_id"),
    "status": _kw("status"),
    "publication_date": PUBLICATION_DATE, "publicationdate": PUBLICATION_DATE,
    "metadata.publication_date": PUBLICATION_DATE,
    "created": _date("created", "created"), "updated": _date("updated", "updated"),
    "modified": _date("updated", "updated"),
    "embargodate": _date("embargodate", "embargo_until"), "access.embargo.until": _date("embargodate", "embargo_until"),
}  # fmt: skip


def resolve(name: str) -> FieldSpec | None:
    """The field a query names (names are matched ignoring case), or None."""
    return FIELDS.get(name.strip().lower())


def known_names() -> list[str]:
    """The short, legacy-style names, for error messages."""
    return sorted(n for n in FIELDS if not n.startswith(("metadata.", "parent.", "pids.", "files.entries")))


@dataclass(frozen=True)
class FacetSpec:
    """A facet: the document field holding its values and how many buckets it shows."""

    name: str
    field: str
    size: int
    files_only: bool = False


# Stored per document as facet values; ``access_status`` and the nesting of subtypes under
# resource types are worked out when aggregating (see ``search.facets``).
FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("resource_type", "resource_type", 100),
    FacetSpec("resource_subtype", "resource_subtype", 200),
    FacetSpec("access_base", "access_base", 10),
    FacetSpec("file_type", "file_type", 20, files_only=True),
    FacetSpec("subject", "subject", 20),
    FacetSpec("license", "license", 20),
    FacetSpec("language", "language", 20),
    FacetSpec("publication_year", "publication_year", 50),
    FacetSpec("communities", "communities", 20),
)
FACET_FIELDS: tuple[str, ...] = tuple(f.field for f in FACETS)
