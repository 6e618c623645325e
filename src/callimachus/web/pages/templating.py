"""Jinja2 environment and the HTML side of the error table.

Every page gets: the site's name and URL, the signed-in ``viewer`` (or None), one-time ``flashes``
from the session, ``csrf_field()`` for forms, ``static_url()``, translations (``_``,
``gettext``, ``ngettext``, ``{% trans %}``) and the security headers of pages (a strict
Content-Security-Policy: no inline scripts or styles).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from callimachus.core.errors import CallimachusError
from callimachus.metadata.html import sanitize_html
from callimachus.web import csrf
from callimachus.web.pages import i18n

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).resolve().parents[1] / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
FLASH_KEY = "flash"
_UNKNOWN = object()


def _filesize(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"


def _sanitize(value: Any) -> Markup:
    """Description HTML is stored sanitised; sanitising again on output is defence in depth."""
    return Markup(sanitize_html(str(value or "")))


@dataclass(frozen=True)
class Viewer:
    """The signed-in person as pages show them (header menu, settings)."""

    id: int
    email: str
    display_name: str | None
    is_admin: bool
    confirmed: bool

    @property
    def label(self) -> str:
        return self.display_name or self.email


def viewer_of(request: Request) -> Viewer | None:
    """The signed-in user of this request, looked up once (a session that ended is nobody)."""
    found = getattr(request.state, "viewer", _UNKNOWN)
    if found is None or isinstance(found, Viewer):
        return found
    from callimachus.services import accounts
    from callimachus.web.auth import SESSION_STAMP, SESSION_USER

    viewer = None
    session = request.scope.get("session") or {}
    if session.get(SESSION_USER):
        ctx = request.app.state.ctx
        with ctx.unit_of_work() as uow:
            user = accounts.session_user(ctx, uow, int(session[SESSION_USER]), str(session.get(SESSION_STAMP) or ""))
            if user is not None:
                viewer = Viewer(user.id, user.email, user.display_name, user.is_admin, user.confirmed_at is not None)
    request.state.viewer = viewer
    return viewer


def flash(request: Request, message: str, kind: str = "info") -> None:
    """A message for the next page this browser shows (after a redirect). Not for secrets:
    the session cookie is signed, not encrypted."""
    session = request.scope.get("session")
    if session is not None:
        session[FLASH_KEY] = [*session.get(FLASH_KEY, [])[-4:], [kind, message]]


@pass_context
def _csrf_field(context: Context) -> Markup:
    request: Request = context["request"]
    request.state.csrf_used = True
    token = csrf.session_token(request.scope["session"])
    return Markup('<input type="hidden" name="{}" value="{}">').format(csrf.FIELD, token)


@pass_context
def _csrf_token(context: Context) -> str:
    request: Request = context["request"]
    request.state.csrf_used = True
    return csrf.session_token(request.scope["session"])


def _static_versions() -> dict[str, str]:
    """A short content hash per static file, so that URLs change when the file does."""
    if not STATIC.is_dir():
        return {}
    return {
        str(path.relative_to(STATIC)): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in STATIC.rglob("*") if path.is_file()
    }


class Pages:
    """Renders templates with the site-wide values every page needs."""

    def __init__(self, site_name: str, site_url: str) -> None:
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(["html", "xml"]),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
        )
        self.env.install_gettext_translations(i18n.translations(i18n.DEFAULT_LOCALE), newstyle=True)  # type: ignore[attr-defined]
        self.env.filters["filesize"] = _filesize
        self.env.filters["sanitize_html"] = _sanitize
        self.env.globals["csrf_field"] = _csrf_field
        self.env.globals["csrf_token"] = _csrf_token
        versions = _static_versions()
        self.env.globals["static_url"] = lambda name: f"/static/{name}?v={versions.get(name, '0')}"
        self.site_name = site_name
        self.site_url = site_url

    def render(self, request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None, **values: Any) -> HTMLResponse:
        locale = i18n.negotiate(request.headers.get("accept-language"))
        session = request.scope.get("session")
        flashes = session.pop(FLASH_KEY, []) if session else []
        values.setdefault("viewer", viewer_of(request) if "session" in request.scope else None)
        html = self.env.get_template(template).render(
            request=request, site_name=self.site_name, site_url=self.site_url, locale=locale,
            flashes=flashes, **i18n.callables(locale), **values,
        )
        response_headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Frame-Options": "DENY", **(headers or {})}
        if not getattr(request.state, "link_token", False):
            response_headers.setdefault("Referrer-Policy", "same-origin")
        if getattr(request.state, "csrf_used", False) or flashes or values.get("viewer"):
            response_headers["Cache-Control"] = "private, no-store"  # holds this session's token
        return HTMLResponse(html, status_code=status, headers=response_headers)

    def error_page(self, request: Request, exc: CallimachusError, headers: dict[str, str]) -> HTMLResponse:
        try:
            viewer = viewer_of(request) if "session" in request.scope else None
        except Exception:  # noqa: BLE001 - an error page must render even when the database fails
            viewer = None
        return self.render(request, "error.html", status=exc.status, headers=headers, error=exc, viewer=viewer, error_page=True)
