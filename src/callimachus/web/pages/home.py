"""The home page: what the site is, a search box, and the most recent uploads the visitor may see."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.services import records
from callimachus.services.render import record_json
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of

router = APIRouter(include_in_schema=False)
RECENT = 10


@router.api_route("/", methods=["GET", "HEAD"])
def home(request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        page = records.list_records(ctx, uow, who, page=1, size=RECENT)
        now = ctx.clock.now()
        recent = [record_json(ctx.site_url, view, now) for view in page.views]
    return request.app.state.pages.render(request, "home.html", records=recent)
