"""The scale-out search backend: PostgreSQL full-text search in tables of its own.

The search database may differ from the application database, so this backend owns its tables
and creates them itself (:meth:`PostgresIndex.ensure_schema`). Writers take one transaction-level
advisory lock, load the documents while holding it, and commit; readers see a concept's old
documents or its new ones, never a mix.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Engine,
    create_engine,
    delete,
    insert,
    select,
    text,
)

from callimachus.search import postgres_query
from callimachus.search import query as q
from callimachus.search.base import (
    FacetCounts,
    FacetRequest,
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
from callimachus.search.fields import TEXT_SECTIONS
from callimachus.search.postgres_sql import (
    FILES_FACETS,
    HEAD_SECTIONS,
    METADATA,
    SCALAR_KEYWORDS,
    STORAGE,
    SqlCompiler,
    documents,
    meta,
    terms,
    tsvector_literal,
)

SCHEMA_VERSION = "5"
Encoded = tuple[dict[str, Any], list[str]]
WRITE_LOCK = 7_331_002  # advisory lock id shared by every writer of this search database
AGG_SIZE = 1000
WORK_MEM = "64MB"  # enough for exact bitmaps of a million matches: no re-check of every text


def _tune(conn: Any) -> None:
    """Per search: room for exact bitmaps, and the GIN index even for very common words (a
    sequential scan would read every full text out of line storage)."""
    conn.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    conn.execute(text("SET LOCAL enable_seqscan = off"))
KEY_MASK = (1 << KEY_BITS) - 1
_WEIGHTS = {section: weight for section, (weight, _) in TEXT_SECTIONS.items()}


def search_engine(url: str) -> Engine:
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class PostgresIndex(SearchIndex):
    """Search documents in PostgreSQL at ``url`` (tables in the connection's ``search_path``)."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        if engine is None:
            if url is None:
                raise ValueError("give a URL or an engine")
            engine = search_engine(url)
        self.engine = engine

    def ensure_schema(self) -> None:
        """Create the tables and indexes if missing; recreate them (empty) if their version is old."""
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            METADATA.create_all(conn, checkfirst=True)
            version = conn.scalar(select(meta.c.value).where(meta.c.name == "schema"))
            if version == SCHEMA_VERSION:
                return
            if version is not None:
                METADATA.drop_all(conn, checkfirst=True)
                METADATA.create_all(conn, checkfirst=True)
            for statement in STORAGE:
                conn.execute(text(statement))
            conn.execute(insert(meta).values(name="schema", value=SCHEMA_VERSION))

    # --- reading ---------------------------------------------------------------------------

    def _compiler(self, conn: Any) -> SqlCompiler:
        def expand(like: str, regex: str) -> list[str]:
            stmt = select(terms.c.term).where(terms.c.term.like(like, escape="\\"), terms.c.term.op("~")(regex))
            return list(conn.scalars(stmt.limit(10_001)))

        return SqlCompiler(expand)

    def query(self, request: QueryRequest) -> QueryResult:
        """Hits, total and facets in one statement (``search.postgres_query``)."""
        check_size(max(request.size, 1))
        with self.engine.connect() as conn:
            _tune(conn)
            return postgres_query.run(conn, self._compiler(conn), request)

    def search(self, node: q.Node, sort: Sort, *, size: int, offset: int = 0, after: SortAfter | None = None) -> Hits:
        check_size(size)
        return self.query(QueryRequest(node, q.Everything(), sort, size, offset, after)).hits

    def count(self, node: q.Node) -> int:
        return self.query(QueryRequest(node, q.Everything(), Sort("newest", "newest"), 0)).hits.total

    def facets(self, base: q.Node, request: FacetRequest) -> FacetCounts:
        """Exact counts; the first 1,000 values per facet by count (ties by value)."""
        return self.query(QueryRequest(base, q.Everything(), Sort("newest", "newest"), 0, facets=request)).facets

    def stored(self) -> Iterable[StoredDocument]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.key, documents.c.parent_id, documents.c.fingerprint)).all()
        return [StoredDocument(int(k), int(p), int(f)) for k, p, f in rows]

    # --- writing ---------------------------------------------------------------------------

    def replace_parents(self, parent_ids: Collection[int], load: Callable[[], Iterable[IndexDocument]]) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            docs = list(load())
            ids = sorted(set(parent_ids))
            if ids:
                conn.execute(delete(documents).where(documents.c.parent_id.in_(ids)))
            if docs:
                encoded = [self.encode(doc) for doc in docs]
                conn.execute(insert(documents), [row for row, _ in encoded])
                self._add_terms(conn, {t for _, found in encoded for t in found})

    def add_many(self, batches: Iterable[Sequence[IndexDocument | Encoded]]) -> int:
        """Each batch in one transaction, rows sent with COPY."""
        added = 0
        columns = [c.name for c in documents.columns]
        for batch in batches:
            encoded = [doc if isinstance(doc, tuple) else self.encode(doc) for doc in batch]
            with self.engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
                driver = conn.connection.driver_connection
                assert driver is not None
                cursor = driver.cursor()
                with cursor.copy(f"COPY search_documents ({', '.join(columns)}) FROM STDIN") as copy:
                    for row, _ in encoded:
                        copy.write_row([row[name] for name in columns])
                self._add_terms(conn, {t for _, found in encoded for t in found})
            added += len(batch)
        return added

    @staticmethod
    def _add_terms(conn: Any, found: set[str]) -> None:
        ordered = sorted(found)
        for start in range(0, len(ordered), 5000):
            conn.execute(text("INSERT INTO search_terms (term) SELECT unnest(CAST(:t AS text[])) ON CONFLICT DO NOTHING"), {"t": ordered[start : start + 5000]})

    def delete_parents(self, parent_ids: Collection[int]) -> None:
        self.replace_parents(parent_ids, list)

    def clear(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            conn.execute(delete(documents))
            conn.execute(delete(terms))

    def close(self) -> None:
        self.engine.dispose()

    @staticmethod
    def encode(doc: IndexDocument) -> Encoded:
        """The table row of ``doc`` and the words and keywords it adds to ``search_terms``."""
        return PostgresIndex.row(doc), sorted(set(_terms(doc)))

    @staticmethod
    def row(doc: IndexDocument) -> dict[str, Any]:
        positions: dict[str, list[int]] = {}
        for section, word, position in doc.words_with_positions():
            positions.setdefault(f"{section}_{word}", []).append(position)
        return {
            "key": doc.key, "id": doc.id, "parent_id": doc.parent_id, "owner_id": doc.owner_id,
            "version_index": doc.version_index, **doc.flags, **doc.dates,
            **{name: doc.keywords[name][0] for name in SCALAR_KEYWORDS},
            "tsv": tsvector_literal(positions, _WEIGHTS),
            "tsv_head": tsvector_literal({k: v for k, v in positions.items() if k.split("_", 1)[0] in HEAD_SECTIONS}, _WEIGHTS),
            "kw": [f"{name}={v}" for name, values in doc.keywords.items() for v in values],
            "facets": [f"{name}={v}" for name, values in doc.facets.items() if name not in FILES_FACETS for v in values],
            "facets_files": [f"{name}={v}" for name, values in doc.facets.items() if name in FILES_FACETS for v in values],
            **{f"sk_{name}": value for name, value in doc.sort.items()},
            "sk_title": doc.sort_title, "fingerprint": doc.fingerprint,
        }  # fmt: skip


def _terms(doc: IndexDocument) -> Iterable[str]:
    for section, words in doc.text:
        for word in words:
            yield f"{section}_{word}"
    for name, values in doc.keywords.items():
        for value in values:
            yield f"{name}={value}"
