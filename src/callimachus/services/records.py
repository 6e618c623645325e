"""Published records: read one, list them, list a user's own work, versions and the latest."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, select

from callimachus.core.clock import as_utc
from callimachus.core.errors import FieldError, Gone, NotFound, PermissionDenied, ValidationError
from callimachus.core.identity import Identity
from callimachus.db.models import Draft, Parent, PersistentIdentifier, Record
from callimachus.db.uow import UnitOfWork
from callimachus.permissions import Action, Principal, SubjectColumns, sql_filter
from callimachus.pids.doi import doi_key
from callimachus.services import loading
from callimachus.services.buckets import bucket_files, new_bucket
from callimachus.services.context import ServiceContext
from callimachus.services.drafts import allocate_recids, draft_view, save_revision
from callimachus.services.render import RecordView

RECORD_COLUMNS = SubjectColumns(
    parent_id=Record.parent_id,
    owner_id=Parent.owner_id,
    published=Record.status == "published",
    access_record=Record.access_record,
    access_files=Record.access_files,
    embargo_until=Record.embargo_until,
    files_enabled=Record.files_enabled,
)


@dataclass
class Page:
    views: list[RecordView]
    total: int
    page: int
    size: int


def record_view(ctx: ServiceContext, uow: UnitOfWork, who: Principal, record: Record, parent: Parent, now: datetime) -> RecordView:
    show_files = record.files_enabled and loading.can(Action.READ_FILES, who, record, parent, now)
    return RecordView(
        row=record,
        parent=parent,
        files=bucket_files(uow, record.bucket_id) if show_files else None,
        is_draft=False,
        oai_domain=ctx.settings.oai_domain,
    )


def load_visible_record(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> tuple[Record, Parent, Principal]:
    now = ctx.clock.now()
    record = loading.get_record(uow, recid)
    if record is None:
        raise NotFound()
    parent = loading.get_parent(uow, record.parent_id)
    if record.status == "deleted":
        raise Gone(tombstone=record.tombstone or {})
    who = loading.resolve_principal(uow, identity, now)
    loading.require(Action.READ_RECORD, who, record, parent, now)
    return record, parent, who


def read_record(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> RecordView:
    record, parent, who = load_visible_record(ctx, uow, identity, recid)
    return record_view(ctx, uow, who, record, parent, ctx.clock.now())


def visible_records(who: Principal, now: datetime) -> Select:
    """Published records the principal may read: the access rule as a SQL filter."""
    return (
        select(Record, Parent)
        .join(Parent, Parent.id == Record.parent_id)
        .where(Record.status == "published", sql_filter(Action.READ_RECORD, who, RECORD_COLUMNS, now))
    )


def _page(ctx: ServiceContext, uow: UnitOfWork, who: Principal, stmt: Select, page: int, size: int, now: datetime) -> Page:
    total = uow.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = uow.session.execute(stmt.limit(size).offset((page - 1) * size)).all()
    views = [record_view(ctx, uow, who, rec, parent, now) for rec, parent in rows]
    return Page(views=views, total=int(total), page=page, size=size)


def list_records(
    ctx: ServiceContext, uow: UnitOfWork, identity: Identity, *, page: int, size: int, all_versions: bool = False
) -> Page:
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    stmt = visible_records(who, now)
    if not all_versions:
        stmt = stmt.where(Parent.latest_id == Record.id)
    stmt = stmt.order_by(Record.published_at.desc(), Record.id.desc())
    return _page(ctx, uow, who, stmt, page, size, now)


def list_versions(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, *, page: int, size: int) -> Page:
    record, parent, who = load_visible_record(ctx, uow, identity, recid)
    now = ctx.clock.now()
    stmt = visible_records(who, now).where(Record.parent_id == parent.id).order_by(Record.version_index.desc())
    return _page(ctx, uow, who, stmt, page, size, now)


def latest_visible_id(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> int:
    """The newest version of ``recid``'s concept the actor may read. ``recid`` may be a concept id."""
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    record = loading.get_record(uow, recid)
    parent_id = record.parent_id if record is not None else recid
    found = uow.session.scalar(
        visible_records(who, now)
        .where(Record.parent_id == parent_id)
        .order_by(Record.version_index.desc())
        .limit(1)
        .with_only_columns(Record.id)
    )
    if found is None:
        raise NotFound()
    return int(found)


