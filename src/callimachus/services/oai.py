"""OAI-PMH queries: what a harvester may see, page by page, with each record's payload.

Harvesters are anonymous. Every query goes through the one access rule (``sql_filter`` and
``allows`` with the anonymous principal): a record anonymous may not read does not exist here;
a record with restricted files is disseminated from the record dict without them; drafts live in
another table and never appear. A deleted record appears as a deleted header when the public
could read it while it was published (``deletedRecord=persistent``); one the public never saw
stays unknown.

Lists are ordered by ``(updated_at, id)`` and paged by key, never by offset: a page starts after
the last key of the previous one, so records changing during a harvest are never skipped (a
changed record moves to the end of the list and is disseminated again).

A record's datestamp is ``records.updated_at``, which services bump on every change of metadata,
access or deletion; set membership follows from the metadata (see :mod:`.oai_sets`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, select, tuple_

from callimachus.core.clock import as_utc
from callimachus.core.identity import ANONYMOUS
from callimachus.db.models import OaiPayload, Parent, Record
from callimachus.db.uow import UnitOfWork
from callimachus.permissions import Action, Principal, Subject, allows, sql_filter
from callimachus.services import loading, oai_payloads, oai_sets
from callimachus.services.context import ServiceContext
from callimachus.services.oai_payloads import FreshPayload, OaiFormat, RecordState
from callimachus.services.records import RECORD_COLUMNS

# The same facts for a deleted record, read as "while it was published".
WAS_PUBLISHED_COLUMNS = replace(RECORD_COLUMNS, published=Record.status == "deleted")
_EMAIL_DOMAIN_FALLBACK = "localhost.localdomain"

Key = tuple[datetime, int]


@dataclass(frozen=True)
class Repository:
    """What Identify says about this repository."""

    name: str
    admin_email: str
    earliest_datestamp: datetime


@dataclass(frozen=True)
class Selection:
    """Selective harvesting: a set and a datestamp range ``start <= datestamp < end``."""

    set_spec: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(slots=True)
class Item:
    """One record as a harvester sees it: its header, and its payload when asked for one."""

    recid: int
    datestamp: datetime
    deleted: bool
    set_specs: tuple[str, ...]
    payload: bytes | None = None

    @property
    def key(self) -> Key:
        return (self.datestamp, self.recid)


@dataclass
class Page:
    items: list[Item]
    more: bool
    last: Key | None = None  # the key of the last record examined: the next page starts after it
    fresh: list[FreshPayload] = field(default_factory=list)  # rendered now; store them for next time


def admin_email(ctx: ServiceContext) -> str:
    """The configured OAI contact, else the instance's; always of the form the protocol requires."""
    for candidate in (ctx.settings.oai_admin_email, ctx.settings.admin_email):
        local, _, domain = candidate.strip().partition("@")
        if local and "." in domain.strip(".") and " " not in candidate.strip():
            return candidate.strip()
    domain = ctx.settings.oai_domain if "." in ctx.settings.oai_domain else _EMAIL_DOMAIN_FALLBACK
    return f"admin@{domain}"


def _anonymous(uow: UnitOfWork, now: datetime) -> Principal:
    return loading.resolve_principal(uow, ANONYMOUS, now)


def _visible(who: Principal, now: datetime) -> ColumnElement[bool]:
    """Published records ``who`` may read, and deleted ones ``who`` could read before.

    Written as CASE on the status so that no database answers it from the status index: lists
    must walk the ``updated_at`` index, in datestamp order, and stop after one page."""
    return case(
        (Record.status == "published", sql_filter(Action.READ_RECORD, who, RECORD_COLUMNS, now)),
        (Record.status == "deleted", sql_filter(Action.READ_RECORD, who, WAS_PUBLISHED_COLUMNS, now)),
        else_=false(),
    )


def repository(ctx: ServiceContext, uow: UnitOfWork) -> Repository:
    now = ctx.clock.now()
    earliest = uow.session.scalar(  # the first in datestamp order: walks the index, stops at once
        select(Record.updated_at).join(Parent, Parent.id == Record.parent_id).where(_visible(_anonymous(uow, now), now))
        .order_by(Record.updated_at, Record.id).limit(1)
    )
    name = ctx.settings.oai_repository_name or ctx.settings.site_name
    moment = as_utc(earliest) if earliest is not None else now
    return Repository(name=name, admin_email=admin_email(ctx), earliest_datestamp=moment.replace(microsecond=0))


