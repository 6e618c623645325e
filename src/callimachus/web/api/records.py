"""Drafts, records and versions: InvenioRDM's routes and JSON shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from callimachus.core.clock import as_utc
from callimachus.core.identity import SCOPE_DEPOSIT_ACTIONS, SCOPE_DEPOSIT_WRITE
from callimachus.services import drafts, records
from callimachus.services.context import ServiceContext
from callimachus.services.loading import parse_recid
from callimachus.services.records import Page
from callimachus.services.render import RecordView, record_json
from callimachus.web.auth import authenticate
from callimachus.web.cache import CachedBody, PublicResponseCache
from callimachus.web.http import ctx_of, empty_response, json_response, page_params, read_json
from callimachus.web.negotiation import Negotiator

router = APIRouter(prefix="/api", tags=["records"])

DRAFT_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "metadata": {"type": "object", "description": "See docs/metadata.md"},
                        "custom_fields": {"type": "object"},
                        "access": {"type": "object"},
                        "files": {"type": "object", "properties": {"enabled": {"type": "boolean"}}},
                        "pids": {"type": "object"},
                    },
                }
            }
        }
    }
}


def render(ctx: ServiceContext, view: RecordView) -> dict[str, Any]:
    return record_json(ctx.site_url, view, ctx.clock.now())


def page_json(ctx: ServiceContext, request: Request, page: Page) -> dict[str, Any]:
    base = str(request.url.remove_query_params(["page"]))
    sep = "&" if "?" in base else "?"
    links = {"self": f"{base}{sep}page={page.page}"}
    if page.page * page.size < page.total:
        links["next"] = f"{base}{sep}page={page.page + 1}"
    if page.page > 1:
        links["prev"] = f"{base}{sep}page={page.page - 1}"
    return {
        "hits": {"hits": [render(ctx, v) for v in page.views], "total": page.total},
        "links": links,
        "sortBy": "newest",
    }


@router.post("/records", status_code=201, openapi_extra=DRAFT_BODY, summary="Create a draft")
async def create_draft(request: Request) -> Response:
    body = await read_json(request)
    return await _run_write(request, lambda ctx, uow, who: render(ctx, drafts.create_draft(ctx, uow, who, body)), SCOPE_DEPOSIT_WRITE, 201)


@router.get("/records/{recid}/draft", summary="Read a draft")
def read_draft(recid: str, request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        body = render(ctx, drafts.read_draft(ctx, uow, who, parse_recid(recid)))
    return json_response(body)


@router.put("/records/{recid}/draft", openapi_extra=DRAFT_BODY, summary="Save a draft (full replace)")
async def update_draft(recid: str, request: Request) -> Response:
    body = await read_json(request)
    rid = parse_recid(recid)
    return await _run_write(request, lambda ctx, uow, who: render(ctx, drafts.update_draft(ctx, uow, who, rid, body)), SCOPE_DEPOSIT_WRITE)


@router.delete("/records/{recid}/draft", status_code=204, summary="Discard a draft")
async def delete_draft(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    await _run_write(request, lambda ctx, uow, who: drafts.delete_draft(ctx, uow, who, rid), SCOPE_DEPOSIT_WRITE)
    return empty_response()


@router.post("/records/{recid}/draft", status_code=201, summary="Edit a published record")
async def edit_record(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return await _run_write(request, lambda ctx, uow, who: render(ctx, drafts.edit_record(ctx, uow, who, rid)), SCOPE_DEPOSIT_ACTIONS, 201)


@router.post("/records/{recid}/draft/actions/publish", status_code=202, summary="Publish a draft")
async def publish(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)

    def work(ctx: ServiceContext, uow: Any, who: Any) -> dict[str, Any]:
        record = drafts.publish_draft(ctx, uow, who, rid)
        return render(ctx, records.read_record(ctx, uow, who, record.id))

    return await _run_write(request, work, SCOPE_DEPOSIT_ACTIONS, 202)


@router.post("/records/{recid}/draft/pids/doi", status_code=201, summary="Reserve a DOI")
async def reserve_doi(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return await _run_write(request, lambda ctx, uow, who: render(ctx, drafts.reserve_doi(ctx, uow, who, rid)), SCOPE_DEPOSIT_WRITE, 201)


@router.delete("/records/{recid}/draft/pids/doi", summary="Discard a reserved DOI")
async def discard_doi(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return await _run_write(request, lambda ctx, uow, who: render(ctx, drafts.discard_doi(ctx, uow, who, rid)), SCOPE_DEPOSIT_WRITE)


@router.post("/records/{recid}/versions", status_code=201, summary="Create a new version (draft)")
async def new_version(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return await _run_write(request, lambda ctx, uow, who: render(ctx, records.new_version(ctx, uow, who, rid)), SCOPE_DEPOSIT_ACTIONS, 201)


@router.get("/records/{recid}/versions", summary="List the versions of a record")
def list_versions(recid: str, request: Request) -> Response:
    ctx = ctx_of(request)
    page, size = page_params(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        body = page_json(ctx, request, records.list_versions(ctx, uow, who, parse_recid(recid), page=page, size=size))
    return json_response(body)


@router.get("/records/{recid}/versions/latest", summary="Redirect to the latest version")
def latest_version(recid: str, request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        latest = records.latest_visible_id(ctx, uow, who, parse_recid(recid))
    return RedirectResponse(f"{ctx.site_url}/api/records/{latest}", status_code=302)


def anonymous_request(request: Request) -> bool:
    """No credentials of any kind: the response is what the whole public sees."""
    if "authorization" in request.headers or "cookie" in request.headers:
        return False
    params = request.query_params
    return "access_token" not in params and "token" not in params


def _record_view(ctx: ServiceContext, request: Request, recid: int) -> tuple[dict[str, Any], datetime | None]:
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        view = records.read_record(ctx, uow, who, recid)
        record = render(ctx, view)
    now = ctx.clock.now()
    until = as_utc(view.row.embargo_until) if view.row.embargo_until else None
    return record, until if until is not None and until > now else None


@router.get("/records/{recid}", summary="Read a published record (format chosen by Accept)")
async def read_record(recid: str, request: Request) -> Response:
    ctx, rid = ctx_of(request), parse_recid(recid)
    negotiator: Negotiator = request.app.state.record_negotiator
    variant, params = negotiator.choose(request.headers.get("accept"))
    # Zenodo also takes the citation style and locale from the query string.
    params = {**{k: request.query_params[k] for k in ("style", "locale") if k in request.query_params}, **params}
    if not anonymous_request(request):
        record, _ = await run_in_threadpool(_record_view, ctx, request, rid)
        return Response(variant.serialize(record, params), media_type=variant.response_type)
    cache: PublicResponseCache = request.app.state.public_cache
    version = cache.current_version()
    key = ("record", str(rid), variant.media_type, *sorted(f"{k}={v}" for k, v in params.items()))
    hit = cache.get(key, ctx.clock.now())
    if hit is not None:
        return Response(hit.body, media_type=hit.media_type)
    record, valid_until = await run_in_threadpool(_record_view, ctx, request, rid)
    body = variant.serialize(record, params)
    cache.put(key, CachedBody(body, variant.response_type, valid_until), version)
    return Response(body, media_type=variant.response_type)


@router.delete("/records/{recid}/delete", summary="Delete a published record (administrators)")
async def delete_record(recid: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)
    reason = body.get("removal_reason") if isinstance(body, dict) else None
    reason_id = reason.get("id") if isinstance(reason, dict) else reason
    note = str(body.get("note") or "") if isinstance(body, dict) else ""

    def work(ctx: ServiceContext, uow: Any, who: Any) -> dict[str, Any]:
        record = records.delete_record(ctx, uow, who, rid, str(reason_id or ""), note)
        return {"id": str(record.id), "status": record.status, "tombstone": record.tombstone}

    return await _run_write(request, work, SCOPE_DEPOSIT_ACTIONS)


async def _run_write(request: Request, work: Any, scope: str, status: int = 200) -> Response:
    """Run one write unit of work in a worker thread: authenticate, act, commit, answer."""
    ctx = ctx_of(request)

    def run() -> Any:
        with ctx.unit_of_work(write=True) as uow:
            who = authenticate(ctx, uow, request, scope=scope, required=True)
            result = work(ctx, uow, who)
            uow.commit()
            return result

    result = await run_in_threadpool(run)
    if result is None:
        return empty_response(status if status != 200 else 204)
    return json_response(result, status=status)
