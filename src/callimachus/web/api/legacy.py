"""Zenodo's legacy deposit API (``/api/deposit/depositions``) and Files-REST bucket URLs
(``/api/files/{bucket}/{key}``), so that clients written for zenodo.org work unchanged."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import FieldError, PayloadTooLarge, ValidationError
from callimachus.core.identity import SCOPE_DEPOSIT_ACTIONS, SCOPE_DEPOSIT_WRITE, Identity
from callimachus.db.uow import UnitOfWork
from callimachus.formats import zenodo
from callimachus.services import deposits, files
from callimachus.services.context import ServiceContext
from callimachus.services.deposits import Deposition
from callimachus.services.loading import parse_recid
from callimachus.services.render import FileRow, file_entry_json
from callimachus.storage.base import StagedBlob
from callimachus.web.auth import authenticate
from callimachus.web.downloads import serve_download
from callimachus.web.http import ctx_of, empty_response, json_response, page_params, read_json
from callimachus.web.uploads import receive_upload

router = APIRouter(prefix="/api", tags=["zenodo legacy"])
DEPOSITIONS = "/deposit/depositions"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def deposition_body(dep: Deposition) -> dict[str, Any]:
    return zenodo.deposition_json(
        dep.native, bucket_id=dep.bucket_id, prereserved_doi=dep.prereserved_doi, latest_draft_id=dep.latest_draft_id,
        access_settings=dep.access_settings, communities=dep.communities,
    )


def legacy_file_key(name: str) -> str:
    """The key Zenodo gives a form upload: ASCII, no path, spaces as underscores."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = text.replace("/", " ").replace("\\", " ")
    text = _UNSAFE.sub("", "_".join(text.split())).strip("._")
    if not text:
        raise ValidationError([FieldError("name", ["The file needs a name made of letters, digits, '.', '-' or '_'."])])
    return text


async def _run(request: Request, work: Any, *, scope: str | None, status: int = 200) -> Response:
    """One unit of work in a worker thread (a write one when ``scope`` is given)."""
    ctx = ctx_of(request)

    def run() -> Any:
        with ctx.unit_of_work(write=scope is not None) as uow:
            who = authenticate(ctx, uow, request, scope=scope, required=True)
            result = work(ctx, uow, who)
            if scope is not None:
                uow.commit()
            return result

    result = await run_in_threadpool(run)
    return empty_response(status) if result is None else json_response(result, status=status)


# --- depositions -------------------------------------------------------------------------------


@router.get(DEPOSITIONS, summary="List my depositions (a bare JSON array)")
async def list_depositions(request: Request) -> Response:
    page, size = page_params(request, default_size=10, max_size=100)

    def work(ctx: ServiceContext, uow: UnitOfWork, who: Identity) -> list[dict[str, Any]]:
        return [deposition_body(d) for d in deposits.list_depositions(ctx, uow, who, page=page, size=size)]

    return await _run(request, work, scope=None)


@router.post(DEPOSITIONS, status_code=201, summary="Create a deposition")
async def create_deposition(request: Request) -> Response:
    body = await read_json(request)
    work = lambda ctx, uow, who: deposition_body(deposits.create_deposition(ctx, uow, who, body))  # noqa: E731
    return await _run(request, work, scope=SCOPE_DEPOSIT_WRITE, status=201)