_COLUMNS = (
    Record.id, Record.updated_at, Record.status, Record.revision_id, Record.access_record, Record.access_files,
    Record.embargo_until, Record.files_enabled, Record.parent_id, Parent.owner_id, Parent.doi, Parent.latest_id,
    oai_sets.resource_type_column(),
)


@dataclass(slots=True)
class _Row:
    """One record's columns as a list query reads them (no metadata JSON: payloads are cached)."""

    recid: int
    updated_at: datetime
    published: bool
    revision_id: int
    access_record: str
    access_files: str
    embargo_until: datetime | None
    files_enabled: bool
    parent_id: int
    owner_id: int
    concept_doi: str | None
    latest_id: int | None
    resource_type: str | None
    cached: tuple[str, bytes] | None  # (stamp, payload) of the cached payload in the asked format

    @classmethod
    def of(cls, row: Any) -> _Row:
        (recid, updated, status, revision, access_record, access_files, until, files_enabled, parent_id, owner,
         doi, latest, rtype, *payload) = row
        cached = (str(payload[0]), bytes(payload[1])) if payload and payload[0] is not None else None
        return cls(int(recid), as_utc(updated), status == "published", int(revision), str(access_record),
                   str(access_files), as_utc(until) if until is not None else None, bool(files_enabled), int(parent_id),
                   int(owner), str(doi) if doi else None, int(latest) if latest is not None else None,
                   rtype if isinstance(rtype, str) else None, cached)

    def state(self, who: Principal, now: datetime) -> RecordState:
        """What this record's payloads depend on, with the access rule evaluated for ``who`` now."""
        subject = Subject(parent_id=self.parent_id, owner_id=self.owner_id, published=self.published,
                          access_record=self.access_record, access_files=self.access_files,
                          embargo_until=self.embargo_until, files_enabled=self.files_enabled)
        return RecordState(
            recid=self.recid, updated_at=self.updated_at, revision_id=self.revision_id,
            files_public=allows(Action.READ_FILES, who, subject, now),
            embargo_active=bool(self.embargo_until and self.embargo_until > now),
            owner_id=self.owner_id, concept_doi=self.concept_doi, is_latest=self.latest_id == self.recid,
        )


def _query(who: Principal, now: datetime, selection: Selection, fmt: OaiFormat | None = None) -> Select[Any]:
    """The selection as one query; with ``fmt``, each record's cached payload comes along."""
    stmt = select(*_COLUMNS).join(Parent, Parent.id == Record.parent_id).where(_visible(who, now))
    if fmt is not None:
        stmt = stmt.add_columns(OaiPayload.stamp, OaiPayload.payload).outerjoin(
            OaiPayload, and_(OaiPayload.record_id == Record.id, OaiPayload.prefix == fmt.prefix))
    if selection.set_spec is not None:
        found = oai_sets.find_set(selection.set_spec)
        stmt = stmt.where(oai_sets.membership(found) if found else Record.id.is_(None))
    if selection.start is not None:
        stmt = stmt.where(Record.updated_at >= _db_time(selection.start))
    if selection.end is not None:
        stmt = stmt.where(Record.updated_at < _db_time(selection.end))
    return stmt


