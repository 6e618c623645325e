"""Keeping the search index in step with the database.

- :class:`IndexAfterCommit` listens to ``ctx.changed`` and, once the unit of work has committed,
  re-indexes every document of each concept that changed (a concept's versions share flags such
  as "latest", so a concept is the unit). A unit of work that rolls back indexes nothing.
- :func:`reindex` rebuilds the index from the database, concept by concept, then drops documents
  of concepts that no longer exist; searches keep working meanwhile.
- :func:`check` lists the differences between what the database says and what the index holds.

Documents are rendered from the database rows with every file listed (the index filters
file-derived fields by the READ_FILES rule at query time) and built by
``search.documents.build_document``.
"""

from __future__ import annotations

import atexit
import functools
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from callimachus.core.clock import as_utc
from callimachus.db.models import Blob, Draft, FileObject, Parent, Record, Revision
from callimachus.db.uow import UnitOfWork
from callimachus.search import query as q
from callimachus.search.base import SearchIndex
from callimachus.search.documents import DocumentFacts, IndexDocument, build_document, key_recid
from callimachus.services.context import ChangeKind, ServiceContext
from callimachus.services.render import FileRow, RecordView, record_json

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (concepts done, concepts in all)


def attach_index(ctx: ServiceContext, index: SearchIndex) -> None:
    """Give ``ctx`` its search index and keep the index up to date after each commit."""
    ctx.index = index
    if not any(isinstance(listener, IndexAfterCommit) for listener in ctx.listeners):
        ctx.listeners.append(IndexAfterCommit(ctx))


def require_index(ctx: ServiceContext) -> SearchIndex:
    if ctx.index is None:
        raise RuntimeError("no search index is configured (CALLIMACHUS_SEARCH_URL)")
    index: SearchIndex = ctx.index
    return index