def concept_target(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> int | None:
    """For a concept id, the newest version the actor may read (``NotFound`` if none); for any
    other id, ``None``: the caller reads it as a version."""
    if loading.get_record(uow, recid) is not None:
        return None
    return latest_visible_id(ctx, uow, identity, recid)


def unpublished_draft(uow: UnitOfWork, parent_id: int) -> Draft | None:
    """The concept's open draft of a version not yet published (there is at most one). A row, not
    a view: callers show it through the draft services, which check access."""
    return uow.session.scalar(select(Draft).where(Draft.parent_id == parent_id, Draft.is_published.is_(False)))


def new_version(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> RecordView:
    """A draft of the next version: metadata copied from the latest, no files until imported.

    If the concept already has an unpublished draft, that draft is returned.
    """
    record, parent, who = load_visible_record(ctx, uow, identity, recid)
    now = ctx.clock.now()
    if not loading.can(Action.NEW_VERSION, who, record, parent, now):
        raise PermissionDenied()
    parent = loading.get_parent(uow, parent.id, lock=True)
    existing = unpublished_draft(uow, parent.id)
    if existing is not None:
        return draft_view(ctx, uow, existing, parent)
    latest = loading.get_record(uow, parent.latest_id or record.id) or record
    data = copy.deepcopy(latest.data)
    metadata = data.get("metadata") or {}
    for key in ("publication_date", "version"):
        metadata.pop(key, None)
    data.update(metadata=metadata, pids={}, files={"order": [], "default_preview": None})
    (new_id,) = allocate_recids(ctx, uow, 1)
    bucket = new_bucket(ctx, uow)
    uow.flush()
    draft = Draft(
        id=new_id, parent_id=parent.id, is_published=False, version_index=parent.latest_index + 1,
        bucket_id=bucket.id, data=data, access_record=latest.access_record, access_files=latest.access_files,
        embargo_until=None, embargo_reason=None, files_enabled=latest.files_enabled, created_at=now, updated_at=now,
    )
    uow.session.add(draft)
    uow.flush()
    save_revision(uow, draft, actor=identity, action="new-version", now=now)
    ctx.changed(uow, "draft", draft.id)
    return draft_view(ctx, uow, draft, parent)


def user_records(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, *, page: int, size: int) -> Page:
    """The actor's own concepts, each shown by its open draft if any, else its latest version."""
    if identity.user_id is None:
        raise PermissionDenied()
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    if who.user_id is None:
        return Page(views=[], total=0, page=page, size=size)
    base = select(Parent).where(Parent.owner_id == who.user_id)
    total = uow.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    parents = list(uow.session.scalars(base.order_by(Parent.updated_at.desc(), Parent.id.desc()).limit(size).offset((page - 1) * size)))
    views: list[RecordView] = []
    for parent in parents:
        drafts = list(uow.session.scalars(select(Draft).where(Draft.parent_id == parent.id).order_by(Draft.version_index.desc())))
        latest_draft = next((d for d in drafts if not d.is_published or d.id == parent.latest_id), None)
        if latest_draft is not None:
            views.append(draft_view(ctx, uow, latest_draft, parent))
        elif parent.latest_id is not None:
            record = loading.get_record(uow, parent.latest_id)
            if record is not None:
                views.append(record_view(ctx, uow, who, record, parent, now))
    return Page(views=views, total=int(total), page=page, size=size)


def resolve_doi(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, doi: str) -> int:
    """The landing page a DOI leads to: its version, or for a concept DOI the latest version."""
    pid = uow.session.scalar(
        select(PersistentIdentifier).where(
            and_(PersistentIdentifier.scheme == "doi", PersistentIdentifier.value == doi_key(doi.strip()))
        )
    )
    if pid is None or pid.status != "registered":
        raise NotFound()
    if pid.record_id is not None:
        load_visible_record(ctx, uow, identity, pid.record_id)
        return pid.record_id
    assert pid.parent_id is not None
    return latest_visible_id(ctx, uow, identity, pid.parent_id)


def delete_record(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, reason: str, note: str = "") -> Record:
    """Withdraw a published version (administrators only). Its metadata gives way to a public
    tombstone; its DOI keeps resolving to that tombstone; its files are no longer served."""
    record = loading.get_record(uow, recid)
    if record is None:
        raise NotFound()
    if not identity.is_admin:
        raise NotFound() if not identity.user_id else PermissionDenied("Only administrators can delete published records.")
    if record.status == "deleted":
        raise Gone(tombstone=record.tombstone or {})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError([FieldError("removal_reason", ["Say why the record is removed."])])
    now = ctx.clock.now()
    metadata = record.data.get("metadata") or {}
    record.status, record.deleted_at, record.updated_at = "deleted", now, now
    record.tombstone = {
        "removal_reason": {"id": reason},
        "note": note.strip(),
        "removed_by": {"user": str(identity.user_id) if identity.user_id else "system"},
        "removal_date": now.isoformat(),
        "citation_text": str(metadata.get("title") or ""),
        "is_visible": True,
    }
    parent = loading.get_parent(uow, record.parent_id, lock=True)
    if parent.latest_id == record.id:
        previous = uow.session.scalar(
            select(Record.id).where(Record.parent_id == parent.id, Record.status == "published", Record.id != record.id)
            .order_by(Record.version_index.desc()).limit(1)
        )
        parent.latest_id = previous
    parent.updated_at = now
    save_revision(uow, record, actor=identity, action="delete", now=now)
    ctx.changed(uow, "record", record.id)
    ctx.changed(uow, "parent", parent.id)
    return record


def count_visible_records(ctx: ServiceContext, uow: UnitOfWork, identity: Identity) -> int:
    """How many published versions ``identity`` may read (sitemaps ask as the anonymous visitor)."""
    now = ctx.clock.now()
    stmt = visible_records(loading.resolve_principal(uow, identity, now), now)
    return int(uow.session.scalar(select(func.count()).select_from(stmt.with_only_columns(Record.id).subquery())) or 0)


def visible_record_dates(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, *, offset: int, limit: int) -> list[tuple[int, datetime]]:
    """``(recid, updated)`` of the published versions ``identity`` may read, in recid order.

    Only two columns, so that a sitemap page of 50,000 records loads no metadata or files.
    """
    now = ctx.clock.now()
    stmt = visible_records(loading.resolve_principal(uow, identity, now), now)
    rows = uow.session.execute(stmt.with_only_columns(Record.id, Record.updated_at).order_by(Record.id).offset(offset).limit(limit))
    return [(int(recid), as_utc(updated)) for recid, updated in rows]
