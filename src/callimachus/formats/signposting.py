"""FAIR Signposting: level 1 ``Link`` header values and the level 2 linkset (RFC 9264 JSON).

The landing page announces ``cite-as`` (the DOI URL), ``describedby`` (one per export format, with
``type`` and ``profile``), ``item`` (visible files, with ``type``), ``author`` (ORCID/ROR URLs),
``license``, ``type`` (schema.org type and AboutPage) and ``linkset``. When authors, items or
licences exceed :data:`MAX_LINKS` the header carries only the ``linkset`` link, so that records
with many files or authors cannot produce a header that proxies reject.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from callimachus.formats import common, registry, schemaorg
from callimachus.formats.base import FormatContext, Record, json_bytes

MAX_LINKS = 5
LINKSET_TYPE = "application/linkset+json"


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str | None = None
    profile: str | None = None

    def header(self) -> str:
        """``<href> ; rel="…" [; type="…"] [; profile="…"]``."""
        parts = [f"<{quote(self.href, safe=common.URL_SAFE)}>", f'rel="{self.rel}"']
        parts += [f'{k}="{_quote(v)}"' for k, v in (("type", self.type), ("profile", self.profile)) if v]
        return " ; ".join(parts)

    def target(self) -> dict[str, str]:
        """The RFC 9264 link target object."""
        return {k: v for k, v in (("href", self.href), ("type", self.type), ("profile", self.profile)) if v}


def _quote(value: str) -> str:
    """A quoted-string body: backslashes and quotes escaped, line breaks removed (no header injection)."""
    return " ".join(value.split()).replace("\\", "\\\\").replace('"', '\\"')


def linkset_url(record: Record, ctx: FormatContext) -> str:
    """Where the level 2 linkset is served (the API record URL, negotiated by ``Accept``)."""
    return common.api_url(record, ctx)


def landing_links(record: Record, ctx: FormatContext) -> list[Link]:
    """Every typed link of the landing page, in header order (``linkset`` last)."""
    links: list[Link] = []
    for person in common.creators(record):
        links += [Link(url, "author") for url in person.pid_urls[:1]]
    links.append(Link(common.identifier_url(record, ctx), "cite-as"))
    for fmt in registry.export_formats():
        links.append(Link(common.export_url(record, ctx, fmt.name), "describedby", fmt.media_type, fmt.profile))
    links += [Link(f.download_url, "item", f.mimetype) for f in common.visible_files(record, ctx)]
    links += [Link(r.url, "license") for r in common.rights(record) if r.url]
    links.append(Link("https://schema.org/" + schemaorg.schema_type(record), "type"))
    links.append(Link("https://schema.org/AboutPage", "type"))
    links.append(Link(linkset_url(record, ctx), "linkset", LINKSET_TYPE))
    return links


def _too_many(links: list[Link]) -> bool:
    return any(sum(1 for link in links if link.rel == rel) > MAX_LINKS for rel in ("author", "item", "license"))


def link_header(record: Record, ctx: FormatContext) -> str:
    """Level 1 ``Link`` header value of the landing page (only ``linkset`` if there are too many)."""
    links = landing_links(record, ctx)
    if _too_many(links):
        links = [link for link in links if link.rel == "linkset"]
    return " , ".join(link.header() for link in links)


def file_link_header(record: Record, ctx: FormatContext) -> str:
    """``Link`` header of a file download: ``collection`` back to the landing page, and ``linkset``."""
    return " , ".join(link.header() for link in (
        Link(common.landing_url(record, ctx), "collection", "text/html"),
        Link(linkset_url(record, ctx), "linkset", LINKSET_TYPE)))


def export_link_header(record: Record, ctx: FormatContext) -> str:
    """``Link`` header of a metadata export: ``describes`` the landing page, and ``linkset``."""
    return " , ".join(link.header() for link in (
        Link(common.landing_url(record, ctx), "describes", "text/html"),
        Link(linkset_url(record, ctx), "linkset", LINKSET_TYPE)))


def linkset(record: Record, ctx: FormatContext) -> dict[str, Any]:
    """The level 2 linkset: the landing page context plus one context per file and per export."""
    landing = common.landing_url(record, ctx)
    context: dict[str, Any] = {"anchor": landing}
    for link in landing_links(record, ctx):
        if link.rel != "linkset":
            context.setdefault(link.rel, []).append(link.target())
    contexts = [context]
    back = [{"href": landing, "type": "text/html"}]
    contexts += [{"anchor": f.download_url, "collection": back} for f in common.visible_files(record, ctx)]
    contexts += [{"anchor": common.export_url(record, ctx, fmt.name), "describes": back}
                 for fmt in registry.export_formats()]
    contexts.append({"anchor": common.api_url(record, ctx), "describes": back})
    return {"linkset": contexts}


def serialize_linkset(record: Record, ctx: FormatContext) -> bytes:
    """The linkset as ``application/linkset+json`` bytes."""
    return json_bytes(linkset(record, ctx))
