"""Access management routes: secret links, grants, ownership, settings, access requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.identity import SCOPE_DEPOSIT_ACTIONS, SCOPE_DEPOSIT_WRITE, Identity
from callimachus.db.models import Parent
from callimachus.db.uow import UnitOfWork
from callimachus.services import access, requests
from callimachus.services.context import ServiceContext
from callimachus.services.loading import parse_recid
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of, empty_response, json_response, read_json

router = APIRouter(prefix="/api", tags=["access"])
Work = Callable[[ServiceContext, UnitOfWork, Identity], Any]


async def _run(request: Request, work: Work, *, write: bool, scope: str | None = None, required: bool = True) -> Any:
    ctx = ctx_of(request)

    def run() -> Any:
        with ctx.unit_of_work(write=write) as uow:
            who = authenticate(ctx, uow, request, scope=scope, required=required)
            result = work(ctx, uow, who)
            if write:
                uow.commit()
            return result

    return await run_in_threadpool(run)


def _access_json(ctx: ServiceContext, parent: Parent, settings: dict[str, Any], recid: int) -> dict[str, Any]:
    api = f"{ctx.site_url}/api/records/{recid}/access"
    return {
        "owned_by": {"user": str(parent.owner_id)},
        "settings": settings,
        "links": {"self": api, "links": f"{api}/links", "grants": f"{api}/grants", "request": f"{api}/request"},
    }


# --- secret links ------------------------------------------------------------------------------


@router.post("/records/{recid}/access/links", status_code=201, summary="Create a secret link")
async def create_link(recid: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)
    link = await _run(request, lambda c, u, w: access.link_json(access.create_link(c, u, w, rid, body)), write=True, scope=SCOPE_DEPOSIT_WRITE)
    return json_response(link, status=201)


@router.get("/records/{recid}/access/links", summary="List secret links")
async def list_links(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    links = await _run(request, lambda c, u, w: [access.link_json(x) for x in access.list_links(c, u, w, rid)], write=False)
    return json_response({"hits": {"hits": links, "total": len(links)}})


@router.get("/records/{recid}/access/links/{link_id}", summary="One secret link")
async def get_link(recid: str, link_id: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return json_response(await _run(request, lambda c, u, w: access.link_json(access.get_link(c, u, w, rid, link_id)), write=False))


@router.patch("/records/{recid}/access/links/{link_id}", summary="Change a secret link")
async def update_link(recid: str, link_id: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)
    link = await _run(request, lambda c, u, w: access.link_json(access.update_link(c, u, w, rid, link_id, body)), write=True, scope=SCOPE_DEPOSIT_WRITE)
    return json_response(link)


@router.delete("/records/{recid}/access/links/{link_id}", status_code=204, summary="Revoke a secret link")
async def revoke_link(recid: str, link_id: str, request: Request) -> Response:
    rid = parse_recid(recid)
    await _run(request, lambda c, u, w: access.revoke_link(c, u, w, rid, link_id), write=True, scope=SCOPE_DEPOSIT_WRITE)
    return empty_response()


# --- grants ------------------------------------------------------------------------------------


@router.post("/records/{recid}/access/grants", status_code=201, summary="Grant users access")
async def create_grants(recid: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)
    grants = await _run(
        request, lambda c, u, w: [access.grant_json(g, usr) for g, usr in access.create_grants(c, u, w, rid, body)],
        write=True, scope=SCOPE_DEPOSIT_WRITE,
    )
    return json_response({"hits": {"hits": grants, "total": len(grants)}}, status=201)


@router.get("/records/{recid}/access/grants", summary="List grants")
async def list_grants(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    grants = await _run(request, lambda c, u, w: [access.grant_json(g, usr) for g, usr in access.list_grants(c, u, w, rid)], write=False)
    return json_response({"hits": {"hits": grants, "total": len(grants)}})


@router.get("/records/{recid}/access/grants/{grant_id}", summary="One grant")
async def get_grant(recid: str, grant_id: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return json_response(await _run(request, lambda c, u, w: access.grant_json(*access.get_grant(c, u, w, rid, grant_id)), write=False))


@router.patch("/records/{recid}/access/grants/{grant_id}", summary="Change a grant")
async def update_grant(recid: str, grant_id: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)
    grant = await _run(request, lambda c, u, w: access.grant_json(*access.update_grant(c, u, w, rid, grant_id, body)), write=True, scope=SCOPE_DEPOSIT_WRITE)
    return json_response(grant)


@router.delete("/records/{recid}/access/grants/{grant_id}", status_code=204, summary="Remove a grant")
async def delete_grant(recid: str, grant_id: str, request: Request) -> Response:
    rid = parse_recid(recid)
    await _run(request, lambda c, u, w: access.delete_grant(c, u, w, rid, grant_id), write=True, scope=SCOPE_DEPOSIT_WRITE)
    return empty_response()


# --- ownership and settings ----------------------------------------------------------------


@router.get("/records/{recid}/access", summary="Access settings of a record's concept")
async def read_access(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)

    def work(c: ServiceContext, u: UnitOfWork, w: Identity) -> dict[str, Any]:
        parent, settings = access.read_access(c, u, w, rid)
        return _access_json(c, parent, settings, rid)

    return json_response(await _run(request, work, write=False))


@router.put("/records/{recid}/access", summary="Change access settings")
@router.patch("/records/{recid}/access", include_in_schema=False)
async def update_access(recid: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)

    def work(c: ServiceContext, u: UnitOfWork, w: Identity) -> dict[str, Any]:
        parent, settings = access.update_settings(c, u, w, rid, body)
        return _access_json(c, parent, settings, rid)

    return json_response(await _run(request, work, write=True, scope=SCOPE_DEPOSIT_WRITE))


@router.post("/records/{recid}/access/transfer-ownership", summary="Give the record to another user")
async def transfer(recid: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)

    def work(c: ServiceContext, u: UnitOfWork, w: Identity) -> dict[str, Any]:
        parent = access.transfer_ownership(c, u, w, rid, body)
        return _access_json(c, parent, access.settings_of(parent), rid)

    return json_response(await _run(request, work, write=True, scope=SCOPE_DEPOSIT_ACTIONS))


# --- access requests -------------------------------------------------------------------------


@router.post("/records/{recid}/access/request", status_code=201, summary="Ask for access to restricted files")
async def create_request(recid: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)

    def work(c: ServiceContext, u: UnitOfWork, w: Identity) -> dict[str, Any]:
        return requests.request_json(requests.create_request(c, u, w, rid, body), c.site_url)

    result = await _run(request, work, write=True, required=False)
    return json_response(result, status=201)


@router.post("/access-requests/confirm", summary="Confirm a guest's access request")
async def confirm_request(request: Request) -> Response:
    body = await read_json(request)
    token = str(body.get("token") or "") if isinstance(body, dict) else ""

    def work(c: ServiceContext, u: UnitOfWork, w: Identity) -> dict[str, Any]:
        return requests.request_json(requests.confirm_guest_request(c, u, token), c.site_url)

    return json_response(await _run(request, work, write=True, required=False))


@router.get("/requests", summary="Access requests I made or may decide")
async def list_requests(request: Request) -> Response:
    status = request.query_params.get("status")

    def work(c: ServiceContext, u: UnitOfWork, w: Identity) -> list[dict[str, Any]]:
        return [requests.request_json(r, c.site_url) for r in requests.list_requests(c, u, w, status=status)]

    hits = await _run(request, work, write=False)
    return json_response({"hits": {"hits": hits, "total": len(hits)}})


@router.get("/requests/{request_id}", summary="One access request")
async def read_request(request_id: str, request: Request) -> Response:
    def work(c: ServiceContext, u: UnitOfWork, w: Identity) -> dict[str, Any]:
        return requests.request_json(requests.read_request(c, u, w, request_id), c.site_url)

    return json_response(await _run(request, work, write=False))


@router.post("/requests/{request_id}/actions/{action}", summary="Accept, decline or cancel a request")
async def act_on_request(request_id: str, action: str, request: Request) -> Response:
    body = await read_json(request)
    handlers = {
        "accept": lambda c, u, w: requests.accept_request(c, u, w, request_id, body),
        "decline": lambda c, u, w: requests.decline_request(c, u, w, request_id, body),
        "cancel": lambda c, u, w: requests.cancel_request(c, u, w, request_id),
    }
    if action not in handlers:
        from callimachus.core.errors import NotFound

        raise NotFound(f"Unknown action '{action}'; use accept, decline or cancel.")
    handler = handlers[action]
    result = await _run(request, lambda c, u, w: requests.request_json(handler(c, u, w), c.site_url), write=True, scope=SCOPE_DEPOSIT_ACTIONS)
    return json_response(result)
