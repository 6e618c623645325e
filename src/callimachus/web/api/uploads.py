"""Resumable uploads over HTTP: open a session, send chunks at ``Upload-Offset``, ask where to
resume (``HEAD``), and the file is attached when the last byte arrives."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from callimachus.core.errors import BadRequest, FieldError
from callimachus.core.identity import SCOPE_DEPOSIT_WRITE
from callimachus.services import uploads
from callimachus.services.loading import parse_recid
from callimachus.services.render import file_entry_json
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of, empty_response, json_response, read_json

router = APIRouter(prefix="/api", tags=["files"])


async def _run(request: Request, work: Any, *, write: bool = True) -> Any:
    ctx = ctx_of(request)

    def run() -> Any:
        with ctx.unit_of_work(write=write) as uow:
            who = authenticate(ctx, uow, request, scope=SCOPE_DEPOSIT_WRITE, required=True)
            result = work(ctx, uow, who)
            if write:
                uow.commit()
            return result

    return await run_in_threadpool(run)


def _offset_header(request: Request) -> int:
    raw = request.headers.get("upload-offset")
    try:
        offset = int(raw) if raw is not None else -1
    except ValueError:
        offset = -1
    if offset < 0:
        raise BadRequest("Send the chunk's starting byte in the Upload-Offset header.", [FieldError("Upload-Offset", ["A whole number ≥ 0."])])
    return offset


@router.post("/records/{recid}/draft/files/{key}/upload", status_code=201, summary="Start (or resume) a resumable upload")
async def start(recid: str, key: str, request: Request) -> Response:
    rid, body = parse_recid(recid), await read_json(request)
    result = await _run(request, lambda c, u, w: uploads.session_json(c, uploads.start_upload(c, u, w, rid, key, body), rid))
    return json_response(result, status=201, headers={"Upload-Offset": str(result["offset"])})


@router.get("/uploads/{session_id}", summary="Where a resumable upload stands")
async def status(session_id: str, request: Request) -> Response:
    result = await _run(request, lambda c, u, w: uploads.session_json(c, *uploads.read_session(c, u, w, session_id)), write=False)
    return json_response(result, headers={"Upload-Offset": str(result["offset"]), "Upload-Length": str(result["size"])})


@router.head("/uploads/{session_id}", include_in_schema=False)
async def status_head(session_id: str, request: Request) -> Response:
    result = await _run(request, lambda c, u, w: uploads.session_json(c, *uploads.read_session(c, u, w, session_id)), write=False)
    return Response(headers={"Upload-Offset": str(result["offset"]), "Upload-Length": str(result["size"]), "Cache-Control": "no-store"})


@router.patch("/uploads/{session_id}", summary="Send the next chunk")
async def send_chunk(session_id: str, request: Request) -> Response:
    ctx, offset = ctx_of(request), _offset_header(request)
    ticket = await _run(request, lambda c, u, w: uploads.claim_chunk(c, u, w, session_id, offset))
    writer = await run_in_threadpool(ctx.files.resume, ticket.temp_key, ticket.offset, ticket.size, ticket.state)
    buffer = bytearray()
    try:
        async for piece in request.stream():
            buffer += piece
            if len(buffer) >= ctx.settings.upload_buffer_bytes:
                data, buffer = bytes(buffer), bytearray()
                await run_in_threadpool(writer.write, data)
        if buffer:
            await run_in_threadpool(writer.write, bytes(buffer))
        new_offset, state = await run_in_threadpool(writer.finish)
    except BaseException as exc:
        await run_in_threadpool(writer.abort)
        await _run(request, lambda c, u, w: uploads.release(c, u, w, session_id))
        if isinstance(exc, ClientDisconnect):
            raise BadRequest("The connection closed in the middle of the chunk; ask for the offset and resume.") from None
        raise
    session = await _run(request, lambda c, u, w: uploads.session_json(c, uploads.record_chunk(c, u, w, ticket, new_offset, state), ticket.recid))
    headers = {"Upload-Offset": str(session["offset"])}
    if session["offset"] < session["size"]:
        return json_response(session, headers=headers)
    fo, blob = await _run(request, lambda c, u, w: uploads.complete(c, u, w, session_id))
    return json_response({**session, "file": file_entry_json(ctx.site_url, ticket.recid, fo, blob, draft=True)}, headers=headers)


@router.delete("/uploads/{session_id}", status_code=204, summary="Abandon a resumable upload")
async def abandon(session_id: str, request: Request) -> Response:
    await _run(request, lambda c, u, w: uploads.abort(c, u, w, session_id))
    return empty_response()
