"""The baseline for bench/records.py: a bare Starlette endpoint returning a fixed JSON document,
served by uvicorn exactly as `callimachus serve` serves the application."""

from __future__ import annotations

import json
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def build(payload: dict) -> Starlette:
    async def record(request: Request) -> JSONResponse:
        return JSONResponse(payload)

    return Starlette(routes=[Route("/api/records/{recid}", record)])


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        document = json.load(handle)
    uvicorn.run(build(document), host="127.0.0.1", port=int(sys.argv[2]), log_level="info")
