"""Drafts: create, save, discard, edit a published record, reserve a DOI, publish."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from callimachus.core.clock import as_utc
from callimachus.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationError
from callimachus.core.identity import Identity
from callimachus.db.models import (
    Bucket,
    Draft,
    Parent,
    PersistentIdentifier,
    RecidSequence,
    Record,
    Revision,
)
from callimachus.db.uow import UnitOfWork
from callimachus.metadata.validation import missing_for_publish
from callimachus.permissions import Action, Principal
from callimachus.pids.doi import doi_key
from callimachus.services import loading
from callimachus.services.buckets import bucket_files, drop_bucket, new_bucket
from callimachus.services.context import ServiceContext
from callimachus.services.draft_input import DraftInput, parse_draft_input
from callimachus.services.render import RecordView

NEW_CONCEPT_LOCK = 7_331_001  # advisory lock id: a new concept gets N and its first version N+1


# --- helpers shared with versions and files -----------------------------------------------------


def allocate_recids(ctx: ServiceContext, uow: UnitOfWork, count: int) -> list[int]:
    """Take ``count`` consecutive ids from the one recid sequence."""
    if ctx.db.dialect == "postgresql":
        uow.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": NEW_CONCEPT_LOCK})
    ids = []
    for _ in range(count):
        row = RecidSequence(created_at=ctx.clock.now())
        uow.session.add(row)
        uow.flush()
        ids.append(row.id)
    return ids


def save_revision(uow: UnitOfWork, row: Draft | Record, *, actor: Identity, action: str, now: datetime) -> None:
    """Keep the full state of ``row`` as a new revision, numbered per (recid, kind)."""
    kind = "draft" if isinstance(row, Draft) else "record"
    last = uow.session.scalar(
        select(func.max(Revision.revision_id)).where(Revision.recid == row.id, Revision.kind == kind)
    )
    row.revision_id = (last or 0) + 1
    state = {
        "data": copy.deepcopy(row.data),
        "access": {
            "record": row.access_record,
            "files": row.access_files,
            "embargo_until": row.embargo_until.isoformat() if row.embargo_until else None,
            "embargo_reason": row.embargo_reason,
        },
        "files_enabled": row.files_enabled,
        "version_index": row.version_index,
        "parent_id": row.parent_id,
    }
    uow.session.add(
        Revision(
            recid=row.id,
            kind=kind,
            revision_id=row.revision_id,
            actor_id=actor.user_id,
            action=action,
            created_at=now,
            data=state,
        )
    )


def draft_view(ctx: ServiceContext, uow: UnitOfWork, draft: Draft, parent: Parent) -> RecordView:
    data = draft.data
    missing = missing_for_publish(
        data.get("metadata") or {}, data.get("custom_fields") or {}, licence_required=False
    )
    return RecordView(
        row=draft,
        parent=parent,
        files=bucket_files(uow, draft.bucket_id),
        is_draft=True,
        has_record=draft.is_published,
        missing=missing,
        oai_domain=ctx.settings.oai_domain,
    )


def _require_user(identity: Identity) -> int:
    if identity.user_id is None:
        raise PermissionDenied()
    return identity.user_id


def authorize_draft(
    ctx: ServiceContext, uow: UnitOfWork, identity: Identity, draft: Draft, action: Action, *, lock: bool = False
) -> tuple[Parent, Principal]:
    """404 for whoever may not see the draft; 403 for whoever sees it but may not do ``action``."""
    now = ctx.clock.now()
    parent = loading.get_parent(uow, draft.parent_id, lock=lock)
    who = loading.resolve_principal(uow, identity, now)
    loading.require(Action.READ_DRAFT, who, draft, parent, now)
    if action != Action.READ_DRAFT and not loading.can(action, who, draft, parent, now):
        raise PermissionDenied()
    return parent, who


def load_draft_for(
    ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, action: Action, *, lock: bool = False
) -> tuple[Draft, Parent, Principal]:
    draft = loading.get_draft(uow, recid, lock=lock)
    if draft is None:
        raise NotFound()
    parent, who = authorize_draft(ctx, uow, identity, draft, action, lock=lock)
    return draft, parent, who


# --- applying input ----------------------------------------------------------------------------


def _apply_access(row: Draft, parsed: DraftInput) -> None:
    row.access_record = parsed.access.record
    row.access_files = parsed.access.files
    row.embargo_until = parsed.access.embargo_until
    row.embargo_reason = parsed.access.embargo_reason


def _set_external_doi(ctx: ServiceContext, uow: UnitOfWork, draft: Draft, doi: str) -> None:
    existing = uow.session.scalar(
        select(PersistentIdentifier).where(PersistentIdentifier.scheme == "doi", PersistentIdentifier.value == doi_key(doi))
    )
    if existing is not None and existing.record_id != draft.id:
        raise ValidationError([FieldError("pids.doi.identifier", [f"The DOI {doi} is already in use."])])
    if existing is None:
        uow.session.add(
            PersistentIdentifier(
                scheme="doi", value=doi_key(doi), display=doi, record_id=draft.id, parent_id=None,
                provider="external", status="reserved", created_at=ctx.clock.now(),
            )
        )


def _drop_unregistered_dois(uow: UnitOfWork, recid: int, keep: str | None = None) -> None:
    stmt = delete(PersistentIdentifier).where(
        PersistentIdentifier.scheme == "doi",
        PersistentIdentifier.record_id == recid,
        PersistentIdentifier.status == "reserved",
    )
    if keep is not None:
        stmt = stmt.where(PersistentIdentifier.value != doi_key(keep))
    uow.session.execute(stmt)


def _apply_doi(ctx: ServiceContext, uow: UnitOfWork, draft: Draft, parsed: DraftInput) -> dict[str, Any] | None:
    current = (draft.data.get("pids") or {}).get("doi")
    if draft.is_published:
        wanted = parsed.doi.external or parsed.doi.keep_local
        if wanted and current and doi_key(wanted) != doi_key(current["identifier"]):
            raise ValidationError([FieldError("pids.doi", ["The DOI of a published record cannot change."])])
        return current
    if parsed.doi.external:
        _drop_unregistered_dois(uow, draft.id, keep=parsed.doi.external)
        uow.flush()
        _set_external_doi(ctx, uow, draft, parsed.doi.external)
        return {"identifier": parsed.doi.external, "provider": "external"}
    if current and current.get("provider") == "local" and parsed.doi.keep_local is not None:
        return current
    if current and current.get("provider") == "external" and parsed.doi.keep_local is None:
        _drop_unregistered_dois(uow, draft.id)
        return None
    return current if current and current.get("provider") == "local" else None


def _apply_extensions(data: dict[str, Any], extensions: dict[str, Any] | None) -> None:
    """Values an API keeps beside the record model (the legacy API's requested communities, until
    communities exist). An entry set to None or empty is removed; the rest travel with the data
    through edits, new versions and publication, and are never rendered in the native JSON."""
    if extensions is None:
        return
    merged = {**(data.get("extensions") or {}), **extensions}
    data["extensions"] = {k: v for k, v in merged.items() if v not in (None, "", [], {})}


def _apply_input(
    ctx: ServiceContext, uow: UnitOfWork, draft: Draft, parsed: DraftInput, now: datetime,
    extensions: dict[str, Any] | None = None,
) -> None:
    if parsed.files_enabled is not None and parsed.files_enabled != draft.files_enabled:
        if draft.is_published:
            raise ValidationError([FieldError("files.enabled", ["Files of a published version cannot change; create a new version."])])
        if not parsed.files_enabled and bucket_files(uow, draft.bucket_id):
            raise ValidationError([FieldError("files.enabled", ["Please remove all files first."])])
        draft.files_enabled = parsed.files_enabled
    doi = _apply_doi(ctx, uow, draft, parsed)
    data = dict(draft.data)
    data["metadata"] = parsed.metadata
    data["custom_fields"] = parsed.custom_fields
    data["pids"] = {"doi": doi} if doi else {}
    _apply_extensions(data, extensions)
    draft.data = data
    _apply_access(draft, parsed)
    draft.updated_at = now


# --- use-cases -----------------------------------------------------------------------------


def create_draft(
    ctx: ServiceContext, uow: UnitOfWork, identity: Identity, body: Any, *, extensions: dict[str, Any] | None = None
) -> RecordView:
    """A new concept and its first draft: the concept gets recid N, the draft N+1."""
    owner = _require_user(identity)
    now = ctx.clock.now()
    parsed = parse_draft_input(body if body is not None else {}, now, ctx.doi)
    parent_id, recid = allocate_recids(ctx, uow, 2)
    parent = Parent(id=parent_id, owner_id=owner, latest_index=0, access_settings={}, created_at=now, updated_at=now)
    bucket = new_bucket(ctx, uow)
    uow.session.add(parent)
    uow.flush()
    draft = Draft(
        id=recid, parent_id=parent_id, is_published=False, version_index=1, bucket_id=bucket.id,
        data={"files": {"order": [], "default_preview": None}}, files_enabled=True,
        created_at=now, updated_at=now,
    )
    uow.session.add(draft)
    uow.flush()
    _apply_input(ctx, uow, draft, parsed, now, extensions)
    save_revision(uow, draft, actor=identity, action="create", now=now)
    ctx.changed(uow, "draft", draft.id)
    return draft_view(ctx, uow, draft, parent)


def read_draft(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> RecordView:
    draft, parent, _ = load_draft_for(ctx, uow, identity, recid, Action.READ_DRAFT)
    return draft_view(ctx, uow, draft, parent)


def update_draft(
    ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, body: Any, *,
    extensions: dict[str, Any] | None = None,
) -> RecordView:
    draft, parent, _ = load_draft_for(ctx, uow, identity, recid, Action.UPDATE_DRAFT, lock=True)
    now = ctx.clock.now()
    parsed = parse_draft_input(body, now, ctx.doi)
    _apply_input(ctx, uow, draft, parsed, now, extensions)
    save_revision(uow, draft, actor=identity, action="update", now=now)
    ctx.changed(uow, "draft", draft.id)
    return draft_view(ctx, uow, draft, parent)


def delete_draft(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> None:
    """Discard an edit, or delete a never-published draft with its files and reserved DOIs."""
    draft, parent, _ = load_draft_for(ctx, uow, identity, recid, Action.DELETE_DRAFT, lock=True)
    now = ctx.clock.now()
    save_revision(uow, draft, actor=identity, action="discard", now=now)
    uow.session.delete(draft)
    uow.flush()
    ctx.changed(uow, "draft-removed", recid)
    if draft.is_published:
        return
    _drop_unregistered_dois(uow, recid)
    drop_bucket(uow, draft.bucket_id)
    has_versions = uow.session.scalar(select(func.count(Record.id)).where(Record.parent_id == parent.id))
    if not has_versions:
        uow.session.execute(delete(PersistentIdentifier).where(PersistentIdentifier.parent_id == parent.id))
        uow.session.delete(parent)


def edit_record(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> RecordView:
    """Open a draft of a published version (metadata only); return the open one if it exists."""
    now = ctx.clock.now()
    record = loading.get_record(uow, recid)
    if record is None or record.status != "published":
        raise NotFound()
    parent = loading.get_parent(uow, record.parent_id)
    who = loading.resolve_principal(uow, identity, now)
    loading.require(Action.READ_RECORD, who, record, parent, now)
    if not loading.can(Action.UPDATE_DRAFT, who, record, parent, now):
        raise PermissionDenied()
    draft = loading.get_draft(uow, recid)
    if draft is None:
        draft = Draft(
            id=record.id, parent_id=record.parent_id, is_published=True, version_index=record.version_index,
            bucket_id=record.bucket_id, data=copy.deepcopy(record.data),
            access_record=record.access_record, access_files=record.access_files,
            embargo_until=record.embargo_until, embargo_reason=record.embargo_reason,
            files_enabled=record.files_enabled, created_at=now, updated_at=now,
        )
        uow.session.add(draft)
        uow.flush()
        save_revision(uow, draft, actor=identity, action="edit", now=now)
        ctx.changed(uow, "draft", draft.id)
    return draft_view(ctx, uow, draft, parent)


def reserve_doi(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> RecordView:
    draft, parent, _ = load_draft_for(ctx, uow, identity, recid, Action.UPDATE_DRAFT, lock=True)
    current = (draft.data.get("pids") or {}).get("doi")
    if current and current.get("provider") == "external":
        raise ValidationError([FieldError("pids.doi", ["This draft has an external DOI; remove it before reserving one."])])
    if not current:
        doi = ctx.doi.mint(draft.id)
        now = ctx.clock.now()
        uow.session.add(
            PersistentIdentifier(
                scheme="doi", value=doi_key(doi), display=doi, record_id=draft.id, provider="local",
                status="reserved", created_at=now,
            )
        )
        draft.data = {**draft.data, "pids": {"doi": {"identifier": doi, "provider": "local"}}}
        draft.updated_at = now
        save_revision(uow, draft, actor=identity, action="reserve-doi", now=now)
        ctx.changed(uow, "draft", draft.id)
    return draft_view(ctx, uow, draft, parent)


def discard_doi(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> RecordView:
    draft, parent, _ = load_draft_for(ctx, uow, identity, recid, Action.UPDATE_DRAFT, lock=True)
    if draft.is_published:
        raise ValidationError([FieldError("pids.doi", ["The DOI of a published record cannot be removed."])])
    _drop_unregistered_dois(uow, recid)
    now = ctx.clock.now()
    draft.data = {**draft.data, "pids": {}}
    draft.updated_at = now
    save_revision(uow, draft, actor=identity, action="discard-doi", now=now)
    ctx.changed(uow, "draft", draft.id)
    return draft_view(ctx, uow, draft, parent)


# --- publishing ----------------------------------------------------------------------------


def publish_problems(ctx: ServiceContext, uow: UnitOfWork, draft: Draft, now: datetime) -> list[FieldError]:
    """Everything that stands between this draft and publication, all at once."""
    data = draft.data
    until = as_utc(draft.embargo_until) if draft.embargo_until else None
    licence_required = draft.files_enabled and (draft.access_files == "public" or until is not None)
    problems = missing_for_publish(
        data.get("metadata") or {}, data.get("custom_fields") or {}, licence_required=licence_required
    )
    if until is not None and until <= now and not draft.is_published:
        problems.append(FieldError("access.embargo.until", ["The embargo end date must be in the future."]))
    files = bucket_files(uow, draft.bucket_id)
    if draft.files_enabled and not files:
        problems.append(
            FieldError("files.enabled", ["Missing uploaded files. To disable files for this record please mark it as metadata-only."])
        )
    if not draft.files_enabled and files:
        problems.append(FieldError("files.enabled", ["A metadata-only record cannot have files; remove them first."]))
    for fo, blob in files:
        if fo.status != "completed" or blob is None:
            problems.append(FieldError(f"files.entries.{fo.key}", ["The upload of this file is not completed."]))
    return problems


def check_publish(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> list[FieldError]:
    """What publishing this draft would refuse, without publishing (the deposit form's check)."""
    draft, _parent, _ = load_draft_for(ctx, uow, identity, recid, Action.READ_DRAFT)
    return publish_problems(ctx, uow, draft, ctx.clock.now())


def _register_doi(ctx: ServiceContext, uow: UnitOfWork, draft: Draft) -> dict[str, Any]:
    current = (draft.data.get("pids") or {}).get("doi")
    if current:
        uow.session.execute(
            update(PersistentIdentifier)
            .where(PersistentIdentifier.scheme == "doi", PersistentIdentifier.value == doi_key(current["identifier"]))
            .values(status="registered")
        )
        return dict(current)
    doi = ctx.doi.mint(draft.id)
    uow.session.add(
        PersistentIdentifier(
            scheme="doi", value=doi_key(doi), display=doi, record_id=draft.id, provider="local",
            status="registered", created_at=ctx.clock.now(),
        )
    )
    return {"identifier": doi, "provider": "local"}


def _mint_concept_doi(ctx: ServiceContext, uow: UnitOfWork, parent: Parent) -> None:
    if parent.doi:
        return
    doi = ctx.doi.mint(parent.id)
    uow.session.add(
        PersistentIdentifier(
            scheme="doi", value=doi_key(doi), display=doi, parent_id=parent.id, provider="local",
            status="registered", created_at=ctx.clock.now(),
        )
    )
    parent.doi = doi


def _record_data(ctx: ServiceContext, draft: Draft, doi: dict[str, Any] | None) -> dict[str, Any]:
    data = copy.deepcopy(draft.data)
    metadata = data.setdefault("metadata", {})
    metadata.setdefault("publisher", ctx.settings.site_name)
    if doi is not None:
        data["pids"] = {"doi": doi}
    return data


def _publish_new_version(ctx: ServiceContext, uow: UnitOfWork, draft: Draft, parent: Parent, now: datetime) -> Record:
    if draft.version_index != parent.latest_index + 1:
        raise Conflict(f"Version {draft.version_index} cannot follow version {parent.latest_index}.")
    doi = _register_doi(ctx, uow, draft)
    _mint_concept_doi(ctx, uow, parent)
    bucket = uow.session.get(Bucket, draft.bucket_id)
    if bucket is not None:
        bucket.locked = True
    record = Record(
        id=draft.id, parent_id=parent.id, version_index=draft.version_index, bucket_id=draft.bucket_id,
        data=_record_data(ctx, draft, doi), access_record=draft.access_record, access_files=draft.access_files,
        embargo_until=draft.embargo_until, embargo_reason=draft.embargo_reason, files_enabled=draft.files_enabled,
        status="published", created_at=draft.created_at, updated_at=now, published_at=now,
    )
    uow.session.add(record)
    parent.latest_id, parent.latest_index, parent.updated_at = record.id, record.version_index, now
    return record


def _publish_edit(ctx: ServiceContext, uow: UnitOfWork, draft: Draft, now: datetime) -> Record:
    record = loading.get_record(uow, draft.id)
    if record is None:
        raise RuntimeError(f"draft {draft.id} claims a published record that does not exist")
    record.data = _record_data(ctx, draft, (record.data.get("pids") or {}).get("doi"))
    record.access_record, record.access_files = draft.access_record, draft.access_files
    record.embargo_until, record.embargo_reason = draft.embargo_until, draft.embargo_reason
    record.updated_at = now
    return record


def publish_draft(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> Record:
    """Publish in one transaction: a record with its DOI, or, on any problem, still a draft."""
    now = ctx.clock.now()
    draft = loading.get_draft(uow, recid, lock=True)
    if draft is None:
        record = loading.get_record(uow, recid)
        if record is not None:
            parent = loading.get_parent(uow, record.parent_id)
            if loading.can(Action.READ_RECORD, loading.resolve_principal(uow, identity, now), record, parent, now):
                raise NotFound(f"Record {recid} is already published and has no draft to publish; edit it first.")
        raise NotFound()
    parent, _ = authorize_draft(ctx, uow, identity, draft, Action.PUBLISH, lock=True)
    problems = publish_problems(ctx, uow, draft, now)
    if problems:
        raise ValidationError(problems)
    if draft.is_published:
        record = _publish_edit(ctx, uow, draft, now)
    else:
        record = _publish_new_version(ctx, uow, draft, parent, now)
    uow.session.delete(draft)
    try:
        uow.flush()
    except IntegrityError as exc:
        raise Conflict("Publishing would break a uniqueness rule (DOI or version); nothing was published.") from exc
    save_revision(uow, record, actor=identity, action="publish", now=now)
    ctx.changed(uow, "draft-removed", record.id)
    # Every version of the concept changes (which one is the latest, the concept DOI).
    ctx.changed(uow, "parent", record.parent_id)
    return record
