"""Zenodo's JSON shapes, built from the native record JSON (``services/render.record_json``).

- :func:`zenodo_record_json`: what zenodo.org serves for ``GET /api/records/{id}`` with
  ``Accept: application/json`` (files as a list, ``recid``/``conceptrecid``, legacy metadata
  with ``resource_type``, ``license`` and ``relations``).
- :func:`deposition_json`: the legacy deposit API's deposition object.
- :func:`deposition_file_json`, :func:`files_rest_object`, :func:`bucket_json`: file objects of
  the deposit API and of Zenodo's Files-REST bucket URLs.

Pure functions; the site URL is taken from the record's own links or passed in.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from callimachus.formats.legacy import FUNDER_DOI_BY_ROR, FUNDERS, to_legacy

# Zenodo counts views and downloads; Callimachus does not count them yet, so they read 0.
STATS_KEYS = (
    "downloads", "unique_downloads", "views", "unique_views", "volume", "version_downloads",
    "version_unique_downloads", "version_unique_views", "version_views", "version_volume",
)
_GROUPS = {  # Zenodo record JSON groups: name → (custom field, sub-keys)
    "journal": ("journal:journal", ("title", "volume", "issue", "pages")),
    "meeting": ("meeting:meeting", ("title", "acronym", "dates", "place", "url", "session", "session_part")),
    "part_of": ("imprint:imprint", ("title", "pages")),
}


def site_of(record: dict[str, Any]) -> str:
    """The site URL, from the record's ``links.self`` (``{site}/api/records/…``)."""
    self_link = str((record.get("links") or {}).get("self") or "")
    return self_link.split("/api/", 1)[0]


def _doi(record: dict[str, Any]) -> str | None:
    return ((record.get("pids") or {}).get("doi") or {}).get("identifier")


def _concept_doi(record: dict[str, Any]) -> str | None:
    return (((record.get("parent") or {}).get("pids") or {}).get("doi") or {}).get("identifier")


def _owner(record: dict[str, Any]) -> int | None:
    user = (((record.get("parent") or {}).get("access") or {}).get("owned_by") or {}).get("user")
    return int(user) if user is not None and str(user).isdigit() else None


def _state(record: dict[str, Any]) -> tuple[str, bool]:
    published = bool(record.get("is_published"))
    if not published:
        return "unsubmitted", False
    return ("inprogress" if record.get("is_draft") else "done"), True


def _entries(record: dict[str, Any]) -> list[dict[str, Any]]:
    """File entries with content, in the record's file order (then by key)."""
    files = record.get("files") or {}
    entries = files.get("entries") or {}
    order = [k for k in files.get("order") or [] if k in entries]
    keys = order + sorted(k for k in entries if k not in order)
    return [entries[k] for k in keys if entries[k].get("checksum")]


def _common(record: dict[str, Any]) -> dict[str, Any]:
    """Keys the deposition and the record JSON share."""
    doi, concept_doi = _doi(record), _concept_doi(record)
    state, submitted = _state(record)
    out: dict[str, Any] = {
        "created": record.get("created"),
        "modified": record.get("updated"),
        "id": int(record["id"]),
        "conceptrecid": str((record.get("parent") or {}).get("id") or ""),
        "title": (record.get("metadata") or {}).get("title") or "",
        "owner": _owner(record),
        "state": state,
        "submitted": submitted,
    }
    if doi:
        out.update(doi=doi, doi_url=f"https://doi.org/{doi}")
    if concept_doi:
        out["conceptdoi"] = concept_doi
    return out


# --- record JSON -------------------------------------------------------------------------------


def _grant(funding: dict[str, Any]) -> dict[str, Any] | None:
    award, funder = funding.get("award") or {}, funding.get("funder") or {}
    number = award.get("number") or str(award.get("id") or "").rsplit("::", 1)[-1]
    funder_doi = FUNDER_DOI_BY_ROR.get(funder.get("id") or "") or (
        funder.get("name") if str(funder.get("name") or "").startswith("10.13039/") else None
    )
    if not number:
        return None
    grant: dict[str, Any] = {"code": number, "funder": {"name": FUNDERS.get(funder_doi or "", ("", funder.get("name")))[1]}}
    if funder_doi:
        grant["internal_id"] = f"{funder_doi}::{number}"
        grant["funder"]["doi"] = funder_doi
    title = (award.get("title") or {}).get("en")
    grant.update({k: v for k, v in (("title", title), ("acronym", award.get("acronym"))) if v})
    return grant


