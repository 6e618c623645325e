"""Access requests: a user, or a guest who confirms an e-mail address, asks for a record's
restricted files; the owners accept (optionally until a date) or decline; the requester hears
back. Accepting gives a user a ``view`` grant and a guest a ``view`` secret link."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from callimachus.core.clock import as_utc
from callimachus.core.errors import (
    BadRequest,
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from callimachus.core.identity import Identity
from callimachus.db.models import AccessLink, AccessRequest, Grant, Parent, Record, User
from callimachus.db.uow import UnitOfWork
from callimachus.mail.base import Email
from callimachus.permissions import Action, Level
from callimachus.services import loading
from callimachus.services.access import _check_keys, _expiry, settings_of, upsert_grant
from callimachus.services.context import ServiceContext
from callimachus.services.users import normalize_email

OPEN = ("unconfirmed", "submitted")
MAX_MESSAGE = 5000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _message(data: dict[str, Any]) -> str:
    message = data.get("message") or ""
    if not isinstance(message, str) or len(message) > MAX_MESSAGE:
        raise ValidationError([FieldError("message", [f"A text of at most {MAX_MESSAGE} characters."])])
    return message.strip()


def _title(record: Record) -> str:
    return str((record.data.get("metadata") or {}).get("title") or f"record {record.id}")


def _managers(uow: UnitOfWork, parent: Parent) -> list[str]:
    owner = uow.session.get(User, parent.owner_id)
    managers = uow.session.scalars(
        select(User.email).join(Grant, Grant.user_id == User.id).where(Grant.parent_id == parent.id, Grant.level == "manage")
    )
    return sorted({owner.email if owner else "", *managers} - {""})


def request_json(request: AccessRequest, site: str) -> dict[str, Any]:
    base = f"{site}/api/requests/{request.id}"
    return {
        "id": request.id,
        "type": "user-access-request" if request.requester_id else "guest-access-request",
        "status": request.status,
        "is_open": request.status in OPEN,
        "topic": {"record": str(request.record_id)},
        "created_by": {"user": str(request.requester_id)} if request.requester_id else {"email": request.guest_email},
        "message": request.message,
        "created": request.created_at.isoformat(),
        "updated": request.updated_at.isoformat(),
        "expires_at": as_utc(request.grant_expires_at).isoformat() if request.grant_expires_at else None,
        "links": {
            "self": base,
            "actions": {name: f"{base}/actions/{name}" for name in ("accept", "decline", "cancel")},
        },
    }


def _notify_managers(ctx: ServiceContext, uow: UnitOfWork, parent: Parent, record: Record, request: AccessRequest) -> None:
    who = request.guest_email if request.requester_id is None else (uow.session.get(User, request.requester_id) or User(email="?")).email
    for address in _managers(uow, parent):
        ctx.send_after_commit(uow, Email(
            to=address,
            subject=f"Access request for \"{_title(record)}\"",
            body=(
                f"{who} asks for access to the files of \"{_title(record)}\".\n\n"
                f"Message:\n{request.message or '(none)'}\n\n"
                f"Decide at {ctx.site_url}/me/requests (request {request.id}).\n"
            ),
        ))


def create_request(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, recid: int, body: Any) -> AccessRequest:
    """Ask for access. A guest's request waits for the guest to confirm the address by e-mail."""
    now = ctx.clock.now()
    record = loading.get_record(uow, recid)
    if record is None or record.status != "published":
        raise NotFound()
    parent = loading.get_parent(uow, record.parent_id)
    who = loading.resolve_principal(uow, identity, now)
    loading.require(Action.READ_RECORD, who, record, parent, now)
    if not record.files_enabled:
        raise BadRequest("This record has no files to ask for.")
    if loading.can(Action.READ_FILES, who, record, parent, now):
        raise BadRequest("You can already access the files of this record.")
    settings = settings_of(parent)
    guest = identity.user_id is None
    data = _check_keys(body, {"message", "email", "full_name", "consent_to_share_personal_data"} if guest else {"message"})
    if not settings["allow_guest_requests" if guest else "allow_user_requests"]:
        raise PermissionDenied("The owners of this record do not accept access requests.")
    request = AccessRequest(
        id=str(uuid.uuid4()), parent_id=parent.id, record_id=record.id, message=_message(data),
        created_at=now, updated_at=now,
    )
    if guest:
        return _guest_request(ctx, uow, record, request, data)
    pending = uow.session.scalar(
        select(AccessRequest).where(
            AccessRequest.parent_id == parent.id, AccessRequest.requester_id == identity.user_id, AccessRequest.status.in_(OPEN)
        )
    )
    if pending is not None:
        raise Conflict("You already asked for access to this record; your request is waiting for an answer.")
    request.requester_id, request.status = identity.user_id, "submitted"
    uow.session.add(request)
    _notify_managers(ctx, uow, parent, record, request)
    return request


