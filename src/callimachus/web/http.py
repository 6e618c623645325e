"""Request parsing and response helpers shared by the API routes."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from callimachus.core.errors import BadRequest, FieldError, UnsupportedMediaType
from callimachus.services.context import ServiceContext

JSON = "application/json"


def ctx_of(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None, media_type: str = JSON) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=media_type, headers=headers)


def empty_response(status: int = 204) -> Response:
    return Response(status_code=status)


def decode_json(raw: bytes, content_type: str | None) -> Any:
    """JSON bodies, also without a Content-Type (Zenodo clients send none); empty means {}."""
    if content_type:
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind not in ("application/json", "application/vnd.inveniordm.v1+json", "text/json") and not kind.endswith("+json"):
            raise UnsupportedMediaType(f"Send JSON (Content-Type: application/json), not {kind}.")
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BadRequest("Unable to decode JSON data in request body.") from None


async def read_json(request: Request) -> Any:
    return decode_json(await request.body(), request.headers.get("content-type"))


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"Invalid '{name}': {raw!r} is not a whole number.", [FieldError(name, ["Must be a whole number."])]) from None


def page_params(request: Request, *, default_size: int = 10, max_size: int = 100) -> tuple[int, int]:
    page = _int_param(request, "page", 1)
    size = _int_param(request, "size", default_size)
    if page < 1:
        raise BadRequest("Invalid 'page': pages start at 1.", [FieldError("page", ["Must be 1 or more."])])
    if size < 1 or size > max_size:
        raise BadRequest(f"Page size cannot be greater than {max_size}.", [FieldError("size", [f"Must be between 1 and {max_size}."])])
    return page, size


def bool_param(request: Request, *names: str) -> bool:
    for name in names:
        if name in request.query_params:
            return request.query_params[name].strip().lower() in ("", "1", "true", "yes", "on")
    return False
