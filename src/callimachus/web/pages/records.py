"""Landing pages and identifier redirects."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from callimachus.services import drafts, records
from callimachus.services.loading import parse_recid
from callimachus.services.render import record_json
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of
from callimachus.web.pages.landing import landing_values
from callimachus.web.representations import format_ctx_of, landing_meta

router = APIRouter(include_in_schema=False)


@router.api_route("/records/{recid}", methods=["GET", "HEAD"])
def landing_page(recid: str, request: Request) -> Response:
    ctx = ctx_of(request)
    rid = parse_recid(recid)
    if request.query_params.get("preview"):
        return _preview(request, rid)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        # A concept id leads to its newest version the visitor may see, as on Zenodo.
        if (latest := records.concept_target(ctx, uow, who, rid)) is not None:
            return RedirectResponse(f"/records/{latest}", status_code=302)
        view = records.read_record(ctx, uow, who, rid)
        now = ctx.clock.now()
        record = record_json(ctx.site_url, view, now)
        versions = records.list_versions(ctx, uow, who, rid, page=1, size=100)
        version_list = [record_json(ctx.site_url, v, now) for v in versions.views]
    pages = request.app.state.pages
    # Machine-actionable metadata: JSON-LD, Highwire tags, export links, FAIR Signposting.
    machine = landing_meta(record, format_ctx_of(request))
    return pages.render(request, "record.html", headers={"Link": machine.link_header},
                        record=record, versions=version_list, machine=machine, **landing_values(record))


def _preview(request: Request, recid: int) -> Response:
    """A draft as its landing page will look (owners, and reviewers holding a preview link)."""
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        view = drafts.read_draft(ctx, uow, who, recid)
        record = record_json(ctx.site_url, view, ctx.clock.now())
    return request.app.state.pages.render(request, "record.html", record=record, versions=[], preview=True, **landing_values(record))


@router.get("/records/{recid}/latest")
def latest_landing_page(recid: str, request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        latest = records.latest_visible_id(ctx, uow, who, parse_recid(recid))
    return RedirectResponse(f"/records/{latest}", status_code=302)


@router.get("/doi/{doi:path}")
def resolve_doi(doi: str, request: Request) -> Response:
    """A DOI of this instance leads to its landing page; a concept DOI to the latest version."""
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        recid = records.resolve_doi(ctx, uow, who, doi)
    return RedirectResponse(f"{ctx.site_url}/records/{recid}", status_code=302)
