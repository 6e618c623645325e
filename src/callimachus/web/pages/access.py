"""Pages of the access workflow that e-mails link to."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import CallimachusError
from callimachus.services import requests
from callimachus.web.http import ctx_of

router = APIRouter(include_in_schema=False)


@router.get("/access-requests/confirm")
def confirm_form(request: Request) -> Response:
    """A button, not an automatic confirmation: mail scanners that follow links confirm nothing."""
    token = request.query_params.get("token", "")
    return request.app.state.pages.render(request, "confirm_request.html", token=token, done=None, error=None)


@router.post("/access-requests/confirm")
async def confirm(request: Request) -> Response:
    form = await request.form()
    token = str(form.get("token") or "")
    ctx = ctx_of(request)
    pages = request.app.state.pages
    try:
        with ctx.unit_of_work(write=True) as uow:
            requests.confirm_guest_request(ctx, uow, token)
            uow.commit()
    except CallimachusError as exc:
        return pages.render(request, "confirm_request.html", status=exc.status, token="", done=None, error=exc.message)
    return pages.render(request, "confirm_request.html", token="", done=True, error=None)
