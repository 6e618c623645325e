"""Files of drafts and records: declare, receive content, commit, delete, read, import.

Receiving content happens in three steps so that no database transaction stays open while bytes
stream in: :func:`prepare_upload` (checks, in a read transaction), the web layer streams the
body into ``ctx.files.stage(limit)``, then :func:`attach_upload` (checks again, promotes the
blob, writes the rows) in a write transaction. Until that commits, nobody can read the bytes and
they count against no quota.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from callimachus.core.errors import (
    BadRequest,
    Conflict,
    FieldError,
    NotFound,
    PayloadTooLarge,
    ValidationError,
)
from callimachus.core.identity import Identity
from callimachus.db.models import Blob, Bucket, Draft, FileObject, Record
from callimachus.db.uow import UnitOfWork
from callimachus.permissions import Action
from callimachus.services import loading
from callimachus.services.buckets import bucket_files, bucket_usage, copy_files
from callimachus.services.context import ServiceContext
from callimachus.services.drafts import load_draft_for, save_revision
from callimachus.services.render import FileRow, guess_mimetype
from callimachus.storage.base import StagedBlob

MAX_KEY_LENGTH = 1000


def check_key(key: Any, field: str = "key") -> str:
    """A file key is a name, not a path: it can never point outside its bucket."""
    if not isinstance(key, str) or not key:
        raise ValidationError([FieldError(field, ["A file needs a key (its name)."])])
    key = unicodedata.normalize("NFC", key)
    problems = []
    if key in (".", ".."):
        problems.append("'.' and '..' are not file names.")
    if "/" in key or "\\" in key:
        problems.append("File keys may not contain '/' or '\\' (no folders or paths).")
    if any(unicodedata.category(ch) == "Cc" for ch in key):
        problems.append("File keys may not contain NUL or other control characters.")
    if key != key.strip():
        problems.append("File keys may not start or end with white space.")
    if len(key) > MAX_KEY_LENGTH:
        problems.append(f"File keys may be at most {MAX_KEY_LENGTH} characters long.")
    if problems:
        raise ValidationError([FieldError(field, problems)])
    return key


def _editable_bucket(uow: UnitOfWork, draft: Draft) -> Bucket:
    bucket = uow.session.get(Bucket, draft.bucket_id)
    if bucket is None or bucket.locked or draft.is_published:
        raise BadRequest("The files of a published version cannot change; create a new version instead.")
    if not draft.files_enabled:
        raise BadRequest("This record is metadata-only; enable files before uploading.")
    return bucket


def _file_row(uow: UnitOfWork, bucket_id: str, key: str) -> FileObject | None:
    return uow.session.scalar(select(FileObject).where(FileObject.bucket_id == bucket_id, FileObject.key == key))


def _new_file(ctx: ServiceContext, bucket_id: str, key: str, metadata: dict[str, Any] | None = None) -> FileObject:
    now = ctx.clock.now()
    return FileObject(
        id=str(uuid.uuid4()), bucket_id=bucket_id, key=key, blob_id=None, status="pending",
        mimetype=guess_mimetype(key), file_metadata=metadata or {}, created_at=now, updated_at=now,
    )


# --- draft files -------------------------------------------------------------------------------


def init_files(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, body: Any) -> tuple[Draft, list[FileRow]]:
    """Declare files to upload: ``[{"key": "data.csv"}, …]``."""
    draft, _parent, _ = load_draft_for(ctx, uow, identity, recid, Action.UPDATE_DRAFT, lock=True)
    bucket = _editable_bucket(uow, draft)
    if not isinstance(body, list) or not body:
        raise ValidationError([FieldError("", ["Send a list of files like [{\"key\": \"data.csv\"}]."])])
    keys: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(body):
        if not isinstance(item, dict):
            raise ValidationError([FieldError(f"{i}", ["Each file must be an object with a key."])])
        unknown = sorted(set(item) - {"key", "metadata", "access"})
        if unknown:
            raise ValidationError([FieldError(f"{i}.{k}", ["Unknown field."]) for k in unknown])
        metadata = item.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise ValidationError([FieldError(f"{i}.metadata", ["Must be an object."])])
        keys.append((check_key(item.get("key"), f"{i}.key"), metadata))
    existing = {fo.key for fo, _ in bucket_files(uow, bucket.id)}
    duplicates = [k for k, _ in keys if k in existing] + [k for n, (k, _) in enumerate(keys) if k in [x for x, _ in keys[:n]]]
    if duplicates:
        raise ValidationError([FieldError("key", [f"A file with key '{k}' already exists." for k in duplicates])])
    if len(existing) + len(keys) > bucket.max_files:
        raise ValidationError([FieldError("files", [f"A record may have at most {bucket.max_files} files."])])
    for key, metadata in keys:
        uow.session.add(_new_file(ctx, bucket.id, key, metadata))
    draft.updated_at = ctx.clock.now()
    uow.flush()
    ctx.changed(uow, "draft", draft.id)
    return draft, bucket_files(uow, bucket.id)


@dataclass(frozen=True)
class UploadTarget:
    recid: int
    bucket_id: str
    key: str
    limit: int


def prepare_upload(
    ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, key: str, *, create: bool = False
) -> UploadTarget:
    """Check that content for ``key`` may arrive and how many bytes it may have."""
    key = check_key(key)
    draft, _parent, _ = load_draft_for(ctx, uow, identity, recid, Action.UPDATE_DRAFT)
    bucket = _editable_bucket(uow, draft)
    row = _file_row(uow, bucket.id, key)
    used, count = bucket_usage(uow, bucket.id, except_key=key)
    if row is None:
        if not create:
            raise NotFound(f"No file '{key}' was declared on this draft; declare it first.")
        if count + 1 > bucket.max_files:
            raise ValidationError([FieldError("key", [f"A record may have at most {bucket.max_files} files."])])
    limit = bucket.quota_bytes - used
    if limit <= 0:
        raise PayloadTooLarge(f"This record has no space left (quota {bucket.quota_bytes} bytes).")
    return UploadTarget(recid=recid, bucket_id=bucket.id, key=key, limit=limit)


def _blob_for(ctx: ServiceContext, uow: UnitOfWork, staged: StagedBlob) -> Blob:
    """The blob row for the staged content, created if these bytes are new."""
    existing = uow.session.scalar(select(Blob).where(Blob.sha256 == staged.sha256))
    storage_key = ctx.files.promote(staged)
    if existing is not None:
        return existing
    blob = Blob(
        id=str(uuid.uuid4()), sha256=staged.sha256, md5=staged.md5, size=staged.size,
        storage_key=storage_key, created_at=ctx.clock.now(),
    )
    try:
        with uow.session.begin_nested():
            uow.session.add(blob)
    except IntegrityError:  # the same bytes committed concurrently by another upload
        found = uow.session.scalar(select(Blob).where(Blob.sha256 == staged.sha256))
        if found is None:
            raise
        return found
    return blob


def attach_upload(
    ctx: ServiceContext, uow: UnitOfWork, identity: Identity, target: UploadTarget, staged: StagedBlob, *, complete: bool
) -> FileRow:
    """Point the file row at the received bytes (checks repeated: the world may have moved)."""
    draft, _parent, _ = load_draft_for(ctx, uow, identity, target.recid, Action.UPDATE_DRAFT, lock=True)
    bucket = _editable_bucket(uow, draft)
    if bucket.id != target.bucket_id:
        raise Conflict("The draft changed while the file was uploading; upload again.")
    used, count = bucket_usage(uow, bucket.id, except_key=target.key)
    if used + staged.size > bucket.quota_bytes:
        raise PayloadTooLarge(f"The upload exceeds the space left for this record ({bucket.quota_bytes - used} bytes).")
    row = _file_row(uow, bucket.id, target.key)
    if row is None:
        if count + 1 > bucket.max_files:
            raise ValidationError([FieldError("key", [f"A record may have at most {bucket.max_files} files."])])
        row = _new_file(ctx, bucket.id, target.key)
        uow.session.add(row)
    blob = _blob_for(ctx, uow, staged)
    row.blob_id = blob.id
    row.status = "completed" if complete else "pending"
    row.updated_at = draft.updated_at = ctx.clock.now()
    uow.flush()
    ctx.changed(uow, "draft", draft.id)
    return row, blob


def commit_file(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, key: str) -> FileRow:
    draft, _parent, _ = load_draft_for(ctx, uow, identity, recid, Action.UPDATE_DRAFT, lock=True)
    bucket = _editable_bucket(uow, draft)
    row = _file_row(uow, bucket.id, check_key(key))
    if row is None:
        raise NotFound(f"No file '{key}' on this draft.")
    if row.blob_id is None:
        raise BadRequest(f"No content was uploaded for '{key}' yet.")
    row.status = "completed"
    row.updated_at = ctx.clock.now()
    ctx.changed(uow, "draft", draft.id)
    blob = uow.session.get(Blob, row.blob_id)
    return row, blob


def delete_file(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, key: str) -> None:
    draft, _parent, _ = load_draft_for(ctx, uow, identity, recid, Action.UPDATE_DRAFT, lock=True)
    bucket = _editable_bucket(uow, draft)
    row = _file_row(uow, bucket.id, check_key(key))
    if row is None:
        raise NotFound(f"No file '{key}' on this draft.")
    uow.session.delete(row)
    draft.updated_at = ctx.clock.now()
    ctx.changed(uow, "draft", draft.id)


def import_files(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> tuple[Draft, list[FileRow]]:
    """Bring the previous version's files into a new-version draft (rows only; bytes shared)."""
    draft, parent, _ = load_draft_for(ctx, uow, identity, recid, Action.UPDATE_DRAFT, lock=True)
    bucket = _editable_bucket(uow, draft)
    if parent.latest_id is None:
        raise BadRequest("There is no previous version to import files from.")
    previous = loading.get_record(uow, parent.latest_id)
    if previous is None:
        raise BadRequest("There is no previous version to import files from.")
    copy_files(ctx, uow, previous.bucket_id, bucket.id)
    draft.updated_at = ctx.clock.now()
    save_revision(uow, draft, actor=identity, action="files-import", now=draft.updated_at)
    uow.flush()
    ctx.changed(uow, "draft", draft.id)
    return draft, bucket_files(uow, bucket.id)


