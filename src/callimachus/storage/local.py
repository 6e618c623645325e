"""Blobs in a local folder: ``tmp/`` while arriving, ``blobs/ab/cd/<sha256>`` once complete."""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from callimachus.storage.base import LimitedCounter, ParallelDigest, StagedBlob, content_key, hash_stream

READ_CHUNK = 1024 * 1024
# Flush dirty pages while the upload is still arriving, so the final fsync is short.
SYNC_EVERY = 32 * 1024 * 1024


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _LocalWriter:
    """Writes in its own thread so receiving, hashing and disk I/O overlap.

    A second thread flushes written pages to disk while more arrive (``fdatasync`` every
    ``SYNC_EVERY`` bytes), so the final ``fsync`` has little left to do and writing never waits
    for the disk to catch up.
    """

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self._counter = LimitedCounter(limit)
        self._digest = ParallelDigest()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._error: BaseException | None = None
        self._sync_wanted = threading.Event()
        self._sync_stop = threading.Event()
        self._syncer = threading.Thread(target=self._sync_loop, daemon=True, name="blob-syncer")
        self._syncer.start()
        self._thread = threading.Thread(target=self._run, daemon=True, name="blob-writer")
        self._thread.start()
        self._closed = False

    def _sync_loop(self) -> None:
        while True:
            self._sync_wanted.wait()
            self._sync_wanted.clear()
            if self._sync_stop.is_set():
                return
            # A failure here shows again in the writer thread's final fsync, which reports it.
            with contextlib.suppress(OSError):
                os.fdatasync(self._fd)

    def _stop_syncer(self) -> None:
        self._sync_stop.set()
        self._sync_wanted.set()
        self._syncer.join()

    def _run(self) -> None:
        unsynced = 0
        try:
            while True:
                chunk = self._queue.get()
                if chunk is None:
                    self._stop_syncer()
                    os.fsync(self._fd)
                    return
                view = memoryview(chunk)
                while view:
                    written = os.write(self._fd, view)
                    view = view[written:]
                unsynced += len(chunk)
                if unsynced >= SYNC_EVERY:
                    self._sync_wanted.set()
                    unsynced = 0
        except BaseException as exc:  # reported to the caller on finish()
            self._error = exc
            self._stop_syncer()
            while self._queue.get() is not None:
                pass

    def write(self, chunk: bytes) -> None:
        if not chunk:
            return
        try:
            self._counter.add(len(chunk))
        except BaseException:
            self.abort()
            raise
        self._digest.update(chunk)
        self._queue.put(chunk)

    def finish(self) -> StagedBlob:
        self._queue.put(None)
        self._thread.join()
        md5, sha256 = self._digest.hexdigests()
        os.close(self._fd)
        self._closed = True
        if self._error is not None:
            self.path.unlink(missing_ok=True)
            raise self._error
        actual = self.path.stat().st_size
        if actual != self._counter.size:
            self.path.unlink(missing_ok=True)
            raise OSError(f"staged size {actual} differs from received size {self._counter.size}")
        return StagedBlob(temp_key=self.path.name, size=self._counter.size, md5=md5, sha256=sha256)

    def abort(self) -> None:
        if self._closed:
            return
        self._queue.put(None)
        self._thread.join()
        self._digest.hexdigests()
        os.close(self._fd)
        self._closed = True
        self.path.unlink(missing_ok=True)


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        (root / "blobs").mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        # Keys are produced by content_key(); never from user input.
        return self.root / key

    def stage(self, limit: int) -> _LocalWriter:
        return _LocalWriter(self.tmp / f"{uuid.uuid4().hex}.part", limit)

    def promote(self, staged: StagedBlob) -> str:
        key = content_key(staged.sha256)
        final = self._path(key)
        source = self.tmp / staged.temp_key
        if final.exists() and final.stat().st_size == staged.size:
            source.unlink(missing_ok=True)
            os.utime(final)  # fresh mtime keeps orphan collection away from a blob about to be used
            return key
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, final)
        _fsync_dir(final.parent)
        return key

    def discard_staged(self, staged: StagedBlob) -> None:
        (self.tmp / staged.temp_key).unlink(missing_ok=True)

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        path = self._path(key)
        with open(path, "rb") as handle:
            handle.seek(start)
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                want = READ_CHUNK if remaining is None else min(READ_CHUNK, remaining)
                chunk = handle.read(want)
                if not chunk:
                    return
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    def read_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def size(self, key: str) -> int | None:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def iter_keys(self) -> Iterator[tuple[str, datetime]]:
        base = self.root / "blobs"
        for path in base.rglob("*"):
            if path.is_file():
                mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                yield str(path.relative_to(self.root)), mtime

    def clean_staging(self, older_than: datetime | None) -> int:
        removed = 0
        for path in self.tmp.glob("*.part"):
            try:
                mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except FileNotFoundError:
                continue
            if older_than is None or mtime < older_than:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


    # --- resumable uploads ---

    min_resumable_chunk = 1

    def begin_resumable(self) -> tuple[str, dict[str, Any]]:
        name = f"{uuid.uuid4().hex}.part"
        os.close(os.open(self.tmp / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return name, {}

    def resume(self, temp_key: str, offset: int, limit: int, state: dict[str, Any]) -> _LocalResumeWriter:
        path = self.tmp / temp_key
        if not path.exists():
            raise FileNotFoundError(temp_key)
        os.utime(path)  # an upload in progress is not an orphan
        return _LocalResumeWriter(path, offset, limit)

    def finish_resumable(self, temp_key: str, size: int, state: dict[str, Any]) -> StagedBlob:
        with open(self.tmp / temp_key, "rb") as handle:
            total, md5, sha256 = hash_stream(iter(lambda: handle.read(READ_CHUNK), b""))
        if total != size:
            raise OSError(f"resumable upload holds {total} bytes, expected {size}")
        return StagedBlob(temp_key=temp_key, size=size, md5=md5, sha256=sha256)

    def abort_resumable(self, temp_key: str, state: dict[str, Any]) -> None:
        (self.tmp / temp_key).unlink(missing_ok=True)


class _LocalResumeWriter:
    """Appends one chunk to a resumable temporary file, from a known offset."""

    def __init__(self, path: Path, offset: int, limit: int) -> None:
        self._fd = os.open(path, os.O_WRONLY)
        os.ftruncate(self._fd, offset)  # drop bytes of a chunk that never completed
        os.lseek(self._fd, offset, os.SEEK_SET)
        self._counter = LimitedCounter(limit)
        self._counter.size = offset
        self._closed = False

    def write(self, chunk: bytes) -> None:
        try:
            self._counter.add(len(chunk))
        except BaseException:
            self.abort()
            raise
        view = memoryview(chunk)
        while view:
            view = view[os.write(self._fd, view):]

    def finish(self) -> tuple[int, dict[str, Any]]:
        os.fsync(self._fd)
        os.close(self._fd)
        self._closed = True
        return self._counter.size, {}

    def abort(self) -> None:
        if not self._closed:
            os.close(self._fd)
            self._closed = True

