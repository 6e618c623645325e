"""The storage contract.

Bytes arrive through a :class:`StagingWriter` that hashes (MD5 and SHA-256 in the same pass)
while it writes to a temporary object, refuses to grow past a limit, and makes the bytes durable
before :meth:`FileStore.promote` moves them under their content address. Nothing in storage is
visible to users by itself: a blob is reachable only through a committed database row.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from callimachus.core.errors import PayloadTooLarge


@dataclass(frozen=True)
class StagedBlob:
    """Bytes received completely and made durable under a temporary key."""

    temp_key: str
    size: int
    md5: str
    sha256: str


def content_key(sha256: str) -> str:
    """Storage keys come from the content, never from a user's file name."""
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class _DigestThread:
    """Feeds chunks to one hash in its own thread; hashlib releases the GIL on large buffers."""

    def __init__(self, name: str) -> None:
        self.hash = hashlib.new(name)
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"digest-{name}")
        self._thread.start()

    def _run(self) -> None:
        while True:
            chunk = self._queue.get()
            if chunk is None:
                return
            self.hash.update(chunk)

    def feed(self, chunk: bytes) -> None:
        self._queue.put(chunk)

    def finish(self) -> str:
        self._queue.put(None)
        self._thread.join()
        return self.hash.hexdigest()


class ParallelDigest:
    """MD5 and SHA-256 of one stream, computed concurrently on separate cores."""

    def __init__(self) -> None:
        self._md5 = _DigestThread("md5")
        self._sha256 = _DigestThread("sha256")

    def update(self, chunk: bytes) -> None:
        self._md5.feed(chunk)
        self._sha256.feed(chunk)

    def hexdigests(self) -> tuple[str, str]:
        return self._md5.finish(), self._sha256.finish()


class StagingWriter(Protocol):
    """Receives one upload. ``write`` may raise :class:`PayloadTooLarge`; then nothing remains."""

    def write(self, chunk: bytes) -> None: ...

    def finish(self) -> StagedBlob: ...

    def abort(self) -> None: ...


class FileStore(Protocol):
    """Where blobs live. Implementations: :class:`~callimachus.storage.local.LocalFileStore`,
    :class:`~callimachus.storage.s3.S3FileStore`."""

    def stage(self, limit: int) -> StagingWriter: ...

    def promote(self, staged: StagedBlob) -> str:
        """Move staged bytes under their content address (idempotent); return the storage key."""
        ...

    def discard_staged(self, staged: StagedBlob) -> None: ...

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Bytes ``start``..``end`` inclusive (``end`` None: to the end), in chunks."""
        ...

    def size(self, key: str) -> int | None: ...

    def delete(self, key: str) -> None: ...

    def iter_keys(self) -> Iterator[tuple[str, datetime]]:
        """Every stored blob key with its last-modified time (for orphan collection)."""
        ...

    def clean_staging(self, older_than: datetime | None) -> int:
        """Remove temporary objects (all, or those older than a moment); return how many."""
        ...

    # Resumable uploads: a temporary object filled chunk by chunk across requests.

    # Every chunk but the last must have at least this many bytes (S3 parts: 5 MiB).
    min_resumable_chunk: int

    def begin_resumable(self) -> tuple[str, dict[str, Any]]:
        """Create an empty temporary object; return its key and the backend's bookkeeping."""
        ...

    def resume(self, temp_key: str, offset: int, limit: int, state: dict[str, Any]) -> ResumableWriter:
        """A writer that appends at ``offset`` (discarding anything stored past it, e.g. from a
        dropped connection); ``state`` is the backend's bookkeeping kept with the session."""
        ...

    def finish_resumable(self, temp_key: str, size: int, state: dict[str, Any]) -> StagedBlob:
        """Close the object and hash it (MD5 and SHA-256 in one pass over the stored bytes)."""
        ...

    def abort_resumable(self, temp_key: str, state: dict[str, Any]) -> None: ...


class ResumableWriter(Protocol):
    def write(self, chunk: bytes) -> None: ...

    def finish(self) -> tuple[int, dict[str, Any]]:
        """Make the chunk durable; return the new offset and the updated bookkeeping."""
        ...

    def abort(self) -> None: ...


def hash_stream(chunks: Iterator[bytes]) -> tuple[int, str, str]:
    """Size, MD5 and SHA-256 of a stream, the two digests computed on separate threads."""
    digest = ParallelDigest()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    md5, sha256 = digest.hexdigests()
    return size, md5, sha256


class LimitedCounter:
    """Counts bytes and raises before a write would pass ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0

    def add(self, n: int) -> None:
        if self.size + n > self.limit:
            raise PayloadTooLarge(
                f"The upload exceeds the space left for this record ({self.limit} bytes)."
            )
        self.size += n