def _guest_request(ctx: ServiceContext, uow: UnitOfWork, record: Record, request: AccessRequest, data: dict[str, Any]) -> AccessRequest:
    email = normalize_email(str(data.get("email") or ""), "email")
    name = str(data.get("full_name") or "").strip()
    if not name or len(name) > 255:
        raise ValidationError([FieldError("full_name", ["Tell the owners who you are (at most 255 characters)."])])
    token = secrets.token_urlsafe(32)
    request.guest_email, request.guest_name, request.secret, request.status = email, name, _hash(token), "unconfirmed"
    uow.session.add(request)
    ctx.send_after_commit(uow, Email(
        to=email,
        subject=f"Confirm your access request for \"{_title(record)}\"",
        body=(
            f"Someone (we hope you) asked for access to \"{_title(record)}\" with this address.\n\n"
            f"To send the request to the record's owners, confirm it here:\n"
            f"{ctx.site_url}/access-requests/confirm?token={token}\n\n"
            "If it was not you, ignore this message.\n"
        ),
    ))
    return request


def confirm_guest_request(ctx: ServiceContext, uow: UnitOfWork, token: str) -> AccessRequest:
    request = uow.session.scalar(select(AccessRequest).where(AccessRequest.secret == _hash(token or "")))
    if request is None:
        raise NotFound("This confirmation link is not valid.")
    if request.status != "unconfirmed":
        raise Conflict(f"This request was already confirmed (it is {request.status}).")
    request.status, request.updated_at = "submitted", ctx.clock.now()
    record = loading.get_record(uow, request.record_id)
    parent = loading.get_parent(uow, request.parent_id)
    if record is not None:
        _notify_managers(ctx, uow, parent, record, request)
    return request


def _load(uow: UnitOfWork, request_id: str, *, lock: bool = False) -> AccessRequest:
    stmt = select(AccessRequest).where(AccessRequest.id == request_id)
    request = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    if request is None:
        raise NotFound()
    return request


def _may_decide(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, request: AccessRequest) -> bool:
    now = ctx.clock.now()
    parent = loading.get_parent(uow, request.parent_id)
    record = loading.get_record(uow, request.record_id)
    if record is None:
        return False
    who = loading.resolve_principal(uow, identity, now)
    return loading.can(Action.MANAGE_ACCESS, who, record, parent, now)


def read_request(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, request_id: str) -> AccessRequest:
    request = _load(uow, request_id)
    mine = identity.user_id is not None and request.requester_id == identity.user_id
    if not (mine or _may_decide(ctx, uow, identity, request)):
        raise NotFound()
    return request


