"""The deposit form: ``/uploads/new`` and ``/uploads/{id}`` (URLs as Zenodo's).

The metadata travels as an ordinary HTML form POST (``deposit_form`` turns its fields into the
draft body) through the same services as the API: ``drafts.create_draft``/``update_draft``, then,
depending on the button, ``check_publish``, ``publish_draft`` or ``reserve_doi``. Files are sent
by the page's script through the resumable upload API; secret links live in ``sharing``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import CallimachusError, FieldError, NotFound, ValidationError
from callimachus.core.identity import Identity
from callimachus.db.uow import UnitOfWork
from callimachus.services import access, drafts, records
from callimachus.services.context import ServiceContext
from callimachus.services.draft_input import parse_draft_input
from callimachus.services.loading import parse_recid
from callimachus.services.render import record_json
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of
from callimachus.web.pages import forms
from callimachus.web.pages.deposit_form import (
    ParsedForm,
    errors_by_field,
    parse_deposit_form,
    problems,
    read_deposit_form,
)
from callimachus.web.pages.deposit_options import options
from callimachus.web.pages.i18n import N_
from callimachus.web.pages.templating import flash

router = APIRouter(include_in_schema=False)
Work = Callable[[ServiceContext, UnitOfWork, Identity], Any]
EMPTY = {
    "metadata": {},
    "custom_fields": {},
    "access": {"record": "public", "files": "public", "embargo": {"active": False}},
    "files": {"enabled": True},
    "pids": {},
}


def _read(request: Request, work: Work) -> Any:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        return work(ctx, uow, authenticate(ctx, uow, request))


def _write(request: Request, work: Work) -> Any:
    ctx = ctx_of(request)
    with ctx.unit_of_work(write=True) as uow:
        result = work(ctx, uow, authenticate(ctx, uow, request, required=True))
        uow.commit()
        return result


def _signed_in(request: Request) -> bool:
    return not _read(request, lambda c, u, who: who).is_anonymous


def _draft_state(ctx: ServiceContext, uow: UnitOfWork, who: Identity, recid: int) -> dict[str, Any]:
    """The draft as record JSON, and its secret links when the visitor may manage them."""
    draft = record_json(ctx.site_url, drafts.read_draft(ctx, uow, who, recid), ctx.clock.now())
    try:
        links = [access.link_json(link) for link in access.list_links(ctx, uow, who, recid)]
    except CallimachusError:
        links = None
    return {"draft": draft, "links": links}


def render_form(request: Request, state: dict[str, Any] | None, *, status: int = 200, **values: Any) -> Response:
    """The form for a draft (``state`` from ``_draft_state``) or for a new upload (None)."""
    draft = (state or {}).get("draft")
    values.setdefault("data", draft or EMPTY)
    values.setdefault("errors", {})
    values.setdefault("problems", None)
    values.setdefault("raw", {})
    errors = values["errors"]
    values["has_errors"] = lambda *prefixes: any(name.startswith(prefixes) for name in errors)
    return request.app.state.pages.render(
        request, "deposit/form.html", status=status, draft=draft, links=(state or {}).get("links"),
        options=options(), **values,
    )


def _refused(request: Request, state: dict[str, Any] | None, parsed: ParsedForm, found: list[FieldError], status: int = 400) -> Response:
    data = {**EMPTY, **parsed.body}
    if state and "files" not in parsed.body:
        data["files"] = state["draft"]["files"]
    if state and "pids" not in parsed.body:
        data["pids"] = {k: v for k, v in state["draft"]["pids"].items() if v.get("provider") != "external"}
    return render_form(
        request, state, status=status, data=data, errors=errors_by_field(found, parsed.body),
        problems=problems(found, parsed.body), raw=parsed.raw,
    )


def _all_errors(request: Request, parsed: ParsedForm) -> list[FieldError]:
    """What the form could not read, plus what the services would refuse in the rest."""
    found = list(parsed.errors)
    try:
        parse_draft_input(parsed.body, ctx_of(request).clock.now(), ctx_of(request).doi)
    except ValidationError as exc:
        found.extend(exc.errors)
    return found


@router.get("/uploads/new")
def new_upload(request: Request) -> Response:
    if not _signed_in(request):
        return forms.login_redirect(request)
    return render_form(request, None)


@router.post("/uploads/new")
async def create_upload(request: Request) -> Response:
    values, _ = await read_deposit_form(request)
    if not await forms.in_thread(_signed_in, request):
        return forms.login_redirect(request)
    parsed = parse_deposit_form(values)
    if parsed.errors:
        return _refused(request, None, parsed, _all_errors(request, parsed))
    try:
        draft = await forms.in_thread(_write, request, lambda c, u, who: drafts.create_draft(c, u, who, parsed.body))
    except ValidationError as exc:
        return _refused(request, None, parsed, exc.errors)
    return await _after_save(request, draft.recid, parsed.action)


@router.get("/uploads/{recid}")
def edit_upload(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    if not _signed_in(request):
        return forms.login_redirect(request)
    try:
        state = _read(request, lambda c, u, who: _draft_state(c, u, who, rid))
    except NotFound:
        # A published record without an open edit: its landing page (404 there if not visible).
        _read(request, lambda c, u, who: records.read_record(c, u, who, rid))
        return forms.redirect(f"/records/{rid}")
    return render_form(request, state)


@router.post("/uploads/{recid}")
async def save_upload(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    values, _ = await read_deposit_form(request)
    if not await forms.in_thread(_signed_in, request):
        return forms.login_redirect(request)
    parsed = parse_deposit_form(values)
    state = await forms.in_thread(_read, request, lambda c, u, who: _draft_state(c, u, who, rid))
    if parsed.errors:
        return _refused(request, state, parsed, _all_errors(request, parsed))
    try:
        await forms.in_thread(_write, request, lambda c, u, who: drafts.update_draft(c, u, who, rid, parsed.body))
    except ValidationError as exc:
        return _refused(request, state, parsed, exc.errors)
    return await _after_save(request, rid, parsed.action)


async def _after_save(request: Request, rid: int, action: str) -> Response:
    """The saved draft, then what the pressed button asks for."""
    if action == "publish":
        return await _publish(request, rid)
    if action == "check":
        found = await forms.in_thread(_read, request, lambda c, u, who: drafts.check_publish(c, u, who, rid))
        return await _show_check(request, rid, found)
    if action == "reserve-doi":
        await forms.in_thread(_write, request, lambda c, u, who: drafts.reserve_doi(c, u, who, rid))
        flash(request, N_("A DOI is reserved for this upload: it will be registered when you publish."), "success")
        return forms.redirect(f"/uploads/{rid}#doi")
    if action == "preview":
        return forms.redirect(f"/records/{rid}?preview=1")
    flash(request, N_("Your draft is saved."), "success")
    return forms.redirect(f"/uploads/{rid}")


async def _show_check(request: Request, rid: int, found: list[FieldError], status: int = 200) -> Response:
    state = await forms.in_thread(_read, request, lambda c, u, who: _draft_state(c, u, who, rid))
    body = state["draft"]
    return render_form(
        request, state, status=status, errors=errors_by_field(found, body), problems=problems(found, body), checked=True,
    )


async def _publish(request: Request, rid: int) -> Response:
    try:
        record = await forms.in_thread(_write, request, lambda c, u, who: drafts.publish_draft(c, u, who, rid))
    except ValidationError as exc:
        return await _show_check(request, rid, exc.errors, status=400)
    flash(request, N_("Your upload is published."), "success")
    return forms.redirect(f"/records/{record.id}")
