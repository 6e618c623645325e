"""Helpers shared by the pages that take forms: reading fields, showing errors, safe redirects,
and starting or ending a browser session."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from callimachus.core.errors import CallimachusError, TooManyRequests
from callimachus.db.models import User
from callimachus.services import accounts
from callimachus.services.context import ServiceContext
from callimachus.web import csrf
from callimachus.web.auth import SESSION_STAMP, SESSION_USER

MAX_FIELD = 4096  # no page field needs more; longer values are cut before any service sees them


async def read_form(request: Request) -> dict[str, Any]:
    """Text fields of a posted form; repeated fields (checkboxes) as lists."""
    form = await request.form(max_files=0, max_fields=100)
    values: dict[str, Any] = {}
    for key in set(form.keys()):
        items = [v[:MAX_FIELD] for v in form.getlist(key) if isinstance(v, str)]
        values[key] = items if len(items) > 1 or key == "scopes" else (items[0] if items else "")
    await form.close()
    return values


def text(values: dict[str, Any], name: str) -> str:
    value = values.get(name, "")
    return value if isinstance(value, str) else ""


async def in_thread(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Services do blocking I/O (database, argon2): never on the event loop."""
    return await run_in_threadpool(function, *args, **kwargs)


def field_errors(exc: CallimachusError) -> tuple[dict[str, list[str]], str | None]:
    """Errors by field for the form, and a message for the whole form when none names a field."""
    by_field: dict[str, list[str]] = {}
    for problem in exc.errors:
        by_field.setdefault(problem.field, []).extend(problem.messages)
    return by_field, (None if by_field else exc.message)


def error_headers(exc: CallimachusError) -> dict[str, str]:
    if isinstance(exc, TooManyRequests):
        return {"Retry-After": str(exc.retry_after)}
    return {}


def form_status(exc: CallimachusError) -> int:
    """A refused form is shown again: 400, or 429 when throttled (a 401 would ask for HTTP auth)."""
    return 429 if isinstance(exc, TooManyRequests) else 400


def safe_next(value: str | None, default: str = "/") -> str:
    """Only a path on this site: ``/records/1?x=y``. Never ``//host``, ``/\\host`` or a scheme."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    if any(ch in value for ch in "\\\r\n\t") or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def redirect(location: str) -> RedirectResponse:
    """After a successful POST: the browser GETs the next page (303)."""
    return RedirectResponse(location, status_code=303)


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"/login?next={quote(target, safe='')}")


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def start_session(request: Request, ctx: ServiceContext, user: User) -> None:
    """A fresh session for ``user``: nothing from before survives (no fixation), new CSRF token."""
    session = request.session
    session.clear()
    session[SESSION_USER] = user.id
    session[SESSION_STAMP] = accounts.session_stamp(ctx, user)
    csrf.rotate(session)


def end_session(request: Request) -> None:
    request.session.clear()
    csrf.rotate(request.session)
