"""Buckets and their file rows: the queries drafts, records and uploads share."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select

from callimachus.db.models import Blob, Bucket, FileObject
from callimachus.db.uow import UnitOfWork
from callimachus.services.context import ServiceContext
from callimachus.services.render import FileRow


def new_bucket(ctx: ServiceContext, uow: UnitOfWork) -> Bucket:
    bucket = Bucket(
        id=str(uuid.uuid4()),
        quota_bytes=ctx.settings.max_record_bytes,
        max_files=ctx.settings.max_record_files,
        locked=False,
        created_at=ctx.clock.now(),
    )
    uow.session.add(bucket)
    return bucket


def bucket_files(uow: UnitOfWork, bucket_id: str) -> list[FileRow]:
    rows = uow.session.execute(
        select(FileObject, Blob)
        .outerjoin(Blob, Blob.id == FileObject.blob_id)
        .where(FileObject.bucket_id == bucket_id)
        .order_by(FileObject.key)
    )
    return [(fo, blob) for fo, blob in rows]


def bucket_usage(uow: UnitOfWork, bucket_id: str, *, except_key: str | None = None) -> tuple[int, int]:
    """Bytes held and number of files in a bucket (optionally leaving one key out)."""
    stmt = (
        select(func.coalesce(func.sum(Blob.size), 0), func.count(FileObject.id))
        .select_from(FileObject)
        .outerjoin(Blob, Blob.id == FileObject.blob_id)
        .where(FileObject.bucket_id == bucket_id)
    )
    if except_key is not None:
        stmt = stmt.where(FileObject.key != except_key)
    total, count = uow.session.execute(stmt).one()
    return int(total), int(count)


def copy_files(ctx: ServiceContext, uow: UnitOfWork, source: str, target: str) -> int:
    """Give ``target`` a row for every completed file of ``source``: same blobs, no byte copied."""
    now = ctx.clock.now()
    copied = 0
    existing = set(uow.session.scalars(select(FileObject.key).where(FileObject.bucket_id == target)))
    for fo, blob in bucket_files(uow, source):
        if blob is None or fo.status != "completed" or fo.key in existing:
            continue
        uow.session.add(
            FileObject(
                id=str(uuid.uuid4()),
                bucket_id=target,
                key=fo.key,
                blob_id=blob.id,
                status="completed",
                mimetype=fo.mimetype,
                file_metadata=dict(fo.file_metadata or {}),
                created_at=now,
                updated_at=now,
            )
        )
        copied += 1
    return copied


def drop_bucket(uow: UnitOfWork, bucket_id: str) -> None:
    """Remove a bucket and its rows; blobs stay until orphan collection decides."""
    uow.session.execute(delete(FileObject).where(FileObject.bucket_id == bucket_id))
    uow.session.execute(delete(Bucket).where(Bucket.id == bucket_id))
