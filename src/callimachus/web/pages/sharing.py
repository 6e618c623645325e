"""Secret links from the browser: ``/records/{id}/share`` lists them with a form to create one;
creating and revoking are form POSTs (``services.access``) that return to ``next``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import CallimachusError, ValidationError
from callimachus.services import access, records, requests
from callimachus.services.loading import parse_recid
from callimachus.services.render import record_json
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of
from callimachus.web.pages import forms
from callimachus.web.pages.i18n import N_
from callimachus.web.pages.templating import flash

router = APIRouter(include_in_schema=False)


def _share_page(request: Request, rid: int, status: int = 200, **values: Any) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        if who.is_anonymous:
            return forms.login_redirect(request)
        record = record_json(ctx.site_url, records.read_record(ctx, uow, who, rid), ctx.clock.now())
        links = [access.link_json(link) for link in access.list_links(ctx, uow, who, rid)]
    return request.app.state.pages.render(
        request, "sharing/page.html", status=status, record=record, links=links, back=f"/records/{rid}", **values,
    )


@router.get("/records/{recid}/share")
def share_page(recid: str, request: Request) -> Response:
    return _share_page(request, parse_recid(recid))


@router.post("/records/{recid}/share/links")
async def create_link(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    values = await forms.read_form(request)
    target = forms.safe_next(forms.text(values, "next"), f"/records/{rid}/share")
    body = {
        "permission": forms.text(values, "permission") or "view",
        "description": forms.text(values, "description"),
        "expires_at": forms.text(values, "expires_at") or None,
    }
    ctx = ctx_of(request)

    def create() -> None:
        with ctx.unit_of_work(write=True) as uow:
            access.create_link(ctx, uow, authenticate(ctx, uow, request, required=True), rid, body)
            uow.commit()

    try:
        await forms.in_thread(create)
    except ValidationError as exc:
        errors, message = forms.field_errors(exc)
        flash(request, message or " ".join(m for ms in errors.values() for m in ms), "error")
        return forms.redirect(target)
    flash(request, N_("The secret link is ready: copy it from the list."), "success")
    return forms.redirect(target)


@router.post("/records/{recid}/share/links/{link_id}/revoke")
async def revoke_link(recid: str, link_id: str, request: Request) -> Response:
    rid = parse_recid(recid)
    values = await forms.read_form(request)
    target = forms.safe_next(forms.text(values, "next"), f"/records/{rid}/share")
    ctx = ctx_of(request)

    def revoke() -> None:
        with ctx.unit_of_work(write=True) as uow:
            access.revoke_link(ctx, uow, authenticate(ctx, uow, request, required=True), rid, link_id)
            uow.commit()

    await forms.in_thread(revoke)
    flash(request, N_("The link was revoked: it no longer opens anything."), "success")
    return forms.redirect(target)


@router.post("/records/{recid}/request-access")
async def request_access(recid: str, request: Request) -> Response:
    """Ask the owners for restricted files: signed in, or as a guest who confirms by e-mail."""
    rid = parse_recid(recid)
    values = await forms.read_form(request)
    ctx = ctx_of(request)

    def ask() -> bool:
        with ctx.unit_of_work(write=True) as uow:
            who = authenticate(ctx, uow, request)
            body: dict[str, Any] = {"message": forms.text(values, "message")}
            if who.is_anonymous:
                body.update(full_name=forms.text(values, "full_name"), email=forms.text(values, "email"))
            requests.create_request(ctx, uow, who, rid, body)
            uow.commit()
            return who.is_anonymous

    try:
        guest = await forms.in_thread(ask)
    except CallimachusError as exc:
        if exc.status == 404:
            raise
        errors, message = forms.field_errors(exc)
        flash(request, message or " ".join(m for ms in errors.values() for m in ms), "error")
        return forms.redirect(f"/records/{rid}#files")
    if guest:
        flash(request, N_("Check your inbox: confirm your address to send the request to the owners."), "success")
    else:
        flash(request, N_("Your request was sent to the owners. Their answer will come by e-mail."), "success")
    return forms.redirect(f"/records/{rid}#files")
