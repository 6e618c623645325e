"""Grants to users and secret links, as levels per concept (parent)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import or_, select

from callimachus.core.clock import as_utc
from callimachus.db.models import AccessLink, Grant
from callimachus.db.uow import UnitOfWork
from callimachus.permissions import Level


def user_grant_levels(uow: UnitOfWork, user_id: int, now: datetime) -> Iterator[tuple[int, Level]]:
    rows = uow.session.execute(
        select(Grant.parent_id, Grant.level).where(
            Grant.user_id == user_id, or_(Grant.expires_at.is_(None), Grant.expires_at > now)
        )
    )
    for parent_id, level in rows:
        yield parent_id, Level.parse(level)


def link_level(uow: UnitOfWork, token: str, now: datetime) -> tuple[int, Level] | None:
    """The concept and level a secret-link token opens, if the link exists and is in force."""
    if not token or len(token) > 128:
        return None
    link = uow.session.scalar(select(AccessLink).where(AccessLink.token == token))
    if link is None or link.revoked_at is not None:
        return None
    if link.expires_at is not None and as_utc(link.expires_at) <= now:
        return None
    return link.parent_id, Level.parse(link.permission)
