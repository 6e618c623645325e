"""Loading rows and deciding access. Every service goes through :func:`require` before it shows
or changes anything; without access the answer is the same 404 as for a missing record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from callimachus.core.clock import as_utc
from callimachus.core.errors import NotFound
from callimachus.core.identity import Identity
from callimachus.db.models import Draft, Parent, Record
from callimachus.db.uow import UnitOfWork
from callimachus.permissions import Action, Level, Principal, Subject, allows

RecordRow = Draft | Record


def parse_recid(value: str | int) -> int:
    """Record ids in URLs are positive integers; anything else names nothing."""
    try:
        recid = int(str(value))
    except (TypeError, ValueError):
        raise NotFound() from None
    if recid <= 0 or recid > 2**62:
        raise NotFound()
    return recid


def get_draft(uow: UnitOfWork, recid: int, *, lock: bool = False) -> Draft | None:
    stmt = select(Draft).where(Draft.id == recid)
    if lock:
        stmt = stmt.with_for_update()
    return uow.session.scalar(stmt)


def get_record(uow: UnitOfWork, recid: int) -> Record | None:
    return uow.session.get(Record, recid)


def get_parent(uow: UnitOfWork, parent_id: int, *, lock: bool = False) -> Parent:
    stmt = select(Parent).where(Parent.id == parent_id)
    if lock:
        stmt = stmt.with_for_update()
    parent = uow.session.scalar(stmt)
    if parent is None:  # a row pointing to a missing parent is a broken invariant, not user error
        raise RuntimeError(f"parent {parent_id} is missing")
    return parent


def subject_of(row: RecordRow, parent: Parent) -> Subject:
    return Subject(
        parent_id=parent.id,
        owner_id=parent.owner_id,
        published=isinstance(row, Record) and row.status == "published",
        access_record=row.access_record,
        access_files=row.access_files,
        embargo_until=as_utc(row.embargo_until) if row.embargo_until else None,
        files_enabled=row.files_enabled,
    )


def resolve_principal(uow: UnitOfWork, identity: Identity, now: datetime) -> Principal:
    """The identity with its grants: user grants and valid secret links, by parent id."""
    from callimachus.services import grants  # late: grants imports loading for its own checks

    levels: dict[int, Level] = {}
    principal = Principal.of(identity)
    if principal.user_id is not None:
        for parent_id, level in grants.user_grant_levels(uow, principal.user_id, now):
            levels[parent_id] = max(levels.get(parent_id, level), level)
    for token in identity.link_tokens:
        found = grants.link_level(uow, token, now)
        if found is not None:
            parent_id, level = found
            levels[parent_id] = max(levels.get(parent_id, level), level)
    return Principal(user_id=principal.user_id, is_admin=principal.is_admin, grants=levels)


def can(action: Action, who: Principal, row: RecordRow, parent: Parent, now: datetime) -> bool:
    return allows(action, who, subject_of(row, parent), now)


def require(action: Action, who: Principal, row: RecordRow, parent: Parent, now: datetime) -> None:
    if not can(action, who, row, parent, now):
        raise NotFound()