@router.get(DEPOSITIONS + "/{recid}", summary="Read a deposition")
async def read_deposition(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return await _run(request, lambda ctx, uow, who: deposition_body(deposits.read_deposition(ctx, uow, who, rid)), scope=None)


@router.put(DEPOSITIONS + "/{recid}", summary="Replace a deposition's metadata")
async def update_deposition(recid: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)
    work = lambda ctx, uow, who: deposition_body(deposits.update_deposition(ctx, uow, who, rid, body))  # noqa: E731
    return await _run(request, work, scope=SCOPE_DEPOSIT_WRITE)


@router.delete(DEPOSITIONS + "/{recid}", status_code=204, summary="Delete a deposition that was never published")
async def delete_deposition(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return await _run(request, lambda ctx, uow, who: deposits.delete_deposition(ctx, uow, who, rid), scope=SCOPE_DEPOSIT_WRITE, status=204)


@router.post(DEPOSITIONS + "/{recid}/actions/publish", status_code=202, summary="Publish")
async def publish(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    work = lambda ctx, uow, who: deposition_body(deposits.publish_deposition(ctx, uow, who, rid))  # noqa: E731
    return await _run(request, work, scope=SCOPE_DEPOSIT_ACTIONS, status=202)


@router.post(DEPOSITIONS + "/{recid}/actions/edit", status_code=201, summary="Open a published deposition for editing")
async def edit(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    work = lambda ctx, uow, who: deposition_body(deposits.edit_deposition(ctx, uow, who, rid))  # noqa: E731
    return await _run(request, work, scope=SCOPE_DEPOSIT_ACTIONS, status=201)


@router.post(DEPOSITIONS + "/{recid}/actions/discard", status_code=204, summary="Discard the open draft")
async def discard(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return await _run(request, lambda ctx, uow, who: deposits.delete_deposition(ctx, uow, who, rid), scope=SCOPE_DEPOSIT_ACTIONS, status=204)


@router.post(DEPOSITIONS + "/{recid}/actions/newversion", status_code=201, summary="Create a new version (returns the new draft)")
async def new_version(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)
    work = lambda ctx, uow, who: deposition_body(deposits.new_version_deposition(ctx, uow, who, rid))  # noqa: E731
    return await _run(request, work, scope=SCOPE_DEPOSIT_ACTIONS, status=201)


# --- deposition files --------------------------------------------------------------------------


def _file_json(dep: Deposition, row: FileRow) -> dict[str, Any]:
    return zenodo.deposition_file_json(_entry(dep.native, row), _deposition_url(dep.native), _bucket_url(dep.native, dep.bucket_id))


def _entry(native: dict[str, Any], row: FileRow) -> dict[str, Any]:
    return file_entry_json(zenodo.site_of(native), int(native["id"]), row[0], row[1], draft=bool(native.get("is_draft")))


def _deposition_url(native: dict[str, Any]) -> str:
    return f"{zenodo.site_of(native)}/api{DEPOSITIONS}/{native['id']}"


def _bucket_url(native: dict[str, Any], bucket_id: str) -> str:
    return f"{zenodo.site_of(native)}/api/files/{bucket_id}"


@router.get(DEPOSITIONS + "/{recid}/files", summary="List a deposition's files")
async def list_files(recid: str, request: Request) -> Response:
    rid = parse_recid(recid)

    def work(ctx: ServiceContext, uow: UnitOfWork, who: Identity) -> list[dict[str, Any]]:
        dep = deposits.read_deposition(ctx, uow, who, rid)
        return [_file_json(dep, row) for row in dep.files if row[1] is not None]

    return await _run(request, work, scope=None)


@router.get(DEPOSITIONS + "/{recid}/files/{file_id}", summary="One file of a deposition")
async def read_file(recid: str, file_id: str, request: Request) -> Response:
    rid = parse_recid(recid)
    return await _run(request, lambda ctx, uow, who: _file_json(*deposits.deposition_file(ctx, uow, who, rid, file_id)), scope=None)


@router.delete(DEPOSITIONS + "/{recid}/files/{file_id}", status_code=204, summary="Delete a file of a deposition")
async def delete_file(recid: str, file_id: str, request: Request) -> Response:
    rid = parse_recid(recid)
    work = lambda ctx, uow, who: deposits.delete_deposition_file(ctx, uow, who, rid, file_id)  # noqa: E731
    return await _run(request, work, scope=SCOPE_DEPOSIT_WRITE, status=204)


async def _stage(ctx: ServiceContext, upload: UploadFile, limit: int) -> StagedBlob:
    """Copy a form file into a staging object in bounded buffers; nothing is left on failure."""
    writer = await run_in_threadpool(ctx.files.stage, limit)
    try:
        while chunk := await upload.read(ctx.settings.upload_buffer_bytes):
            await run_in_threadpool(writer.write, chunk)
        return await run_in_threadpool(writer.finish)
    except BaseException:
        await run_in_threadpool(writer.abort)
        raise


@router.post(DEPOSITIONS + "/{recid}/files", status_code=201, summary="Upload a file (multipart form: file, name)")
async def upload_form_file(recid: str, request: Request) -> Response:
    ctx, rid = ctx_of(request), parse_recid(recid)

    def who_is_it() -> Identity:
        with ctx.unit_of_work() as uow:
            return authenticate(ctx, uow, request, scope=SCOPE_DEPOSIT_WRITE, required=True)

    who = await run_in_threadpool(who_is_it)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > ctx.settings.max_record_bytes:
        raise PayloadTooLarge(f"The upload ({declared} bytes) exceeds what a record may hold ({ctx.settings.max_record_bytes} bytes).")
    async with request.form(max_files=1, max_fields=10) as form:  # closes the spooled file
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationError([FieldError("file", ["Send the file in the multipart field 'file'."])])
        name = form.get("name")
        key = legacy_file_key(name if isinstance(name, str) and name else upload.filename or "")

        def prepare() -> files.UploadTarget:
            with ctx.unit_of_work() as uow:
                return files.prepare_upload(ctx, uow, who, rid, key, create=True)

        target = await run_in_threadpool(prepare)
        staged = await _stage(ctx, upload, target.limit)

    def attach() -> dict[str, Any]:
        try:
            with ctx.unit_of_work(write=True) as uow:
                row = files.attach_upload(ctx, uow, who, target, staged, complete=True)
                dep = deposits.read_deposition(ctx, uow, who, rid)
                body = _file_json(dep, row)
                uow.commit()
                return body
        finally:
            ctx.files.discard_staged(staged)

    return json_response(await run_in_threadpool(attach), status=201)


# --- Files-REST buckets ------------------------------------------------------------------------


@router.get("/files/{bucket_id}", summary="List the objects of a bucket")
async def list_bucket(bucket_id: str, request: Request) -> Response:
    def work(ctx: ServiceContext, uow: UnitOfWork, who: Identity) -> dict[str, Any]:
        recid, is_draft, rows = deposits.bucket_listing(ctx, uow, who, bucket_id)
        entries = [file_entry_json(ctx.site_url, recid, fo, blob, draft=is_draft) for fo, blob in rows]
        return zenodo.bucket_json(bucket_id, ctx.site_url, entries, locked=not is_draft)

    return await _run(request, work, scope=None)


@router.get("/files/{bucket_id}/{key}", summary="Download an object of a bucket")
async def get_object(bucket_id: str, key: str, request: Request) -> Response:
    ctx = ctx_of(request)

    def target() -> tuple[int, bool]:
        with ctx.unit_of_work() as uow:
            return deposits.bucket_target(uow, bucket_id)

    recid, is_draft = await run_in_threadpool(target)
    return await run_in_threadpool(serve_download, request, recid, key, draft=is_draft)


@router.put("/files/{bucket_id}/{key}", status_code=201, summary="Upload an object into a draft's bucket (raw body)")
async def put_object(bucket_id: str, key: str, request: Request) -> Response:
    ctx = ctx_of(request)

    def target() -> int:
        with ctx.unit_of_work() as uow:
            authenticate(ctx, uow, request, scope=SCOPE_DEPOSIT_WRITE, required=True)
            return deposits.bucket_draft(uow, bucket_id)

    recid = await run_in_threadpool(target)
    fo, blob = await receive_upload(request, recid, key, create=True, complete=True)
    entry = file_entry_json(ctx.site_url, recid, fo, blob, draft=True)
    return json_response(zenodo.files_rest_object(entry, f"{ctx.site_url}/api/files/{bucket_id}"), status=201)


@router.delete("/files/{bucket_id}/{key}", status_code=204, summary="Delete an object of a draft's bucket")
async def delete_object(bucket_id: str, key: str, request: Request) -> Response:
    def work(ctx: ServiceContext, uow: UnitOfWork, who: Identity) -> None:
        files.delete_file(ctx, uow, who, deposits.bucket_draft(uow, bucket_id), key)

    return await _run(request, work, scope=SCOPE_DEPOSIT_WRITE, status=204)
