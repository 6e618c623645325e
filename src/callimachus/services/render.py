"""Records and drafts as the native JSON (InvenioRDM's shape), already cut to what the actor may see.

This dict is what the API returns for ``application/vnd.inveniordm.v1+json`` and what every
exporter and the search index read, so hidden files never reach any of them.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from callimachus.core.clock import as_utc, isoformat
from callimachus.core.errors import FieldError
from callimachus.db.models import Blob, Draft, FileObject, Parent, Record
from callimachus.services.access_input import access_status, embargo_until_text

FileRow = tuple[FileObject, Blob | None]


@dataclass
class RecordView:
    """One draft or record with what the actor may see of it."""

    row: Draft | Record
    parent: Parent
    files: list[FileRow] | None  # None: the actor may not see the files
    is_draft: bool
    has_record: bool = False  # a draft whose record is already published
    missing: list[FieldError] = field(default_factory=list)
    oai_domain: str = "localhost"

    @property
    def recid(self) -> int:
        return self.row.id


def key_url(key: str) -> str:
    return quote(key, safe="")


def file_extension(key: str) -> str | None:
    if "." not in key.strip("."):
        return None
    return key.rsplit(".", 1)[1].lower() or None


def guess_mimetype(key: str) -> str:
    return mimetypes.guess_type(key, strict=False)[0] or "application/octet-stream"


def file_entry_json(site: str, recid: int, fo: FileObject, blob: Blob | None, *, draft: bool) -> dict[str, Any]:
    base = f"{site}/api/records/{recid}/{'draft/' if draft else ''}files/{key_url(fo.key)}"
    entry: dict[str, Any] = {
        "id": fo.id,
        "key": fo.key,
        "status": fo.status,
        "created": isoformat(fo.created_at),
        "updated": isoformat(fo.updated_at),
        "mimetype": fo.mimetype or guess_mimetype(fo.key),
        "ext": file_extension(fo.key),
        "metadata": fo.file_metadata or {},
        "bucket_id": fo.bucket_id,
        "version_id": fo.id,
        "storage_class": "L",
        "links": {"self": base, "content": f"{base}/content"},
    }
    if draft:
        entry["links"]["commit"] = f"{base}/commit"
    if blob is not None:
        entry.update(checksum=f"md5:{blob.md5}", size=blob.size, file_id=blob.id)
    return entry


def files_json(site: str, view: RecordView) -> dict[str, Any]:
    data = view.row.data.get("files") or {}
    out: dict[str, Any] = {"enabled": view.row.files_enabled}
    if view.files is None:
        return out
    entries = {
        fo.key: file_entry_json(site, view.recid, fo, blob, draft=view.is_draft) for fo, blob in view.files
    }
    out.update(
        count=len(entries),
        total_bytes=sum(blob.size for _, blob in view.files if blob is not None),
        order=list(data.get("order") or []),
        default_preview=data.get("default_preview"),
        entries=entries,
    )
    return out


def _doi_block(pid: dict[str, Any] | None) -> dict[str, Any] | None:
    if not pid or not pid.get("identifier"):
        return None
    return {"identifier": pid["identifier"], "provider": pid.get("provider", "local"), "client": None}


def _links(site: str, view: RecordView) -> dict[str, str]:
    recid, parent = view.recid, view.parent
    api = f"{site}/api/records/{recid}"
    links = {
        "self": f"{api}/draft" if view.is_draft else api,
        "self_html": f"{site}/uploads/{recid}" if view.is_draft else f"{site}/records/{recid}",
        "parent": f"{site}/api/records/{parent.id}",
        "parent_html": f"{site}/records/{parent.id}",
        "versions": f"{api}/versions",
        "latest": f"{api}/versions/latest",
        "latest_html": f"{site}/records/{recid}/latest",
        "files": f"{api}/draft/files" if view.is_draft else f"{api}/files",
        "access_links": f"{api}/access/links",
        "access_grants": f"{api}/access/grants",
        "access": f"{api}/access",
        "access_request": f"{api}/access/request",
    }
    if view.is_draft:
        links.update(
            publish=f"{api}/draft/actions/publish",
            reserve_doi=f"{api}/draft/pids/doi",
            files_import=f"{api}/draft/actions/files-import",
            preview_html=f"{site}/records/{recid}?preview=1",
        )
        if view.has_record:
            links.update(record=api, record_html=f"{site}/records/{recid}")
    else:
        links.update(draft=f"{api}/draft", archive=f"{api}/files-archive")
    doi = (view.row.data.get("pids") or {}).get("doi") or {}
    if doi.get("identifier"):
        links.update(doi=f"https://doi.org/{doi['identifier']}", self_doi=f"https://doi.org/{doi['identifier']}")
    if parent.doi:
        links["parent_doi"] = f"https://doi.org/{parent.doi}"
    return links


def _status(view: RecordView) -> str:
    if not view.is_draft:
        return "published" if isinstance(view.row, Record) and view.row.status == "published" else "deleted"
    if view.has_record:
        return "published"
    return "new_version_draft" if view.row.version_index > 1 else "draft"


def access_json(row: Draft | Record, now: datetime) -> dict[str, Any]:
    until = as_utc(row.embargo_until) if row.embargo_until else None
    return {
        "record": row.access_record,
        "files": row.access_files,
        "embargo": {
            "active": bool(until and until > now),
            "until": embargo_until_text(until),
            "reason": row.embargo_reason,
        },
        "status": access_status(row.access_record, row.access_files, until, row.files_enabled, now),
    }


def record_json(site: str, view: RecordView, now: datetime) -> dict[str, Any]:
    row, parent = view.row, view.parent
    pids: dict[str, Any] = {}
    doi = _doi_block((row.data.get("pids") or {}).get("doi"))
    if doi:
        pids["doi"] = doi
    if not view.is_draft:
        pids["oai"] = {"identifier": f"oai:{view.oai_domain}:{row.id}", "provider": "oai"}
    parent_json: dict[str, Any] = {
        "id": str(parent.id),
        "access": {"owned_by": {"user": str(parent.owner_id)}},
        "communities": {"ids": [], "default": None},
        "pids": {"doi": _doi_block({"identifier": parent.doi})} if parent.doi else {},
    }
    is_latest = parent.latest_id == row.id
    out: dict[str, Any] = {
        "id": str(row.id),
        "created": isoformat(row.created_at),
        "updated": isoformat(row.updated_at),
        "revision_id": row.revision_id,
        "is_published": view.has_record or not view.is_draft,
        "is_draft": view.is_draft,
        "status": _status(view),
        "pids": pids,
        "parent": parent_json,
        "versions": {"index": row.version_index, "is_latest": is_latest, "is_latest_draft": view.is_draft or is_latest},
        "access": access_json(row, now),
        "files": files_json(site, view),
        "metadata": row.data.get("metadata") or {},
        "custom_fields": row.data.get("custom_fields") or {},
        "links": _links(site, view),
    }
    if view.is_draft and view.missing:
        out["errors"] = [e.as_dict() for e in view.missing]
    return out