class IndexAfterCommit:
    """A change listener: after commit, have the concepts changed in the unit of work re-indexed.

    The work is handed to one indexing thread, which loads the concepts' current state and writes
    it in batches: a write request does not wait for the index (whose commits are slow: they sync
    files to disk), and bursts of changes share one index commit. :meth:`wait` lets a search see
    every change committed before it (in this process).
    """

    def __init__(self, ctx: ServiceContext, *, idle_seconds: float = 2.0) -> None:
        self.ctx = ctx
        self.idle_seconds = idle_seconds
        self._pending_by_uow: weakref.WeakKeyDictionary[UnitOfWork, set[int]] = weakref.WeakKeyDictionary()
        self._cond = threading.Condition()
        self._queue: set[int] = set()
        self._submitted = 0
        self._done = 0
        self._thread: threading.Thread | None = None
        _LIVE.add(self)

    def __call__(self, uow: UnitOfWork, kind: ChangeKind, ident: int) -> None:
        try:
            parent_id = parent_of_change(uow, kind, ident)
        except Exception:  # indexing must never break the change itself; `search check` finds it
            log.exception("cannot tell which concept changed (%s %s); the index may be stale", kind, ident)
            return
        if parent_id is None:
            return
        with self._cond:
            self._pending_by_uow.setdefault(uow, set()).add(parent_id)
        # One effect per change: a rollback drops them all; the first to run submits the lot.
        uow.on_commit(lambda: self._committed(uow))

    def _committed(self, uow: UnitOfWork) -> None:
        with self._cond:
            parent_ids = self._pending_by_uow.pop(uow, set())
            if not parent_ids:
                return
            self._queue.update(parent_ids)
            self._submitted += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._cond.wait_for(lambda: bool(self._queue), self.idle_seconds):
                    self._thread = None  # idle: end; the next change starts a new thread
                    return
                batch, self._queue = sorted(self._queue), set()
                upto = self._submitted
            try:
                reindex_parents(self.ctx, batch)
            except Exception:
                log.exception("indexing concepts %s failed; run `callimachus search check --fix`", batch)
            with self._cond:
                self._done = upto
                self._cond.notify_all()

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until every change committed so far is in the index (or ``timeout``); True if so."""
        with self._cond:
            target = self._submitted
            return self._cond.wait_for(lambda: self._done >= target, timeout)


_LIVE: weakref.WeakSet[IndexAfterCommit] = weakref.WeakSet()


@atexit.register
def _drain_at_exit() -> None:
    """A command-line run or a worker ends only once its changes are indexed."""
    for listener in list(_LIVE):
        listener.wait(60.0)


def wait_for_index(ctx: ServiceContext, timeout: float = 30.0) -> None:
    """Let the index catch up with changes this process committed (read-your-writes)."""
    for listener in ctx.listeners:
        if isinstance(listener, IndexAfterCommit):
            listener.wait(timeout)


def parent_of_change(uow: UnitOfWork, kind: ChangeKind, ident: int) -> int | None:
    """The concept a change notification is about (looked up inside the changing transaction)."""
    if kind == "parent":
        return ident
    if kind == "draft":
        draft = uow.session.get(Draft, ident)
        if draft is not None:
            return draft.parent_id
    record = uow.session.get(Record, ident)
    if record is not None:
        return record.parent_id
    # A removed never-published draft: its last revision says which concept it belonged to.
    revision = uow.session.scalar(
        select(Revision).where(Revision.recid == ident, Revision.kind == "draft").order_by(Revision.revision_id.desc()).limit(1)
    )
    parent_id = (revision.data or {}).get("parent_id") if revision is not None else None
    return int(parent_id) if parent_id is not None else None


def reindex_parents(ctx: ServiceContext, parent_ids: Sequence[int]) -> None:
    """Replace the documents of these concepts by what the database holds now."""
    index = require_index(ctx)

    def load() -> list[IndexDocument]:
        with ctx.unit_of_work() as uow:
            return documents_for_parents(ctx, uow, parent_ids)

    index.replace_parents(parent_ids, load)


def documents_for_parents(ctx: ServiceContext, uow: UnitOfWork, parent_ids: Sequence[int]) -> list[IndexDocument]:
    """Every search document of these concepts: published versions and drafts."""
    if not parent_ids:
        return []
    session = uow.session
    parents = {p.id: p for p in session.scalars(select(Parent).where(Parent.id.in_(parent_ids)))}
    records = list(session.scalars(select(Record).where(Record.parent_id.in_(parent_ids), Record.status == "published")))
    drafts = list(session.scalars(select(Draft).where(Draft.parent_id.in_(parent_ids))))
    files = _files_of(uow, [r.bucket_id for r in records] + [d.bucket_id for d in drafts])
    representative = _representatives(parents, drafts)
    draft_ids = {d.id for d in drafts}
    now = ctx.clock.now()
    out = []
    for record in records:
        parent = parents[record.parent_id]
        view = RecordView(row=record, parent=parent, files=files.get(record.bucket_id, []), is_draft=False, oai_domain=ctx.settings.oai_domain)
        facts = _facts(record, parent, is_draft=False, representative=representative, draft_ids=draft_ids)
        out.append(build_document(record_json(ctx.site_url, view, now), facts))
    for draft in drafts:
        parent = parents[draft.parent_id]
        view = RecordView(row=draft, parent=parent, files=files.get(draft.bucket_id, []), is_draft=True, has_record=draft.is_published, oai_domain=ctx.settings.oai_domain)
        facts = _facts(draft, parent, is_draft=True, representative=representative, draft_ids=draft_ids)
        out.append(build_document(record_json(ctx.site_url, view, now), facts))
    return out


def _files_of(uow: UnitOfWork, bucket_ids: list[str]) -> dict[str, list[FileRow]]:
    out: dict[str, list[FileRow]] = {}
    for start in range(0, len(bucket_ids), 500):
        rows = uow.session.execute(
            select(FileObject, Blob)
            .outerjoin(Blob, Blob.id == FileObject.blob_id)
            .where(FileObject.bucket_id.in_(bucket_ids[start : start + 500]))
            .order_by(FileObject.key)
        )
        for fo, blob in rows:
            out.setdefault(fo.bucket_id, []).append((fo, blob))
    return out


def _representatives(parents: dict[int, Parent], drafts: list[Draft]) -> set[tuple[int, bool]]:
    """(recid, is_draft) of what stands for each concept in its owner's list: the open draft of
    a new version, else the open edit of the latest version, else the latest version."""
    out: set[tuple[int, bool]] = set()
    by_parent: dict[int, list[Draft]] = {}
    for draft in drafts:
        by_parent.setdefault(draft.parent_id, []).append(draft)
    for parent in parents.values():
        candidates = sorted(by_parent.get(parent.id, []), key=lambda d: -d.version_index)
        chosen = next((d for d in candidates if not d.is_published or d.id == parent.latest_id), None)
        if chosen is not None:
            out.add((chosen.id, True))
        elif parent.latest_id is not None:
            out.add((parent.latest_id, False))
    return out


def _facts(row: Draft | Record, parent: Parent, *, is_draft: bool, representative: set[tuple[int, bool]], draft_ids: set[int]) -> DocumentFacts:
    created = row.created_at if is_draft else row.published_at  # type: ignore[union-attr]
    return DocumentFacts(
        is_draft=is_draft,
        published=not is_draft,
        parent_id=parent.id,
        owner_id=parent.owner_id,
        access_record=row.access_record,
        access_files=row.access_files,
        embargo_until=as_utc(row.embargo_until) if row.embargo_until else None,
        files_enabled=row.files_enabled,
        is_latest=not is_draft and parent.latest_id == row.id,
        is_latest_draft=(row.id, is_draft) in representative,
        user_view=is_draft or row.id not in draft_ids,
        created=as_utc(created),
        updated=as_utc(row.updated_at),
    )


# --- rebuilding and checking ---------------------------------------------------------------


@dataclass
class ReindexReport:
    concepts: int = 0
    documents: int = 0
    removed_concepts: int = 0


def _all_parent_ids(ctx: ServiceContext) -> list[int]:
    with ctx.unit_of_work() as uow:
        return [int(p) for p in uow.session.scalars(select(Parent.id).order_by(Parent.id))]


def reindex(ctx: ServiceContext, *, clear: bool = False, batch_size: int = 1000, progress: Progress | None = None) -> ReindexReport:
    """Rebuild the index from the database, ``batch_size`` concepts per write.

    Without ``clear``, searches keep seeing every concept while it runs (each batch replaces its
    concepts' documents); documents of concepts no longer in the database are removed at the end.
    With ``clear``, the index is emptied first and filled in bulk (faster; searches find only
    what is done so far, and changes made meanwhile wait for the index lock).
    """
    index = require_index(ctx)
    parent_ids = _all_parent_ids(ctx)
    report = ReindexReport()
    batches = [parent_ids[start : start + batch_size] for start in range(0, len(parent_ids), batch_size)]

    def load(batch: list[int]) -> list[IndexDocument]:
        with ctx.unit_of_work() as uow:
            docs = documents_for_parents(ctx, uow, batch)
        report.concepts += len(batch)
        report.documents += len(docs)
        return docs

    def loaded() -> Iterable[list[IndexDocument]]:
        for batch in batches:
            yield load(batch)
            if progress is not None:
                progress(report.concepts, len(parent_ids))

    if clear:
        index.clear()
        index.add_many(loaded())
        return report
    for batch in batches:
        index.replace_parents(batch, functools.partial(load, batch))
        if progress is not None:
            progress(report.concepts, len(parent_ids))
    known = set(parent_ids)
    gone = sorted({doc.parent_id for doc in index.stored()} - known)
    if gone:
        index.delete_parents(gone)
    report.removed_concepts = len(gone)
    return report


@dataclass
class CheckReport:
    """Differences between the database and the index, by (recid, is_draft)."""

    missing: list[tuple[int, bool]] = field(default_factory=list)  # in the database, not indexed
    extra: list[tuple[int, bool]] = field(default_factory=list)  # indexed, not in the database
    stale: list[tuple[int, bool]] = field(default_factory=list)  # indexed with other content
    documents: int = 0

    parents: set[int] = field(default_factory=set)  # concepts whose documents differ

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def check(ctx: ServiceContext, *, fix: bool = False, batch_size: int = 500, progress: Progress | None = None) -> CheckReport:
    """Compare every document the database implies with the index; with ``fix``, re-index what differs."""
    index = require_index(ctx)
    stored = {doc.key: doc for doc in index.stored()}
    report = CheckReport()
    parent_ids = _all_parent_ids(ctx)
    seen: set[int] = set()
    for start in range(0, len(parent_ids), batch_size):
        batch = parent_ids[start : start + batch_size]
        with ctx.unit_of_work() as uow:
            expected = documents_for_parents(ctx, uow, batch)
        for doc in expected:
            seen.add(doc.key)
            found = stored.get(doc.key)
            if found is None:
                report.missing.append(key_recid(doc.key))
                report.parents.add(doc.parent_id)
            elif found.fingerprint != doc.fingerprint or found.parent_id != doc.parent_id:
                report.stale.append(key_recid(doc.key))
                report.parents.update((doc.parent_id, found.parent_id))
        report.documents += len(expected)
        if progress is not None:
            progress(min(start + batch_size, len(parent_ids)), len(parent_ids))
    for key, held in stored.items():
        if key not in seen:
            report.extra.append(key_recid(key))
            report.parents.add(held.parent_id)
    if fix and report.parents:
        _fix(ctx, sorted(report.parents), batch_size)
    return report


def _fix(ctx: ServiceContext, parent_ids: Iterable[int], batch_size: int) -> None:
    ids = list(parent_ids)
    for start in range(0, len(ids), batch_size):
        reindex_parents(ctx, ids[start : start + batch_size])


def count_documents(ctx: ServiceContext) -> int:
    """Documents the database implies (published versions and drafts)."""
    with ctx.unit_of_work() as uow:
        records = uow.session.scalar(select(func.count()).select_from(Record).where(Record.status == "published")) or 0
        drafts = uow.session.scalar(select(func.count()).select_from(Draft)) or 0
    return int(records) + int(drafts)


def rebuild_if_empty(ctx: ServiceContext) -> ReindexReport | None:
    """Fill an empty index from a database that has records (a new index, or one started
    empty because its layout changed); None when nothing needed doing."""
    index = require_index(ctx)
    if index.count(q.Everything()) > 0 or not _all_parent_ids(ctx):
        return None
    return reindex(ctx, clear=True)
