"""OAI-PMH sets: which records belong to which set, as data and as SQL.

Sets come from the resource type vocabulary, so membership changes only with a record's
metadata (and so with its datestamp):

- ``resource_type`` → ``resource_type:<type>`` → ``resource_type:<type>:<subtype>`` (a hierarchy:
  ``resource_type:publication`` holds articles, theses…; ``resource_type`` holds everything);
- ``openaire``: literature, as OpenAIRE harvests it (OpenAIRE result type "publication");
- ``openaire_data``: research data and software (result types "dataset" and "software"), the set
  the OpenAIRE guidelines for data archives recommend.

Community sets (``user-<slug>``) join once communities exist.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false

from callimachus.db.models import Record
from callimachus.metadata.vocabularies import get_vocabulary

RESOURCE_TYPE_ROOT = "resource_type"
OPENAIRE = "openaire"
OPENAIRE_DATA = "openaire_data"


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str
    description: str
    resource_types: frozenset[str]  # ids of the resource types whose records are in the set


def _spec_of(entry_id: str, top: str) -> str:
    if entry_id == top:
        return f"{RESOURCE_TYPE_ROOT}:{top}"
    return f"{RESOURCE_TYPE_ROOT}:{top}:{entry_id.removeprefix(top + '-')}"


@functools.cache
def _tables() -> tuple[tuple[OaiSet, ...], dict[str, str]]:
    """All sets in ListSets order, and each resource type id's most specific set."""
    entries = get_vocabulary("resourcetypes").all()
    top_of = {e.id: str(e.props.get("type") or e.id.split("-")[0]) for e in entries}
    leaf = {e.id: _spec_of(e.id, top_of[e.id]) for e in entries}
    titles = {e.id: e.title.get("en", e.id) for e in entries}
    sets: list[OaiSet] = [OaiSet(RESOURCE_TYPE_ROOT, "Resource types", "Every record, by resource type.", frozenset(leaf))]
    for entry in entries:
        top = top_of[entry.id]
        members = frozenset(i for i, t in top_of.items() if t == top) if entry.id == top else frozenset({entry.id})
        name = titles[entry.id] if entry.id == top else f"{titles.get(top, top)}: {titles[entry.id]}"
        sets.append(OaiSet(leaf[entry.id], name, f"Records of resource type {name}.", members))
    kinds = {e.id: str(e.props.get("openaire_type") or "") for e in entries}
    sets.append(OaiSet(OPENAIRE, "OpenAIRE", "Literature (publications, posters, presentations…) for OpenAIRE.",
                       frozenset(i for i, k in kinds.items() if k == "publication")))
    sets.append(OaiSet(OPENAIRE_DATA, "OpenAIRE data", "Research data and software for OpenAIRE.",
                       frozenset(i for i, k in kinds.items() if k in ("dataset", "software"))))
    return tuple(sets), leaf


def all_sets() -> tuple[OaiSet, ...]:
    """Every set, parents before their children."""
    return _tables()[0]


def find_set(spec: str) -> OaiSet | None:
    return next((s for s in all_sets() if s.spec == spec), None)


@functools.lru_cache(maxsize=1024)
def set_specs(resource_type_id: str | None) -> tuple[str, ...]:
    """The setSpecs of a record's header: the most specific resource type set (its parents are
    implied, as the protocol asks) and the OpenAIRE sets it belongs to."""
    if not resource_type_id:
        return ()
    leaf = _tables()[1].get(resource_type_id)
    if leaf is None:
        return ()
    extra = tuple(s.spec for s in all_sets() if s.spec in (OPENAIRE, OPENAIRE_DATA) and resource_type_id in s.resource_types)
    return (leaf, *extra)


def resource_type_column() -> Any:
    """The record's resource type id, read from its metadata JSON (SQLite and PostgreSQL)."""
    return Record.data[("metadata", "resource_type", "id")].as_string()  # one JSON path: parsed once


def membership(oai_set: OaiSet) -> ColumnElement[bool]:
    """SQL filter: records in ``oai_set`` (and so in its descendants)."""
    if not oai_set.resource_types:
        return false()
    return resource_type_column().in_(sorted(oai_set.resource_types))
