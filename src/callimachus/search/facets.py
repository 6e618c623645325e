"""Facets with counts, worked out the same way on every backend.

Counts come from the backend's :meth:`aggregate`; this module adds what is not stored as such:
the access status (an embargo's status depends on the date, so embargoed documents are counted
again with the clock), the nesting of subtypes under resource types, labels from the
vocabularies, and the cut to each facet's size (by count, then value). File types are counted
only over documents whose files the principal may read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from callimachus.metadata.vocabularies import get_vocabulary
from callimachus.search import query as q
from callimachus.search.base import FacetCounts, FacetRequest, SearchIndex
from callimachus.search.fields import FACETS

ACCESS_LABELS = {"open": "Open", "embargoed": "Embargoed", "restricted": "Restricted", "metadata-only": "Metadata-only"}
_BY_NAME = {spec.name: spec for spec in FACETS}
# Facet names as clients use them in filters and read them in ``aggregations``.
PUBLIC_FACETS = ("resource_type", "access_status", "file_type", "subject", "license", "language", "publication_year", "communities")


def facet_request(files_filter: q.Node, now: datetime) -> FacetRequest:
    """Every facet, for a principal whose readable files ``files_filter`` selects, at ``now``."""
    return FacetRequest(files_filter, FACETS, math.floor(now.timestamp()))


def facet_counts(index: SearchIndex, base: q.Node, files_filter: q.Node, now: datetime) -> dict[str, dict[str, int]]:
    """Counts per facet and value of the documents matching ``base`` (files facets: also ``files_filter``)."""
    return counts_of(index.facets(base, facet_request(files_filter, now)))


def counts_of(found: FacetCounts) -> dict[str, dict[str, int]]:
    """What the backend counted, with the access status worked out (facet name -> value -> count)."""
    counts = dict(found.counts)
    counts["access_status"] = _access_status(counts.pop("access_base", {}), found.lifted)
    return counts


def _access_status(by_base: Mapping[str, int], lifted: Mapping[str, int]) -> dict[str, int]:
    """An embargo whose end date has passed counts as the status it ends in (open or metadata-only)."""
    out: dict[str, int] = {}
    for value, count in by_base.items():
        if value in q.EMBARGO_BASES:
            ended = lifted.get(value, 0)
            out["embargoed"] = out.get("embargoed", 0) + count - ended
            became = q.EMBARGO_BASES[value]
            out[became] = out.get(became, 0) + ended
        else:
            out[value] = out.get(value, 0) + count
    return {k: v for k, v in out.items() if v > 0}


def _ranked(counts: Mapping[str, int], size: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]


def _label(name: str, key: str) -> str:
    if name in ("resource_type", "resource_subtype"):
        entry = get_vocabulary("resourcetypes").get(key)
    elif name == "license":
        entry = get_vocabulary("licenses").get(key)
    elif name == "language":
        entry = get_vocabulary("languages").get(key)
    elif name == "access_status":
        return ACCESS_LABELS.get(key, key)
    else:
        return key
    return entry.title.get("en", key) if entry is not None else key


def _subtype_parent(subtype: str) -> str:
    entry = get_vocabulary("resourcetypes").get(subtype)
    if entry is not None and entry.props.get("type"):
        return str(entry.props["type"])
    return subtype.split("-", 1)[0]


def aggregations_json(counts: Mapping[str, Mapping[str, int]], selected: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """InvenioRDM's ``aggregations``: per facet ``{"buckets": [{"key", "doc_count", "label", "is_selected"}]}``.

    Resource types carry their subtypes as ``inner.buckets``.
    """
    selected = selected or {}
    out: dict[str, Any] = {}
    for name in PUBLIC_FACETS:
        size = _BY_NAME[name].size if name in _BY_NAME else 10
        chosen = set(selected.get(name, ()))
        buckets = [
            {"key": key, "doc_count": n, "label": _label(name, key), "is_selected": key in chosen}
            for key, n in _ranked(counts.get(name, {}), size)
        ]
        if name == "resource_type":
            _nest_subtypes(buckets, counts.get("resource_subtype", {}), chosen)
        out[name] = {"buckets": buckets}
    return out


def _nest_subtypes(buckets: list[dict[str, Any]], subtypes: Mapping[str, int], chosen: set[str]) -> None:
    by_type: dict[str, dict[str, int]] = {}
    for subtype, n in subtypes.items():
        by_type.setdefault(_subtype_parent(subtype), {})[subtype] = n
    for bucket in buckets:
        inner = _ranked(by_type.get(bucket["key"], {}), _BY_NAME["resource_subtype"].size)
        bucket["inner"] = {
            "buckets": [
                {"key": key, "doc_count": n, "label": _label("resource_subtype", key), "is_selected": f"{bucket['key']}::{key}" in chosen}
                for key, n in inner
            ]
        }


def facet_filter(name: str, values: Sequence[str], now: datetime, files_filter: q.Node) -> q.Node:
    """Documents having any of ``values`` for the facet ``name`` (a resource type may be
    ``type::subtype``, as InvenioRDM writes nested facet filters)."""
    if name == "access_status":
        return q.any_of(q.access_status_is(v, now) for v in values if v in q.ACCESS_STATUSES)
    if name == "resource_type":
        parts: list[q.Node] = []
        for value in values:
            kind, _, subtype = value.partition("::")
            parts.append(q.FacetValue("resource_subtype", (subtype,)) if subtype else q.FacetValue("resource_type", (kind,)))
        return q.any_of(parts)
    spec = _BY_NAME[name]
    node: q.Node = q.FacetValue(spec.field, tuple(values))
    return q.guard_files(node, files_filter, None) if spec.files_only else node