def _db_time(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(UTC)


def _items(ctx: ServiceContext, uow: UnitOfWork, who: Principal, now: datetime, rows: list[_Row],
           fmt: OaiFormat | None) -> tuple[list[Item], list[FreshPayload]]:
    """Items for rows in order; payloads from the cache when their stamp is current, else rendered."""
    context = oai_payloads.context_key(ctx.settings)
    stamps: dict[int, str] = {}
    payloads: dict[int, bytes] = {}
    if fmt is not None:
        for row in rows:
            if not row.published:
                continue
            stamps[row.recid] = row.state(who, now).stamp(fmt.prefix, context)
            if row.cached is not None and row.cached[0] == stamps[row.recid]:
                found = oai_payloads.unpack(row.cached[1])
                if found is not None:
                    payloads[row.recid] = found
    missing = [recid for recid in stamps if recid not in payloads]
    fresh: list[FreshPayload] = []
    if fmt is not None and missing:
        rendered = oai_payloads.render_payloads(ctx, uow, who, fmt, missing, now)
        payloads.update(rendered)
        fresh = [FreshPayload(recid, fmt.prefix, stamps[recid], body) for recid, body in rendered.items()]
    items = [Item(recid=row.recid, datestamp=row.updated_at, deleted=not row.published,
                  set_specs=oai_sets.set_specs(row.resource_type), payload=payloads.get(row.recid)) for row in rows]
    return items, fresh


def list_items(ctx: ServiceContext, uow: UnitOfWork, selection: Selection, *, after: Key | None, limit: int,
               fmt: OaiFormat | None) -> Page:
    """Up to ``limit`` items of the selection after key ``after``, in key order; with payloads
    in ``fmt`` (None: headers only). ``more`` tells whether items follow. A record that cannot be
    rendered in ``fmt`` is left out; the page then holds fewer items (never none while more follow)."""
    now = ctx.clock.now()
    who = _anonymous(uow, now)
    fresh: list[FreshPayload] = []
    while True:
        stmt = _query(who, now, selection, fmt)
        if after is not None:
            moment = _db_time(after[0])
            # The first condition is implied by the second; it lets an index on updated_at alone serve.
            stmt = stmt.where(Record.updated_at >= moment, tuple_(Record.updated_at, Record.id) > tuple_(moment, after[1]))
        rows = [_Row.of(r) for r in uow.session.execute(stmt.order_by(Record.updated_at, Record.id).limit(limit + 1))]
        more = len(rows) > limit
        rows = rows[:limit]
        items, rendered = _items(ctx, uow, who, now, rows, fmt)
        fresh += rendered
        after = (rows[-1].updated_at, rows[-1].recid) if rows else after
        items = [i for i in items if fmt is None or i.deleted or i.payload is not None]
        if items or not more:
            return Page(items=items, more=more, last=after, fresh=fresh)


def count_items(ctx: ServiceContext, uow: UnitOfWork, selection: Selection) -> int:
    """How many items the selection holds now (the ``completeListSize`` of a new list)."""
    now = ctx.clock.now()
    stmt = _query(_anonymous(uow, now), now, selection).with_only_columns(func.count(Record.id))
    return int(uow.session.scalar(stmt) or 0)


def get_item(ctx: ServiceContext, uow: UnitOfWork, recid: int, fmt: OaiFormat | None) -> Page:
    """The record ``recid`` as a one-item page, or an empty page when the public may not know it."""
    now = ctx.clock.now()
    who = _anonymous(uow, now)
    rows = [_Row.of(r) for r in uow.session.execute(_query(who, now, Selection(), fmt).where(Record.id == recid))]
    items, fresh = _items(ctx, uow, who, now, rows, fmt)
    return Page(items=items, more=False, last=None, fresh=fresh)


def store_fresh(ctx: ServiceContext, uow: UnitOfWork, fresh: list[FreshPayload]) -> None:
    """Keep payloads rendered by a read for the next harvest (in a writing unit of work)."""
    oai_payloads.store_payloads(uow, fresh, ctx.clock.now())


def prerender(ctx: ServiceContext, *, recids: list[int] | None = None, prefixes: list[str] | None = None, batch: int = 250) -> int:
    """Render and keep the payloads a harvest will ask for, so that the first harvest after a
    change (or a bulk import) is as fast as the next ones. Returns how many were rendered.

    Only what the public may harvest is rendered (the same selection as ListRecords); payloads
    already current are skipped.
    """
    formats = [f for f in oai_payloads.oai_formats() if prefixes is None or f.prefix in prefixes]
    rendered = 0
    for fmt in formats:
        if recids is not None:
            for recid in recids:
                with ctx.unit_of_work() as uow:
                    fresh = get_item(ctx, uow, recid, fmt).fresh
                rendered += _keep(ctx, fresh)
            continue
        after: Key | None = None
        while True:
            with ctx.unit_of_work() as uow:
                page = list_items(ctx, uow, Selection(), after=after, limit=batch, fmt=fmt)
            rendered += _keep(ctx, page.fresh)
            if not page.more:
                break
            after = page.last
    return rendered


def _keep(ctx: ServiceContext, fresh: list[FreshPayload]) -> int:
    if fresh:
        with ctx.unit_of_work(write=True) as uow:
            store_fresh(ctx, uow, fresh)
            uow.commit()
    return len(fresh)


def prerender_listener(ctx: ServiceContext) -> Callable[[UnitOfWork, str, int], None]:
    """A change listener: after a record or concept changes, render its payloads in the
    background (after the commit), so harvests never wait for rendering."""

    def listener(uow: UnitOfWork, kind: str, ident: int) -> None:
        if kind == "record":
            recids = [ident]
        elif kind == "parent":
            recids = list(uow.session.scalars(select(Record.id).where(Record.parent_id == ident)))
        else:
            return
        if recids:
            uow.on_commit(lambda: ctx.tasks.enqueue("oai_prerender", recids=recids))

    return listener
