"""The interface every search backend implements, and the small types it speaks.

A backend stores :class:`~callimachus.search.documents.IndexDocument` s and answers three
questions about a query tree (``search.query``): which keys, in a given order (:meth:`search`);
how many (:meth:`count`); and how the matches spread over facet values (:meth:`aggregate`).
Writes replace every document of some concepts at once (:meth:`replace_parents`), under a lock
held while the caller loads the documents, so that of two writers the later one always loads the
later state.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from callimachus.search.documents import IndexDocument
from callimachus.search.fields import FacetSpec
from callimachus.search.query import Node

# The cursor of a hit: the values of its sort key (score and key for relevance).
SortAfter = tuple[float | int | str, ...]


@dataclass(frozen=True)
class Sort:
    """An order of results: a sort-key field of the documents, or relevance (``field`` None)."""

    name: str
    field: str | None
    descending: bool = True


@dataclass(frozen=True)
class Hit:
    key: int
    after: SortAfter


@dataclass(frozen=True)
class Hits:
    hits: list[Hit]
    total: int


@dataclass(frozen=True)
class FacetRequest:
    """Facets to count over a query's base; ``files_only`` facets also need ``files_filter``, and
    ``access_base`` values are also counted for embargoes ended by ``lifted_at``."""

    files_filter: Node
    facets: Sequence[FacetSpec]
    lifted_at: int  # seconds since 1970


@dataclass
class FacetCounts:
    counts: dict[str, dict[str, int]]
    lifted: dict[str, int]


@dataclass(frozen=True)
class QueryRequest:
    """One search: hits of ``base`` and ``post`` in ``sort`` order, and facets of ``base`` only
    (filters chosen from facets narrow the hits, not the counts, as in InvenioRDM)."""

    base: Node
    post: Node
    sort: Sort
    size: int
    offset: int = 0
    after: SortAfter | None = None
    facets: FacetRequest | None = None


@dataclass
class QueryResult:
    hits: Hits
    facets: FacetCounts


@dataclass(frozen=True)
class StoredDocument:
    key: int
    parent_id: int
    fingerprint: int


class SearchIndex(Protocol):
    def search(self, node: Node, sort: Sort, *, size: int, offset: int = 0, after: SortAfter | None = None) -> Hits:
        """Up to ``size`` hits in ``sort`` order, skipping ``offset`` or resuming after ``after``.

        ``total`` counts every match of ``node`` (not only those after ``after``).
        """
        ...

    def count(self, node: Node) -> int: ...

    def query(self, request: QueryRequest) -> QueryResult:
        """Hits and facets of one search (a backend may answer both in one pass)."""
        ...

    def facets(self, base: Node, request: FacetRequest) -> FacetCounts:
        """For each facet, the documents matching ``base`` per value (values with no match left
        out; files facets also need ``files_filter``), and per ``access_base`` value how many have
        an embargo that ended by ``lifted_at``.

        Every value is returned unless there are more than about 1,000; see the backend for how
        exact the counts of such long tails are.
        """
        ...

    def replace_parents(self, parent_ids: Collection[int], load: Callable[[], Iterable[IndexDocument]]) -> None:
        """Replace all documents of ``parent_ids`` by what ``load`` returns, atomically for readers.

        ``load`` is called while this index's write lock is held.
        """
        ...

    def add_many(self, batches: Iterable[Sequence[Any]]) -> int:
        """Add documents in bulk (no replacing: for filling an empty index); each batch is
        committed before the next. Items are ``IndexDocument`` s or what the backend's static
        ``encode`` made of them (worker processes may prepare documents that way). Returns how
        many were added."""
        ...

    def delete_parents(self, parent_ids: Collection[int]) -> None: ...

    def clear(self) -> None: ...

    def stored(self) -> Iterable[StoredDocument]:
        """Every document's key, concept and fingerprint (for consistency checks)."""
        ...

    def close(self) -> None: ...


def check_size(size: int) -> None:
    if size < 1:
        raise ValueError("size must be at least 1")
