"""Zenodo's legacy deposit API (``/api/deposit/depositions``) translated onto the draft, file,
record and access services. Every check (permission, validation, quota) is theirs; this module
maps legacy shapes and identifiers onto them and names errors in the client's legacy terms.

A deposition is a draft when the record has one open (new, new version, or an edit of a
published version) and otherwise the published version itself.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from callimachus.core.errors import BadRequest, FieldError, NotFound, PermissionDenied, ValidationError
from callimachus.core.identity import Identity
from callimachus.db.uow import UnitOfWork
from callimachus.formats import legacy
from callimachus.permissions import Action
from callimachus.services import access, drafts, files, loading, records
from callimachus.services.context import ServiceContext
from callimachus.services.render import FileRow, RecordView, record_json

COMMUNITIES = "legacy:communities"  # extension key: communities asked for, until communities exist
# Keys of a deposition a client may send back with its metadata; the server ignores them.
OUTPUT_KEYS = {
    "id", "record_id", "conceptrecid", "doi", "conceptdoi", "doi_url", "links", "files", "state",
    "submitted", "created", "modified", "owner", "title", "recid",
}
NATIVE_ONLY_METADATA = ("additional_titles", "sizes", "formats")
_ENTRY = re.compile(r"^metadata\.[a-z_]+(?:\.features)?\.\d+$")


@dataclass
class Deposition:
    """What a deposition object is built from (see ``formats.zenodo.deposition_json``)."""

    view: RecordView
    native: dict[str, Any]
    access_settings: dict[str, Any]
    communities: list[str]
    prereserved_doi: str
    latest_draft_id: int
    files: list[FileRow] = field(default_factory=list)

    @property
    def bucket_id(self) -> str:
        return self.view.row.bucket_id


def _deposition(ctx: ServiceContext, uow: UnitOfWork, view: RecordView) -> Deposition:
    native = record_json(ctx.site_url, view, ctx.clock.now())
    doi = ((native.get("pids") or {}).get("doi") or {}).get("identifier") or ctx.doi.mint(view.recid)
    latest_draft = view.recid
    if not view.is_draft:
        draft = records.unpublished_draft(uow, view.parent.id)
        latest_draft = draft.id if draft is not None else view.recid
    return Deposition(
        view=view, native=native, access_settings=access.settings_of(view.parent),
        communities=list((view.row.data.get("extensions") or {}).get(COMMUNITIES) or []),
        prereserved_doi=doi, latest_draft_id=latest_draft, files=list(view.files or []),
    )


def _record_for_editor(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> RecordView:
    """A published version as a deposition: visible to those who may edit it (403 for other readers)."""
    view = records.read_record(ctx, uow, identity, recid)
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    if not loading.can(Action.UPDATE_DRAFT, who, view.row, view.parent, now):
        raise PermissionDenied()
    return view


def read_deposition(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> Deposition:
    """The open draft with this id, else the published version."""
    if loading.get_draft(uow, recid) is not None:
        return _deposition(ctx, uow, drafts.read_draft(ctx, uow, identity, recid))
    return _deposition(ctx, uow, _record_for_editor(ctx, uow, identity, recid))


def list_depositions(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, *, page: int, size: int) -> list[Deposition]:
    """The actor's concepts, each by its open draft or latest version (Zenodo: a bare list)."""
    listing = records.user_records(ctx, uow, identity, page=page, size=size)
    return [_deposition(ctx, uow, view) for view in listing.views]


# --- metadata in, errors out -------------------------------------------------------------------


def _legacy_metadata(body: Any) -> Any:
    if not isinstance(body, dict):
        raise ValidationError([FieldError("", ["The request body must be a JSON object."])])
    unknown = sorted(set(body) - OUTPUT_KEYS - {"metadata"})
    if unknown:
        raise ValidationError([FieldError(key, ["Unknown field."]) for key in unknown])
    return body.get("metadata")


