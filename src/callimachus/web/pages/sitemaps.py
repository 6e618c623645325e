"""Sitemaps for search engines: ``/sitemap.xml`` (an index), ``/sitemap-<n>.xml`` pages, ``/robots.txt``.

Every page lists at most ``settings.sitemap_page_size`` landing pages (50,000, the protocol's
limit, unless configured lower), in record-id order, so earlier pages stay stable as records are
added. Sitemaps are the same for everybody: they list what the anonymous visitor may read,
whoever asks.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from callimachus.core.clock import isoformat
from callimachus.core.errors import NotFound
from callimachus.core.identity import ANONYMOUS
from callimachus.formats import sitemap
from callimachus.services import records
from callimachus.web.http import ctx_of
from callimachus.web.representations import format_ctx_of

router = APIRouter(include_in_schema=False)
XML = "application/xml"


def _page_size(request: Request) -> int:
    return min(max(1, ctx_of(request).settings.sitemap_page_size), sitemap.MAX_URLS)


@router.api_route("/sitemap.xml", methods=["GET", "HEAD"])
def sitemap_index(request: Request) -> Response:
    ctx, format_ctx = ctx_of(request), format_ctx_of(request)
    with ctx.unit_of_work() as uow:
        total = records.count_visible_records(ctx, uow, ANONYMOUS)
    pages = sitemap.page_count(total, _page_size(request))
    entries = [sitemap.SitemapEntry(format_ctx.url(f"/sitemap-{n}.xml")) for n in range(1, pages + 1)]
    return Response(sitemap.sitemap_index(entries), media_type=XML)


@router.api_route("/sitemap-{number}.xml", methods=["GET", "HEAD"])
def sitemap_page(number: str, request: Request) -> Response:
    ctx, format_ctx, size = ctx_of(request), format_ctx_of(request), _page_size(request)
    page = int(number) if number.isascii() and number.isdigit() else 0
    with ctx.unit_of_work() as uow:
        total = records.count_visible_records(ctx, uow, ANONYMOUS)
        if not 1 <= page <= sitemap.page_count(total, size):
            raise NotFound()
        dated = records.visible_record_dates(ctx, uow, ANONYMOUS, offset=(page - 1) * size, limit=size)
    entries = [sitemap.record_entry({"id": str(recid), "updated": isoformat(updated)}, format_ctx) for recid, updated in dated]
    if not entries:  # no public record yet: a urlset needs at least one URL, so list the site itself
        entries = [sitemap.SitemapEntry(format_ctx.url("/"))]
    return Response(sitemap.urlset(entries), media_type=XML)


@router.api_route("/robots.txt", methods=["GET", "HEAD"])
def robots_txt(request: Request) -> Response:
    """Everything may be crawled (landing pages must be, for dataset search); the sitemap is named."""
    return PlainTextResponse(f"User-agent: *\nAllow: /\n\nSitemap: {format_ctx_of(request).url('/sitemap.xml')}\n")
