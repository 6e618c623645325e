"""Sitemaps (sitemaps.org protocol 0.9): ``<urlset>`` pages and the ``<sitemapindex>``.

A page holds at most :data:`MAX_URLS` URLs; ``lastmod`` is a W3C datetime with a timezone (the
record's ``updated`` time, the same instant as its OAI datestamp). Child order is fixed by the XSD:
``loc``, ``lastmod``, ``changefreq``, ``priority``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from callimachus.formats import common, dates
from callimachus.formats.base import FormatContext, Record, sub, xml_bytes

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
_CHANGEFREQ = frozenset({"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"})


@dataclass(frozen=True)
class SitemapEntry:
    """One URL of a urlset, or one sitemap of an index. ``lastmod`` may be str, date or datetime."""

    loc: str
    lastmod: str | date | datetime | None = None
    changefreq: str | None = None
    priority: float | None = None


def _lastmod(value: str | date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return dates.to_utc_datestamp(value.isoformat())
    if isinstance(value, date):
        return value.isoformat()
    if len(value) == 10:
        return value
    return dates.to_utc_datestamp(value) or None


def _check_loc(loc: str) -> str:
    if not loc.startswith(("http://", "https://")) or not 12 <= len(loc) <= 2048:
        raise ValueError(f"A sitemap location must be an absolute URL of 12-2048 characters: {loc!r}")
    return loc


def record_entry(record: Record, ctx: FormatContext) -> SitemapEntry:
    """The sitemap entry of a published record: its landing page and last update."""
    return SitemapEntry(common.landing_url(record, ctx), str(record.get("updated") or "") or None)


def page_count(total: int, page_size: int = MAX_URLS) -> int:
    """How many urlset pages ``total`` URLs need (at least one, so the index is never empty)."""
    if not 1 <= page_size <= MAX_URLS:
        raise ValueError(f"page_size must be between 1 and {MAX_URLS}")
    return max(1, math.ceil(total / page_size))


def urlset(entries: Iterable[SitemapEntry]) -> bytes:
    """One ``<urlset>`` page; raises ValueError beyond :data:`MAX_URLS` URLs or for a bad ``loc``."""
    root = etree.Element(f"{{{NS}}}urlset", nsmap={None: NS})
    for count, entry in enumerate(entries, start=1):
        if count > MAX_URLS:
            raise ValueError(f"A sitemap page holds at most {MAX_URLS} URLs.")
        url = sub(root, f"{{{NS}}}url")
        sub(url, f"{{{NS}}}loc", _check_loc(entry.loc))
        if lastmod := _lastmod(entry.lastmod):
            sub(url, f"{{{NS}}}lastmod", lastmod)
        if entry.changefreq in _CHANGEFREQ:
            sub(url, f"{{{NS}}}changefreq", entry.changefreq)
        if entry.priority is not None and 0 <= entry.priority <= 1:
            sub(url, f"{{{NS}}}priority", f"{entry.priority:.1f}")
    return xml_bytes(root)


def sitemap_index(sitemaps: Iterable[SitemapEntry]) -> bytes:
    """The ``<sitemapindex>`` listing urlset pages (at most :data:`MAX_URLS` of them)."""
    root = etree.Element(f"{{{NS}}}sitemapindex", nsmap={None: NS})
    for count, entry in enumerate(sitemaps, start=1):
        if count > MAX_URLS:
            raise ValueError(f"A sitemap index holds at most {MAX_URLS} sitemaps.")
        element = sub(root, f"{{{NS}}}sitemap")
        sub(element, f"{{{NS}}}loc", _check_loc(entry.loc))
        if lastmod := _lastmod(entry.lastmod):
            sub(element, f"{{{NS}}}lastmod", lastmod)
    return xml_bytes(root)
