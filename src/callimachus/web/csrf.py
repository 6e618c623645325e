"""Cross-site request forgery protection for the browser side.

Every page form carries a token bound to the session (``csrf_field()`` in templates). This
middleware refuses an unsafe request (POST, PUT, PATCH, DELETE) that carries a form body
(``application/x-www-form-urlencoded``, ``multipart/form-data`` or ``text/plain``: the bodies a
cross-site form can send) unless its ``csrf_token`` field, or an ``X-CSRF-Token`` header sent by
our own scripts, matches the session's token.

API requests are not affected when they carry a personal token (``Authorization: Bearer`` or
``access_token``), nor when the browser session holds no credentials (no user signed in, no
remembered secret link): without them there is nothing to forge. An unsafe API request that the
session's cookie would authenticate must carry the ``X-CSRF-Token`` header whatever its body: our
scripts send it; another site cannot read the token, and a body-less POST (a "simple" request
that needs no CORS preflight) is no exception. OAI-PMH (``/oai2d``), whose POST only reads, is not
checked. Pages take only forms: an unsafe page request the session would authenticate needs the
token in its form or in the header, whatever its body. Browsers also say where a request comes
from (``Sec-Fetch-Site``); any unsafe request from another site that would ride on the session is
refused whatever its body.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from callimachus.core.errors import PayloadTooLarge, PermissionDenied
from callimachus.web import errors

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
# Endpoints whose POST only reads (OAI-PMH lets harvesters send the verbs as a form): nothing to forge.
READ_ONLY_PATHS = ("/oai2d",)
MAX_FORM_BYTES = 2 * 1024 * 1024  # page forms are small; larger bodies go to the API
REFUSED = "This form has expired or did not come from this site. Go back, reload the page and try again."


def session_token(session: dict[str, Any]) -> str:
    """The session's token, created on first use (which makes the session cookie exist)."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or len(token) < 32:
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def rotate(session: dict[str, Any]) -> None:
    """A new token after signing in or out, so that a token seen before is worth nothing."""
    session[SESSION_KEY] = secrets.token_urlsafe(32)


def _matches(session: dict[str, Any], presented: str | None) -> bool:
    expected = session.get(SESSION_KEY)
    if not isinstance(expected, str) or not presented:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())


def _token_authenticated(scope: Scope, headers: Headers) -> bool:
    if headers.get("authorization"):
        return True
    return any(name == "access_token" for name, _ in parse_qsl(scope.get("query_string", b"").decode("latin-1")))


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise PayloadTooLarge("This form is too large.")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _form_token(scope: Scope, body: bytes, content_type: str) -> str | None:
    if content_type.startswith("text/plain"):
        return None  # never a form of ours: a cross-site trick to send a body without preflight
    request = Request(scope, _replay(body))
    form = await request.form(max_files=100, max_fields=1000)
    try:
        value = form.get(FIELD)
        return value if isinstance(value, str) else None
    finally:
        await form.close()


class CSRFMiddleware:
    """Sits inside the session middleware (it needs ``scope["session"]``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE or scope["path"].startswith(READ_ONLY_PATHS):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        session = scope.get("session") or {}
        if _token_authenticated(scope, headers):
            await self.app(scope, receive, send)
            return
        signed_in = bool(session.get("user_id"))
        credentialed = signed_in or bool(session.get("link_tokens"))  # what the cookie would authenticate
        if credentialed and headers.get("sec-fetch-site") in ("cross-site", "same-site"):
            await self._refuse(scope, receive, send)
            return
        content_type = headers.get("content-type", "").lower()
        if scope["path"].startswith("/api/"):
            if not credentialed or _matches(session, headers.get(HEADER)):
                await self.app(scope, receive, send)
            else:  # the API takes no form fields: only our scripts' header proves the origin
                await self._refuse(scope, receive, send)
            return
        if _matches(session, headers.get(HEADER)):  # our scripts: no need to read the body
            await self.app(scope, receive, send)
            return
        if not content_type.startswith(FORM_TYPES):
            # Other bodies cannot come from another site's form, and browsers send them
            # cross-site only after a CORS preflight, which this site never grants. Pages take
            # only forms, though: a body-less POST riding on the session is refused.
            if credentialed:
                await self._refuse(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
        except PayloadTooLarge as exc:
            await errors.render_error(Request(scope), exc)(scope, receive, send)
            return
        if _matches(session, await _form_token(scope, body, content_type)):
            await self.app(scope, _replay(body), send)
            return
        await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = errors.render_error(Request(scope), PermissionDenied(REFUSED))
        await response(scope, receive, send)
