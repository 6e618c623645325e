"""``GET /api/records`` and ``GET /api/user/records``: search with Zenodo's parameters (``q``,
``sort``, ``page``, ``size``, ``all_versions``, ``type``, ``subtype``, ``communities``), InvenioRDM's
facet filters (``resource_type``, ``access_status``, ``file_type``, ``subject``, ``license``,
``language``, ``publication_year``) and a ``cursor`` for deep paging; answered in InvenioRDM's shape
(``hits.hits``, ``hits.total``, ``aggregations``, ``sortBy``, ``links``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import BadRequest, FieldError
from callimachus.search.facets import PUBLIC_FACETS
from callimachus.services import search
from callimachus.services.context import ServiceContext
from callimachus.services.render import record_json
from callimachus.web.auth import authenticate
from callimachus.web.http import bool_param, ctx_of, json_response

router = APIRouter(prefix="/api", tags=["search"])

PARAMS_DOC = {
    "parameters": [
        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Lucene query-string syntax, e.g. title:ocean AND publication_date:[2020 TO 2022}"},
        {"name": "sort", "in": "query", "schema": {"type": "string"}, "description": "bestmatch, newest, oldest, title, version, publication-desc, … (legacy: mostrecent, -mostrecent, …)"},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
        {"name": "all_versions", "in": "query", "schema": {"type": "boolean"}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "Deep paging: empty to start, then the one links.next carries (also beyond 10,000 results)"},
        *({"name": name, "in": "query", "schema": {"type": "string"}, "description": "Facet filter (repeatable)"} for name in PUBLIC_FACETS),
        {"name": "type", "in": "query", "schema": {"type": "string"}},
        {"name": "subtype", "in": "query", "schema": {"type": "string"}},
    ]
}


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"Invalid '{name}': {raw[:40]!r} is not a whole number.", [FieldError(name, ["Must be a whole number."])]) from None


def search_params(request: Request) -> search.SearchParams:
    """The search a request asks for; values are checked by the service."""
    params = request.query_params
    return search.SearchParams(
        q=params.get("q") or "",
        sort=params.get("sort") or None,
        page=_int(request, "page", 1),
        size=_int(request, "size", 10),
        all_versions=bool_param(request, "all_versions", "allversions"),
        facets={name: tuple(params.getlist(name)) for name in PUBLIC_FACETS if name in params},
        type=params.get("type") or None,
        subtype=params.get("subtype") or None,
        communities=tuple(params.getlist("communities")),
        cursor=params.get("cursor"),
    )


def search_json(ctx: ServiceContext, request: Request, page: search.SearchPage) -> dict[str, Any]:
    now = ctx.clock.now()
    url = request.url
    links = {"self": str(url)}
    if page.next_page:
        links["next"] = str(url.remove_query_params("cursor").include_query_params(page=page.page + 1))
    elif page.next_cursor:
        links["next"] = str(url.remove_query_params("page").include_query_params(cursor=page.next_cursor))
    if page.page > 1 and not page.cursor_mode:
        links["prev"] = str(url.include_query_params(page=page.page - 1))
    return {
        "hits": {"hits": [record_json(ctx.site_url, view, now) for view in page.views], "total": page.total},
        "aggregations": page.aggregations,
        "sortBy": page.sort_by,
        "links": links,
    }


@router.get("/records", summary="Search published records", openapi_extra=PARAMS_DOC)
def search_records(request: Request) -> Response:
    ctx = ctx_of(request)
    params = search_params(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        body = search_json(ctx, request, search.search_records(ctx, uow, who, params))
    return json_response(body)


@router.get("/user/records", summary="Search my drafts and records", openapi_extra=PARAMS_DOC)
def search_user_records(request: Request) -> Response:
    ctx = ctx_of(request)
    params = search_params(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request, required=True)
        body = search_json(ctx, request, search.search_user_records(ctx, uow, who, params))
    return json_response(body)
