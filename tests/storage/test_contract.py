"""The storage contract, the same for the local folder and the S3-compatible store."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta

import pytest

from callimachus.core.errors import PayloadTooLarge
from callimachus.storage.base import content_key

pytestmark = pytest.mark.backend_independent


def stage_bytes(store, data: bytes, limit: int | None = None, chunk: int = 256 * 1024):
    writer = store.stage(limit if limit is not None else len(data) + 1)
    for i in range(0, len(data), chunk):
        writer.write(data[i : i + chunk])
    return writer.finish()


def test_stage_hashes_both_ways(store):
    data = os.urandom(9 * 1024 * 1024 + 17)  # more than one S3 part
    staged = stage_bytes(store, data)
    assert staged.size == len(data)
    assert staged.md5 == hashlib.md5(data).hexdigest()
    assert staged.sha256 == hashlib.sha256(data).hexdigest()


def test_promote_is_content_addressed_and_idempotent(store):
    data = b"the same bytes"
    first = store.promote(stage_bytes(store, data))
    second = store.promote(stage_bytes(store, data))
    assert first == second == content_key(hashlib.sha256(data).hexdigest())
    assert [k for k, _ in store.iter_keys()] == [first]
    assert b"".join(store.open_range(first)) == data
    assert store.clean_staging(None) == 0  # promotion consumed the staged objects


def test_ranges(store):
    data = bytes(range(256)) * 100
    key = store.promote(stage_bytes(store, data))
    assert b"".join(store.open_range(key, 10, 19)) == data[10:20]
    assert b"".join(store.open_range(key, 25_000)) == data[25_000:]
    assert store.size(key) == len(data)
    assert store.size("blobs/00/00/missing") is None


def test_limit_stops_the_write_and_leaves_nothing(store):
    writer = store.stage(1000)
    writer.write(b"x" * 600)
    with pytest.raises(PayloadTooLarge):
        writer.write(b"y" * 600)
    assert store.clean_staging(None) == 0
    assert list(store.iter_keys()) == []


def test_abort_leaves_nothing(store):
    writer = store.stage(10**9)
    writer.write(os.urandom(100_000))
    writer.abort()
    assert store.clean_staging(None) == 0


def test_unfinished_staging_is_cleaned(store):
    writer = store.stage(10**9)
    writer.write(b"partial")
    staged = writer.finish()  # finished but never promoted: an orphan temporary
    assert store.clean_staging(datetime.now(UTC) - timedelta(hours=1)) == 0
    assert store.clean_staging(None) >= 1
    assert store.size(staged.temp_key) is None


def test_delete(store):
    key = store.promote(stage_bytes(store, b"to delete"))
    store.delete(key)
    assert store.size(key) is None


def test_resumable_upload_survives_a_broken_chunk(store):
    chunk = max(store.min_resumable_chunk, 64 * 1024)
    data = os.urandom(chunk * 2 + 123)
    key, state = store.begin_resumable()
    writer = store.resume(key, 0, len(data), state)
    writer.write(data[:chunk])
    offset, state = writer.finish()
    assert offset == chunk
    # A second chunk breaks off half-way: its bytes are never acknowledged.
    broken = store.resume(key, offset, len(data), state)
    broken.write(data[chunk : chunk + 1000])
    broken.abort()
    # The client asks where to resume and sends the rest again from there.
    for start, end in ((chunk, 2 * chunk), (2 * chunk, len(data))):
        writer = store.resume(key, start, len(data), state)
        writer.write(data[start:end])
        offset, state = writer.finish()
    assert offset == len(data)
    staged = store.finish_resumable(key, len(data), state)
    assert staged.sha256 == hashlib.sha256(data).hexdigest() and staged.md5 == hashlib.md5(data).hexdigest()
    assert b"".join(store.open_range(store.promote(staged))) == data


def test_resumable_limit_and_abort(store):
    key, state = store.begin_resumable()
    writer = store.resume(key, 0, 10, state)
    with pytest.raises(PayloadTooLarge):
        writer.write(b"x" * 11)
    store.abort_resumable(key, state)
    assert store.clean_staging(None) == 0