def draft_files(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> tuple[Draft, list[FileRow]]:
    draft, _parent, _ = load_draft_for(ctx, uow, identity, recid, Action.READ_DRAFT)
    return draft, bucket_files(uow, draft.bucket_id)


def draft_file(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, key: str) -> FileRow:
    draft, _parent, _ = load_draft_for(ctx, uow, identity, recid, Action.READ_DRAFT)
    for fo, blob in bucket_files(uow, draft.bucket_id):
        if fo.key == key:
            return fo, blob
    raise NotFound()


def bucket_holders(uow: UnitOfWork, bucket_id: str) -> tuple[int | None, int | None]:
    """Ids of the draft and of the published version that hold ``bucket_id`` (Zenodo's legacy
    ``/api/files/{bucket}`` URLs name buckets). Ids only: callers reach the files through the
    draft and record functions here, which check access. An edit of a published version shares
    its bucket, so both ids can be set."""
    draft = uow.session.scalar(select(Draft.id).where(Draft.bucket_id == bucket_id).limit(1))
    record = uow.session.scalar(select(Record.id).where(Record.bucket_id == bucket_id).limit(1))
    return draft, record


# --- record files ------------------------------------------------------------------------------


def record_files(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> tuple[int, list[FileRow]]:
    """Files of a published version, for whoever may read them; 404 for everyone else."""
    now = ctx.clock.now()
    record = loading.get_record(uow, recid)
    if record is None or record.status != "published":
        raise NotFound()
    parent = loading.get_parent(uow, record.parent_id)
    who = loading.resolve_principal(uow, identity, now)
    loading.require(Action.READ_RECORD, who, record, parent, now)
    loading.require(Action.READ_FILES, who, record, parent, now)
    return record.id, bucket_files(uow, record.bucket_id)


def record_file(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, key: str) -> FileRow:
    _, rows = record_files(ctx, uow, identity, recid)
    for fo, blob in rows:
        if fo.key == key:
            return fo, blob
    raise NotFound()


@dataclass(frozen=True)
class Download:
    key: str
    storage_key: str
    size: int
    md5: str
    sha256: str
    mimetype: str
    private: bool  # restricted or draft content: never cached by shared caches


def download(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, key: str, *, draft: bool) -> Download:
    if draft:
        fo, blob = draft_file(ctx, uow, identity, recid, key)
        private = True
    else:
        fo, blob = record_file(ctx, uow, identity, recid, key)
        record = loading.get_record(uow, recid)
        parent = loading.get_parent(uow, record.parent_id) if record else None
        anonymous = loading.resolve_principal(uow, Identity(), ctx.clock.now())
        private = not (record and parent and loading.can(Action.READ_FILES, anonymous, record, parent, ctx.clock.now()))
    if blob is None:
        raise NotFound(f"No content was uploaded for '{key}' yet.")
    return Download(
        key=fo.key, storage_key=blob.storage_key, size=blob.size, md5=blob.md5, sha256=blob.sha256,
        mimetype=fo.mimetype or guess_mimetype(fo.key), private=private,
    )
