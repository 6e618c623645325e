"""Managing who may see a concept: secret links, grants to users, ownership, request settings."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from callimachus.core.clock import as_utc
from callimachus.core.errors import FieldError, NotFound, PermissionDenied, ValidationError
from callimachus.core.identity import Identity
from callimachus.db.models import AccessLink, Draft, Grant, Parent, Record, User
from callimachus.db.uow import UnitOfWork
from callimachus.permissions import Action, Level, Principal
from callimachus.services import loading
from callimachus.services.access_input import parse_embargo_date
from callimachus.services.context import ServiceContext
from callimachus.services.users import normalize_email

LINK_LEVELS = ("view", "preview", "edit")
GRANT_LEVELS = ("view", "preview", "edit", "manage")
SETTINGS_DEFAULTS: dict[str, Any] = {
    "allow_user_requests": True,
    "allow_guest_requests": True,
    "accept_conditions_text": None,
    "secret_link_expiration": 0,
}


@dataclass(frozen=True)
class Managed:
    """A concept the actor may manage, found through one of its records or drafts."""

    parent: Parent
    row: Draft | Record
    who: Principal


def resolve_row(uow: UnitOfWork, recid: int) -> Draft | Record:
    """The published version, or failing that the draft, with this id."""
    record = loading.get_record(uow, recid)
    if record is not None and record.status == "published":
        return record
    draft = loading.get_draft(uow, recid)
    if draft is None:
        raise NotFound()
    return draft


def manage(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, *, lock: bool = False) -> Managed:
    """404 for those who may not see the record, 403 for those who see it but may not manage it."""
    now = ctx.clock.now()
    row = resolve_row(uow, recid)
    parent = loading.get_parent(uow, row.parent_id, lock=lock)
    who = loading.resolve_principal(uow, identity, now)
    read = Action.READ_DRAFT if isinstance(row, Draft) else Action.READ_RECORD
    loading.require(read, who, row, parent, now)
    if not loading.can(Action.MANAGE_ACCESS, who, row, parent, now):
        raise PermissionDenied()
    return Managed(parent, row, who)


def _expiry(value: Any, field: str, now: datetime) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = parse_embargo_date(value)
    except ValueError as exc:
        raise ValidationError([FieldError(field, [str(exc)])]) from None
    if moment <= now:
        raise ValidationError([FieldError(field, ["The expiry date must be in the future."])])
    return moment


def _level(value: Any, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise ValidationError([FieldError(field, [f"Must be one of: {', '.join(allowed)}."])])
    return str(value)


def _check_keys(body: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ValidationError([FieldError("", ["The request body must be a JSON object."])])
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ValidationError([FieldError(k, ["Unknown field."]) for k in unknown])
    return body


# --- secret links ------------------------------------------------------------------------------


def link_json(link: AccessLink) -> dict[str, Any]:
    return {
        "id": link.id,
        "token": link.token,
        "permission": link.permission,
        "description": link.description,
        "created_at": link.created_at.isoformat() if link.created_at else None,
        "expires_at": as_utc(link.expires_at).isoformat() if link.expires_at else None,
    }


def create_link(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, body: Any) -> AccessLink:
    """A new secret link; its token carries 256 bits of randomness."""
    managed = manage(ctx, uow, identity, recid)
    data = _check_keys(body, {"permission", "expires_at", "description"})
    now = ctx.clock.now()
    description = data.get("description") or ""
    if not isinstance(description, str) or len(description) > 1000:
        raise ValidationError([FieldError("description", ["A text of at most 1000 characters."])])
    link = AccessLink(
        id=str(uuid.uuid4()),
        parent_id=managed.parent.id,
        token=secrets.token_urlsafe(32),
        permission=_level(data.get("permission"), LINK_LEVELS, "permission"),
        description=description,
        created_by=identity.user_id,
        created_at=now,
        expires_at=_expiry(data.get("expires_at"), "expires_at", now),
    )
    uow.session.add(link)
    return link


def list_links(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> list[AccessLink]:
    managed = manage(ctx, uow, identity, recid)
    return list(
        uow.session.scalars(
            select(AccessLink)
            .where(AccessLink.parent_id == managed.parent.id, AccessLink.revoked_at.is_(None))
            .order_by(AccessLink.created_at)
        )
    )


def get_link(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, link_id: str) -> AccessLink:
    managed = manage(ctx, uow, identity, recid)
    link = uow.session.get(AccessLink, link_id)
    if link is None or link.parent_id != managed.parent.id or link.revoked_at is not None:
        raise NotFound("No such link.")
    return link


def update_link(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, link_id: str, body: Any) -> AccessLink:
    link = get_link(ctx, uow, identity, recid, link_id)
    data = _check_keys(body, {"permission", "expires_at", "description", "id", "token", "created_at"})
    now = ctx.clock.now()
    if "permission" in data:
        link.permission = _level(data["permission"], LINK_LEVELS, "permission")
    if "expires_at" in data:
        link.expires_at = _expiry(data["expires_at"], "expires_at", now)
    if "description" in data:
        link.description = str(data["description"] or "")[:1000]
    return link


def revoke_link(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, link_id: str) -> None:
    link = get_link(ctx, uow, identity, recid, link_id)
    link.revoked_at = ctx.clock.now()


# --- grants ------------------------------------------------------------------------------------


def grant_json(grant: Grant, user: User | None) -> dict[str, Any]:
    return {
        "id": str(grant.id),
        "subject": {"type": "user", "id": str(grant.user_id), "email": user.email if user else None},
        "permission": grant.level,
        "origin": grant.origin,
        "created_at": grant.created_at.isoformat() if grant.created_at else None,
        "expires_at": as_utc(grant.expires_at).isoformat() if grant.expires_at else None,
    }


def _grantee(uow: UnitOfWork, subject: Any, field: str) -> User:
    if not isinstance(subject, dict) or subject.get("type", "user") != "user":
        raise ValidationError([FieldError(field, ["Grants are given to users: {\"type\": \"user\", \"email\": …}."])])
    user: User | None = None
    if subject.get("email"):
        user = uow.session.scalar(select(User).where(User.email == normalize_email(str(subject["email"]), f"{field}.email")))
        if user is None:
            raise ValidationError([FieldError(f"{field}.email", [f"No user with e-mail {subject['email']}."])])
    elif subject.get("id") is not None:
        try:
            user = uow.session.get(User, int(subject["id"]))
        except (TypeError, ValueError):
            user = None
        if user is None:
            raise ValidationError([FieldError(f"{field}.id", [f"No user with id {subject['id']}."])])
    else:
        raise ValidationError([FieldError(field, ["Name the user by email or id."])])
    return user


def upsert_grant(
    ctx: ServiceContext, uow: UnitOfWork, parent_id: int, user_id: int, level: str, *, origin: str, expires_at: datetime | None
) -> Grant:
    """Give ``user_id`` ``level`` on a concept; an existing grant is replaced."""
    grant = uow.session.scalar(select(Grant).where(Grant.parent_id == parent_id, Grant.user_id == user_id))
    if grant is None:
        grant = Grant(parent_id=parent_id, user_id=user_id, created_at=ctx.clock.now())
        uow.session.add(grant)
    grant.level, grant.origin, grant.expires_at = level, origin, expires_at
    uow.flush()
    return grant


def create_grants(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, body: Any) -> list[tuple[Grant, User]]:
    """``{"grants": [{"subject": {"type": "user", "email": …}, "permission": …, "expires_at": …}]}``."""
    managed = manage(ctx, uow, identity, recid)
    data = _check_keys(body, {"grants"})
    items = data.get("grants")
    if not isinstance(items, list) or not items:
        raise ValidationError([FieldError("grants", ["Give a list of grants."])])
    now = ctx.clock.now()
    planned = []
    for i, item in enumerate(items):
        item = _check_keys(item, {"subject", "permission", "expires_at", "origin"})
        user = _grantee(uow, item.get("subject"), f"grants.{i}.subject")
        if user.id == managed.parent.owner_id:
            raise ValidationError([FieldError(f"grants.{i}.subject", ["The owner already has every permission."])])
        level = _level(item.get("permission"), GRANT_LEVELS, f"grants.{i}.permission")
        planned.append((user, level, _expiry(item.get("expires_at"), f"grants.{i}.expires_at", now)))
    return [
        (upsert_grant(ctx, uow, managed.parent.id, user.id, level, origin="manual", expires_at=expiry), user)
        for user, level, expiry in planned
    ]


def list_grants(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> list[tuple[Grant, User]]:
    managed = manage(ctx, uow, identity, recid)
    rows = uow.session.execute(
        select(Grant, User).join(User, User.id == Grant.user_id).where(Grant.parent_id == managed.parent.id).order_by(Grant.id)
    )
    return [(grant, user) for grant, user in rows]


def get_grant(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, grant_id: str) -> tuple[Grant, User]:
    managed = manage(ctx, uow, identity, recid)
    try:
        grant = uow.session.get(Grant, int(grant_id))
    except ValueError:
        grant = None
    if grant is None or grant.parent_id != managed.parent.id:
        raise NotFound("No such grant.")
    return grant, uow.session.get(User, grant.user_id)  # type: ignore[return-value]


def update_grant(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, grant_id: str, body: Any) -> tuple[Grant, User]:
    grant, user = get_grant(ctx, uow, identity, recid, grant_id)
    data = _check_keys(body, {"permission", "expires_at", "id", "subject", "origin", "created_at"})
    if "permission" in data:
        grant.level = _level(data["permission"], GRANT_LEVELS, "permission")
    if "expires_at" in data:
        grant.expires_at = _expiry(data["expires_at"], "expires_at", ctx.clock.now())
    return grant, user


def delete_grant(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, grant_id: str) -> None:
    grant, _ = get_grant(ctx, uow, identity, recid, grant_id)
    uow.session.delete(grant)


# --- ownership and settings ----------------------------------------------------------------


def transfer_ownership(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, body: Any) -> Parent:
    """Give the concept (every version, DOIs unchanged) to another user; only the owner or an
    administrator may. The previous owner keeps ``manage`` unless ``keep_access`` is false."""
    managed = manage(ctx, uow, identity, recid, lock=True)
    parent = managed.parent
    if not (managed.who.is_admin or managed.who.user_id == parent.owner_id):
        raise PermissionDenied("Only the owner can transfer ownership.")
    data = _check_keys(body, {"owned_by", "keep_access"})
    new_owner = _grantee(uow, {"type": "user", **(data.get("owned_by") or {})}, "owned_by")
    if new_owner.id == parent.owner_id:
        raise ValidationError([FieldError("owned_by", ["This user already owns the record."])])
    previous = parent.owner_id
    existing = uow.session.scalar(select(Grant).where(Grant.parent_id == parent.id, Grant.user_id == new_owner.id))
    if existing is not None:
        uow.session.delete(existing)
        uow.flush()
    parent.owner_id = new_owner.id
    parent.updated_at = ctx.clock.now()
    if data.get("keep_access", True):
        upsert_grant(ctx, uow, parent.id, previous, "manage", origin="ownership-transfer", expires_at=None)
    ctx.changed(uow, "parent", parent.id)
    return parent


def settings_of(parent: Parent) -> dict[str, Any]:
    return {**SETTINGS_DEFAULTS, **(parent.access_settings or {})}


def read_access(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int) -> tuple[Parent, dict[str, Any]]:
    managed = manage(ctx, uow, identity, recid)
    return managed.parent, settings_of(managed.parent)


def update_settings(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, body: Any) -> tuple[Parent, dict[str, Any]]:
    managed = manage(ctx, uow, identity, recid, lock=True)
    data = _check_keys(body, {"settings", "owned_by", "grants", "links"})
    raw = _check_keys(data.get("settings") or {}, set(SETTINGS_DEFAULTS))
    current = settings_of(managed.parent)
    for key in ("allow_user_requests", "allow_guest_requests"):
        if key in raw:
            if not isinstance(raw[key], bool):
                raise ValidationError([FieldError(f"settings.{key}", ["Must be true or false."])])
            current[key] = raw[key]
    if "accept_conditions_text" in raw:
        text = raw["accept_conditions_text"]
        if text is not None and (not isinstance(text, str) or len(text) > 10_000):
            raise ValidationError([FieldError("settings.accept_conditions_text", ["A text of at most 10,000 characters."])])
        current["accept_conditions_text"] = text or None
    if "secret_link_expiration" in raw:
        days = raw["secret_link_expiration"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
            raise ValidationError([FieldError("settings.secret_link_expiration", ["Days between 0 (never) and 3650."])])
        current["secret_link_expiration"] = days
    managed.parent.access_settings = current
    managed.parent.updated_at = ctx.clock.now()
    return managed.parent, current


def parent_of(uow: UnitOfWork, recid: int) -> Parent:
    return loading.get_parent(uow, resolve_row(uow, recid).parent_id)


def level_name(level: Level) -> str:
    return level.name.lower()
