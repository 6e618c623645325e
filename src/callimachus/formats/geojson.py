"""GeoJSON (RFC 7946) FeatureCollection of a record's locations (``geojson`` export).

Every location becomes a Feature; a location with only a place name has ``"geometry": null``
(allowed by RFC 7946 §3.2). Properties carry place, description and identifiers; the record's
landing page and title are in the collection's foreign members for context.
"""

from __future__ import annotations

from typing import Any

from callimachus.formats import common
from callimachus.formats.base import FormatContext, Record, json_bytes

_GEOMETRY_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"})


def _geometry(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or value.get("type") not in _GEOMETRY_TYPES or "coordinates" not in value:
        return None
    return {"type": value["type"], "coordinates": value["coordinates"]}


def to_dict(record: Record, ctx: FormatContext) -> dict[str, Any]:
    """The FeatureCollection of a record's locations (``features`` may be empty)."""
    features = []
    for location in common.locations(record):
        properties = {k: location[k] for k in ("place", "description", "identifiers") if location.get(k)}
        features.append({"type": "Feature", "geometry": _geometry(location.get("geometry")), "properties": properties})
    return {"type": "FeatureCollection", "features": features,
            "title": common.title(record), "url": common.landing_url(record, ctx)}


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """GeoJSON (``application/vnd.geo+json``)."""
    return json_bytes(to_dict(record, ctx))
