"""Scheduled jobs. Each is idempotent, runs in its own unit of work and records what it did.

The same functions run in the server's in-process runner (embedded) and on Celery (scale-out).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select

from callimachus.core.identity import SYSTEM
from callimachus.db.models import Blob, Draft, FileObject, JobRun, Record
from callimachus.services.context import ServiceContext
from callimachus.services.drafts import save_revision

log = logging.getLogger(__name__)


def _record_run(ctx: ServiceContext, name: str, started: datetime, summary: dict[str, Any]) -> None:
    with ctx.unit_of_work(write=True) as uow:
        uow.session.add(JobRun(name=name, started_at=started, finished_at=ctx.clock.now(), summary=summary))
        uow.commit()


def lift_embargoes(ctx: ServiceContext) -> list[int]:
    """Open every published record whose embargo has ended; return the ids opened.

    The access rule already treats a passed embargo as lifted, so files open on time whatever
    this job's schedule; the job makes it permanent, indexes, and leaves a revision.
    """
    started = ctx.clock.now()
    lifted: list[int] = []
    with ctx.unit_of_work(write=True) as uow:
        due = uow.session.scalars(
            select(Record).where(
                Record.status == "published",
                Record.embargo_until.is_not(None),
                Record.embargo_until <= started,
                or_(Record.access_record == "restricted", Record.access_files == "restricted"),
            ).with_for_update()
        ).all()
        for record in due:
            record.access_record = record.access_files = "public"
            record.updated_at = started
            save_revision(uow, record, actor=SYSTEM, action="lift-embargo", now=started)
            draft = uow.session.get(Draft, record.id)
            if draft is not None and draft.embargo_until is not None and draft.embargo_until <= started:
                draft.access_record = draft.access_files = "public"
            ctx.changed(uow, "record", record.id)
            lifted.append(record.id)
        uow.commit()
    if lifted:
        log.info("embargo lifted on %d record(s): %s", len(lifted), lifted)
    _record_run(ctx, "lift_embargoes", started, {"lifted": lifted})
    return lifted


def collect_orphans(ctx: ServiceContext) -> dict[str, int]:
    """Delete blobs no file row references and stored objects no blob row names, once older than
    the grace period; and unfinished uploads older than it. Never touches a referenced blob."""
    started = ctx.clock.now()
    horizon = started - timedelta(seconds=ctx.settings.orphan_grace_seconds)
    removed_rows = 0
    with ctx.unit_of_work(write=True) as uow:
        orphans = uow.session.scalars(
            select(Blob).where(
                Blob.created_at < horizon,
                ~exists().where(and_(FileObject.blob_id == Blob.id)),
            )
        ).all()
        for blob in orphans:
            uow.session.delete(blob)
            removed_rows += 1
        uow.commit()
    with ctx.unit_of_work() as uow:
        known = set(uow.session.scalars(select(Blob.storage_key)))
    removed_objects = 0
    for key, modified in list(ctx.files.iter_keys()):
        if key in known or modified >= horizon:
            continue
        with ctx.unit_of_work() as uow:  # look again: an upload may have just committed it
            if uow.session.scalar(select(Blob.id).where(Blob.storage_key == key)) is not None:
                continue
        ctx.files.delete(key)
        removed_objects += 1
    staged = ctx.files.clean_staging(horizon)
    summary = {"blob_rows": removed_rows, "stored_objects": removed_objects, "unfinished_uploads": staged}
    _record_run(ctx, "collect_orphans", started, summary)
    return summary
