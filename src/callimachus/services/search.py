"""Searching records: ``GET /api/records`` and ``GET /api/user/records``.

The index finds and counts; hits are rendered from the database rows (``records.record_view``,
``drafts.draft_view``) after the object check, so a hit never shows more than reading the record
would. The access rule is compiled into every search (``permissions.search_filter``): what a
principal may not read is neither found nor counted, and clauses and facets on file names and
types only consider records whose files the principal may read.

Keeping the index up to date (after-commit listener, reindex, check) lives in
``services.search_indexing``; its public functions are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from callimachus.core.errors import BadRequest, FieldError
from callimachus.core.identity import Identity
from callimachus.db.models import Draft, Parent, Record
from callimachus.db.uow import UnitOfWork
from callimachus.metadata.vocabularies import get_vocabulary
from callimachus.permissions import Action, Principal, search_filter
from callimachus.search import query as q
from callimachus.search.base import QueryRequest
from callimachus.search.documents import document_key, key_recid
from callimachus.search.facets import PUBLIC_FACETS, aggregations_json, counts_of, facet_filter, facet_request
from callimachus.search.options import CursorCodec, OptionError, query_binding, resolve_sort
from callimachus.search.parser import QueryError, parse_query
from callimachus.search.postgres_sql import ExpansionTooLarge
from callimachus.services import loading
from callimachus.services.context import ServiceContext
from callimachus.services.drafts import draft_view
from callimachus.services.records import record_view
from callimachus.services.render import RecordView
from callimachus.services.search_indexing import (
    attach_index,
    check,
    rebuild_if_empty,
    reindex,
    reindex_parents,
    require_index,
    wait_for_index,
)

__all__ = [
    "SearchParams", "SearchPage", "search_records", "search_user_records",
    "attach_index", "rebuild_if_empty", "reindex", "reindex_parents", "check", "MAX_WINDOW",
]  # fmt: skip

MAX_WINDOW = 10_000  # page * size beyond this needs the cursor (as Elasticsearch's max_result_window)
MAX_SIZE_ANONYMOUS = 25
MAX_SIZE_AUTHENTICATED = 100


@dataclass(frozen=True)
class SearchParams:
    """A search as a client asks for it (Zenodo's and InvenioRDM's parameters)."""

    q: str = ""
    sort: str | None = None
    page: int = 1
    size: int = 10
    all_versions: bool = False
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # InvenioRDM facet filters
    type: str | None = None  # Zenodo's type/subtype parameters
    subtype: str | None = None
    communities: tuple[str, ...] = ()
    cursor: str | None = None  # "" starts paging with cursors; a token resumes after its hit


@dataclass
class SearchPage:
    views: list[RecordView]
    total: int
    aggregations: dict[str, Any]
    sort_by: str
    page: int
    size: int
    next_cursor: str | None  # resumes after this page
    next_page: bool  # page + 1 is within the paging window and has hits
    cursor_mode: bool


@dataclass(frozen=True)
class _Scope:
    name: str
    read: Action
    default_sort: str


RECORDS = _Scope("records", Action.READ_RECORD, "newest")
USER_RECORDS = _Scope("user-records", Action.READ_DRAFT, "updated-desc")


def search_records(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, params: SearchParams) -> SearchPage:
    """Published records the actor may read; latest versions unless ``all_versions``."""
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    read = q.from_access_filter(search_filter(Action.READ_RECORD, who, now))
    scope = q.all_of((q.Flag("is_draft", False), read, q.Everything() if params.all_versions else q.Flag("is_latest", True)))
    return _search(ctx, uow, identity, who, params, scope, RECORDS, now)


def search_user_records(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, params: SearchParams) -> SearchPage:
    """The actor's own drafts and records, and those shared with them to preview or edit.

    Each concept is shown once, by its open draft if any, else by its latest version (every
    version and draft with ``all_versions``). Administrators see their own here, not everyone's.
    """
    now = ctx.clock.now()
    who = loading.resolve_principal(uow, identity, now)
    mine = Principal(user_id=who.user_id, is_admin=False, grants=who.grants)
    read = q.from_access_filter(search_filter(Action.READ_DRAFT, mine, now))
    scope = q.all_of((q.Flag("user_view", True), read, q.Everything() if params.all_versions else q.Flag("is_latest_draft", True)))
    return _search(ctx, uow, identity, mine, params, scope, USER_RECORDS, now)


def _search(ctx: ServiceContext, uow: UnitOfWork, identity: Identity, who: Principal, params: SearchParams, scope_node: q.Node, scope: _Scope, now: datetime) -> SearchPage:
    _check_paging(identity, params)
    index = require_index(ctx)
    wait_for_index(ctx)
    files_filter = q.from_access_filter(search_filter(Action.READ_FILES, who, now))
    try:
        parsed = parse_query(params.q, files_filter=files_filter, now=now)
        sort = resolve_sort(params.sort, ranked=q.has_positive_text(parsed), default=scope.default_sort)
    except QueryError as exc:
        raise BadRequest("Invalid query string syntax.", [FieldError("q", [exc.describe()])]) from None
    except OptionError as exc:
        raise BadRequest(exc.message, [FieldError(exc.field, [exc.message])]) from None
    selected = _selected_facets(params)
    post = q.all_of(facet_filter(name, values, now, files_filter) for name, values in selected.items())
    base = q.all_of((scope_node, parsed))
    codec = CursorCodec(ctx.settings.secret_key)
    binding = query_binding(scope=scope.name, q=params.q, sort=sort.name, all_versions=params.all_versions, facets=selected)
    after = None
    cursor_mode = params.cursor is not None
    if params.cursor:
        try:
            after = codec.decode(params.cursor, binding)
        except OptionError as exc:
            raise BadRequest(exc.message, [FieldError(exc.field, [exc.message])]) from None
    offset = 0 if cursor_mode else (params.page - 1) * params.size
    try:
        request = QueryRequest(base, post, sort, params.size + 1, offset, after, facet_request(files_filter, now))
        result = index.query(request)
        found, counts = result.hits, counts_of(result.facets)
    except ExpansionTooLarge as exc:
        raise BadRequest("Invalid query string syntax.", [FieldError("q", [str(exc)])]) from None
    hits = found.hits[: params.size]
    more = len(found.hits) > params.size
    return SearchPage(
        views=_views(ctx, uow, who, [h.key for h in hits], scope, now),
        total=found.total,
        aggregations=aggregations_json(counts, selected),
        sort_by=sort.name,
        page=params.page,
        size=params.size,
        next_cursor=codec.encode(binding, hits[-1].after) if more and hits else None,
        next_page=more and not cursor_mode and (params.page + 1) * params.size <= MAX_WINDOW,
        cursor_mode=cursor_mode,
    )


def _check_paging(identity: Identity, params: SearchParams) -> None:
    limit = MAX_SIZE_ANONYMOUS if identity.is_anonymous else MAX_SIZE_AUTHENTICATED
    if params.size < 1 or params.size > limit:
        raise BadRequest(f"Page size cannot be greater than {limit}.", [FieldError("size", [f"Must be between 1 and {limit}."])])
    if params.page < 1:
        raise BadRequest("Invalid 'page': pages start at 1.", [FieldError("page", ["Must be 1 or more."])])
    if params.cursor is None and params.page * params.size > MAX_WINDOW:
        message = f"Pages reach only the first {MAX_WINDOW:,} results; follow links.next (a cursor) to go further."
        raise BadRequest(message, [FieldError("page", [message])])


def _selected_facets(params: SearchParams) -> dict[str, tuple[str, ...]]:
    """Facet filters by facet name (values sorted), including Zenodo's ``type``/``subtype``.

    ``communities`` name communities by slug; unknown slugs are dropped, as Zenodo drops them
    (there are no communities yet, so every slug is unknown).
    """
    selected: dict[str, tuple[str, ...]] = {}
    for name, values in params.facets.items():
        if name not in PUBLIC_FACETS or name == "communities":
            continue
        kept = tuple(sorted({v.strip() for v in values if v.strip()}))
        if kept:
            selected[name] = kept
    if params.type:
        selected["resource_type"] = tuple(sorted({*selected.get("resource_type", ()), _type_filter(params.type, params.subtype)}))
    return selected


def _type_filter(kind: str, subtype: str | None) -> str:
    """Zenodo's ``type``/``subtype`` (ids or English titles) as a resource type facet filter."""
    vocabulary = get_vocabulary("resourcetypes")

    def find(value: str) -> str:
        entry = vocabulary.get(value)
        if entry is None:
            entry = next((e for e in vocabulary.all() if e.title.get("en", "").lower() == value.strip().lower()), None)
        return entry.id if entry is not None else value.strip().lower()

    main = find(kind)
    if not subtype:
        return main
    sub = vocabulary.get(f"{main}-{subtype.strip()}")
    return f"{main}::{sub.id if sub is not None else find(subtype)}"


