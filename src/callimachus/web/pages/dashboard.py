"""``/me/uploads``: my uploads and drafts, access requests (to decide, and mine), and records
shared with me; deciding a request is a form POST through ``services.requests``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import CallimachusError, NotFound
from callimachus.services import dashboard, records, requests
from callimachus.services.render import record_json
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of
from callimachus.web.pages import forms
from callimachus.web.pages.i18n import N_
from callimachus.web.pages.templating import flash

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
DECIDED = {"accept": N_("The request is accepted: the requester was told by e-mail."),
           "decline": N_("The request is declined: the requester was told by e-mail."),
           "cancel": N_("Your request is cancelled.")}  # fmt: skip


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return max(1, min(int(raw), 10_000)) if raw.isdigit() else 1


@router.get("/me/uploads")
def my_uploads(request: Request) -> Response:
    ctx = ctx_of(request)
    page = _page_number(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        if who.is_anonymous:
            return forms.login_redirect(request)
        now = ctx.clock.now()
        mine = records.user_records(ctx, uow, who, page=page, size=PAGE_SIZE)
        uploads = [record_json(ctx.site_url, view, now) for view in mine.views]
        shared = [(record_json(ctx.site_url, s.view, now), s) for s in dashboard.shared_with_me(ctx, uow, who)]
        items = dashboard.request_items(ctx, uow, who)
    values: dict[str, Any] = {
        "uploads": uploads, "total": mine.total, "page": page, "more": page * PAGE_SIZE < mine.total, "shared": shared,
        "to_decide": [i for i in items if i.may_decide and i.request.status == "submitted"],
        "decided": [i for i in items if i.may_decide and i.request.status != "submitted" and not i.mine],
        "asked": [i for i in items if i.mine],
    }
    return request.app.state.pages.render(request, "dashboard.html", **values)


@router.post("/me/requests/{request_id}/{action}")
async def decide(request_id: str, action: str, request: Request) -> Response:
    if action not in DECIDED:
        raise NotFound()
    values = await forms.read_form(request)
    body = {"message": forms.text(values, "message")} if action != "cancel" else None
    if action == "accept" and forms.text(values, "expires_at"):
        body = {**(body or {}), "expires_at": forms.text(values, "expires_at")}
    ctx = ctx_of(request)

    def act() -> None:
        with ctx.unit_of_work(write=True) as uow:
            who = authenticate(ctx, uow, request, required=True)
            if action == "accept":
                requests.accept_request(ctx, uow, who, request_id, body)
            elif action == "decline":
                requests.decline_request(ctx, uow, who, request_id, body)
            else:
                requests.cancel_request(ctx, uow, who, request_id)
            uow.commit()

    try:
        await forms.in_thread(act)
    except CallimachusError as exc:
        if exc.status == 404:
            raise
        errors, message = forms.field_errors(exc)
        flash(request, message or " ".join(m for ms in errors.values() for m in ms), "error")
        return forms.redirect("/me/uploads#requests")
    flash(request, DECIDED[action], "success")
    return forms.redirect("/me/uploads#requests")