def _translated(paths: legacy.PathMap, work: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return work(*args, **kwargs)
    except ValidationError as exc:
        raise ValidationError(paths.errors(exc.errors), exc.message) from None


def _doi_pids(ctx: ServiceContext, wanted: str | None, current: str | None, recid: int | None) -> tuple[dict[str, Any], bool]:
    """``pids`` for the native body, and whether to reserve our DOI.

    A DOI of our own prefix is kept when it is the draft's, reserved when it is the one the draft
    will get (the ``prereserve_doi`` Zenodo shows), and refused otherwise, as Zenodo refuses its own.
    """
    if not wanted:
        return {}, False
    if ctx.doi.is_local(wanted):
        if current and current.lower() == wanted.lower():
            return {"doi": {"identifier": current, "provider": "local"}}, False
        if recid is not None and ctx.doi.mint(recid).lower() == wanted.lower():
            return {}, True
        ctx.doi.check_external(wanted, field="metadata.doi")  # raises: the prefix is ours
    return {"doi": {"identifier": wanted, "provider": "external"}}, False


def _keep_native_only(native_body: dict[str, Any], previous: dict[str, Any], raw: Any, paths: legacy.PathMap) -> None:
    """What the legacy shape cannot express stays as it was: a legacy update replaces what the
    client can see (as Zenodo's full replace does) and no more. List entries sent back unchanged
    keep their full native form (an organisation, several affiliations, award titles, …)."""
    meta, prev = native_body["metadata"], previous.get("metadata") or {}
    for key in NATIVE_ONLY_METADATA:
        if prev.get(key):
            meta[key] = prev[key]
    custom, prev_custom = native_body["custom_fields"], previous.get("custom_fields") or {}
    for group, value in prev_custom.items():
        names = legacy.CUSTOM_GROUPS.get(group)
        kept = value if names is None else {k: v for k, v in value.items() if k not in names}
        if kept:
            custom[group] = {**kept, **custom.get(group, {})} if isinstance(kept, dict) else kept
    native_body["access"]["record"] = (previous.get("access") or {}).get("record", "public")
    licences = [r for r in prev.get("rights") or [] if r.get("id")]
    rights = list(meta.get("rights") or [])
    for right in prev.get("rights") or []:  # Zenodo shows one licence: keep the other rights
        if (not licences or right is not licences[0]) and not any(r.get("id") and r.get("id") == right.get("id") for r in rights):
            rights.append(right)
    if rights:
        meta["rights"] = rights
    shown = set(legacy.NOTE_TYPES.values())  # Zenodo shows the first notes and methods only
    extra = []
    for description in prev.get("additional_descriptions") or []:
        kind = (description.get("type") or {}).get("id")
        if kind in shown:
            shown.discard(kind)
        else:
            extra.append(description)
    for key, kept in (("additional_descriptions", extra), ("languages", (prev.get("languages") or [])[1:])):
        if kept:
            meta[key] = (meta.get(key) or []) + kept
    _reuse_unchanged(native_body, previous, raw, paths)


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _reuse_unchanged(native_body: dict[str, Any], previous: dict[str, Any], raw: Any, new_paths: legacy.PathMap) -> None:
    prev_legacy, prev_paths = legacy.to_legacy(previous)
    native_by_legacy = {lg: nat for nat, lg in prev_paths.entries() if _ENTRY.match(nat)}
    sent = {"metadata": raw}
    for native_path, legacy_path in new_paths.entries():
        source = native_by_legacy.get(legacy_path)
        if source is None or not _ENTRY.match(native_path) or source.split(".")[:-1] != native_path.split(".")[:-1]:
            continue
        if _at(sent, legacy_path) == _at({"metadata": prev_legacy}, legacy_path):
            container, index = native_path.rsplit(".", 1)
            target = _at(native_body, container)
            if isinstance(target, list) and int(index) < len(target):
                target[int(index)] = copy.deepcopy(_at(previous, source))


# --- deposition use-cases ----------------------------------------------------------------------


def _save(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, body: Any, recid: int | None) -> RecordView:
    raw = _legacy_metadata(body)
    wanted = legacy.to_native(raw, today=ctx.clock.now().date().isoformat())
    native_body = wanted.body
    current_doi = None
    if recid is not None:
        previous = record_json(ctx.site_url, drafts.read_draft(ctx, uow, identity, recid), ctx.clock.now())
        _keep_native_only(native_body, previous, raw, wanted.paths)
        current_doi = ((previous.get("pids") or {}).get("doi") or {}).get("identifier")
    pids, reserve = _translated(wanted.paths, _doi_pids, ctx, wanted.doi, current_doi, recid)
    native_body["pids"] = pids
    extensions = {COMMUNITIES: wanted.communities}
    if recid is None:
        view = _translated(wanted.paths, drafts.create_draft, ctx, uow, identity, native_body, extensions=extensions)
    else:
        view = _translated(wanted.paths, drafts.update_draft, ctx, uow, identity, recid, native_body, extensions=extensions)
    if (reserve or wanted.prereserve_doi) and not (view.row.data.get("pids") or {}).get("doi"):
        _translated(wanted.paths, drafts.reserve_doi, ctx, uow, identity, view.recid)
    _apply_access_settings(ctx, uow, identity, view, wanted)
    return drafts.read_draft(ctx, uow, identity, view.recid)


def _apply_access_settings(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, view: RecordView, wanted: legacy.NativeInput) -> None:
    """``access_conditions`` and closed/restricted live in the concept's access settings."""
    current = access.settings_of(view.parent)
    changes: dict[str, Any] = {}
    if (current.get("accept_conditions_text") or None) != wanted.access_conditions:
        changes["accept_conditions_text"] = wanted.access_conditions
    now_closed = legacy.access_right_of({"files": "restricted"}, current) == "closed"
    if (wanted.access_right == "closed") != now_closed and wanted.access_right in ("closed", "restricted"):
        allowed = wanted.access_right == "restricted"
        changes.update(allow_user_requests=allowed, allow_guest_requests=allowed)
    if changes:
        paths = legacy.PathMap()
        paths.add("settings.accept_conditions_text", "metadata.access_conditions")
        paths.add("settings", "metadata.access_right")
        _translated(paths, access.update_settings, ctx, uow, identity, view.recid, {"settings": changes})


def create_deposition(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, body: Any) -> Deposition:
    """A new concept from ``{}`` or ``{"metadata": {…legacy…}}``."""
    return _deposition(ctx, uow, _save(ctx, uow, identity, body, None))


def update_deposition(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, body: Any) -> Deposition:
    """Replace the metadata of an open draft (a published version needs ``edit`` first: 404)."""
    return _deposition(ctx, uow, _save(ctx, uow, identity, body, recid))


def delete_deposition(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> None:
    """Delete a never-published draft, or discard the open edit of a published version."""
    drafts.delete_draft(ctx, uow, identity, recid)


def publish_deposition(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> Deposition:
    try:
        record = drafts.publish_draft(ctx, uow, identity, recid)
    except ValidationError as exc:
        native = record_json(ctx.site_url, drafts.read_draft(ctx, uow, identity, recid), ctx.clock.now())
        _, paths = legacy.to_legacy(native)
        raise ValidationError(paths.errors(exc.errors), exc.message) from None
    return _deposition(ctx, uow, records.read_record(ctx, uow, identity, record.id))


def edit_deposition(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> Deposition:
    return _deposition(ctx, uow, drafts.edit_record(ctx, uow, identity, recid))


def new_version_deposition(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> Deposition:
    """The draft of the next version with the previous version's files, as Zenodo makes it.

    If the concept already has that draft it is returned, unless it holds files: Zenodo then
    answers "Please remove all files first." (clients match on the text).
    """
    view = records.new_version(ctx, uow, identity, recid)
    if view.files:
        raise ValidationError([FieldError("files.enabled", ["Please remove all files first."])])
    if view.row.files_enabled:
        files.import_files(ctx, uow, identity, view.recid)
    return _deposition(ctx, uow, drafts.read_draft(ctx, uow, identity, view.recid))


# --- files ------------------------------------------------------------------------------------


def deposition_file(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, file_id: str) -> tuple[Deposition, FileRow]:
    deposition = read_deposition(ctx, uow, identity, recid)
    for row in deposition.files:
        if row[0].id == file_id:
            return deposition, row
    raise NotFound()


def delete_deposition_file(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, file_id: str) -> None:
    _, rows = files.draft_files(ctx, uow, identity, recid)
    key = next((fo.key for fo, _ in rows if fo.id == file_id), None)
    if key is None:
        raise NotFound()
    files.delete_file(ctx, uow, identity, recid, key)


def bucket_draft(uow: UnitOfWork, bucket_id: str) -> int:
    """The draft whose files a legacy bucket URL changes (access is checked on the upload)."""
    draft, record = files.bucket_holders(uow, bucket_id)
    if draft is None:
        if record is not None:
            raise BadRequest("The files of a published version cannot change; create a new version instead.")
        raise NotFound()
    return draft


def bucket_target(uow: UnitOfWork, bucket_id: str) -> tuple[int, bool]:
    """``(recid, is_draft)`` whose files a bucket URL reads: the published version if there is one."""
    draft, record = files.bucket_holders(uow, bucket_id)
    if record is not None:
        return record, False
    if draft is not None:
        return draft, True
    raise NotFound()


def bucket_listing(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, bucket_id: str) -> tuple[int, bool, list[FileRow]]:
    """``(recid, is_draft, files)`` of a bucket, for whoever may see those files."""
    recid, is_draft = bucket_target(uow, bucket_id)
    rows = files.draft_files(ctx, uow, identity, recid)[1] if is_draft else files.record_files(ctx, uow, identity, recid)[1]
    return recid, is_draft, rows
