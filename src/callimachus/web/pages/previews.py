"""File previews: ``/records/{id}/preview/{key}`` (and ``?preview=1`` for a draft's files).

A preview goes through the same service and access rule as a download
(``services.files.download``): a file the visitor may not read is the same 404 as a missing
one. What a preview shows is built by ``previewers`` from at most a bounded number of bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from callimachus.services import files
from callimachus.services.files import Download
from callimachus.services.loading import parse_recid
from callimachus.services.render import key_url
from callimachus.web.auth import authenticate
from callimachus.web.http import bool_param, ctx_of
from callimachus.web.pages import previewers
from callimachus.web.pages.previewers import LIMITS, Preview

router = APIRouter(include_in_schema=False)


class StoredBlobReader(io.RawIOBase):
    """A read-only, seekable file over a stored blob: every read is a ranged read of the store.

    ``zipfile`` needs to seek (the central directory is at the end); the archive's members are
    never read, so only the directory's bytes travel.
    """

    def __init__(self, open_range: Callable[[int, int], Iterator[bytes]], size: int) -> None:
        self._open_range = open_range
        self._size = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wanted = min(len(buffer), self._size - self._position)
        if wanted <= 0:
            return 0
        data = b"".join(self._open_range(self._position, self._position + wanted - 1))[:wanted]
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)


def _read_head(request: Request, dl: Download, limit: int) -> bytes:
    length = min(dl.size, limit)
    if length <= 0:
        return b""
    store = ctx_of(request).files
    data = bytearray()
    for chunk in store.open_range(dl.storage_key, 0, length - 1):
        data.extend(chunk)
        if len(data) >= length:
            break
    return bytes(data[:length])


def build_preview(request: Request, dl: Download) -> Preview:
    kind = previewers.kind_for(dl.key, dl.mimetype)
    if kind in ("image", "pdf"):
        limit = LIMITS.image_bytes if kind == "image" else LIMITS.pdf_bytes
        return Preview(kind) if dl.size <= limit else Preview("too_large")
    if kind == "zip":
        store = ctx_of(request).files
        reader = StoredBlobReader(lambda start, end: store.open_range(dl.storage_key, start, end), dl.size)
        with io.BufferedReader(reader, buffer_size=64 * 1024) as stream:
            return previewers.zip_preview(stream, dl.size)  # type: ignore[arg-type]
    limit = previewers.read_limit(kind)
    if kind in previewers.WHOLE_FILE and dl.size > limit:
        return Preview("too_large")
    data = _read_head(request, dl, limit)
    return previewers.render(kind, data, truncated=dl.size > len(data))


@router.get("/records/{recid}/preview/{key}")
def preview_page(recid: str, key: str, request: Request) -> Response:
    ctx = ctx_of(request)
    rid = parse_recid(recid)
    draft = bool_param(request, "preview")
    with ctx.unit_of_work() as uow:
        who = authenticate(ctx, uow, request)
        dl = files.download(ctx, uow, who, rid, key, draft=draft)
    preview = build_preview(request, dl)
    content_url = f"/api/records/{rid}/{'draft/' if draft else ''}files/{key_url(dl.key)}/content"
    return request.app.state.pages.render(
        request, "previews/preview.html", preview=preview, key=dl.key, size=dl.size, mimetype=dl.mimetype,
        content_url=content_url, download_url=f"{content_url}?download=1",
        record_url=f"/records/{rid}" + ("?preview=1" if draft else ""), draft=draft,
    )
