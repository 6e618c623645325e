"""``GET`` and ``POST /oai2d``: the OAI-PMH 2.0 endpoint.

Arguments come from the query string (GET) or an ``application/x-www-form-urlencoded`` body
(POST, as pyoai-based harvesters send them). Every answer is HTTP 200 ``text/xml``; protocol
errors are ``<error>`` elements (OAI-PMH §3.6). Harvesting is anonymous: credentials, cookies
and secret-link tokens sent along are ignored.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from callimachus.services import oai
from callimachus.services.context import ServiceContext
from callimachus.web.http import ctx_of
from callimachus.web.oai import xml
from callimachus.web.oai.arguments import OaiError, OaiErrors, OaiRequest, parse
from callimachus.web.oai.tokens import TokenSigner
from callimachus.web.oai.verbs import HANDLERS, Exchange

log = logging.getLogger(__name__)

router = APIRouter(tags=["oai-pmh"])
PATH = "/oai2d"
MEDIA_TYPE = "text/xml; charset=utf-8"
FORM = "application/x-www-form-urlencoded"
MAX_BODY = 64 * 1024  # a resumption token is a few hundred bytes


def _pairs(raw: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return []


def _base_url(ctx: ServiceContext) -> str:
    return ctx.settings.site_url.rstrip("/") + PATH


def answer(ctx: ServiceContext, pairs: list[tuple[str, str]]) -> bytes:
    """The response document for a request's arguments (runs in a worker thread)."""
    now = ctx.clock.now()
    base_url = _base_url(ctx)
    try:
        request = parse(pairs)
    except OaiErrors as exc:  # badVerb, badArgument: the request element repeats no argument
        return xml.to_bytes(xml.errors(xml.document(base_url, now, {}), exc.errors))
    signer = TokenSigner(ctx.settings.secret_key, ctx.settings.oai_token_lifetime_seconds, ctx.clock)
    exchange = Exchange(ctx, request, base_url, now, signer)
    try:
        body = xml.to_bytes(HANDLERS[request.verb](exchange))
    except OaiErrors as exc:
        body = xml.to_bytes(xml.errors(exchange.document(), exc.errors))
    _keep(ctx, exchange)
    return body


def _keep(ctx: ServiceContext, exchange: Exchange) -> None:
    """Store payloads rendered for this answer; a failure here costs a later render, no more."""
    if not exchange.fresh:
        return
    try:
        with ctx.unit_of_work(write=True) as uow:
            oai.store_fresh(ctx, uow, exchange.fresh)
            uow.commit()
    except Exception:  # noqa: BLE001 - a cache write must never fail a harvest
        log.exception("could not store %d rendered OAI-PMH payloads", len(exchange.fresh))


async def _respond(request: Request, pairs: list[tuple[str, str]]) -> Response:
    body = await run_in_threadpool(answer, ctx_of(request), pairs)
    return Response(body, media_type=MEDIA_TYPE)


@router.get(PATH, summary="OAI-PMH 2.0 (GET)", response_class=Response)
async def oai_get(request: Request) -> Response:
    return await _respond(request, _pairs(request.url.query))


async def _form(request: Request) -> str | None:
    """The form body as text; None when it is longer than any OAI-PMH request can be."""
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > MAX_BODY:
            return None
    return received.decode("utf-8", "replace")


@router.post(PATH, summary="OAI-PMH 2.0 (POST)", response_class=Response)
async def oai_post(request: Request) -> Response:
    kind = request.headers.get("content-type", FORM).split(";")[0].strip().lower()
    body = await _form(request) if kind == FORM else ""
    if body is None:
        error = OaiError("badArgument", f"The request body is longer than {MAX_BODY} bytes.")
        document = xml.errors(xml.document(_base_url(ctx_of(request)), ctx_of(request).clock.now(), {}), [error])
        return Response(xml.to_bytes(document), media_type=MEDIA_TYPE)
    return await _respond(request, _pairs(request.url.query) + _pairs(body))


__all__ = ["OaiRequest", "answer", "router"]
