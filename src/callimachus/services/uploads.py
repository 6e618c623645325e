"""Resumable uploads: a file's content sent in chunks, resumable after a dropped connection.

A session knows the file's declared size and how many bytes are safely stored (``offset``). A
chunk is accepted only at the current offset, by one sender at a time (a short lease), and the
offset moves only after the chunk is durable. When the offset reaches the size, the bytes are
hashed, promoted and attached to the draft's file row exactly like a one-shot upload.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from callimachus.core.clock import as_utc
from callimachus.core.errors import (
    BadRequest,
    Conflict,
    FieldError,
    NotFound,
    PayloadTooLarge,
    ValidationError,
)
from callimachus.core.identity import Identity
from callimachus.db.models import Draft, UploadSession
from callimachus.db.uow import UnitOfWork
from callimachus.permissions import Action
from callimachus.services import files
from callimachus.services.context import ServiceContext
from callimachus.services.drafts import load_draft_for
from callimachus.services.files import UploadTarget
from callimachus.services.render import FileRow

LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class ChunkTicket:
    """What a sender may write: from ``offset``, at most up to ``size``."""

    session_id: str
    recid: int
    temp_key: str
    offset: int
    size: int
    state: dict[str, Any]


def session_json(ctx: ServiceContext, session: UploadSession, recid: int) -> dict[str, Any]:
    return {
        "id": session.id,
        "key": session.key,
        "size": session.size,
        "offset": session.offset,
        "min_chunk_size": ctx.files.min_resumable_chunk,
        "links": {
            "self": f"{ctx.site_url}/api/uploads/{session.id}",
            "file": f"{ctx.site_url}/api/records/{recid}/draft/files/{session.key}",
        },
    }


def start_upload(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, key: str, body: Any) -> UploadSession:
    """Open (or find again, to resume) the session for ``key`` of a draft."""
    size = body.get("size") if isinstance(body, dict) else None
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValidationError([FieldError("size", ["Give the file's size in bytes."])])
    target = files.prepare_upload(ctx, uow, identity, recid, key, create=True)
    if size > target.limit:
        raise PayloadTooLarge(f"The file ({size} bytes) exceeds the space left for this record ({target.limit} bytes).")
    existing = uow.session.scalar(select(UploadSession).where(UploadSession.bucket_id == target.bucket_id, UploadSession.key == target.key))
    if existing is not None and existing.size == size:
        return existing
    if existing is not None:
        ctx.files.abort_resumable(existing.temp_key, existing.state)
        uow.session.delete(existing)
        uow.flush()
    temp_key, state = ctx.files.begin_resumable()
    now = ctx.clock.now()
    session = UploadSession(
        id=str(uuid.uuid4()), bucket_id=target.bucket_id, key=target.key, size=size, offset=0, temp_key=temp_key,
        state=state, created_by=identity.user_id, created_at=now, updated_at=now,
    )
    uow.session.add(session)
    return session


def _session_for(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, session_id: str, *, lock: bool = False) -> tuple[UploadSession, int]:
    """The session and its draft's id, for whoever may edit that draft; 404 for anyone else."""
    stmt = select(UploadSession).where(UploadSession.id == session_id)
    session = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    if session is None:
        raise NotFound()
    draft = uow.session.scalar(select(Draft).where(Draft.bucket_id == session.bucket_id))
    if draft is None:
        raise NotFound()
    load_draft_for(ctx, uow, identity, draft.id, Action.UPDATE_DRAFT)
    return session, draft.id


def read_session(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, session_id: str) -> tuple[UploadSession, int]:
    return _session_for(ctx, uow, identity, session_id)


def claim_chunk(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, session_id: str, offset: int) -> ChunkTicket:
    """Reserve the right to send the next chunk (write transaction, short)."""
    session, recid = _session_for(ctx, uow, identity, session_id, lock=True)
    now = ctx.clock.now()
    if session.busy_until is not None and as_utc(session.busy_until) > now:
        raise Conflict("Another chunk of this upload is being received; try again shortly.")
    if offset != session.offset:
        raise Conflict(f"This upload continues at byte {session.offset}, not {offset}.",
                       [FieldError("Upload-Offset", [f"Expected {session.offset}."])])
    if session.offset >= session.size:
        raise BadRequest("This upload is already complete.")
    session.busy_until = now + LEASE
    return ChunkTicket(session.id, recid, session.temp_key, session.offset, session.size, dict(session.state))


def record_chunk(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, ticket: ChunkTicket, offset: int, state: dict[str, Any]) -> UploadSession:
    """Move the offset after a durable chunk; release the lease."""
    session, _ = _session_for(ctx, uow, identity, ticket.session_id, lock=True)
    if session.offset != ticket.offset:
        raise Conflict("The upload moved on while this chunk was received; ask for the offset and resume.")
    last = offset >= session.size
    if not last and offset - ticket.offset < ctx.files.min_resumable_chunk:
        raise BadRequest(f"Chunks other than the last must have at least {ctx.files.min_resumable_chunk} bytes.")
    session.offset, session.state, session.busy_until, session.updated_at = offset, state, None, ctx.clock.now()
    return session


def release(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, session_id: str) -> None:
    session, _ = _session_for(ctx, uow, identity, session_id, lock=True)
    session.busy_until = None


def complete(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, session_id: str) -> FileRow:
    """Hash the assembled bytes, attach them to the file row, and end the session."""
    session, recid = _session_for(ctx, uow, identity, session_id, lock=True)
    if session.offset != session.size:
        raise BadRequest(f"The upload is not complete ({session.offset} of {session.size} bytes).")
    staged = ctx.files.finish_resumable(session.temp_key, session.size, session.state)
    target = files.prepare_upload(ctx, uow, identity, recid, session.key, create=True)
    row = files.attach_upload(ctx, uow, identity, UploadTarget(recid, target.bucket_id, target.key, target.limit), staged, complete=False)
    uow.session.delete(session)
    return row


def abort(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, session_id: str) -> None:
    session, _ = _session_for(ctx, uow, identity, session_id, lock=True)
    ctx.files.abort_resumable(session.temp_key, session.state)
    uow.session.delete(session)
