"""Personal access tokens. The secret is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import select

from callimachus.core.errors import FieldError, NotFound, ValidationError
from callimachus.core.identity import ALL_SCOPES, Identity
from callimachus.db.models import Token, User
from callimachus.db.uow import UnitOfWork
from callimachus.services.context import ServiceContext


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted({s.strip() for s in scopes if s.strip()})
    unknown = [s for s in chosen if s not in ALL_SCOPES]
    if unknown:
        raise ValidationError(
            [FieldError("scopes", [f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(ALL_SCOPES)}."])]
        )
    return chosen


def create_token(
    ctx: ServiceContext, uow: UnitOfWork, user: User, name: str, scopes: Iterable[str]
) -> tuple[Token, str]:
    """Create a token for ``user``; return the row and the secret (never stored in clear)."""
    if not name.strip():
        raise ValidationError([FieldError("name", ["A token needs a name."])])
    secret = secrets.token_urlsafe(48)
    token = Token(
        user_id=user.id,
        name=name.strip()[:255],
        token_hash=token_hash(secret),
        scopes=" ".join(parse_scopes(scopes)),
        created_at=ctx.clock.now(),
    )
    uow.session.add(token)
    uow.flush()
    return token, secret


def identity_for_token(uow: UnitOfWork, secret: str) -> Identity | None:
    """The identity a token stands for, or None if it is unknown, revoked or its user inactive."""
    row = uow.session.execute(
        select(Token, User).join(User, User.id == Token.user_id).where(Token.token_hash == token_hash(secret))
    ).first()
    if row is None:
        return None
    token, user = row
    if token.revoked_at is not None or not user.active:
        return None
    scopes = frozenset(s for s in token.scopes.split() if s)
    return Identity(user_id=user.id, email=user.email, is_admin=user.is_admin, scopes=scopes)


def list_tokens(uow: UnitOfWork, user_id: int) -> list[Token]:
    return list(uow.session.scalars(select(Token).where(Token.user_id == user_id).order_by(Token.id)))


def revoke_token(ctx: ServiceContext, uow: UnitOfWork, user_id: int, token_id: int) -> None:
    token = uow.session.get(Token, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound("No such token.")
    token.revoked_at = ctx.clock.now()
