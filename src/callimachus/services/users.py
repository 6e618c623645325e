"""Accounts: creation, password hashing (argon2), lookup."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from callimachus.core.errors import Conflict, FieldError, NotFound, ValidationError
from callimachus.db.models import User
from callimachus.db.uow import UnitOfWork
from callimachus.services.context import ServiceContext

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MIN_PASSWORD = 8


def normalize_email(email: str, field: str = "email") -> str:
    value = (email or "").strip().lower()
    if not _EMAIL.match(value) or len(value) > 320:
        raise ValidationError([FieldError(field, [f"'{email}' is not a valid e-mail address."])])
    return value


def _hasher(ctx: ServiceContext) -> PasswordHasher:
    return PasswordHasher(time_cost=ctx.settings.password_time_cost, memory_cost=ctx.settings.password_memory_kib)


def hash_password(ctx: ServiceContext, password: str) -> str:
    return _hasher(ctx).hash(password)


def verify_password(ctx: ServiceContext, user: User, password: str) -> bool:
    """Check a password; hashes made with other parameters still verify (they carry their own)."""
    if not user.password_hash:
        return False
    try:
        return _hasher(ctx).verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user(uow: UnitOfWork, email: str) -> User | None:
    return uow.session.scalar(select(User).where(User.email == email.strip().lower()))


def get_user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def create_user(
    ctx: ServiceContext,
    uow: UnitOfWork,
    email: str,
    password: str | None = None,
    *,
    is_admin: bool = False,
    confirmed: bool = True,
) -> tuple[User, str]:
    """Create an account; return it with its password (generated when none is given)."""
    address = normalize_email(email)
    if find_user(uow, address) is not None:
        raise Conflict(f"A user with e-mail {address} already exists.", [FieldError("email", ["Already registered."])])
    if password is None:
        password = secrets.token_urlsafe(18)
    if len(password) < MIN_PASSWORD:
        raise ValidationError([FieldError("password", [f"Use at least {MIN_PASSWORD} characters."])])
    now = ctx.clock.now()
    user = User(
        email=address,
        password_hash=hash_password(ctx, password),
        is_admin=is_admin,
        active=True,
        created_at=now,
        confirmed_at=now if confirmed else None,
    )
    uow.session.add(user)
    uow.flush()
    return user, password


def count_users(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.count(User.id))) or 0)
