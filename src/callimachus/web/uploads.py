"""Streaming a request body into storage: bounded memory, hashed on the way, refused past quota."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from callimachus.core.errors import BadRequest, PayloadTooLarge
from callimachus.core.identity import SCOPE_DEPOSIT_WRITE, Identity
from callimachus.services import files
from callimachus.services.files import UploadTarget
from callimachus.services.render import FileRow
from callimachus.storage.base import StagedBlob
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of


async def stream_to_store(request: Request, limit: int) -> StagedBlob:
    """Receive the body into a staging object; nothing remains if anything goes wrong."""
    ctx = ctx_of(request)
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise PayloadTooLarge(f"The upload ({declared} bytes) exceeds the space left for this record ({limit} bytes).")
        except ValueError:
            raise BadRequest("Invalid Content-Length header.") from None
    writer = await run_in_threadpool(ctx.files.stage, limit)
    buffer_size = ctx.settings.upload_buffer_bytes
    buffer = bytearray()
    try:
        async for chunk in request.stream():
            buffer += chunk
            if len(buffer) >= buffer_size:
                data, buffer = bytes(buffer), bytearray()
                await run_in_threadpool(writer.write, data)
        if buffer:
            await run_in_threadpool(writer.write, bytes(buffer))
        return await run_in_threadpool(writer.finish)
    except ClientDisconnect:
        await run_in_threadpool(writer.abort)
        raise BadRequest("The connection closed before the upload finished; nothing was stored.") from None
    except BaseException:
        await run_in_threadpool(writer.abort)
        raise


async def receive_upload(request: Request, recid: int, key: str, *, create: bool, complete: bool) -> FileRow:
    """Authenticate and check, stream the body, then attach it in one write transaction."""
    ctx = ctx_of(request)

    def prepare() -> tuple[Identity, UploadTarget]:
        with ctx.unit_of_work() as uow:
            who = authenticate(ctx, uow, request, scope=SCOPE_DEPOSIT_WRITE, required=True)
            return who, files.prepare_upload(ctx, uow, who, recid, key, create=create)

    who, target = await run_in_threadpool(prepare)
    staged = await stream_to_store(request, target.limit)

    def attach() -> FileRow:
        try:
            with ctx.unit_of_work(write=True) as uow:
                row = files.attach_upload(ctx, uow, who, target, staged, complete=complete)
                uow.commit()
                return row
        finally:
            ctx.files.discard_staged(staged)  # a no-op once promoted

    return await run_in_threadpool(attach)
