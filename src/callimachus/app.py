"""Wiring: builds the backends from settings and the ASGI application. The only place (with
cli.py and worker.py) that reads settings and picks implementations."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlparse

import orjson
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from callimachus import __version__
from callimachus.config import Settings, settings_from_env
from callimachus.core.clock import SystemClock
from callimachus.core.errors import CallimachusError
from callimachus.db.changes import change_detector
from callimachus.db.engine import create_db_engine, make_session_factory
from callimachus.db.uow import Database
from callimachus.formats.base import FormatContext
from callimachus.formats.zenodo import zenodo_record_json
from callimachus.mail.base import Mailer
from callimachus.mail.outbox import OutboxMailer
from callimachus.mail.smtp import SMTPMailer
from callimachus.pids.doi import LocalDOIProvider
from callimachus.search.base import SearchIndex
from callimachus.services import oai
from callimachus.services.context import ServiceContext
from callimachus.services.search_indexing import attach_index
from callimachus.storage.base import FileStore
from callimachus.storage.local import LocalFileStore
from callimachus.tasks.base import TaskQueue
from callimachus.tasks.inline import InlineTaskQueue
from callimachus.web import errors
from callimachus.web.api import access as access_api
from callimachus.web.api import files as files_api
from callimachus.web.api import legacy as legacy_api
from callimachus.web.api import records as records_api
from callimachus.web.api import search as search_api
from callimachus.web.api import uploads as uploads_api
from callimachus.web.api import vocabularies as vocabularies_api
from callimachus.web.cache import PublicResponseCache
from callimachus.web.csrf import CSRFMiddleware
from callimachus.web.negotiation import Negotiator, Variant
from callimachus.web.oai import router as oai_router
from callimachus.web.pages import access as access_pages
from callimachus.web.pages import accounts as account_pages
from callimachus.web.pages import dashboard as dashboard_pages
from callimachus.web.pages import deposit as deposit_pages
from callimachus.web.pages import deposit_actions as deposit_action_pages
from callimachus.web.pages import exports as export_pages
from callimachus.web.pages import home as home_pages
from callimachus.web.pages import previews as preview_pages
from callimachus.web.pages import records as record_pages
from callimachus.web.pages import search as search_pages
from callimachus.web.pages import settings as settings_pages
from callimachus.web.pages import sharing as sharing_pages
from callimachus.web.pages import sitemaps as sitemap_pages
from callimachus.web.pages.templating import STATIC, Pages
from callimachus.web.representations import register_record_formats

log = logging.getLogger(__name__)


def ensure_secret_key(settings: Settings) -> Settings:
    """A signing key for sessions and tokens: configured, or generated once per instance."""
    if settings.secret_key:
        return settings
    path = settings.instance_path / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return settings.with_overrides(secret_key=path.read_text().strip())


def build_file_store(url: str) -> FileStore:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return LocalFileStore(Path(parsed.path))
    if parsed.scheme == "s3":
        from callimachus.storage.s3 import S3FileStore

        return S3FileStore.from_url(url)
    raise ValueError(f"unsupported CALLIMACHUS_STORAGE_URL scheme: {parsed.scheme!r}")


def build_mailer(settings: Settings) -> Mailer:
    if settings.mail_url:
        return SMTPMailer(settings.mail_url, settings.mail_sender)
    return OutboxMailer(settings.outbox_path, settings.mail_sender)


def build_tasks(settings: Settings) -> TaskQueue:
    scheme = urlparse(settings.tasks_url).scheme
    if scheme == "inline":
        from callimachus.worker import schedules

        return InlineTaskQueue({}, schedules(settings))
    if scheme in ("amqp", "redis", "rediss", "pyamqp"):
        from callimachus.tasks.celery_queue import CeleryTaskQueue
        from callimachus.worker import make_celery

        return CeleryTaskQueue(make_celery(settings))
    raise ValueError(f"unsupported CALLIMACHUS_TASKS_URL scheme: {scheme!r}")


def build_search_index(url: str) -> SearchIndex:
    """The search backend named by ``CALLIMACHUS_SEARCH_URL``: ``tantivy:///abs/path`` or ``postgresql://…``."""
    parsed = urlparse(url)
    if parsed.scheme == "tantivy":
        from callimachus.search.tantivy_index import TantivyIndex

        return TantivyIndex(Path(parsed.path))
    if parsed.scheme in ("postgresql", "postgres"):
        from callimachus.search.postgres_index import PostgresIndex

        index = PostgresIndex(url)
        index.ensure_schema()
        return index
    raise ValueError(f"unsupported CALLIMACHUS_SEARCH_URL scheme: {parsed.scheme!r}")


