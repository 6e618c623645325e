"""The ``access`` part of a draft as a client sends it, checked and normalised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from callimachus.core.errors import FieldError, ValidationError

VISIBILITY = ("public", "restricted")
ACCESS_KEYS = {"record", "files", "embargo", "status", "owned_by"}
EMBARGO_KEYS = {"active", "until", "reason"}


@dataclass(frozen=True)
class AccessInput:
    record: str = "public"
    files: str = "public"
    embargo_until: datetime | None = None
    embargo_reason: str | None = None


def parse_embargo_date(value: Any) -> datetime:
    """A date (start of that day, UTC) or an ISO 8601 date-time with a time zone."""
    if not isinstance(value, str):
        raise ValueError("Use a date like 2030-01-31 or a date-time with a time zone.")
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(0), UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{value}' is not a date (YYYY-MM-DD) or an ISO 8601 date-time.") from None
    if moment.tzinfo is None:
        raise ValueError("A date-time needs a time zone (e.g. 2030-01-31T12:00:00Z).")
    return moment.astimezone(UTC)


def embargo_until_text(until: datetime | None) -> str | None:
    """Dates print as dates; a precise moment prints as a UTC date-time."""
    if until is None:
        return None
    until = until.astimezone(UTC) if until.tzinfo else until.replace(tzinfo=UTC)
    if until.time() == time(0):
        return until.date().isoformat()
    return until.isoformat().replace("+00:00", "Z")


def _visibility(raw: dict[str, Any], key: str, errors: list[FieldError]) -> str:
    value = raw.get(key, "public")
    if value not in VISIBILITY:
        errors.append(FieldError(f"access.{key}", [f"Must be one of: {', '.join(VISIBILITY)}."]))
        return "public"
    return str(value)


def _embargo(raw: Any, now: datetime, errors: list[FieldError]) -> tuple[datetime | None, str | None]:
    if raw in (None, {}):
        return None, None
    if not isinstance(raw, dict):
        errors.append(FieldError("access.embargo", ["Must be an object with active, until and reason."]))
        return None, None
    for key in sorted(set(raw) - EMBARGO_KEYS):
        errors.append(FieldError(f"access.embargo.{key}", ["Unknown field."]))
    reason = raw.get("reason")
    if reason is not None and not isinstance(reason, str):
        errors.append(FieldError("access.embargo.reason", ["Must be a string."]))
        reason = None
    active = raw.get("active", bool(raw.get("until")))
    if not isinstance(active, bool):
        errors.append(FieldError("access.embargo.active", ["Must be true or false."]))
        return None, None
    if not active:
        return None, None
    if not raw.get("until"):
        errors.append(FieldError("access.embargo.until", ["An active embargo needs an end date."]))
        return None, None
    try:
        until = parse_embargo_date(raw["until"])
    except ValueError as exc:
        errors.append(FieldError("access.embargo.until", [str(exc)]))
        return None, None
    if until <= now:
        errors.append(FieldError("access.embargo.until", ["The embargo end date must be in the future."]))
        return None, None
    return until, (reason.strip() or None) if isinstance(reason, str) else None


def parse_access(raw: Any, now: datetime) -> AccessInput:
    """Check ``access``; raise :class:`ValidationError` naming each wrong field."""
    if raw is None:
        return AccessInput()
    if not isinstance(raw, dict):
        raise ValidationError([FieldError("access", ["Must be an object."])])
    errors: list[FieldError] = [
        FieldError(f"access.{key}", ["Unknown field."]) for key in sorted(set(raw) - ACCESS_KEYS)
    ]
    record = _visibility(raw, "record", errors)
    files = _visibility(raw, "files", errors)
    until, reason = _embargo(raw.get("embargo"), now, errors)
    if until is not None and record == "public" and files == "public":
        errors.append(
            FieldError("access.files", ["An embargo restricts something: set files (or the record) to restricted."])
        )
    if errors:
        raise ValidationError(errors)
    return AccessInput(record=record, files=files, embargo_until=until, embargo_reason=reason)


def access_status(record: str, files: str, embargo_until: datetime | None, files_enabled: bool, now: datetime) -> str:
    """Zenodo's computed status: open, embargoed, restricted or metadata-only."""
    if embargo_until is not None and embargo_until > now:
        return "embargoed"
    lifted = embargo_until is not None
    if record == "restricted" and not lifted:
        return "restricted"
    if not files_enabled:
        return "metadata-only"
    if files == "restricted" and not lifted:
        return "restricted"
    return "open"
