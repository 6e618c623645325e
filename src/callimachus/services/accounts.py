"""Accounts in the browser: sign-up, e-mail confirmation, sign-in, password reset, profile and
personal tokens.

One-time secrets (confirmation, reset) are mailed; only their SHA-256 is stored, each is used at
most once and expires. Answers never tell whether an address is registered: sign-up and reset
requests for a known address send mail to that address instead of saying so.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from callimachus.core.clock import as_utc
from callimachus.core.errors import (
    AuthenticationRequired,
    BadRequest,
    FieldError,
    PermissionDenied,
    ValidationError,
)
from callimachus.core.identity import Identity
from callimachus.db.models import AccountToken, Token, User
from callimachus.db.uow import UnitOfWork
from callimachus.mail.base import Email
from callimachus.services import throttle, tokens, users
from callimachus.services.context import ServiceContext

CONFIRM_LIFETIME = timedelta(days=2)
RESET_LIFETIME = timedelta(hours=1)
MAX_PASSWORD = 1024  # argon2 hashes anything, but an unbounded input is a cheap way to burn CPU
MAX_DISPLAY_NAME = 255
MAX_ACTIVE_TOKENS = 50
BAD_LINK = "This link is not valid: it may have expired or been used already."
BAD_LOGIN = "The e-mail address or the password is wrong."


@dataclass(frozen=True)
class SignIn:
    """A right password. ``confirmed`` False: no session yet; a new confirmation link was mailed
    (commit the unit of work to send it)."""

    user: User
    confirmed: bool


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# Stricter than users.normalize_email: an address we will mail must survive an e-mail header.
_MAILABLE = re.compile(r'^[^\s@<>()\[\]\\,;:"]+@[^\s@<>()\[\]\\,;:"]+\.[^\s@<>()\[\]\\,;:"]+$')


def check_password(password: str, field: str = "password") -> str:
    if len(password) < users.MIN_PASSWORD:
        raise ValidationError([FieldError(field, [f"Use at least {users.MIN_PASSWORD} characters."])])
    if len(password) > MAX_PASSWORD:
        raise ValidationError([FieldError(field, [f"Use at most {MAX_PASSWORD} characters."])])
    return password


def clean_text(value: str, field: str = "display_name") -> str | None:
    """Free text shown on pages (always escaped there); control characters are refused."""
    name = unicodedata.normalize("NFC", value or "").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise ValidationError([FieldError(field, ["Control characters are not allowed."])])
    if len(name) > MAX_DISPLAY_NAME:
        raise ValidationError([FieldError(field, [f"Use at most {MAX_DISPLAY_NAME} characters."])])
    return name or None


def _issue(ctx: ServiceContext, uow: UnitOfWork, user: User, purpose: str, lifetime: timedelta) -> str:
    secret = secrets.token_urlsafe(32)
    now = ctx.clock.now()
    uow.session.add(AccountToken(
        user_id=user.id, purpose=purpose, token_hash=_secret_hash(secret), email=user.email,
        created_at=now, expires_at=now + lifetime, used_at=None,
    ))
    uow.flush()
    return secret


def _redeem(ctx: ServiceContext, uow: UnitOfWork, secret: str, purpose: str, *, use: bool) -> User:
    """The user a valid, unused, unexpired token of ``purpose`` belongs to; marked used if ``use``."""
    row = uow.session.scalar(select(AccountToken).where(AccountToken.token_hash == _secret_hash(secret or "")))
    now = ctx.clock.now()
    if row is None or row.purpose != purpose or row.used_at is not None or as_utc(row.expires_at) <= now:
        raise BadRequest(BAD_LINK)
    user = uow.session.get(User, row.user_id)
    if user is None or not user.active or user.email != row.email:
        raise BadRequest(BAD_LINK)
    if use:
        # Every outstanding token of this purpose goes with it: one reset, one confirmation.
        uow.session.execute(
            update(AccountToken)
            .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
            .values(used_at=now)
        )
    return user


def _mail_confirmation(ctx: ServiceContext, uow: UnitOfWork, user: User) -> None:
    if not throttle.allowed(ctx, throttle.CONFIRM_MAIL_PER_ACCOUNT, user.email):
        return
    secret = _issue(ctx, uow, user, "confirm", CONFIRM_LIFETIME)
    link = f"{ctx.site_url}/account/confirm?token={secret}"
    body = (
        f"Welcome to {ctx.settings.site_name}.\n\nConfirm your e-mail address by opening this link "
        f"(valid for {CONFIRM_LIFETIME.days} days):\n\n{link}\n\nIf you did not sign up, ignore this message.\n"
    )
    ctx.send_after_commit(uow, Email(user.email, f"Confirm your e-mail address for {ctx.settings.site_name}", body))


def sign_up(ctx: ServiceContext, uow: UnitOfWork, email: str, password: str, display_name: str, *, client: str) -> User | None:
    """Create an unconfirmed account and mail a confirmation link.

    For an address already registered nothing is created and its owner gets a note instead; the
    caller shows the same answer in both cases. Returns the new user, or None.
    """
    throttle.refuse_if_exceeded(ctx, throttle.SIGNUP_PER_CLIENT, client, "Too many sign-ups from here; try again later.")
    address = users.normalize_email(email)
    if not _MAILABLE.match(address):
        raise ValidationError([FieldError("email", ["Enter an e-mail address like name@example.org."])])
    check_password(password)
    name = clean_text(display_name)
    throttle.hit(ctx, throttle.SIGNUP_PER_CLIENT, client)
    existing = users.find_user(uow, address)
    if existing is not None:
        body = (
            f"Someone tried to sign up to {ctx.settings.site_name} with this address, which already has an "
            f"account. If it was you, sign in or reset your password at {ctx.site_url}/lost-password.\n"
        )
        ctx.send_after_commit(uow, Email(address, f"Your {ctx.settings.site_name} account", body))
        return None
    user, _ = users.create_user(ctx, uow, address, password, confirmed=False)
    user.display_name = name
    _mail_confirmation(ctx, uow, user)
    return user


def confirm_email(ctx: ServiceContext, uow: UnitOfWork, secret: str) -> User:
    user = _redeem(ctx, uow, secret, "confirm", use=True)
    if user.confirmed_at is None:
        user.confirmed_at = ctx.clock.now()
    return user


def sign_in(ctx: ServiceContext, uow: UnitOfWork, email: str, password: str, *, client: str) -> SignIn:
    """The user with this address and password; failures are counted per address and per client."""
    address = (email or "").strip().lower()[:320]
    message = "Too many failed attempts; wait a few minutes and try again."
    throttle.refuse_if_exceeded(ctx, throttle.LOGIN_PER_CLIENT, client, message)
    throttle.refuse_if_exceeded(ctx, throttle.LOGIN_PER_ACCOUNT, address, message)
    user = users.find_user(uow, address) if address else None
    if user is None or not user.active or not user.password_hash:
        good = _burn(ctx, password)  # an unknown address takes as long as a wrong password
    else:
        good = users.verify_password(ctx, user, password[:MAX_PASSWORD])
    if user is None or not good:
        throttle.hit(ctx, throttle.LOGIN_PER_CLIENT, client)
        throttle.hit(ctx, throttle.LOGIN_PER_ACCOUNT, address)
        raise AuthenticationRequired(BAD_LOGIN)
    throttle.throttle_of(ctx).clear(throttle.LOGIN_PER_ACCOUNT, address)
    if user.confirmed_at is None:
        _mail_confirmation(ctx, uow, user)
        return SignIn(user, confirmed=False)
    return SignIn(user, confirmed=True)


def _burn(ctx: ServiceContext, password: str) -> bool:
    """Spend the time a password check takes, and fail."""
    users.hash_password(ctx, password[:MAX_PASSWORD])
    return False


def request_password_reset(ctx: ServiceContext, uow: UnitOfWork, email: str, *, client: str) -> None:
    """Mail a reset link if the address belongs to an active account; say nothing either way."""
    throttle.refuse_if_exceeded(ctx, throttle.RESET_PER_CLIENT, client, "Too many requests from here; try again later.")
    throttle.hit(ctx, throttle.RESET_PER_CLIENT, client)
    address = (email or "").strip().lower()[:320]
    user = users.find_user(uow, address) if address else None
    if user is None or not user.active or not throttle.allowed(ctx, throttle.RESET_PER_ACCOUNT, address):
        return
    secret = _issue(ctx, uow, user, "reset", RESET_LIFETIME)
    link = f"{ctx.site_url}/lost-password/reset?token={secret}"
    body = (
        f"Someone asked to reset the password of your {ctx.settings.site_name} account.\n\n"
        f"Choose a new password here (valid for one hour, once):\n\n{link}\n\n"
        "If it was not you, ignore this message: your password stays as it is.\n"
    )
    ctx.send_after_commit(uow, Email(user.email, f"Reset your {ctx.settings.site_name} password", body))


def reset_token_is_valid(ctx: ServiceContext, uow: UnitOfWork, secret: str) -> bool:
    try:
        _redeem(ctx, uow, secret, "reset", use=False)
    except BadRequest:
        return False
    return True


def reset_password(ctx: ServiceContext, uow: UnitOfWork, secret: str, password: str) -> User:
    """Set a new password with a reset token; the link proves the address, so it is confirmed too."""
    check_password(password)
    user = _redeem(ctx, uow, secret, "reset", use=True)
    user.password_hash = users.hash_password(ctx, password)
    if user.confirmed_at is None:
        user.confirmed_at = ctx.clock.now()
    return user


def session_stamp(ctx: ServiceContext, user: User) -> str:
    """Kept in the session at sign-in; a new password changes it, which ends every other session."""
    message = f"{user.id}:{user.password_hash or ''}".encode()
    return hmac.new(ctx.settings.secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]


def session_user(ctx: ServiceContext, uow: UnitOfWork, user_id: int, stamp: str) -> User | None:
    """The user a browser session stands for, or None if it ended (new password, deactivation)."""
    user = uow.session.get(User, user_id)
    if user is None or not user.active or not hmac.compare_digest(stamp or "", session_stamp(ctx, user)):
        return None
    return user


def _session_owner(uow: UnitOfWork, identity: Identity) -> User:
    """Account settings are for a signed-in person, not for a personal token."""
    if identity.is_anonymous or identity.user_id is None:
        raise AuthenticationRequired()
    if identity.scopes is not None:
        raise PermissionDenied("Account settings cannot be changed with a personal token.")
    return users.get_user(uow, identity.user_id)


def account(uow: UnitOfWork, identity: Identity) -> User:
    return _session_owner(uow, identity)


def update_profile(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, display_name: str) -> User:
    user = _session_owner(uow, identity)
    user.display_name = clean_text(display_name)
    return user


def change_password(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, current: str, new: str) -> User:
    user = _session_owner(uow, identity)
    if not users.verify_password(ctx, user, current[:MAX_PASSWORD]):
        raise ValidationError([FieldError("current_password", ["This is not your current password."])])
    user.password_hash = users.hash_password(ctx, check_password(new, "new_password"))
    return user


def personal_tokens(uow: UnitOfWork, identity: Identity) -> list[Token]:
    user = _session_owner(uow, identity)
    return tokens.list_tokens(uow, user.id)


def create_personal_token(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, name: str, scopes: Iterable[str]) -> tuple[Token, str]:
    """A new token (the secret is returned once). Only confirmed addresses get tokens."""
    user = _session_owner(uow, identity)
    if user.confirmed_at is None:
        raise PermissionDenied("Confirm your e-mail address before creating tokens.")
    clean = clean_text(name, "name")
    if clean is None:
        raise ValidationError([FieldError("name", ["A token needs a name."])])
    active = [t for t in tokens.list_tokens(uow, user.id) if t.revoked_at is None]
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise ValidationError([FieldError("name", [f"You may have at most {MAX_ACTIVE_TOKENS} active tokens."])])
    return tokens.create_token(ctx, uow, user, clean, scopes)


def revoke_personal_token(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, token_id: int) -> None:
    user = _session_owner(uow, identity)
    tokens.revoke_token(ctx, uow, user.id, token_id)