def build_context(settings: Settings) -> ServiceContext:
    settings = ensure_secret_key(settings)
    engine = create_db_engine(settings.database_url)
    db = Database(engine, make_session_factory(engine))
    ctx = ServiceContext(
        settings=settings,
        db=db,
        files=build_file_store(settings.storage_url),
        clock=SystemClock(),
        doi=LocalDOIProvider(prefix=settings.doi_prefix, pattern=settings.doi_pattern),
        tasks=build_tasks(settings),
        mailer=build_mailer(settings),
    )
    attach_index(ctx, build_search_index(settings.search_url))
    ctx.listeners.append(oai.prerender_listener(ctx))
    if isinstance(ctx.tasks, InlineTaskQueue):
        from callimachus.worker import task_functions

        for name, function in task_functions(ctx).items():
            ctx.tasks.register(name, function)
    return ctx


class ResponseHeaders:
    """Security headers on every response; ``private, no-store`` on anything personalised."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                state = scope.get("state") or {}
                if state.get("private"):
                    headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"private, no-store"))
                    if state.get("link_token"):
                        headers.append((b"referrer-policy", b"no-referrer"))
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"vary", b"Authorization, Cookie, Accept"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def build_format_context(settings: Settings) -> FormatContext:
    """The site values every serializer needs (see ``formats/base.py``)."""
    return FormatContext(site_url=settings.site_url, site_name=settings.site_name, oai_domain=settings.oai_domain)


NATIVE_JSON = "application/vnd.inveniordm.v1+json"


def record_negotiator(format_ctx: FormatContext) -> Negotiator:
    """The representations of ``GET /api/records/{id}``, by media type."""
    negotiator = Negotiator()
    negotiator.register(Variant(NATIVE_JSON, lambda record, params: orjson.dumps(record), "application/json"))
    # As on zenodo.org, plain JSON is Zenodo's record JSON; the native shape needs its own type.
    negotiator.register(
        Variant(
            "application/json", lambda record, params: orjson.dumps(zenodo_record_json(record)),
            aliases=("application/vnd.zenodo.v1+json",),
        ),
        default=True,
    )
    register_record_formats(negotiator, format_ctx)
    return negotiator


def create_app(settings: Settings | None = None, ctx: ServiceContext | None = None) -> FastAPI:
    if ctx is None:
        ctx = build_context(settings or settings_from_env())
    settings = ctx.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        start = getattr(ctx.tasks, "start", None)
        if start is not None:
            start()
        yield
        stop = getattr(ctx.tasks, "stop", None)
        if stop is not None:
            stop()

    app = FastAPI(
        title=settings.site_name,
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.pages = Pages(settings.site_name, settings.site_url)
    app.state.public_cache = PublicResponseCache(change_detector(ctx.db.engine))
    app.state.format_ctx = build_format_context(settings)
    app.state.record_negotiator = record_negotiator(app.state.format_ctx)
    app.add_exception_handler(CallimachusError, errors.handle_domain_error)
    app.add_exception_handler(StarletteHTTPException, errors.handle_http_error)
    app.add_exception_handler(RequestValidationError, errors.handle_request_validation)
    app.add_exception_handler(Exception, errors.handle_unexpected)
    for router in (search_api.router, records_api.router, files_api.router, uploads_api.router, access_api.router, legacy_api.router, vocabularies_api.router, record_pages.router, access_pages.router):
        app.include_router(router)
    app.include_router(oai_router.router)
    for router in (home_pages.router, account_pages.router, settings_pages.router, preview_pages.router):
        app.include_router(router)
    for router in (export_pages.router, sitemap_pages.router):
        app.include_router(router)
    for router in (deposit_pages.router, deposit_action_pages.router, sharing_pages.router, search_pages.router, dashboard_pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(CSRFMiddleware)  # inside the session middleware: it reads the session
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="callimachus_session",
        same_site="lax",
        https_only=settings.site_url.startswith("https://"),
    )
    app.add_middleware(ResponseHeaders)
    return app