def _zenodo_metadata(record: dict[str, Any]) -> dict[str, Any]:
    legacy, _ = to_legacy(record)
    native = record.get("metadata") or {}
    custom = record.get("custom_fields") or {}
    out = {k: v for k, v in legacy.items() if not k.startswith(("journal_", "conference_", "imprint_", "partof_", "thesis_"))}
    for key in ("upload_type", "publication_type", "image_type", "grants", "license"):
        out.pop(key, None)
    kind = native.get("resource_type") or {}
    if kind.get("id"):
        rtype, _, subtype = str(kind["id"]).partition("-")
        out["resource_type"] = {"title": (kind.get("title") or {}).get("en", ""), "type": rtype, **({"subtype": subtype} if subtype else {})}
    if legacy.get("license"):
        out["license"] = {"id": legacy["license"]}
    related = [r for r in legacy.get("related_identifiers") or [] if r.get("relation") != "isAlternateIdentifier"]
    alternate = [{k: v for k, v in r.items() if k != "relation"} for r in legacy.get("related_identifiers") or [] if r not in related]
    out.pop("related_identifiers", None)
    out.update({k: v for k, v in (("related_identifiers", related), ("alternate_identifiers", alternate)) if v})
    grants = [g for g in (_grant(f) for f in native.get("funding") or []) if g]
    if grants:
        out["grants"] = grants
    for name, (key, subs) in _GROUPS.items():
        values = {s: (custom.get(key) or {})[s] for s in subs if (custom.get(key) or {}).get(s)}
        if values:
            out[name] = values
    imprint = {"publisher": native.get("publisher"), **{k: (custom.get("imprint:imprint") or {}).get(k) for k in ("place", "isbn")}}
    if any(imprint.values()):
        out["imprint"] = {k: v for k, v in imprint.items() if v}
    thesis = {"university": (custom.get("thesis:thesis") or {}).get("university"), "supervisors": legacy.get("thesis_supervisors")}
    if any(thesis.values()):
        out["thesis"] = {k: v for k, v in thesis.items() if v}
    versions = record.get("versions") or {}
    parent_id = str((record.get("parent") or {}).get("id") or "")
    out["relations"] = {"version": [{
        "index": int(versions.get("index") or 1) - 1,
        "is_last": bool(versions.get("is_latest")),
        "parent": {"pid_type": "recid", "pid_value": parent_id},
    }]}
    return out


def zenodo_record_json(record: dict[str, Any]) -> dict[str, Any]:
    """Zenodo's record JSON of a native record JSON (the one to hand to ``application/json``).

    Files are a list of ``{id, key, size, checksum: "md5:…", links.self}`` where ``links.self``
    downloads the bytes; ``links.latest`` ends in ``/api/records/{id}/versions/latest``.
    """
    site = site_of(record)
    recid = int(record["id"])
    api = f"{site}/api/records/{recid}"
    out = _common(record)
    out.pop("owner", None)
    owner = _owner(record)
    out.update(
        updated=record.get("updated"),
        recid=str(recid),
        revision=record.get("revision_id"),
        metadata=_zenodo_metadata(record),
        owners=[{"id": owner}] if owner is not None else [],
        status="draft" if record.get("is_draft") else "published",
        stats=dict.fromkeys(STATS_KEYS, 0),
        files=[
            {"id": e.get("id"), "key": e["key"], "size": e.get("size"), "checksum": e.get("checksum"),
             "links": {"self": f"{api}/files/{quote(e['key'], safe='')}/content"}}
            for e in _entries(record)
        ],
        links={**(record.get("links") or {}), "latest": f"{api}/versions/latest", "html": f"{site}/records/{recid}"},
    )
    return out


# --- the deposition ----------------------------------------------------------------------------


