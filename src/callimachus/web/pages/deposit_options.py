"""Choices the deposit form offers, read once from the vocabularies shipped with the package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from callimachus.metadata import identifiers
from callimachus.metadata.vocabularies import get_vocabulary

SCHEME_NAMES = {
    "arxiv": "arXiv", "ascl": "ASCL", "doi": "DOI", "eissn": "eISSN", "gnd": "GND", "handle": "Handle",
    "hal": "HAL", "isbn": "ISBN", "isni": "ISNI", "issn": "ISSN", "lissn": "Linking ISSN", "orcid": "ORCID",
    "pmcid": "PMCID", "pmid": "PubMed ID", "purl": "PURL", "ror": "ROR", "swh": "Software Heritage",
    "url": "URL", "urn": "URN", "geonames": "GeoNames", "wikidata": "Wikidata", "w3id": "w3id",
}  # fmt: skip


@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    group: str = ""


@dataclass(frozen=True)
class Options:
    resource_types: list[Choice]
    licences: list[Choice]
    roles: list[Choice]
    relation_types: list[Choice]
    date_types: list[Choice]
    description_types: list[Choice]
    title_types: list[Choice]
    development_statuses: list[Choice]
    record_schemes: tuple[str, ...]
    creator_schemes: tuple[str, ...]
    organisation_schemes: tuple[str, ...]
    location_schemes: tuple[str, ...]
    link_levels: tuple[str, ...] = ("view", "preview", "edit")

    def pairs(self, name: str) -> list[tuple[str, str]]:
        """``(id, title)`` of one of the vocabulary lists above, for a select."""
        return [(c.id, c.title) for c in getattr(self, name)]

    def schemes(self, name: str) -> list[tuple[str, str]]:
        """``(scheme, display name)`` of one of the scheme lists above."""
        return [(s, SCHEME_NAMES.get(s, s.upper())) for s in getattr(self, name)]

    def title_of(self, kind: str, value: str | None) -> str:
        """The English title of a vocabulary id, for hints next to id fields."""
        if not value:
            return ""
        entry = get_vocabulary(kind).get(value)
        return entry.title.get("en", value) if entry is not None else ""


def _choices(kind: str) -> list[Choice]:
    return [Choice(e.id, e.title.get("en", e.id)) for e in get_vocabulary(kind).all() if not e.deprecated]


def _resource_types() -> list[Choice]:
    entries = get_vocabulary("resourcetypes").all()
    groups = {e.id: e.title.get("en", e.id) for e in entries if not e.props.get("subtype")}
    return [Choice(e.id, e.title.get("en", e.id), groups.get(str(e.props.get("type") or ""), "")) for e in entries]


@lru_cache(maxsize=1)
def options() -> Options:
    return Options(
        resource_types=_resource_types(),
        licences=_choices("licenses"),
        roles=_choices("creatorroles"),
        relation_types=_choices("relationtypes"),
        date_types=_choices("datetypes"),
        description_types=_choices("descriptiontypes"),
        title_types=_choices("titletypes"),
        development_statuses=_choices("developmentstatuses"),
        record_schemes=identifiers.RECORD_SCHEMES,
        creator_schemes=tuple(dict.fromkeys(identifiers.PERSON_SCHEMES + identifiers.ORGANIZATION_SCHEMES)),
        organisation_schemes=identifiers.ORGANIZATION_SCHEMES,
        location_schemes=identifiers.LOCATION_SCHEMES,
    )
