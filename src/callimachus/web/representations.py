"""A record's machine-readable representations over HTTP: the ``Accept`` variants of
``GET /api/records/{id}``, export responses, and what landing pages and downloads announce.

Every function here takes the record dict that ``services.render.record_json`` produced for the
requesting identity (hidden files already removed) and a :class:`FormatContext` built from the
settings by the wiring (``app.state.format_ctx``). Serialization itself lives in ``formats/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from callimachus.formats import citation, common, highwire, registry, schemaorg, signposting
from callimachus.formats.base import FormatContext, Record
from callimachus.formats.registry import ExportFormat
from callimachus.web.negotiation import Negotiator, Variant

CITATION_MEDIA_TYPE = "text/x-bibliography"
TEXT_PLAIN = "text/plain; charset=utf-8"
# Zenodo's old export keys (ZENODO_RECORD_EXPORTERS_LEGACY); "dcat" is broken there, meant here.
LEGACY_EXPORTS = {"hx": "bibtex", "dcite4": "datacite-xml", "xd": "dublincore", "xm": "marcxml", "dcat": "dcat-ap"}
# Served by another registration (the native JSON and Zenodo's JSON own application/json).
_NEGOTIATED_ELSEWHERE = frozenset({"json"})


def format_ctx_of(request: Request) -> FormatContext:
    """The site values the wiring put on the app (``app.state.format_ctx``)."""
    format_ctx: FormatContext = request.app.state.format_ctx
    return format_ctx


# -- content negotiation on GET /api/records/{id} -------------------------------------------


def _by_media_type(media_type: str, format_ctx: FormatContext) -> Callable[[dict[str, Any], dict[str, str]], bytes]:
    """A serializer choosing among the formats sharing ``media_type`` by the ``profile`` parameter."""

    def serialize(record: dict[str, Any], params: dict[str, str]) -> bytes:
        profile = params.get("profile")
        wanted = f'{media_type}; profile="{profile}"' if profile else media_type
        fmt = registry.by_media_type(wanted)
        assert fmt is not None, media_type  # registered only for media types the registry knows
        return fmt.render(record, format_ctx)

    return serialize


def cite(record: Record, params: dict[str, str], format_ctx: FormatContext) -> bytes:
    """The formatted citation (plain text) in ``params["style"]``/``["locale"]``; BadRequest if unknown."""
    style = params.get("style") or citation.DEFAULT_STYLE
    locale = params.get("locale") or citation.DEFAULT_LOCALE
    return citation.format_citation(record, style, locale, "text", format_ctx).encode("utf-8")


def register_record_formats(negotiator: Negotiator, format_ctx: FormatContext) -> None:
    """Register every export format, formatted citations and the signposting linkset.

    Formats sharing a media type (schema.org and CodeMeta JSON-LD) become one variant that picks
    by the ``profile`` parameter; ``text/x-bibliography`` answers as ``text/plain``.
    """
    grouped: dict[str, list[ExportFormat]] = {}
    for fmt in registry.export_formats():
        if fmt.name not in _NEGOTIATED_ELSEWHERE:
            grouped.setdefault(fmt.media_type, []).append(fmt)
    for media_type, formats in grouped.items():
        aliases = tuple(alias for fmt in formats for alias in fmt.aliases)
        negotiator.register(Variant(media_type, _by_media_type(media_type, format_ctx), formats[0].content_type, aliases))
    negotiator.register(Variant(CITATION_MEDIA_TYPE, lambda record, params: cite(record, params, format_ctx), TEXT_PLAIN))
    negotiator.register(Variant(
        signposting.LINKSET_TYPE, lambda record, params: signposting.serialize_linkset(record, format_ctx)))


# -- export responses --------------------------------------------------------------------------


def known_export_names() -> list[str]:
    """The names ``/records/{id}/export/{name}`` accepts, in display order (``citation`` last)."""
    return [fmt.name for fmt in registry.export_formats()] + ["citation"]


def export_format(name: str) -> ExportFormat | None:
    """The export format called ``name`` (case-insensitive); None for unknown and internal formats."""
    fmt = registry.by_name(name)
    return fmt if fmt is not None and fmt.export else None


def export_response(record: Record, fmt: ExportFormat, format_ctx: FormatContext) -> Response:
    """The export as an attachment named ``<id>.<ext>``, linking back to the record (``describes``)."""
    headers = {
        "Content-Disposition": f"attachment; filename={fmt.filename(str(record.get('id')))}",
        "Link": signposting.export_link_header(record, format_ctx),
    }
    return Response(fmt.render(record, format_ctx), media_type=fmt.content_type, headers=headers)


def citation_response(record: Record, params: dict[str, str], format_ctx: FormatContext) -> Response:
    """A formatted citation as plain text, shown inline."""
    headers = {"Link": signposting.export_link_header(record, format_ctx)}
    return Response(cite(record, params, format_ctx), media_type=TEXT_PLAIN, headers=headers)


def file_link_header(recid: int, format_ctx: FormatContext) -> str:
    """``Link`` of a published record's file download: ``collection`` and ``linkset``."""
    return signposting.file_link_header({"id": str(recid)}, format_ctx)


# -- landing pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternate:
    """One export as the landing page lists it (``<link rel="alternate">`` and the export list)."""

    name: str
    title: str
    media_type: str
    href: str


@dataclass(frozen=True)
class LandingMeta:
    """What a landing page embeds for machines and sends in its ``Link`` header."""

    json_ld: str  # schema.org JSON-LD, with <, > and & escaped: safe inside <script>
    meta_tags: list[tuple[str, str]]  # Highwire Press citation_* (unescaped; the template escapes)
    alternates: list[Alternate]
    citation: str  # APA, plain text
    link_header: str  # FAIR Signposting level 1 (only the linkset link when there are too many)


def landing_meta(record: Record, format_ctx: FormatContext) -> LandingMeta:
    alternates = [Alternate(fmt.name, fmt.title, fmt.media_type, common.export_url(record, format_ctx, fmt.name))
                  for fmt in registry.export_formats()]
    return LandingMeta(
        json_ld=schemaorg.serialize(record, format_ctx).decode("utf-8"),
        meta_tags=highwire.meta_tags(record, format_ctx),
        alternates=alternates,
        citation=citation.format_citation(record, "apa", "en-US", "text", format_ctx),
        link_header=signposting.link_header(record, format_ctx),
    )
