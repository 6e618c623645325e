"""Tables. Uniqueness that matters lives here, in the database, not in service code.

- one recid sequence for parents and versions (``recids``);
- one DOI per record and DOIs unique across the instance (``pids``: unique scheme + value);
- one draft per record id, and one never-published draft per concept (partial unique index);
- one head object per (bucket, key) (``file_objects``);
- version numbers unique per concept (``records``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JsonType = JSON().with_variant(JSONB(), "postgresql")
# SQLite integers are 64-bit already; PostgreSQL needs BIGINT for byte counts past 2 GiB.
Bytes = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JsonType,
        list[Any]: JsonType,
        datetime: DateTime(timezone=True),
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    display_name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]


class Token(Base):
    """A personal access token. Only the SHA-256 of the secret is stored."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class RecidSequence(Base):
    """One integer sequence for concept and version recids, as Zenodo allocates them."""

    __tablename__ = "recids"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime]


class Parent(Base):
    """A concept: what all versions of one work share (owner, concept DOI, access settings)."""

    __tablename__ = "parents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The concept DOI; uniqueness is enforced by its row in ``pids``.
    doi: Mapped[str | None] = mapped_column(String(512))
    latest_id: Mapped[int | None] = mapped_column(Integer)
    latest_index: Mapped[int] = mapped_column(Integer, default=0)
    access_settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Bucket(Base):
    """A container of file objects: each draft and each published version has one."""

    __tablename__ = "buckets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    quota_bytes: Mapped[int] = mapped_column(Bytes)
    max_files: Mapped[int] = mapped_column(Integer)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class Draft(Base):
    """The working copy of a record version. Shares its id with the record once published."""

    __tablename__ = "drafts"
    __table_args__ = (
        Index(
            "uq_drafts_one_unpublished_per_parent",
            "parent_id",
            unique=True,
            sqlite_where=text("is_published = 0"),
            postgresql_where=text("is_published = false"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id"), index=True)
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    version_index: Mapped[int] = mapped_column(Integer)
    bucket_id: Mapped[str] = mapped_column(ForeignKey("buckets.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Access lives in columns so that the one access rule can be a SQL filter too.
    access_record: Mapped[str] = mapped_column(String(16), default="public")
    access_files: Mapped[str] = mapped_column(String(16), default="public")
    embargo_until: Mapped[datetime | None] = mapped_column(index=True)
    embargo_reason: Mapped[str | None] = mapped_column(Text)
    files_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    revision_id: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Record(Base):
    """A published version. Its files never change; metadata edits are new revisions."""

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("parent_id", "version_index", name="uq_records_parent_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id"), index=True)
    version_index: Mapped[int] = mapped_column(Integer)
    bucket_id: Mapped[str] = mapped_column(ForeignKey("buckets.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Access lives in columns so that the one access rule can be a SQL filter too.
    access_record: Mapped[str] = mapped_column(String(16), default="public")
    access_files: Mapped[str] = mapped_column(String(16), default="public")
    embargo_until: Mapped[datetime | None] = mapped_column(index=True)
    embargo_reason: Mapped[str | None] = mapped_column(Text)
    files_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    revision_id: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default="published", index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)
    published_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    tombstone: Mapped[dict[str, Any] | None] = mapped_column(JsonType)


class PersistentIdentifier(Base):
    """DOIs (version and concept), unique across the instance whatever their case."""

    __tablename__ = "pids"
    __table_args__ = (UniqueConstraint("scheme", "value", name="uq_pids_scheme_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scheme: Mapped[str] = mapped_column(String(32))
    # Normalised for uniqueness: DOIs are case-insensitive, so the lower-cased form is unique.
    value: Mapped[str] = mapped_column(String(512))
    display: Mapped[str] = mapped_column(String(512))
    record_id: Mapped[int | None] = mapped_column(Integer, index=True)
    parent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    provider: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class Revision(Base):
    """Every saved state of a draft or record, with who saved it and when."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("recid", "kind", "revision_id", name="uq_revisions"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recid: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    revision_id: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Blob(Base):
    """Content-addressed bytes. Shared by every file object with the same content."""

    __tablename__ = "blobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    md5: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Bytes)
    storage_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    last_fixity_at: Mapped[datetime | None]
    fixity_ok: Mapped[bool | None] = mapped_column(Boolean)


class FileObject(Base):
    """A named file in a bucket. ``blob_id`` is set once content arrived; ``status`` follows the
    three-step upload: pending (declared or content received) → completed (committed)."""

    __tablename__ = "file_objects"
    __table_args__ = (UniqueConstraint("bucket_id", "key", name="uq_file_objects_bucket_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    bucket_id: Mapped[str] = mapped_column(ForeignKey("buckets.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(1024))
    blob_id: Mapped[str | None] = mapped_column(ForeignKey("blobs.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    mimetype: Mapped[str | None] = mapped_column(String(255))
    file_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Grant(Base):
    """A user's access to every version of a concept: view, preview, edit or manage."""

    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("parent_id", "user_id", name="uq_grants_parent_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(32), default="manual")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]


class AccessLink(Base):
    """A secret link: whoever holds the token gets ``permission`` on the concept's versions."""

    __tablename__ = "access_links"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(128), unique=True)
    permission: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AccessRequest(Base):
    """A request for access to a record's restricted files, by a user or a guest (by e-mail).

    A guest's request waits (``status='unconfirmed'``) until the guest confirms the address;
    ``secret`` then holds the confirmation token's SHA-256.
    """

    __tablename__ = "access_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int] = mapped_column(Integer)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    guest_email: Mapped[str | None] = mapped_column(String(320))
    guest_name: Mapped[str | None] = mapped_column(String(255))
    secret: Mapped[str | None] = mapped_column(String(64), unique=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decision_message: Mapped[str | None] = mapped_column(Text)
    grant_expires_at: Mapped[datetime | None]
    link_id: Mapped[str | None] = mapped_column(String(36))


class JobRun(Base):
    """What a scheduled job did, each time it ran."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)


class OaiPayload(Base):
    """A record's OAI-PMH metadata in one format, rendered once and served until its inputs change.

    ``stamp`` fingerprints everything the rendering read (revision, access as the public sees it
    now, concept, site settings, code version); a row whose stamp is not the record's current one
    is stale and is rendered again. Only a cache: deleting every row loses nothing.
    """

    __tablename__ = "oai_payloads"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(64), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    rendered_at: Mapped[datetime]


class UploadSession(Base):
    """A resumable upload: content arriving chunk by chunk, possibly over several connections."""

    __tablename__ = "upload_sessions"
    __table_args__ = (UniqueConstraint("bucket_id", "key", name="uq_upload_sessions_bucket_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    bucket_id: Mapped[str] = mapped_column(ForeignKey("buckets.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(1024))
    size: Mapped[int] = mapped_column(Bytes)
    offset: Mapped[int] = mapped_column(Bytes, default=0)
    temp_key: Mapped[str] = mapped_column(String(255))
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[int | None] = mapped_column(Integer)
    busy_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AccountToken(Base):
    """A one-time secret mailed to a user: e-mail confirmation or password reset.

    Only the SHA-256 of the secret is stored; a token is used at most once and expires.
    """

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "confirm" or "reset"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320))  # the address the token was sent to
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