def _views(ctx: ServiceContext, uow: UnitOfWork, who: Principal, keys: list[int], scope: _Scope, now: datetime) -> list[RecordView]:
    """The hits, rendered from the database, in order; a hit the actor may no longer read is left out."""
    record_ids = [key_recid(k)[0] for k in keys if not key_recid(k)[1]]
    draft_ids = [key_recid(k)[0] for k in keys if key_recid(k)[1]]
    rows: dict[int, tuple[Record | Draft, Parent]] = {}
    if record_ids:
        stmt = select(Record, Parent).join(Parent, Parent.id == Record.parent_id).where(Record.id.in_(record_ids))
        rows.update({document_key(r.id, False): (r, p) for r, p in uow.session.execute(stmt)})
    if draft_ids:
        stmt_d = select(Draft, Parent).join(Parent, Parent.id == Draft.parent_id).where(Draft.id.in_(draft_ids))
        rows.update({document_key(d.id, True): (d, p) for d, p in uow.session.execute(stmt_d)})
    views: list[RecordView] = []
    for key in keys:
        found = rows.get(key)
        if found is None:
            continue
        row, parent = found
        if isinstance(row, Record):
            if row.status == "published" and loading.can(scope.read, who, row, parent, now):
                views.append(record_view(ctx, uow, who, row, parent, now))
        elif loading.can(Action.READ_DRAFT, who, row, parent, now):
            views.append(draft_view(ctx, uow, row, parent))
    return views
