"""``/search``: the records search page (the API's search, facets, sorts and paging as HTML).

Parameters are the API's (``q``, ``sort``, ``page``, ``size``, facet filters such as
``resource_type=dataset`` or ``access_status=open``), so a page URL and an API URL say the same.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import BadRequest
from callimachus.search.facets import PUBLIC_FACETS
from callimachus.services import search
from callimachus.services.render import record_json
from callimachus.web.api.search import search_params
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of
from callimachus.web.pages.i18n import N_

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
SORTS = (
    ("bestmatch", N_("Best match")), ("newest", N_("Newest")), ("oldest", N_("Oldest")),
    ("publication-desc", N_("Publication date (newest)")), ("publication-asc", N_("Publication date (oldest)")),
    ("title", N_("Title (A–Z)")), ("title-desc", N_("Title (Z–A)")),
)  # fmt: skip
FACET_TITLES = {
    "access_status": N_("Access"), "resource_type": N_("Resource type"), "file_type": N_("File type"),
    "subject": N_("Keywords"), "license": N_("Licence"), "language": N_("Language"),
    "publication_year": N_("Publication year"),
}  # fmt: skip


def _query(request: Request, **changes: Any) -> str:
    """The current search's query string with ``changes`` (None removes a parameter); the page
    goes back to 1 unless given."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes and k != "page" and k != "cursor"]
    for key, value in changes.items():
        if value is not None:
            items.extend((key, v) for v in (value if isinstance(value, list) else [value]))
    return "?" + urlencode(items)


@router.get("/search")
def search_page(request: Request) -> Response:
    ctx = ctx_of(request)
    error: BadRequest | None = None
    params = search_params(request)
    if "size" not in request.query_params:
        params = search.SearchParams(**{**params.__dict__, "size": PAGE_SIZE})
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        try:
            found = search.search_records(ctx, uow, who, params)
        except BadRequest as exc:
            error, found = exc, None
        now = ctx.clock.now()
        hits = [record_json(ctx.site_url, view, now) for view in found.views] if found else []
    values = {
        "q": params.q, "params": params, "found": found, "hits": hits, "error": error, "sorts": SORTS,
        "facet_titles": FACET_TITLES, "facets": [n for n in PUBLIC_FACETS if n in FACET_TITLES],
        "selected": {name: request.query_params.getlist(name) for name in PUBLIC_FACETS},
        "query": lambda **changes: _query(request, **changes), "search_query": params.q,
        "clear_filters": _query(request, **dict.fromkeys(PUBLIC_FACETS)),
    }
    return request.app.state.pages.render(request, "search.html", status=400 if error else 200, **values)
