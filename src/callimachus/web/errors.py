"""The one error table: every domain error becomes the same JSON shape (or an HTML page)."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from callimachus.core.errors import CallimachusError, Gone, RangeNotSatisfiable, TooManyRequests

log = logging.getLogger(__name__)


def error_body(exc: CallimachusError) -> dict[str, Any]:
    body: dict[str, Any] = {"status": exc.status, "message": exc.message}
    if exc.errors:
        body["errors"] = [e.as_dict() for e in exc.errors]
    if isinstance(exc, Gone):
        body["tombstone"] = exc.tombstone
    return body


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.startswith("/oai2d"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _headers(exc: CallimachusError) -> dict[str, str]:
    headers = {"Cache-Control": "no-store"}
    if isinstance(exc, RangeNotSatisfiable):
        headers["Content-Range"] = f"bytes */{exc.size}"
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    return headers


def render_error(request: Request, exc: CallimachusError) -> Response:
    if _wants_html(request):
        pages = getattr(request.app.state, "pages", None)
        if pages is not None:
            return pages.error_page(request, exc, _headers(exc))
        return HTMLResponse(f"<h1>{exc.status}</h1><p>{exc.message}</p>", status_code=exc.status, headers=_headers(exc))
    return Response(orjson.dumps(error_body(exc)), status_code=exc.status, media_type="application/json", headers=_headers(exc))


async def handle_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CallimachusError)
    return render_error(request, exc)


async def handle_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {404: "The persistent identifier does not exist.", 405: "The method is not allowed for the requested URL."}
    error = CallimachusError(message=messages.get(exc.status_code, str(exc.detail)), status=exc.status_code)
    return render_error(request, error)


async def handle_request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    from callimachus.core.errors import FieldError

    errors = [FieldError(".".join(str(p) for p in e.get("loc", ())[1:]), [str(e.get("msg"))]) for e in exc.errors()]
    return render_error(request, CallimachusError(message="A validation error occurred.", errors=errors, status=400))


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return render_error(request, CallimachusError(message="An internal error occurred.", status=500))
