"""File routes: the three-step draft upload, record files, and downloads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.identity import SCOPE_DEPOSIT_WRITE, Identity
from callimachus.db.models import Draft
from callimachus.services import files
from callimachus.services.context import ServiceContext
from callimachus.services.loading import parse_recid
from callimachus.services.render import FileRow, file_entry_json
from callimachus.web.auth import authenticate
from callimachus.web.downloads import serve_download
from callimachus.web.http import ctx_of, empty_response, json_response, read_json
from callimachus.web.uploads import receive_upload

router = APIRouter(prefix="/api/records/{recid}", tags=["files"])


def files_list_json(ctx: ServiceContext, recid: int, rows: list[FileRow], *, draft: Draft | None) -> dict[str, Any]:
    base = f"{ctx.site_url}/api/records/{recid}/{'draft/' if draft is not None else ''}files"
    data = (draft.data.get("files") if draft is not None else None) or {}
    return {
        "enabled": draft.files_enabled if draft is not None else True,
        "default_preview": data.get("default_preview"),
        "order": data.get("order") or [],
        "entries": [file_entry_json(ctx.site_url, recid, fo, blob, draft=draft is not None) for fo, blob in rows],
        "links": {"self": base},
    }


async def _write(request: Request, work: Any) -> Any:
    ctx = ctx_of(request)

    def run() -> Any:
        with ctx.unit_of_work(write=True) as uow:
            who = authenticate(ctx, uow, request, scope=SCOPE_DEPOSIT_WRITE, required=True)
            result = work(ctx, uow, who)
            uow.commit()
            return result

    return await run_in_threadpool(run)


@router.post("/draft/files", status_code=201, summary="Declare files to upload")
async def init_files(recid: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)

    def work(ctx: ServiceContext, uow: Any, who: Identity) -> dict[str, Any]:
        draft, rows = files.init_files(ctx, uow, who, rid, body)
        return files_list_json(ctx, rid, rows, draft=draft)

    return json_response(await _write(request, work), status=201)


@router.get("/draft/files", summary="List a draft's files")
def list_draft_files(recid: str, request: Request) -> Response:
    ctx, rid = ctx_of(request), parse_recid(recid)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        draft, rows = files.draft_files(ctx, uow, who, rid)
        body = files_list_json(ctx, rid, rows, draft=draft)
    return json_response(body)


@router.put("/draft/files/{key}/content", summary="Upload a file's content (streamed)")
async def upload_content(recid: str, key: str, request: Request) -> Response:
    rid = parse_recid(recid)
    fo, blob = await receive_upload(request, rid, key, create=False, complete=False)
    return json_response(file_entry_json(ctx_of(request).site_url, rid, fo, blob, draft=True))


@router.post("/draft/files/{key}/commit", summary="Complete a file's upload")
async def commit_file(recid: str, key: str, request: Request) -> Response:
    rid = parse_recid(recid)

    def work(ctx: ServiceContext, uow: Any, who: Identity) -> dict[str, Any]:
        fo, blob = files.commit_file(ctx, uow, who, rid, key)
        return file_entry_json(ctx.site_url, rid, fo, blob, draft=True)

    return json_response(await _write(request, work))


@router.get("/draft/files/{key}", summary="A draft file's metadata")
def draft_file(recid: str, key: str, request: Request) -> Response:
    ctx, rid = ctx_of(request), parse_recid(recid)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        fo, blob = files.draft_file(ctx, uow, who, rid, key)
        body = file_entry_json(ctx.site_url, rid, fo, blob, draft=True)
    return json_response(body)


@router.delete("/draft/files/{key}", status_code=204, summary="Delete a draft file")
async def delete_file(recid: str, key: str, request: Request) -> Response:
    rid = parse_recid(recid)
    await _write(request, lambda ctx, uow, who: files.delete_file(ctx, uow, who, rid, key))
    return empty_response()


@router.get("/draft/files/{key}/content", summary="Download a draft file")
@router.head("/draft/files/{key}/content", include_in_schema=False)
def draft_file_content(recid: str, key: str, request: Request) -> Response:
    return serve_download(request, parse_recid(recid), key, draft=True)


@router.post("/draft/actions/files-import", status_code=201, summary="Import the previous version's files")
async def import_files(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)

    def work(ctx: ServiceContext, uow: Any, who: Identity) -> dict[str, Any]:
        draft, rows = files.import_files(ctx, uow, who, rid)
        return files_list_json(ctx, rid, rows, draft=draft)

    return json_response(await _write(request, work), status=201)


@router.get("/files", summary="List a record's files")
def record_files(recid: str, request: Request) -> Response:
    ctx, rid = ctx_of(request), parse_recid(recid)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        _, rows = files.record_files(ctx, uow, who, rid)
        body = files_list_json(ctx, rid, rows, draft=None)
    return json_response(body)


@router.get("/files/{key}", summary="A record file's metadata")
def record_file(recid: str, key: str, request: Request) -> Response:
    ctx, rid = ctx_of(request), parse_recid(recid)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        fo, blob = files.record_file(ctx, uow, who, rid, key)
        body = file_entry_json(ctx.site_url, rid, fo, blob, draft=False)
    return json_response(body)


@router.get("/files/{key}/content", summary="Download a record file")
@router.head("/files/{key}/content", include_in_schema=False)
def record_file_content(recid: str, key: str, request: Request) -> Response:
    return serve_download(request, parse_recid(recid), key, draft=False)
