"""OAI-PMH metadata formats and their payloads, rendered once per record state and cached.

Each metadata prefix uses the serializer of the exports registry. A payload is rendered from the
record dict the public API serves to anonymous visitors (``record_json`` of a view built with the
anonymous principal, so restricted files are never in it) and kept in ``oai_payloads`` under a
*stamp*: a digest of everything the rendering read. When any of it changes (a new revision, the
access rule's answer for the public now, the concept, the site settings, the code of the
serializers), the stamp changes and the payload is rendered again; nothing needs invalidating.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from lxml import etree
from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite

import callimachus
from callimachus.config import Settings
from callimachus.db.models import Blob, FileObject, OaiPayload, Parent, Record
from callimachus.db.uow import UnitOfWork
from callimachus.formats import registry
from callimachus.formats.base import FormatContext
from callimachus.formats.registry import ExportFormat
from callimachus.permissions import Action, Principal
from callimachus.services import loading
from callimachus.services.context import ServiceContext
from callimachus.services.render import FileRow, RecordView, record_json

log = logging.getLogger(__name__)

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSI_SCHEMA_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
# RDF/XML has no XML schema; DCAT-AP is validated with these SHACL shapes.
DCAT_AP_SHAPES = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/html/shacl/shapes.ttl"
MARC21_XSD = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"


@dataclass(frozen=True)
class OaiFormat:
    """A metadata prefix: its namespace and schema (as ListMetadataFormats announces them, and as
    the payload's root element declares them) and the export format that renders it."""

    prefix: str
    namespace: str
    schema: str
    export: ExportFormat


@functools.cache
def oai_formats() -> tuple[OaiFormat, ...]:
    """Every metadata prefix: the registry's OAI formats, plus ``marcxml`` (Zenodo's alias of
    ``marc21``) and ``dcat`` (DCAT-AP RDF/XML) unless the registry already offers them."""
    found = [OaiFormat(f.oai_prefix, f.namespace or "", f.schema or "", f) for f in registry.oai_formats() if f.oai_prefix]
    known = {f.prefix for f in found}
    marc, dcat = registry.by_name("marcxml"), registry.by_name("dcat-ap")
    if "marcxml" not in known and marc is not None:
        found.append(OaiFormat("marcxml", "http://www.loc.gov/MARC21/slim", MARC21_XSD, marc))
    if "dcat" not in known and dcat is not None:
        found.append(OaiFormat("dcat", RDF_NS, DCAT_AP_SHAPES, dcat))
    return tuple(found)


def oai_format(prefix: str) -> OaiFormat | None:
    return next((f for f in oai_formats() if f.prefix == prefix), None)


def format_context(settings: Settings) -> FormatContext:
    return FormatContext(site_url=settings.site_url, site_name=settings.site_name, oai_domain=settings.oai_domain)


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code and data that shape payloads: a deployment that changes a serializer
    or a vocabulary renders every payload again instead of serving the old one."""
    root = Path(callimachus.__file__).parent
    paths = sorted((root / "formats").rglob("*")) + sorted((root / "metadata" / "data").rglob("*"))
    paths += [root / "services" / "render.py", Path(__file__)]
    digest = hashlib.blake2b(callimachus.__version__.encode(), digest_size=16)
    for path in paths:
        if path.is_file() and path.suffix in (".py", ".json", ".yaml", ".csl", ".xml"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def context_key(settings: Settings) -> str:
    """What every payload of this instance depends on besides the record itself."""
    site = (settings.site_url, settings.site_name, settings.oai_domain)
    return f"{code_fingerprint()}|{site!r}"


@dataclass(slots=True)
class RecordState:
    """The facts a payload depends on, read from a record's row and its concept's row.

    ``files_public`` and ``embargo_active`` are evaluated now (an embargo ends by the clock)."""

    recid: int
    updated_at: datetime
    revision_id: int
    files_public: bool
    embargo_active: bool
    owner_id: int
    concept_doi: str | None
    is_latest: bool

    def stamp(self, prefix: str, context: str) -> str:
        parts = (f"{prefix}|{context}|{self.recid}|{self.updated_at.isoformat()}|{self.revision_id}|{self.files_public:d}|"
                 f"{self.embargo_active:d}|{self.owner_id}|{self.concept_doi}|{self.is_latest:d}")
        return hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()


def embed(fmt: OaiFormat, document: bytes) -> bytes:
    """The serializer's document as the OAI ``<metadata>`` content: its root element, which must
    declare the announced schema (RDF/XML roots get an ``xsi:schemaLocation``)."""
    root = etree.fromstring(document)
    if root.get(XSI_SCHEMA_LOCATION) is None:
        root.set(XSI_SCHEMA_LOCATION, f"{fmt.namespace} {fmt.schema}")
    return etree.tostring(root, encoding="UTF-8")


def _views(ctx: ServiceContext, uow: UnitOfWork, who: Principal, recids: list[int], now: datetime) -> list[RecordView]:
    """The views ``records.record_view`` builds, for many records in two queries: files are
    listed only where the access rule lets ``who`` read them."""
    rows = uow.session.execute(
        select(Record, Parent).join(Parent, Parent.id == Record.parent_id).where(Record.id.in_(recids))
    ).all()
    shown = {record.bucket_id for record, parent in rows
             if record.files_enabled and loading.can(Action.READ_FILES, who, record, parent, now)}
    files: dict[str, list[FileRow]] = {bucket: [] for bucket in shown}
    if shown:
        for fo, blob in uow.session.execute(
            select(FileObject, Blob).outerjoin(Blob, Blob.id == FileObject.blob_id)
            .where(FileObject.bucket_id.in_(sorted(shown))).order_by(FileObject.bucket_id, FileObject.key)
        ):
            files[fo.bucket_id].append((fo, blob))
    return [RecordView(row=record, parent=parent, files=files.get(record.bucket_id) if record.bucket_id in shown else None,
                       is_draft=False, oai_domain=ctx.settings.oai_domain) for record, parent in rows]


def render_payloads(ctx: ServiceContext, uow: UnitOfWork, who: Principal, fmt: OaiFormat, recids: Iterable[int],
                    now: datetime) -> dict[int, bytes]:
    """Render ``fmt`` for published records (by id) from the record dict ``who`` may see; a record
    whose rendering fails is left out (and logged): it cannot be disseminated in this format."""
    wanted = sorted(set(recids))
    if not wanted:
        return {}
    fctx = format_context(ctx.settings)
    out: dict[int, bytes] = {}
    for view in _views(ctx, uow, who, wanted, now):
        try:
            document = fmt.export.render(record_json(ctx.site_url, view, now), fctx)
            out[view.recid] = embed(fmt, document)
        except Exception:  # noqa: BLE001 - one record a serializer cannot handle must not stop harvests
            log.exception("cannot render record %s as %s for OAI-PMH", view.recid, fmt.prefix)
    return out


def pack(payload: bytes) -> bytes:
    """Payloads are stored compressed: XML shrinks four- to sixfold, and inflating 2 kB costs
    a few microseconds, less than reading the larger row would."""
    return zlib.compress(payload, 6)


def unpack(stored: bytes) -> bytes | None:
    """The payload a cache row holds, or None when the row cannot be read (then it is rendered again)."""
    try:
        return zlib.decompress(stored)
    except zlib.error:
        return None


@dataclass(frozen=True)
class FreshPayload:
    record_id: int
    prefix: str
    stamp: str
    payload: bytes


def store_payloads(uow: UnitOfWork, fresh: list[FreshPayload], now: datetime) -> None:
    """Insert or overwrite cached payloads (concurrent harvesters may store the same row)."""
    if not fresh:
        return
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"record_id": f.record_id, "prefix": f.prefix, "stamp": f.stamp, "payload": pack(f.payload), "rendered_at": now}
            for f in fresh]
    stmt = insert(cast(Table, OaiPayload.__table__))
    stmt = stmt.on_conflict_do_update(
        index_elements=["record_id", "prefix"],
        set_={"stamp": stmt.excluded.stamp, "payload": stmt.excluded.payload, "rendered_at": stmt.excluded.rendered_at},
    )
    uow.session.execute(stmt, rows)  # executemany: one compiled statement whatever the number of rows
