"""Sign-up, e-mail confirmation, sign-in, sign-out and password reset pages (URLs as Zenodo's)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import CallimachusError
from callimachus.services import accounts, users
from callimachus.web.http import ctx_of
from callimachus.web.pages import forms
from callimachus.web.pages.i18n import N_
from callimachus.web.pages.templating import flash, viewer_of

router = APIRouter(include_in_schema=False)


def _render(request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None, **values: Any) -> Response:
    values.setdefault("errors", {})
    values.setdefault("error", None)
    values.setdefault("min_password", users.MIN_PASSWORD)
    return request.app.state.pages.render(request, template, status=status, headers=headers, **values)


def _refused(request: Request, template: str, exc: CallimachusError, **values: Any) -> Response:
    errors, message = forms.field_errors(exc)
    return _render(request, template, forms.form_status(exc), forms.error_headers(exc), errors=errors, error=message, **values)


# --- sign in and out ---------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request) -> Response:
    target = forms.safe_next(request.query_params.get("next"))
    if viewer_of(request) is not None:
        return forms.redirect(target)
    return _render(request, "accounts/login.html", next=target, email="")


@router.post("/login")
async def login(request: Request) -> Response:
    values = await forms.read_form(request)
    email, target = forms.text(values, "email"), forms.safe_next(forms.text(values, "next"))
    ctx = ctx_of(request)

    def attempt() -> accounts.SignIn:
        with ctx.unit_of_work(write=True) as uow:
            result = accounts.sign_in(ctx, uow, email, forms.text(values, "password"), client=forms.client_key(request))
            uow.commit()  # an unconfirmed account gets a fresh link, sent after the commit
            return result

    try:
        result = await forms.in_thread(attempt)
    except CallimachusError as exc:
        return _refused(request, "accounts/login.html", exc, next=target, email=email)
    if not result.confirmed:
        message = N_("Confirm your e-mail address first: we sent you a new link.")
        return _render(request, "accounts/login.html", 403, error=message, next=target, email=email)
    forms.start_session(request, ctx, result.user)
    flash(request, N_("You are signed in."), "success")
    return forms.redirect(target)


@router.post("/logout")
def logout(request: Request) -> Response:
    forms.end_session(request)
    flash(request, N_("You are signed out."), "success")
    return forms.redirect("/")


# --- sign up and confirm -----------------------------------------------------------------------


@router.get("/signup")
def signup_form(request: Request) -> Response:
    if viewer_of(request) is not None:
        return forms.redirect("/")
    return _render(request, "accounts/signup.html", email="", display_name="", sent=False)


@router.post("/signup")
async def signup(request: Request) -> Response:
    values = await forms.read_form(request)
    email, name = forms.text(values, "email"), forms.text(values, "display_name")
    ctx = ctx_of(request)

    def create() -> None:
        with ctx.unit_of_work(write=True) as uow:
            accounts.sign_up(ctx, uow, email, forms.text(values, "password"), name, client=forms.client_key(request))
            uow.commit()

    try:
        await forms.in_thread(create)
    except CallimachusError as exc:
        return _refused(request, "accounts/signup.html", exc, email=email, display_name=name, sent=False)
    # The same answer whether or not the address was registered before.
    return _render(request, "accounts/signup.html", email=email.strip(), display_name="", sent=True)


@router.get("/account/confirm")
def confirm_form(request: Request) -> Response:
    """A button, not an automatic confirmation: mail scanners that follow links confirm nothing."""
    token = request.query_params.get("token", "")[:200]
    return _render(request, "accounts/confirm.html", token=token)


@router.post("/account/confirm")
async def confirm(request: Request) -> Response:
    values = await forms.read_form(request)
    ctx = ctx_of(request)

    def redeem() -> Any:
        with ctx.unit_of_work(write=True) as uow:
            user = accounts.confirm_email(ctx, uow, forms.text(values, "token"))
            uow.commit()
            return user

    try:
        user = await forms.in_thread(redeem)
    except CallimachusError as exc:
        return _render(request, "accounts/confirm.html", 400, token="", error=exc.message)
    forms.start_session(request, ctx, user)
    flash(request, N_("Thank you: your e-mail address is confirmed and you are signed in."), "success")
    return forms.redirect("/")


# --- password reset ----------------------------------------------------------------------------


@router.get("/lost-password")
def lost_password_form(request: Request) -> Response:
    return _render(request, "accounts/lost_password.html", email="", sent=False)


@router.post("/lost-password")
async def lost_password(request: Request) -> Response:
    values = await forms.read_form(request)
    email = forms.text(values, "email")
    ctx = ctx_of(request)

    def ask() -> None:
        with ctx.unit_of_work(write=True) as uow:
            accounts.request_password_reset(ctx, uow, email, client=forms.client_key(request))
            uow.commit()

    try:
        await forms.in_thread(ask)
    except CallimachusError as exc:
        return _refused(request, "accounts/lost_password.html", exc, email=email, sent=False)
    return _render(request, "accounts/lost_password.html", email=email.strip(), sent=True)


@router.get("/lost-password/reset")
def reset_form(request: Request) -> Response:
    token = request.query_params.get("token", "")[:200]
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        valid = accounts.reset_token_is_valid(ctx, uow, token)
    return _render(request, "accounts/reset_password.html", 200 if valid else 400, token=token, invalid=not valid)


@router.post("/lost-password/reset")
async def reset(request: Request) -> Response:
    values = await forms.read_form(request)
    token = forms.text(values, "token")
    ctx = ctx_of(request)

    def change() -> None:
        with ctx.unit_of_work(write=True) as uow:
            accounts.reset_password(ctx, uow, token, forms.text(values, "password"))
            uow.commit()

    try:
        await forms.in_thread(change)
    except CallimachusError as exc:
        errors, _ = forms.field_errors(exc)
        if not errors:
            return _render(request, "accounts/reset_password.html", 400, token="", invalid=True)
        return _refused(request, "accounts/reset_password.html", exc, token=token, invalid=False)
    forms.end_session(request)
    flash(request, N_("Your password was changed. Sign in with your new password."), "success")
    return forms.redirect("/login")
