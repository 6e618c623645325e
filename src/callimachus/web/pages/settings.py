"""Account settings: profile, password, personal tokens (created with scopes, shown once, revoked)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import CallimachusError
from callimachus.core.identity import SCOPE_DEPOSIT_ACTIONS, SCOPE_DEPOSIT_WRITE, SCOPE_USER_EMAIL, Identity
from callimachus.services import accounts, users
from callimachus.web.auth import SESSION_STAMP, authenticate
from callimachus.web.http import ctx_of
from callimachus.web.pages import forms
from callimachus.web.pages.i18n import N_
from callimachus.web.pages.templating import flash

router = APIRouter(include_in_schema=False)

SCOPES = (
    (SCOPE_DEPOSIT_WRITE, N_("create and edit uploads")),
    (SCOPE_DEPOSIT_ACTIONS, N_("publish uploads")),
    (SCOPE_USER_EMAIL, N_("read your e-mail address")),
)


def _identity(request: Request) -> Identity:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        return authenticate(ctx, uow, request)


def _settings_page(request: Request, identity: Identity, status: int = 200, **values: Any) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        account = accounts.account(uow, identity)
    values.setdefault("display_name", account.display_name or "")
    for key in ("profile_errors", "password_errors"):
        values.setdefault(key, {})
    return request.app.state.pages.render(
        request, "accounts/settings.html", status=status, account=account, min_password=users.MIN_PASSWORD, **values
    )


def _tokens_page(request: Request, identity: Identity, status: int = 200, **values: Any) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        account = accounts.account(uow, identity)
        tokens = accounts.personal_tokens(uow, identity)
    values.setdefault("errors", {})
    values.setdefault("name", "")
    values.setdefault("chosen", ())
    return request.app.state.pages.render(
        request, "accounts/tokens.html", status=status, account=account, tokens=list(reversed(tokens)), scopes=SCOPES, **values
    )


@router.get("/account/settings")
def settings_page(request: Request) -> Response:
    identity = _identity(request)
    if identity.is_anonymous:
        return forms.login_redirect(request)
    return _settings_page(request, identity)


@router.post("/account/settings/profile")
async def save_profile(request: Request) -> Response:
    values = await forms.read_form(request)
    identity = await forms.in_thread(_identity, request)
    if identity.is_anonymous:
        return forms.login_redirect(request)
    ctx = ctx_of(request)
    name = forms.text(values, "display_name")

    def save() -> None:
        with ctx.unit_of_work(write=True) as uow:
            accounts.update_profile(ctx, uow, identity, name)
            uow.commit()

    try:
        await forms.in_thread(save)
    except CallimachusError as exc:
        errors, message = forms.field_errors(exc)
        return await forms.in_thread(_settings_page, request, identity, 400, display_name=name, profile_errors=errors, profile_error=message)
    flash(request, N_("Your profile is saved."), "success")
    return forms.redirect("/account/settings")


@router.post("/account/settings/password")
async def change_password(request: Request) -> Response:
    values = await forms.read_form(request)
    identity = await forms.in_thread(_identity, request)
    if identity.is_anonymous:
        return forms.login_redirect(request)
    ctx = ctx_of(request)

    def change() -> str:
        with ctx.unit_of_work(write=True) as uow:
            user = accounts.change_password(ctx, uow, identity, forms.text(values, "current_password"), forms.text(values, "new_password"))
            uow.commit()
            return accounts.session_stamp(ctx, user)

    try:
        stamp = await forms.in_thread(change)
    except CallimachusError as exc:
        errors, message = forms.field_errors(exc)
        return await forms.in_thread(_settings_page, request, identity, 400, password_errors=errors, password_error=message)
    request.session[SESSION_STAMP] = stamp  # this session goes on; every other one has ended
    flash(request, N_("Your password was changed. Other sessions were signed out."), "success")
    return forms.redirect("/account/settings")


@router.get("/account/settings/applications")
def tokens_page(request: Request) -> Response:
    identity = _identity(request)
    if identity.is_anonymous:
        return forms.login_redirect(request)
    return _tokens_page(request, identity)


@router.post("/account/settings/applications/tokens")
async def create_token(request: Request) -> Response:
    values = await forms.read_form(request)
    identity = await forms.in_thread(_identity, request)
    if identity.is_anonymous:
        return forms.login_redirect(request)
    ctx = ctx_of(request)
    name = forms.text(values, "name")
    chosen = [s for s in values.get("scopes", []) if isinstance(s, str)]

    def create() -> tuple[str, str]:
        with ctx.unit_of_work(write=True) as uow:
            token, secret = accounts.create_personal_token(ctx, uow, identity, name, chosen)
            uow.commit()
            return token.name, secret

    try:
        token_name, secret = await forms.in_thread(create)
    except CallimachusError as exc:
        errors, message = forms.field_errors(exc)
        return await forms.in_thread(_tokens_page, request, identity, 400, errors=errors, error=message, name=name, chosen=chosen)
    # Shown in this response only: never in a URL, a redirect or the (readable) session cookie.
    return await forms.in_thread(_tokens_page, request, identity, 200, new_secret=secret, new_name=token_name)


@router.post("/account/settings/applications/tokens/{token_id}/revoke")
def revoke_token(token_id: int, request: Request) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work(write=True) as uow:
        identity = authenticate(ctx, uow, request)
        if identity.is_anonymous:
            return forms.login_redirect(request)
        accounts.revoke_personal_token(ctx, uow, identity, token_id)
        uow.commit()
    flash(request, N_("The token was revoked: it no longer works."), "success")
    return forms.redirect("/account/settings/applications")