def list_requests(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, *, status: str | None = None) -> list[AccessRequest]:
    """Requests the actor made, and requests on concepts the actor manages."""
    if identity.user_id is None:
        raise PermissionDenied()
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    managed = [pid for pid, level in who.grants.items() if level >= Level.MANAGE]
    owned = select(Parent.id).where(Parent.owner_id == identity.user_id)
    conditions = [AccessRequest.requester_id == identity.user_id, AccessRequest.parent_id.in_(owned)]
    if managed:
        conditions.append(AccessRequest.parent_id.in_(managed))
    if who.is_admin:
        conditions = [AccessRequest.id.is_not(None)]
    stmt = select(AccessRequest).where(or_(*conditions), AccessRequest.status != "unconfirmed")
    if status:
        stmt = stmt.where(AccessRequest.status == status)
    return list(uow.session.scalars(stmt.order_by(AccessRequest.created_at.desc())))


def _decidable(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, request_id: str) -> AccessRequest:
    request = _load(uow, request_id, lock=True)
    if not _may_decide(ctx, uow, identity, request):
        if identity.user_id is not None and request.requester_id == identity.user_id:
            raise PermissionDenied("Only the record's owners can decide on this request.")
        raise NotFound()
    if request.status != "submitted":
        raise Conflict(f"This request is already {request.status}.")
    return request


def _tell_requester(ctx: ServiceContext, uow: UnitOfWork, request: AccessRequest, subject: str, body: str) -> None:
    address = request.guest_email
    if request.requester_id is not None:
        user = uow.session.get(User, request.requester_id)
        address = user.email if user else None
    if address:
        ctx.send_after_commit(uow, Email(to=address, subject=subject, body=body))


def accept_request(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, request_id: str, body: Any) -> AccessRequest:
    request = _decidable(ctx, uow, identity, request_id)
    data = _check_keys(body or {}, {"expires_at", "message", "payload"})
    data = {**data, **(data.pop("payload", None) or {})}
    now = ctx.clock.now()
    expires: datetime | None = _expiry(data.get("expires_at"), "expires_at", now)
    record = loading.get_record(uow, request.record_id)
    title = _title(record) if record else "the record"
    if request.requester_id is not None:
        upsert_grant(ctx, uow, request.parent_id, request.requester_id, "view", origin="request", expires_at=expires)
        url = f"{ctx.site_url}/records/{request.record_id}"
    else:
        link = AccessLink(
            id=str(uuid.uuid4()), parent_id=request.parent_id, token=secrets.token_urlsafe(32), permission="view",
            description=f"Access request by {request.guest_email}", created_by=identity.user_id, created_at=now, expires_at=expires,
        )
        uow.session.add(link)
        request.link_id = link.id
        url = f"{ctx.site_url}/records/{request.record_id}?token={link.token}"
    request.status, request.updated_at, request.decided_by = "accepted", now, identity.user_id
    request.grant_expires_at = expires
    request.decision_message = _message(data) or None
    until = f" until {expires.date().isoformat()}" if expires else ""
    _tell_requester(ctx, uow, request, f"Access granted: \"{title}\"",
                    f"Your request was accepted. You can access the files{until} at:\n{url}\n\n{request.decision_message or ''}\n")
    return request


def decline_request(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, request_id: str, body: Any) -> AccessRequest:
    request = _decidable(ctx, uow, identity, request_id)
    data = _check_keys(body or {}, {"message", "payload"})
    data = {**data, **(data.pop("payload", None) or {})}
    request.status, request.updated_at, request.decided_by = "declined", ctx.clock.now(), identity.user_id
    request.decision_message = _message(data) or None
    record = loading.get_record(uow, request.record_id)
    _tell_requester(ctx, uow, request, f"Access request declined: \"{_title(record) if record else 'record'}\"",
                    f"The owners declined your request.\n\n{request.decision_message or ''}\n")
    return request


def cancel_request(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, request_id: str) -> AccessRequest:
    request = _load(uow, request_id, lock=True)
    if identity.user_id is None or request.requester_id != identity.user_id:
        raise NotFound()
    if request.status not in OPEN:
        raise Conflict(f"This request is already {request.status}.")
    request.status, request.updated_at = "cancelled", ctx.clock.now()
    return request
