"""Blobs in an S3-compatible object store: ``tmp/<uuid>`` while arriving (multipart upload),
``blobs/ab/cd/<sha256>`` once complete (server-side copy)."""

from __future__ import annotations

import contextlib
import queue
import tempfile
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from callimachus.storage.base import LimitedCounter, ParallelDigest, StagedBlob, content_key, hash_stream

PART_SIZE = 8 * 1024 * 1024  # S3 parts must be at least 5 MiB (except the last)
READ_CHUNK = 1024 * 1024


class _S3Writer:
    """A multipart upload fed part by part from a background thread."""

    def __init__(self, store: S3FileStore, limit: int) -> None:
        self._store = store
        self.key = f"tmp/{uuid.uuid4().hex}"
        self._counter = LimitedCounter(limit)
        self._digest = ParallelDigest()
        self._buffer = bytearray()
        self._upload_id = store.client.create_multipart_upload(Bucket=store.bucket, Key=self.key)["UploadId"]
        self._parts: list[dict[str, Any]] = []
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="s3-parts")
        self._thread.start()
        self._closed = False

    def _run(self) -> None:
        try:
            while True:
                part = self._queue.get()
                if part is None:
                    return
                number = len(self._parts) + 1
                answer = self._store.client.upload_part(
                    Bucket=self._store.bucket, Key=self.key, UploadId=self._upload_id, PartNumber=number, Body=part
                )
                self._parts.append({"PartNumber": number, "ETag": answer["ETag"]})
        except BaseException as exc:
            self._error = exc
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
        self._buffer += chunk
        while len(self._buffer) >= PART_SIZE:
            part, self._buffer = bytes(self._buffer[:PART_SIZE]), self._buffer[PART_SIZE:]
            self._queue.put(part)

    def _drain(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def finish(self) -> StagedBlob:
        if self._buffer or not self._parts:
            self._queue.put(bytes(self._buffer))
            self._buffer = bytearray()
        self._drain()
        md5, sha256 = self._digest.hexdigests()
        self._closed = True
        if self._error is not None:
            self._abort_upload()
            raise self._error
        self._store.client.complete_multipart_upload(
            Bucket=self._store.bucket, Key=self.key, UploadId=self._upload_id, MultipartUpload={"Parts": self._parts}
        )
        return StagedBlob(temp_key=self.key, size=self._counter.size, md5=md5, sha256=sha256)

    def _abort_upload(self) -> None:
        with contextlib.suppress(ClientError):  # already gone: nothing left to abort
            self._store.client.abort_multipart_upload(Bucket=self._store.bucket, Key=self.key, UploadId=self._upload_id)

    def abort(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._drain()
        self._digest.hexdigests()
        self._abort_upload()


class _S3PartWriter:
    """One chunk of a resumable upload, spooled (to disk past 8 MiB) and sent as one part."""

    def __init__(self, store: S3FileStore, temp_key: str, offset: int, limit: int, state: dict[str, Any]) -> None:
        parts = [dict(p) for p in state.get("parts", [])]
        # Parts starting at or after ``offset`` belong to chunks the client is sending again.
        kept, start = [], 0
        for part in parts:
            if start + part["Size"] > offset:
                break
            kept.append(part)
            start += part["Size"]
        if start != offset:
            raise ValueError(f"offset {offset} does not fall on a part boundary")
        self._store, self._key, self._state = store, temp_key, {**state, "parts": kept}
        self._counter = LimitedCounter(limit)
        self._counter.size = offset
        self._spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed in finish or abort
        self._length = 0

    def write(self, chunk: bytes) -> None:
        try:
            self._counter.add(len(chunk))
        except BaseException:
            self.abort()
            raise
        self._spool.write(chunk)
        self._length += len(chunk)

    def finish(self) -> tuple[int, dict[str, Any]]:
        parts = self._state["parts"]
        if self._length:
            self._spool.seek(0)
            number = (parts[-1]["PartNumber"] + 1) if parts else 1
            answer = self._store.client.upload_part(
                Bucket=self._store.bucket, Key=self._key, UploadId=self._state["upload_id"],
                PartNumber=number, Body=self._spool, ContentLength=self._length,
            )
            parts.append({"PartNumber": number, "ETag": answer["ETag"], "Size": self._length})
        self._spool.close()
        return self._counter.size, self._state

    def abort(self) -> None:
        self._spool.close()


class S3FileStore:
    min_resumable_chunk = 5 * 1024 * 1024

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    @classmethod
    def from_url(cls, url: str) -> S3FileStore:
        """``s3://[key:secret@]bucket?endpoint_url=…&region=…``; credentials may also come from
        the usual AWS configuration."""
        parsed = urlparse(url)
        query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        kwargs: dict[str, Any] = {
            "endpoint_url": query.get("endpoint_url"),
            "region_name": query.get("region", "us-east-1"),
            "config": Config(signature_version="s3v4", retries={"max_attempts": 5, "mode": "standard"}),
        }
        if parsed.username:
            kwargs["aws_access_key_id"] = unquote(parsed.username)
            kwargs["aws_secret_access_key"] = unquote(parsed.password or "")
        bucket = parsed.hostname or ""
        if not bucket:
            raise ValueError("an s3:// storage URL needs a bucket name")
        return cls(boto3.client("s3", **kwargs), bucket)

    def ensure_bucket(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            self.client.create_bucket(Bucket=self.bucket)

    def stage(self, limit: int) -> _S3Writer:
        return _S3Writer(self, limit)

    def promote(self, staged: StagedBlob) -> str:
        key = content_key(staged.sha256)
        # Copy even when the object exists: identical bytes, and a fresh modification time keeps
        # orphan collection away from an object that is about to be referenced again.
        self.client.copy({"Bucket": self.bucket, "Key": staged.temp_key}, self.bucket, key)
        self.client.delete_object(Bucket=self.bucket, Key=staged.temp_key)
        return key

    def discard_staged(self, staged: StagedBlob) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=staged.temp_key)

    def open_range(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        byte_range = f"bytes={start}-{'' if end is None else end}"
        body = self.client.get_object(Bucket=self.bucket, Key=key, Range=byte_range)["Body"]
        try:
            yield from body.iter_chunks(READ_CHUNK)
        finally:
            body.close()

    def read_bytes(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def size(self, key: str) -> int | None:
        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def _list(self, prefix: str) -> Iterator[tuple[str, datetime]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"], item["LastModified"]

    def iter_keys(self) -> Iterator[tuple[str, datetime]]:
        yield from self._list("blobs/")

    def begin_resumable(self) -> tuple[str, dict[str, Any]]:
        key = f"tmp/{uuid.uuid4().hex}"
        upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
        return key, {"upload_id": upload_id, "parts": []}

    def resume(self, temp_key: str, offset: int, limit: int, state: dict[str, Any]) -> _S3PartWriter:
        return _S3PartWriter(self, temp_key, offset, limit, state)

    def finish_resumable(self, temp_key: str, size: int, state: dict[str, Any]) -> StagedBlob:
        parts = [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in state.get("parts", [])]
        if not parts:  # an empty file: an empty part still completes the upload
            answer = self.client.upload_part(Bucket=self.bucket, Key=temp_key, UploadId=state["upload_id"], PartNumber=1, Body=b"")
            parts = [{"PartNumber": 1, "ETag": answer["ETag"]}]
        self.client.complete_multipart_upload(Bucket=self.bucket, Key=temp_key, UploadId=state["upload_id"], MultipartUpload={"Parts": parts})
        total, md5, sha256 = hash_stream(self.open_range(temp_key))
        if total != size:
            raise OSError(f"resumable upload holds {total} bytes, expected {size}")
        return StagedBlob(temp_key=temp_key, size=size, md5=md5, sha256=sha256)

    def abort_resumable(self, temp_key: str, state: dict[str, Any]) -> None:
        with contextlib.suppress(ClientError):
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=temp_key, UploadId=state["upload_id"])
        self.client.delete_object(Bucket=self.bucket, Key=temp_key)

    def clean_staging(self, older_than: datetime | None) -> int:
        removed = 0
        for key, modified in list(self._list("tmp/")):
            if older_than is None or modified < older_than:
                self.client.delete_object(Bucket=self.bucket, Key=key)
                removed += 1
        uploads = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix="tmp/").get("Uploads", [])
        for upload in uploads:
            if older_than is None or upload["Initiated"] < older_than:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"])
                removed += 1
        return removed