def _deposition_links(record: dict[str, Any], site: str, bucket_id: str, latest_draft_id: int) -> dict[str, str]:
    recid = int(record["id"])
    api = f"{site}/api"
    dep = f"{api}/deposit/depositions/{recid}"
    as_record = not record.get("is_draft")
    links = {
        "self": f"{api}/records/{recid}" if as_record else dep,
        "html": f"{site}/records/{recid}" if as_record else f"{site}/uploads/{recid}",
        "files": f"{api}/records/{recid}/files" if as_record else f"{dep}/files",
        "bucket": f"{api}/files/{bucket_id}",
        "latest_draft": f"{api}/deposit/depositions/{latest_draft_id}",
        "latest_draft_html": f"{site}/uploads/{latest_draft_id}",
        "publish": f"{dep}/actions/publish",
        "edit": f"{dep}/actions/edit",
        "discard": f"{dep}/actions/discard",
        "newversion": f"{dep}/actions/newversion",
    }
    doi, concept_doi = _doi(record), _concept_doi(record)
    if doi:
        links["doi"] = f"https://doi.org/{doi}"
    if record.get("is_published"):
        links.update(
            record=f"{api}/records/{recid}", record_html=f"{site}/records/{recid}",
            latest=f"{api}/records/{recid}/versions/latest", latest_html=f"{site}/records/{recid}/latest",
        )
        if concept_doi:
            links["parent_doi"] = f"{site}/doi/{concept_doi}"
    return links


def deposition_file_json(entry: dict[str, Any], deposition_url: str, bucket_url: str) -> dict[str, Any]:
    """A file of a deposition: bare MD5 ``checksum``, ``links.self`` and ``links.download``."""
    return {
        "id": entry.get("id"),
        "filename": entry["key"],
        "filesize": entry.get("size"),
        "checksum": str(entry.get("checksum") or "").split(":", 1)[-1],
        "links": {
            "self": f"{deposition_url}/files/{entry.get('id')}",
            "download": f"{bucket_url}/{quote(entry['key'], safe='')}",
        },
    }


def deposition_json(
    record: dict[str, Any], *, bucket_id: str, prereserved_doi: str, latest_draft_id: int,
    access_settings: dict[str, Any] | None = None, communities: list[str] | None = None,
) -> dict[str, Any]:
    """The deposition object of a native draft or record JSON.

    ``prereserved_doi`` is the draft's DOI, or the one it will get when published; Zenodo always
    shows it as ``metadata.prereserve_doi``. ``latest_draft_id`` is the record's open draft.
    """
    site = site_of(record)
    recid = int(record["id"])
    metadata, _ = to_legacy(record, access_settings=access_settings, communities=communities)
    metadata["prereserve_doi"] = {"doi": prereserved_doi, "recid": recid}
    out = _common(record)
    out.update(record_id=recid, metadata=metadata)
    deposition_url = f"{site}/api/deposit/depositions/{recid}"
    bucket_url = f"{site}/api/files/{bucket_id}"
    out["files"] = [deposition_file_json(e, deposition_url, bucket_url) for e in _entries(record)]
    out["links"] = _deposition_links(record, site, bucket_id, latest_draft_id)
    return out


# --- Files-REST --------------------------------------------------------------------------------


def files_rest_object(entry: dict[str, Any], bucket_url: str) -> dict[str, Any]:
    """One object of a bucket, from a native file entry (what ``PUT {bucket}/{key}`` returns)."""
    url = f"{bucket_url}/{quote(entry['key'], safe='')}"
    version = entry.get("version_id") or entry.get("id")
    return {
        "key": entry["key"],
        "mimetype": entry.get("mimetype"),
        "checksum": entry.get("checksum"),
        "version_id": version,
        "size": entry.get("size"),
        "created": entry.get("created"),
        "updated": entry.get("updated"),
        "is_head": True,
        "delete_marker": False,
        "links": {"self": url, "version": f"{url}?versionId={version}", "uploads": f"{url}?uploads"},
    }


def bucket_json(bucket_id: str, site: str, entries: list[dict[str, Any]], *, locked: bool) -> dict[str, Any]:
    """A bucket and its objects, as Zenodo's Files-REST lists them."""
    bucket_url = f"{site}/api/files/{bucket_id}"
    contents = [files_rest_object(e, bucket_url) for e in entries if e.get("checksum")]
    return {
        "id": bucket_id,
        "locked": locked,
        "size": sum(int(c.get("size") or 0) for c in contents),
        "contents": contents,
        "links": {"self": bucket_url},
    }
