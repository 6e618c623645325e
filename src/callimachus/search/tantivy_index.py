"""The embedded search backend: a Tantivy index in a folder of the instance.

Text arrives analysed (``search.analysis``): each value of a section is one string of
``<section>_<word>`` tokens split on spaces, so Tantivy's whitespace tokenizer reproduces the
words, and positions restart after a gap between values. Keywords live in one raw field as
``<field>=<value>``; facet values and sort keys in fast fields.

Writers are short-lived: each write takes the index's lock file (another process, such as
``callimachus search reindex``, may hold it for a moment; we wait), commits, lets merges finish
and releases it. Searchers reload after our own commits and, for other processes' commits,
when Tantivy notices them.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import tantivy

from callimachus.search import query as q
from callimachus.search.base import (
    FacetCounts,
    FacetRequest,
    Hit,
    Hits,
    QueryRequest,
    QueryResult,
    SearchIndex,
    Sort,
    SortAfter,
    StoredDocument,
    check_size,
)
from callimachus.search.documents import KEY_BITS, IndexDocument
from callimachus.search.fields import (
    CLOSED_KEYWORDS,
    DATE_FIELDS,
    FACET_FIELDS,
    FLAG_FIELDS,
    INTEGER_FIELDS,
    TEXT_SECTIONS,
    FacetSpec,
)

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
MARKER = "callimachus-search.json"
KEY_MASK = (1 << KEY_BITS) - 1
AGG_SIZE = 1000  # buckets asked per facet; longer tails are cut (see ``aggregate``)
AGG_SEGMENT_SIZE = 10_000
# Composite flag: a published, current version (what every listing of records asks for). The
# planner replaces these three clauses with it: one posting list to exclude instead of three.
LISTED = (q.Flag("is_draft", False), q.Flag("published", True), q.Flag("is_latest", True))
# Publication intervals list the years they touch (a sentinel when too long to list), so a date
# range is first narrowed to a few years' postings before its exact bounds are checked.
YEARS_LISTED = 200
LONG_INTERVAL = -1
_Occur = tantivy.Occur


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("key", stored=True, indexed=True, fast=True)
    for name in (*INTEGER_FIELDS, *DATE_FIELDS):
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in FLAG_FIELDS:
        builder.add_boolean_field(name, indexed=True)
    builder.add_boolean_field("listed", indexed=True)  # see ``LISTED``
    builder.add_integer_field("pub_years", indexed=True)  # see ``_years``
    builder.add_text_field("tx", tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("kw", tokenizer_name="raw", index_option="basic")
    for name in FACET_FIELDS:
        builder.add_text_field(f"f_{name}", tokenizer_name="raw", fast=True, index_option="basic")
    for name in ("newest", "updated", "publication", "version"):
        builder.add_integer_field(f"sk_{name}", indexed=False, fast=True)
    builder.add_text_field("sk_title", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("fingerprint", stored=False, fast=True)
    return builder.build()


class TantivyIndex(SearchIndex):
    """A Tantivy index in ``path`` (created if missing; rebuilt empty if its schema is outdated)."""

    def __init__(self, path: Path, *, lock_timeout: float = 60.0, writer_heap: int = 50_000_000, search_threads: int = 3) -> None:
        self.path = path
        # Tantivy releases the GIL while it searches, so the hits and the facet passes of one
        # query run side by side on these threads.
        self._pool: Executor | None = ThreadPoolExecutor(search_threads, "tantivy-search") if search_threads > 1 else None
        self.lock_timeout = lock_timeout
        self.writer_heap = writer_heap
        self.schema = _schema()
        self._write_lock = threading.Lock()
        self._index = self._open()
        self._index.config_reader("commit")

    def _open(self) -> tantivy.Index:
        marker = self.path / MARKER
        if self.path.exists() and any(self.path.iterdir()):
            current = json.loads(marker.read_text()) if marker.exists() else {}
            if current.get("schema") == SCHEMA_VERSION:
                return tantivy.Index(self.schema, path=str(self.path), reuse=True)
            log.warning("search index at %s has an old schema; starting an empty one (run `callimachus search reindex`)", self.path)
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(self.schema, path=str(self.path), reuse=False)
        marker.write_text(json.dumps({"schema": SCHEMA_VERSION}))
        return index

    # --- reading ---------------------------------------------------------------------------

    def search(self, node: q.Node, sort: Sort, *, size: int, offset: int = 0, after: SortAfter | None = None) -> Hits:
        check_size(size)
        searcher = self._index.searcher()
        return self._search(searcher, self._prepare(node, searcher), sort, size, offset, after)

    def _search(self, searcher: tantivy.Searcher, query: tantivy.Query, sort: Sort, size: int, offset: int, after: SortAfter | None) -> Hits:
        if sort.field is None:
            return self._ranked(searcher, query, size, offset, after)
        total = None
        if after is not None:
            total = _count(searcher.search(query, 1, count=True))
            query = self._and(query, self._after(sort, after))
            offset = 0
        order = tantivy.Order.Desc if sort.descending else tantivy.Order.Asc
        result = searcher.search(query, size, count=True, order_by_field=f"sk_{sort.field}", offset=offset, order=order)
        hits = [Hit(_key_of(sort, value), (value,)) for value, _ in result.hits]
        return Hits(hits, _count(result) if total is None else total)

    def _ranked(self, searcher: tantivy.Searcher, query: tantivy.Query, size: int, offset: int, after: SortAfter | None) -> Hits:
        """Relevance order: score, then key, both descending (as the PostgreSQL backend orders).

        Tantivy breaks ties its own way and cannot filter on scores, so top hits are fetched in
        growing numbers until the wanted ones are known for certain: every hit scoring above the
        lowest score fetched is among those fetched.
        """
        cursor = (float(after[0]), int(after[1])) if after is not None else None
        limit = max(4 * (offset + size), 100)
        while True:
            result = searcher.search(query, limit, count=True)
            keys = self._keys(searcher, [addr for _, addr in result.hits])
            ranked = sorted(((float(s), k) for (s, _), k in zip(result.hits, keys, strict=True)), reverse=True)
            complete = len(ranked) >= _count(result)
            floor = ranked[-1][0] if ranked and not complete else float("-inf")
            known = [hit for hit in ranked if complete or hit[0] > floor]
            wanted = [hit for hit in known if cursor is None or hit < cursor][offset : offset + size]
            if len(wanted) >= size or complete:
                return Hits([Hit(k, (s, k)) for s, k in wanted], _count(result))
            limit *= 4

    def count(self, node: q.Node) -> int:
        searcher = self._index.searcher()
        return _count(searcher.search(self._prepare(node, searcher), 1, count=True))

    def query(self, request: QueryRequest) -> QueryResult:
        """The page of hits and the facet passes, on one searcher, run concurrently."""
        check_size(request.size)
        searcher = self._index.searcher()
        node = self._prepare(q.all_of((request.base, request.post)), searcher)

        def hits() -> Hits:
            return self._search(searcher, node, request.sort, request.size, request.offset, request.after)

        if not request.facets:
            return QueryResult(hits(), FacetCounts({}, {}))
        page, *counts = self._together([hits, *self._facet_passes(searcher, request.base, request.facets)])
        return QueryResult(page, _merge(counts))

    def facets(self, base: q.Node, request: FacetRequest) -> FacetCounts:
        """Terms aggregations (exact while a facet has fewer than 10,000 values per segment); the
        lifted embargoes as a range sub-aggregation of ``access_base``. The facets are counted
        in passes over the base query (the files facets over base and files filter), run
        concurrently."""
        searcher = self._index.searcher()
        return _merge(self._together(self._facet_passes(searcher, base, request)))

    def _together(self, tasks: Sequence[Callable[[], Any]]) -> list[Any]:
        """The tasks' results, the first run here and the others on the pool meanwhile."""
        if self._pool is None or len(tasks) < 2:
            return [task() for task in tasks]
        futures = [self._pool.submit(task) for task in tasks[1:]]
        return [tasks[0](), *(future.result() for future in futures)]

    def _facet_passes(self, searcher: tantivy.Searcher, base: q.Node, request: FacetRequest) -> list[Callable[[], FacetCounts]]:
        """One aggregation per group of facets: the files facets (over base and files filter),
        and the others split in two groups of about equal cost."""
        plain = [spec for spec in request.facets if not spec.files_only]
        guarded = [spec for spec in request.facets if spec.files_only]
        groups = [(part, base) for part in _halves(plain)]
        if guarded:
            groups.append((guarded, q.all_of((base, request.files_filter))))
        lifted = {"range": {"field": "embargo_until", "ranges": [{"to": float(request.lifted_at + 1)}]}}
        compiled: dict[q.Node, tantivy.Query] = {}
        passes = []
        for specs, node in groups:
            if not specs:
                continue
            if node not in compiled:
                compiled[node] = self._prepare(node, searcher)
            passes.append(_aggregation(searcher, compiled[node], specs, lifted))
        return passes

    def stored(self) -> Iterable[StoredDocument]:
        searcher = self._index.searcher()
        total = searcher.num_docs
        if total == 0:
            return []
        addrs = [addr for _, addr in searcher.search(tantivy.Query.all_query(), total, count=False).hits]
        out: list[StoredDocument] = []
        for start in range(0, len(addrs), 10_000):
            chunk = addrs[start : start + 10_000]
            keys = searcher.fast_field_values("key", chunk)
            parents = searcher.fast_field_values("parent_id", chunk)
            prints = searcher.fast_field_values("fingerprint", chunk)
            out.extend(StoredDocument(int(k), int(p), int(f)) for k, p, f in zip(keys, parents, prints, strict=True))  # type: ignore[arg-type]
        return out

    def _keys(self, searcher: tantivy.Searcher, addrs: list[tantivy.DocAddress]) -> list[int]:
        return [int(v) for v in searcher.fast_field_values("key", addrs)]  # type: ignore[arg-type]

    def _after(self, sort: Sort, after: SortAfter) -> tantivy.Query:
        value = after[0]
        if sort.field == "title":
            text = str(value)
            return self._index.parse_query(f"sk_title:{{{text} TO *}}" if not sort.descending else f"sk_title:{{* TO {text}}}")
        number = int(value)
        low, high = (None, number - 1) if sort.descending else (number + 1, None)
        return tantivy.Query.range_query(self.schema, f"sk_{sort.field}", tantivy.FieldType.Integer, low, high)

    # --- planning and compiling query trees ------------------------------------------------

    def _prepare(self, node: q.Node, searcher: tantivy.Searcher) -> tantivy.Query:
        return self.compile(self.plan(node, searcher), searcher)

    def plan(self, node: q.Node, searcher: tantivy.Searcher) -> q.Node:
        """The same query, cheaper to run: a filter most documents pass (``published``, "not a
        draft", the anonymous read rule) becomes the exclusion of the few that fail it. Tantivy
        intersects by walking posting lists, so a clause matching 90% of a million documents
        costs as much as a common word; excluding the other 10% costs a tenth of that.

        Flags are on every document and closed keywords have exactly one value per document
        (``search.fields``), so their complements are exact."""
        total = searcher.num_docs
        if total == 0:
            return node

        def dense(part: q.Node) -> bool:
            if isinstance(part, q.Flag):
                return searcher.doc_freq(part.field, part.value) * 2 > total
            if isinstance(part, q.Keyword) and part.field in CLOSED_KEYWORDS:
                return sum(searcher.doc_freq("kw", f"{part.field}={v}") for v in part.values) * 2 > total
            return False

        def walk(part: q.Node) -> q.Node:
            if isinstance(part, q.And):
                return q.all_of(walk(p) for p in _narrowed(part.parts))
            if isinstance(part, q.Not):
                return q.negate(walk(part.part))
            if isinstance(part, q.Or) and all(_filter_only(p) for p in part.parts) and any(dense(p) for p in part.parts):
                return q.negate(q.all_of(_complement(p) for p in part.parts))
            if dense(part):
                return q.negate(_complement(part))
            return part

        return walk(node)

    def compile(self, node: q.Node, searcher: tantivy.Searcher | None = None) -> tantivy.Query:
        """The Tantivy query with the semantics of ``node`` (see ``search.query``). With a
        searcher, text sections where a word does not occur at all are left out of the query."""
        if isinstance(node, q.And):
            return self._boolean([(_Occur.Must, p) for p in node.parts], searcher)
        if isinstance(node, q.Or):
            return self._boolean([(_Occur.Should, p) for p in node.parts], searcher)
        if isinstance(node, q.Not):
            return self._boolean([(_Occur.Must, q.Everything()), (_Occur.MustNot, node.part)], searcher)
        if isinstance(node, q.Everything):
            return tantivy.Query.all_query()
        if isinstance(node, q.Nothing):
            return tantivy.Query.empty_query()
        if isinstance(node, (q.Words, q.WordPattern)):
            return self._text(node, searcher)
        return tantivy.Query.const_score_query(self._filter(node), 0.0)

    def _boolean(self, parts: list[tuple[tantivy.Occur, q.Node]], searcher: tantivy.Searcher | None) -> tantivy.Query:
        clauses = []
        for occur, part in parts:
            if occur == _Occur.Must and isinstance(part, q.Not):
                clauses.append((_Occur.MustNot, self.compile(part.part, searcher)))
            else:
                clauses.append((occur, self.compile(part, searcher)))
        if all(occur == _Occur.MustNot for occur, _ in clauses):
            clauses.append((_Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _and(self, first: tantivy.Query, second: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boolean_query([(_Occur.Must, first), (_Occur.Must, second)])

    def _text(self, node: q.Words | q.WordPattern, searcher: tantivy.Searcher | None) -> tantivy.Query:
        per_section = []
        for section in node.sections:
            if searcher is not None and isinstance(node, q.Words) and not all(searcher.doc_freq("tx", f"{section}_{w}") for w in node.words):
                continue
            if isinstance(node, q.WordPattern):
                query = tantivy.Query.regex_query(self.schema, "tx", f"{section}_{q.wildcard_regex(node.pattern)}")
            elif len(node.words) == 1:
                query = tantivy.Query.term_query(self.schema, "tx", f"{section}_{node.words[0]}")
            else:
                query = tantivy.Query.phrase_query(self.schema, "tx", [f"{section}_{w}" for w in node.words])
            boost = TEXT_SECTIONS[section][1]
            per_section.append(tantivy.Query.boost_query(query, boost) if boost != 1.0 else query)
        if not per_section:
            return tantivy.Query.empty_query()
        if len(per_section) == 1:
            return per_section[0]
        return tantivy.Query.boolean_query([(_Occur.Should, p) for p in per_section])

    def _filter(self, node: q.Node) -> tantivy.Query:
        schema = self.schema
        if isinstance(node, q.Keyword):
            terms = [f"{node.field}={v}" for v in node.values]
            if len(terms) == 1:
                return tantivy.Query.term_query(schema, "kw", terms[0], index_option="basic")
            return tantivy.Query.term_set_query(schema, "kw", terms)
        if isinstance(node, q.KeywordPattern):
            return tantivy.Query.regex_query(schema, "kw", q.wildcard_regex(f"{node.field}=") + q.wildcard_regex(node.pattern))
        if isinstance(node, q.FacetValue):
            return tantivy.Query.term_set_query(schema, f"f_{node.field}", list(node.values))
        if isinstance(node, q.Flag):
            return tantivy.Query.term_query(schema, node.field, node.value)
        if isinstance(node, q.IntegerIn):
            return tantivy.Query.term_set_query(schema, node.field, list(node.values))
        if isinstance(node, q.IntegerRange):
            return self._range(node.field, node.low, node.high)
        if isinstance(node, q.DateRange):
            return self._range(node.field, *q.seconds_bounds(node))
        raise TypeError(f"cannot compile {node!r}")

    def _range(self, field: str, low: int | None, high: int | None) -> tantivy.Query:
        if low is not None and high is not None and low > high:
            return tantivy.Query.empty_query()
        if low is None and high is None:
            return tantivy.Query.exists_query(field)
        return tantivy.Query.range_query(self.schema, field, tantivy.FieldType.Integer, low, high)

    # --- writing ---------------------------------------------------------------------------

    def replace_parents(self, parent_ids: Collection[int], load: Callable[[], Iterable[IndexDocument]]) -> None:
        with self._writer() as writer:
            docs = list(load())
            for parent_id in parent_ids:
                writer.delete_documents_by_term("parent_id", parent_id)
            for doc in docs:
                writer.add_json(self.encode(doc))
            writer.commit()

    def add_many(self, batches: Iterable[Sequence[IndexDocument | str]]) -> int:
        """One writer (with Tantivy's indexing threads) for the whole load; a commit per batch."""
        added = 0
        with _WriterSession(self, threads=0, heap=max(self.writer_heap, 256_000_000)) as writer:
            for batch in batches:
                for doc in batch:
                    writer.add_json(doc if isinstance(doc, str) else self.encode(doc))
                writer.commit()
                added += len(batch)
        return added

    def delete_parents(self, parent_ids: Collection[int]) -> None:
        self.replace_parents(parent_ids, list)

    def clear(self) -> None:
        with self._writer() as writer:
            writer.delete_all_documents()
            writer.commit()

    def close(self) -> None:
        """Nothing stays open between writes; readers go with the object; the search threads stop."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)

    def _writer(self) -> _WriterSession:
        return _WriterSession(self)

    def _acquire(self, threads: int = 1, heap: int | None = None) -> tantivy.IndexWriter:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return self._index.writer(heap_size=heap or self.writer_heap, num_threads=threads)
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @staticmethod
    def encode(doc: IndexDocument) -> str:
        """The document as Tantivy's JSON document (parsed by Tantivy itself: the fast path)."""
        out: dict[str, Any] = {
            "key": doc.key, "id": doc.id, "parent_id": doc.parent_id, "owner_id": doc.owner_id,
            "version_index": doc.version_index, "fingerprint": doc.fingerprint, "sk_title": doc.sort_title,
            **doc.flags, "listed": all(doc.flags[flag.field] == flag.value for flag in LISTED),
            "pub_years": _years(doc.dates["pub_start"], doc.dates["pub_end"]),
            **{name: moment for name, moment in doc.dates.items() if moment is not None},
            **{f"sk_{name}": value for name, value in doc.sort.items()},
            **{f"f_{name}": values for name, values in doc.facets.items() if values},
            "tx": [" ".join(f"{section}_{w}" for w in words) for section, words in doc.text],
            "kw": [f"{name}={v}" for name, values in doc.keywords.items() for v in values],
        }  # fmt: skip
        return orjson.dumps(out).decode()


class _WriterSession:
    """The write lock of this process and the index's lock file, for one commit."""

    def __init__(self, index: TantivyIndex, *, threads: int = 1, heap: int | None = None) -> None:
        self.index = index
        self.threads = threads
        self.heap = heap
        self.writer: tantivy.IndexWriter | None = None

    def __enter__(self) -> tantivy.IndexWriter:
        self.index._write_lock.acquire()
        try:
            self.writer = self.index._acquire(self.threads, self.heap)
        except BaseException:
            self.index._write_lock.release()
            raise
        return self.writer

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            assert self.writer is not None
            if exc_type is not None:
                self.writer.rollback()
            self.writer.wait_merging_threads()  # also releases the lock file
            self.writer = None
            self.index._index.reload()
        finally:
            self.index._write_lock.release()


def _narrowed(parts: tuple[q.Node, ...]) -> list[q.Node]:
    """The parts of an AND with the composite clauses the index has: ``listed`` for the three
    flags it stands for, and the years of a publication date range (an extra, implied clause)."""
    out = list(parts)
    if all(flag in out for flag in LISTED):
        out = [p for p in out if p not in LISTED] + [q.Flag("listed", True)]
    ends = [p for p in out if isinstance(p, q.DateRange) and p.field == "pub_end" and p.low is not None]
    starts = [p for p in out if isinstance(p, q.DateRange) and p.field == "pub_start" and p.high is not None]
    if ends and starts:
        low, high = q.seconds_bounds(ends[0])[0], q.seconds_bounds(starts[0])[1]
        first, last = _year_of(low), _year_of(high)
        if low is None or high is None or first is None or last is None or not 0 <= last - first < YEARS_LISTED:
            return out
        years = q.IntegerIn("pub_years", tuple(range(first, last + 1)))
        long = q.IntegerIn("pub_years", (LONG_INTERVAL,))
        if _year_start(first) == low and _year_start(last + 1) == high + 1:
            # Whole years: an interval overlaps them exactly when it touches one of them.
            out = [p for p in out if p is not ends[0] and p is not starts[0]]
            out.append(q.any_of((years, q.all_of((long, ends[0], starts[0])))))
        else:
            out.append(q.any_of((years, long)))
    return out


def _year_start(year: int) -> int | None:
    try:
        return int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    except (OverflowError, ValueError):
        return None


def _year_of(moment: int | None) -> int | None:
    if moment is None:
        return None
    try:
        return datetime.fromtimestamp(moment, UTC).year
    except (OverflowError, OSError, ValueError):
        return None


def _years(start: int | None, end: int | None) -> list[int]:
    """The years a publication interval touches (``LONG_INTERVAL`` if too many or not datable)."""
    if start is None or end is None:
        return []
    first, last = _year_of(start), _year_of(end)
    if first is None or last is None or last - first >= YEARS_LISTED:
        return [LONG_INTERVAL]
    return list(range(first, last + 1))


def _filter_only(node: q.Node) -> bool:
    """No text clause anywhere below: the node only selects, it adds nothing to scores."""
    if isinstance(node, (q.Words, q.WordPattern)):
        return False
    if isinstance(node, (q.And, q.Or)):
        return all(_filter_only(p) for p in node.parts)
    if isinstance(node, q.Not):
        return _filter_only(node.part)
    return True


def _complement(node: q.Node) -> q.Node:
    """The documents ``node`` does not match, written positively where the fields allow."""
    if isinstance(node, q.Flag):
        return q.Flag(node.field, not node.value)
    if isinstance(node, q.Keyword) and node.field in CLOSED_KEYWORDS:
        others = tuple(v for v in CLOSED_KEYWORDS[node.field] if v not in node.values)
        return q.Keyword(node.field, others) if others else q.Nothing()
    return q.negate(node)


def _halves(specs: list[FacetSpec]) -> list[list[FacetSpec]]:
    """Two groups of facets of about equal cost (many-valued facets cost most)."""
    heavy = {"subject", "communities"}
    first = [spec for spec in specs if spec.field in heavy]
    second = [spec for spec in specs if spec.field not in heavy]
    return [group for group in (first, second) if group]


def _aggregation(searcher: tantivy.Searcher, query: tantivy.Query, specs: list[FacetSpec], lifted: dict[str, Any]) -> Callable[[], FacetCounts]:
    def run() -> FacetCounts:
        aggs: dict[str, Any] = {spec.name: _terms(spec) for spec in specs}
        if "access_base" in aggs:
            aggs["access_base"]["aggs"] = {"lifted": lifted}
        result = searcher.aggregate(query, aggs)
        counts: dict[str, dict[str, int]] = {}
        out_lifted: dict[str, int] = {}
        for spec in specs:
            buckets = (result.get(spec.name) or {}).get("buckets", [])
            counts[spec.name] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
            if spec.name == "access_base":
                out_lifted = {str(b["key"]): int(b["lifted"]["buckets"][0]["doc_count"]) for b in buckets}
        return FacetCounts(counts, out_lifted)

    return run


def _merge(parts: list[FacetCounts]) -> FacetCounts:
    counts: dict[str, dict[str, int]] = {}
    lifted: dict[str, int] = {}
    for part in parts:
        counts.update(part.counts)
        lifted.update(part.lifted)
    return FacetCounts(counts, lifted)


def _count(result: tantivy.SearchResult) -> int:
    """The number of matches (the type stubs of tantivy-py omit ``count``)."""
    return int(result.count)  # type: ignore[attr-defined]


def _terms(spec: FacetSpec) -> dict[str, Any]:
    return {"terms": {"field": f"f_{spec.field}", "size": AGG_SIZE, "segment_size": AGG_SEGMENT_SIZE}}


def _key_of(sort: Sort, value: object) -> int:
    if sort.field == "title":
        return int(str(value).rsplit("!", 1)[1])
    return int(value) & KEY_MASK  # type: ignore[call-overload]
