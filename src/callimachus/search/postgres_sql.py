"""Tables of the PostgreSQL search backend, and query trees compiled to SQL over them.

Text is one ``tsvector`` of ``<section>_<word>`` lexemes with the positions and weights that
``search.documents`` assigned (written as a ``tsvector`` literal, never parsed by PostgreSQL's own
text parser, so both backends see the same words). Keywords are ``text[]`` of ``<field>=<value>``,
facet values ``text[]`` of ``<facet>=<value>``; both behind GIN indexes. Wildcards are expanded
against ``search_terms``, the set of every word and keyword ever indexed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Index,
    MetaData,
    Table,
    Text,
    and_,
    cast,
    false,
    func,
    not_,
    or_,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, TSVECTOR

from callimachus.search import query as q
from callimachus.search.fields import DATE_FIELDS, FACETS, FLAG_FIELDS, INTEGER_FIELDS

METADATA = MetaData()

documents = Table(
    "search_documents",
    METADATA,
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    *(Column(name, BigInteger, nullable=False) for name in INTEGER_FIELDS),
    *(Column(name, Boolean, nullable=False) for name in FLAG_FIELDS),
    *(Column(name, BigInteger, nullable=True) for name in DATE_FIELDS),
    # Access facts the rule filters on, as plain columns (also in ``kw``): no array to read.
    Column("access_record", Text, nullable=False),
    Column("access_files", Text, nullable=False),
    Column("access_base", Text, nullable=False),
    Column("tsv", TSVECTOR, nullable=False),
    Column("tsv_head", TSVECTOR, nullable=False),  # titles, creators, subjects: what relevance ranks
    Column("kw", ARRAY(Text), nullable=False),
    Column("facets", ARRAY(Text), nullable=False),  # facet values, files facets excepted
    Column("facets_files", ARRAY(Text), nullable=False),  # the files facets' values (see FILES_FACETS)
    *(Column(f"sk_{name}", BigInteger, nullable=False) for name in ("newest", "updated", "publication", "version")),
    Column("sk_title", Text(collation="C"), nullable=False),
    Column("fingerprint", BigInteger, nullable=False),
    Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
    Index("ix_search_documents_kw", "kw", postgresql_using="gin"),
    Index("ix_search_documents_facets", "facets", postgresql_using="gin"),
    Index("ix_search_documents_facets_files", "facets_files", postgresql_using="gin"),
    Index("ix_search_documents_parent", "parent_id"),
    Index("ix_search_documents_sk_newest", "sk_newest"),
    Index("ix_search_documents_pub_start", "pub_start"),
    Index("ix_search_documents_pub_end", "pub_end"),
)

terms = Table("search_terms", METADATA, Column("term", Text(collation="C"), primary_key=True))
meta = Table("search_meta", METADATA, Column("name", Text, primary_key=True), Column("value", Text, nullable=False))

SCALAR_KEYWORDS = ("access_record", "access_files", "access_base")
FILES_FACETS = frozenset(spec.field for spec in FACETS if spec.files_only)
# Row layout: the full text goes out of line (GIN answers matches without reading it); what
# every match reads (flags, ranking vector, facet values) stays in the row, so a scan of many
# matches reads few pages.
STORAGE = (
    "ALTER TABLE search_documents SET (toast_tuple_target = 128)",
    "ALTER TABLE search_documents ALTER COLUMN tsv SET STORAGE EXTERNAL",
    *(f"ALTER TABLE search_documents ALTER COLUMN {name} SET STORAGE MAIN" for name in ("tsv_head", "kw", "facets", "facets_files")),
)
MAX_EXPANSION = 10_000
Expander = Callable[[str, str], list[str]]  # (LIKE prefix, anchored regex) -> matching terms


class ExpansionTooLarge(ValueError):
    """A wildcard matches more words than a query may list."""


def tsquery_words(section: str, words: tuple[str, ...]) -> str:
    return " <-> ".join(f"'{section}_{w}'" for w in words)


class SqlCompiler:
    """Query tree → SQL condition on ``search_documents``, expanding wildcards with ``expand``."""

    def __init__(self, expand: Expander) -> None:
        self.expand = expand

    def condition(self, node: q.Node) -> ColumnElement[bool]:
        text = self.tsquery(node)
        if text is not None:
            return _matches(text)
        if isinstance(node, q.And):
            return and_(*(self.condition(p) for p in node.parts))
        if isinstance(node, q.Or):
            return or_(*(self.condition(p) for p in node.parts))
        if isinstance(node, q.Not):
            return not_(self.condition(node.part))
        if isinstance(node, q.Everything):
            return true()
        if isinstance(node, q.Nothing):
            return false()
        return self._leaf(node)

    def tsquery(self, node: q.Node) -> str | None:
        """One tsquery for a subtree made only of text clauses (one index scan), else None."""
        if isinstance(node, q.Words):
            return " | ".join(f"({tsquery_words(s, node.words)})" for s in node.sections)
        if isinstance(node, q.WordPattern):
            return self._pattern_tsquery(node)
        if isinstance(node, (q.And, q.Or)):
            parts = [self.tsquery(p) for p in node.parts]
            if any(p is None for p in parts):
                return None
            joiner = " & " if isinstance(node, q.And) else " | "
            return joiner.join(f"({p})" for p in parts)
        if isinstance(node, q.Not):
            inner = self.tsquery(node.part)
            return None if inner is None else f"!({inner})"
        return None

    def _pattern_tsquery(self, node: q.WordPattern) -> str | None:
        pattern = node.pattern
        if pattern.endswith("*") and "*" not in pattern[:-1] and "?" not in pattern and len(pattern) > 1:
            return " | ".join(f"'{s}_{pattern[:-1]}':*" for s in node.sections)
        found: list[str] = []
        for section in node.sections:
            found.extend(self._expand(f"{section}_", pattern))
        if not found:
            return None
        return " | ".join(f"'{t}'" for t in found)

    def _expand(self, prefix: str, pattern: str) -> list[str]:
        literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
        like = _escape_like(prefix + literal) + "%"
        regex = "^" + q.wildcard_regex(prefix) + q.wildcard_regex(pattern) + "$"
        found = self.expand(like, regex)
        if len(found) > MAX_EXPANSION:
            raise ExpansionTooLarge(f"'{pattern}' matches more than {MAX_EXPANSION} different values")
        return found

    def _leaf(self, node: q.Node) -> ColumnElement[bool]:
        c = documents.c
        if isinstance(node, q.WordPattern):
            return false()  # a pattern without any matching word (else tsquery() handled it)
        if isinstance(node, q.Keyword) and node.field in SCALAR_KEYWORDS:
            return c[node.field].in_(list(node.values))
        if isinstance(node, q.Keyword):
            values = [f"{node.field}={v}" for v in node.values]
            return c.kw.contains(values) if len(values) == 1 else c.kw.overlap(values)
        if isinstance(node, q.KeywordPattern):
            found = self._expand(f"{node.field}=", node.pattern)
            return c.kw.overlap(found) if found else false()
        if isinstance(node, q.FacetValue):
            column = c.facets_files if node.field in FILES_FACETS else c.facets
            return column.overlap([f"{node.field}={v}" for v in node.values])
        if isinstance(node, q.Flag):
            return c[node.field].is_(true()) if node.value else c[node.field].is_(false())
        if isinstance(node, q.IntegerIn):
            return c[node.field].in_(list(node.values))
        if isinstance(node, q.IntegerRange):
            return _range(c[node.field], node.low, node.high)
        if isinstance(node, q.DateRange):
            return _range(c[node.field], *q.seconds_bounds(node))
        raise TypeError(f"cannot compile {node!r}")


def _matches(text: str) -> ColumnElement[bool]:
    return documents.c.tsv.op("@@")(cast(text, TSQUERY))


HEAD_SECTIONS = ("ti", "cr", "su")


def rank(text: str) -> ColumnElement[float]:
    """Relevance from titles, creators and subjects only: a small vector kept in the row, so
    ranking many matches does not read every full text out of line storage."""
    return func.ts_rank(documents.c.tsv_head, cast(text, TSQUERY))


def _range(column: ColumnElement[int], low: int | None, high: int | None) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = [column.is_not(None)]
    if low is not None:
        parts.append(column >= low)
    if high is not None:
        parts.append(column <= high)
    return and_(*parts)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def tsvector_literal(entries: dict[str, list[int]], weights: dict[str, str]) -> str:
    """A ``tsvector`` literal: ``'lexeme':1A,5A …`` (lexemes are ``<section>_<word>``, quote-free)."""
    return " ".join(
        f"'{lexeme}':" + ",".join(f"{p}{weights[lexeme.split('_', 1)[0]]}" for p in sorted(set(positions)))
        for lexeme, positions in entries.items()
    )

