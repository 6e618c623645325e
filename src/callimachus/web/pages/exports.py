"""Metadata exports of a record: ``/records/{id}/export/{format}`` with Zenodo's format names.

``/records/{id}/export/citation?style=apa&locale=en-US`` is the formatted citation (plain text).
Zenodo's legacy export keys (``hx``, ``dcite4``, ``xd``, ``xm``) redirect to the current names.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from callimachus.core.errors import NotFound
from callimachus.services import records
from callimachus.services.loading import parse_recid
from callimachus.services.render import record_json
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of
from callimachus.web.representations import (
    LEGACY_EXPORTS,
    citation_response,
    export_format,
    export_response,
    format_ctx_of,
    known_export_names,
)

router = APIRouter(tags=["exports"])


@router.get("/records/{recid}/export/{name}", summary="Export a record's metadata")
@router.head("/records/{recid}/export/{name}", include_in_schema=False)
def export_record(recid: str, name: str, request: Request) -> Response:
    """The record in format ``name`` as an attachment; ``citation`` takes ``style`` and ``locale``."""
    ctx, rid, key = ctx_of(request), parse_recid(recid), name.strip().lower()
    if key in LEGACY_EXPORTS:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{ctx.site_url}/records/{rid}/export/{quote(LEGACY_EXPORTS[key])}{query}", status_code=301)
    fmt = export_format(key)
    if fmt is None and key != "citation":
        raise NotFound(f"Unknown export format {name!r}. Known formats: {', '.join(known_export_names())}.")
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        record = record_json(ctx.site_url, records.read_record(ctx, uow, who, rid), ctx.clock.now())
    if fmt is None:
        params = {k: v for k, v in request.query_params.items() if k in ("style", "locale")}
        return citation_response(record, params, format_ctx_of(request))
    return export_response(record, fmt, format_ctx_of(request))
