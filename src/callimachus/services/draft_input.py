"""The body of ``POST /api/records`` and ``PUT …/draft``: checked, normalised, or refused whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from callimachus.core.errors import FieldError, ValidationError
from callimachus.metadata.validation import validate_metadata
from callimachus.pids.doi import LocalDOIProvider
from callimachus.services.access_input import AccessInput, parse_access

INPUT_KEYS = {"metadata", "custom_fields", "access", "files", "pids"}
# Keys the server itself writes: a client may send back what it read without an error.
OUTPUT_KEYS = {
    "id", "created", "updated", "revision_id", "is_published", "is_draft", "status", "parent",
    "versions", "links", "errors", "stats", "expires_at", "media_files", "owners", "uuid",
}


@dataclass(frozen=True)
class DoiInput:
    """What the client asked for its DOI: nothing, keep the reserved one, or an external DOI."""

    external: str | None = None
    keep_local: str | None = None


@dataclass
class DraftInput:
    metadata: dict[str, Any]
    custom_fields: dict[str, Any]
    access: AccessInput
    files_enabled: bool | None
    doi: DoiInput
    missing: list[FieldError] = field(default_factory=list)


def _files_enabled(raw: Any, errors: list[FieldError]) -> bool | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        errors.append(FieldError("files", ["Must be an object like {\"enabled\": true}."]))
        return None
    for key in sorted(set(raw) - {"enabled", "default_preview", "order", "entries", "count", "total_bytes", "links"}):
        errors.append(FieldError(f"files.{key}", ["Unknown field."]))
    enabled = raw.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        errors.append(FieldError("files.enabled", ["Must be true or false."]))
        return None
    return enabled


def _doi(raw: Any, doi: LocalDOIProvider, errors: list[FieldError]) -> DoiInput:
    if raw in (None, {}):
        return DoiInput()
    if not isinstance(raw, dict) or set(raw) - {"doi", "oai"}:
        errors.append(FieldError("pids", ["Only a 'doi' entry may be given."]))
        return DoiInput()
    entry = raw.get("doi")
    if entry in (None, {}):
        return DoiInput()
    if not isinstance(entry, dict) or not isinstance(entry.get("identifier", ""), str):
        errors.append(FieldError("pids.doi", ["Must be an object with identifier and provider."]))
        return DoiInput()
    identifier = (entry.get("identifier") or "").strip()
    provider = entry.get("provider") or ("external" if identifier else "local")
    if provider == "external":
        if not identifier:
            errors.append(FieldError("pids.doi.identifier", ["An external DOI needs an identifier."]))
            return DoiInput()
        try:
            return DoiInput(external=doi.check_external(identifier))
        except ValidationError as exc:
            errors.extend(exc.errors)
            return DoiInput()
    if provider in ("local", "datacite"):
        return DoiInput(keep_local=identifier or None)
    errors.append(FieldError("pids.doi.provider", ["Must be 'external' (a DOI you bring) or 'local'."]))
    return DoiInput()


def parse_draft_input(body: Any, now: datetime, doi: LocalDOIProvider) -> DraftInput:
    """Check a draft body; raise one :class:`ValidationError` listing every wrong value.

    Missing required fields are not errors here (a draft may be incomplete): they are returned
    in ``missing`` for the client to see.
    """
    if not isinstance(body, dict):
        raise ValidationError([FieldError("", ["The request body must be a JSON object."])])
    errors = [FieldError(key, ["Unknown field."]) for key in sorted(set(body) - INPUT_KEYS - OUTPUT_KEYS)]
    metadata: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    missing: list[FieldError] = []
    try:
        validated = validate_metadata(body.get("metadata") or {}, body.get("custom_fields") or {})
        metadata, custom, missing = validated.metadata, validated.custom_fields, list(validated.missing)
    except ValidationError as exc:
        errors.extend(exc.errors)
    try:
        access = parse_access(body.get("access"), now)
    except ValidationError as exc:
        errors.extend(exc.errors)
        access = AccessInput()
    files_enabled = _files_enabled(body.get("files"), errors)
    doi_input = _doi(body.get("pids"), doi, errors)
    if errors:
        raise ValidationError(errors)
    return DraftInput(metadata, custom, access, files_enabled, doi_input, missing)
