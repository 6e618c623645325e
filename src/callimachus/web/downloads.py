"""Serving file content: Range, ETag, safe Content-Disposition, never rendering active content."""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from callimachus.core.errors import RangeNotSatisfiable
from callimachus.services import files
from callimachus.services.files import Download
from callimachus.web.auth import authenticate
from callimachus.web.http import ctx_of
from callimachus.web.representations import file_link_header, format_ctx_of

# Types a browser may show inline without running anything; everything else is an attachment.
INLINE_SAFE = {
    "application/pdf", "text/plain", "text/csv", "text/tab-separated-values", "application/json",
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "image/tiff",
}
INLINE_SAFE_PREFIXES = ("audio/", "video/")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def content_disposition(key: str, inline: bool) -> str:
    """RFC 6266: an ASCII fallback ``filename`` and the exact name as ``filename*`` (RFC 5987)."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in key) or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(key, safe='')}"


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One byte range, or None for the whole file (no header, several ranges, or bad syntax)."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or end < start:
        raise RangeNotSatisfiable(size)
    return start, end


def _headers(dl: Download, inline: bool) -> dict[str, str]:
    headers = {
        "ETag": f'"{dl.md5}"',
        "Accept-Ranges": "bytes",
        "Content-Disposition": content_disposition(dl.key, inline),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "Digest": f"md5={dl.md5}",
        "Cache-Control": "private, no-store" if dl.private else "no-cache",
    }
    return headers


def serve_download(request: Request, recid: int, key: str, *, draft: bool) -> Response:
    ctx = ctx_of(request)
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        dl = files.download(ctx, uow, who, recid, key, draft=draft)
    mimetype = dl.mimetype
    inline = request.query_params.get("download") is None and (
        mimetype in INLINE_SAFE or mimetype.startswith(INLINE_SAFE_PREFIXES)
    )
    headers = _headers(dl, inline)
    if not draft:  # FAIR Signposting: the file belongs to the record's landing page
        headers["Link"] = file_link_header(recid, format_ctx_of(request))
    if request.headers.get("if-none-match", "").strip() in (f'"{dl.md5}"', f'W/"{dl.md5}"', "*"):
        return Response(status_code=304, headers=headers)
    if_range = request.headers.get("if-range")
    wanted = None if (if_range and if_range.strip() != f'"{dl.md5}"') else parse_range(request.headers.get("range"), dl.size)
    start, end, status = (0, None, 200) if wanted is None else (wanted[0], wanted[1], 206)
    if wanted is not None:
        headers["Content-Range"] = f"bytes {start}-{end}/{dl.size}"
    headers["Content-Length"] = str(dl.size if end is None else end - start + 1)
    if request.method == "HEAD":  # the same headers, without opening the content
        return Response(status_code=status, media_type=mimetype, headers=headers)
    return StreamingResponse(ctx.files.open_range(dl.storage_key, start, end), status_code=status, media_type=mimetype, headers=headers)
