"""The deposit's other buttons, as form POSTs: discard a draft, remove or import files, edit a
published record, start a new version. Each calls one service and redirects (303)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.identity import Identity
from callimachus.db.uow import UnitOfWork
from callimachus.services import drafts, files, records
from callimachus.services.context import ServiceContext
from callimachus.services.loading import parse_recid
from callimachus.web.pages import forms
from callimachus.web.pages.deposit import _write
from callimachus.web.pages.i18n import N_
from callimachus.web.pages.templating import flash

router = APIRouter(include_in_schema=False)


@router.post("/uploads/{recid}/delete")
async def delete_draft(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    published = await forms.in_thread(_write, request, lambda c, u, who: _discard(c, u, who, rid))
    if published:
        flash(request, N_("Your changes were discarded."), "success")
        return forms.redirect(f"/records/{rid}")
    flash(request, N_("The draft was deleted."), "success")
    return forms.redirect("/me/uploads")


def _discard(ctx: ServiceContext, uow: UnitOfWork, who: Identity, rid: int) -> bool:
    published = drafts.read_draft(ctx, uow, who, rid).has_record
    drafts.delete_draft(ctx, uow, who, rid)
    return published


@router.post("/uploads/{recid}/files/{key}/delete")
async def delete_file(recid: str, key: str, request: Request) -> Response:
    rid = parse_recid(recid)
    await forms.in_thread(_write, request, lambda c, u, who: files.delete_file(c, u, who, rid, key))
    flash(request, N_("The file was removed."), "success")
    return forms.redirect(f"/uploads/{rid}#files")


@router.post("/uploads/{recid}/import-files")
async def import_files(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    await forms.in_thread(_write, request, lambda c, u, who: files.import_files(c, u, who, rid))
    flash(request, N_("The files of the previous version are imported."), "success")
    return forms.redirect(f"/uploads/{rid}#files")


@router.post("/records/{recid}/edit")
async def edit_record(recid: str, request: Request) -> Response:
    """An edit of a published version (metadata only): its draft, opened or found again."""
    rid = parse_recid(recid)
    await forms.in_thread(_write, request, lambda c, u, who: drafts.edit_record(c, u, who, rid))
    return forms.redirect(f"/uploads/{rid}")


@router.post("/records/{recid}/new-version")
async def new_version(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    view = await forms.in_thread(_write, request, lambda c, u, who: records.new_version(c, u, who, rid))
    flash(request, N_("A new version is started: change its files and description, then publish it."), "success")
    return forms.redirect(f"/uploads/{view.recid}")

