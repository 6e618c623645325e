"""What a signed-in person's dashboard shows beyond their own uploads: records shared with them
(grants), and access requests they made or may decide, with the titles and names to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from callimachus.core.errors import PermissionDenied
from callimachus.core.identity import Identity
from callimachus.db.models import AccessRequest, Grant, Parent, Record, User
from callimachus.db.uow import UnitOfWork
from callimachus.permissions import Action, Principal
from callimachus.services import loading, requests
from callimachus.services.context import ServiceContext
from callimachus.services.drafts import draft_view
from callimachus.services.records import record_view, unpublished_draft
from callimachus.services.render import RecordView

MAX_SHARED = 200


@dataclass(frozen=True)
class SharedRecord:
    """A concept someone else owns that the actor was granted ``level`` on, shown by its latest
    version the actor may read (or, never published, by its draft when the grant allows)."""

    view: RecordView
    level: str
    expires_at: datetime | None


@dataclass(frozen=True)
class RequestItem:
    request: AccessRequest
    title: str
    requester: str  # a name or e-mail address, shown to those who decide
    mine: bool  # the actor asked
    may_decide: bool


def _require_user(identity: Identity) -> int:
    if identity.user_id is None:
        raise PermissionDenied()
    return identity.user_id


def shared_with_me(ctx: ServiceContext, uow: UnitOfWork, identity: Identity) -> list[SharedRecord]:
    """Concepts with a grant in force for the actor (not their own), newest grant first."""
    user_id = _require_user(identity)
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    rows = uow.session.execute(
        select(Grant, Parent)
        .join(Parent, Parent.id == Grant.parent_id)
        .where(Grant.user_id == user_id, Parent.owner_id != user_id, or_(Grant.expires_at.is_(None), Grant.expires_at > now))
        .order_by(Grant.created_at.desc(), Grant.id.desc())
        .limit(MAX_SHARED)
    ).all()
    found: list[SharedRecord] = []
    for grant, parent in rows:
        view = _latest_view(ctx, uow, who, parent, now)
        if view is not None:
            found.append(SharedRecord(view, grant.level, grant.expires_at))
    return found


def _latest_view(ctx: ServiceContext, uow: UnitOfWork, who: Principal, parent: Parent, now: datetime) -> RecordView | None:
    if parent.latest_id is not None:
        record = loading.get_record(uow, parent.latest_id)
        if record is not None and record.status == "published" and loading.can(Action.READ_RECORD, who, record, parent, now):
            return record_view(ctx, uow, who, record, parent, now)
        return None
    draft = unpublished_draft(uow, parent.id)
    if draft is not None and loading.can(Action.READ_DRAFT, who, draft, parent, now):
        return draft_view(ctx, uow, draft, parent)
    return None


def request_items(ctx: ServiceContext, uow: UnitOfWork, identity: Identity) -> list[RequestItem]:
    """Access requests the actor made or may decide (``requests.list_requests``), with titles."""
    user_id = _require_user(identity)
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    found = requests.list_requests(ctx, uow, identity)
    records = {r.id: r for r in uow.session.scalars(select(Record).where(Record.id.in_({q.record_id for q in found})))}
    users = {u.id: u for u in uow.session.scalars(select(User).where(User.id.in_({q.requester_id for q in found if q.requester_id})))}
    items: list[RequestItem] = []
    for request in found:
        record = records.get(request.record_id)
        parent = loading.get_parent(uow, request.parent_id)
        decide = record is not None and loading.can(Action.MANAGE_ACCESS, who, record, parent, now)
        requester = users.get(request.requester_id) if request.requester_id else None
        if requester is not None:
            label = f"{requester.display_name} <{requester.email}>" if requester.display_name else requester.email
        else:
            label = f"{request.guest_name} <{request.guest_email}>" if request.guest_name else (request.guest_email or "")
        readable = record is not None and loading.can(Action.READ_RECORD, who, record, parent, now)
        title = str(((record.data.get("metadata") or {}).get("title")) or "") if record is not None and readable else ""
        items.append(RequestItem(request, title, label, request.requester_id == user_id, decide))
    return items
