"""One search as one PostgreSQL statement: the matches of the base query are gathered once
(``MATERIALIZED``), then counted, grouped per facet value and ordered for the page of hits.

Rows come back tagged: part 0 the total, part 1 one facet value, part 2 one hit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, REAL

from callimachus.search import query as q
from callimachus.search.base import FacetCounts, Hit, Hits, QueryRequest, QueryResult, Sort
from callimachus.search.documents import KEY_BITS
from callimachus.search.fields import FACETS
from callimachus.search.postgres_sql import SqlCompiler, documents, rank, tsquery_words

AGG_SIZE = 1000
KEY_MASK = (1 << KEY_BITS) - 1


def run(conn: Any, compiler: SqlCompiler, request: QueryRequest) -> QueryResult:
    c = documents.c
    sort = request.sort
    score = _order_value(compiler, request)
    columns: list[Any] = [c.key.label("key"), score.label("s"), compiler.condition(request.post).label("post_ok")]
    if request.facets is not None:
        until = c.embargo_until
        columns += [
            c.facets,
            c.facets_files,
            compiler.condition(request.facets.files_filter).label("files_ok"),
            and_(until.is_not(None), until <= request.facets.lifted_at).label("lifted"),
        ]
    matched = select(*columns).where(compiler.condition(request.base)).cte("matched").prefix_with("MATERIALIZED")
    parts = [_total(matched)]
    if request.facets is not None:
        parts.append(_facets(matched, request))
    if request.size > 0:
        parts.append(_hits(matched, request).subquery().select())
    rows = conn.execute(union_all(*parts)).all() if len(parts) > 1 else conn.execute(parts[0]).all()
    total, hits = 0, []
    counts: dict[str, dict[str, int]] = {}
    lifted: dict[str, int] = {}
    by_field = {spec.field: spec.name for spec in (request.facets.facets if request.facets else ())}
    for part, joined, n, ended, key, sk, st, sr in rows:
        if part == 0:
            total = int(n)
        elif part == 1:
            field, _, value = str(joined).partition("=")
            counts.setdefault(by_field[field], {})[value] = int(n)
            if field == "access_base":
                lifted[value] = int(ended)
        else:
            hits.append(_hit(sort, int(key), sk, st, sr))
    if request.facets is not None:
        for spec in request.facets.facets:
            counts.setdefault(spec.name, {})
    return QueryResult(Hits(hits, total), FacetCounts(counts, lifted))


def _order_value(compiler: SqlCompiler, request: QueryRequest) -> ColumnElement[Any]:
    if request.sort.field is None:
        positive = positive_tsquery(compiler, q.all_of((request.base, request.post)))
        return rank(positive) if positive else cast(literal(0.0), REAL)
    return documents.c[f"sk_{request.sort.field}"]


def _row(part: int, f: Any = None, n: Any = None, ended: Any = None, key: Any = None, sk: Any = None, st: Any = None, sr: Any = None) -> list[Any]:
    def typed(value: Any, kind: Any) -> Any:
        return cast(null(), kind) if value is None else value

    return [
        literal(part).label("part"), typed(f, Text).label("f"), typed(n, BigInteger).label("n"), typed(ended, BigInteger).label("l"),
        typed(key, BigInteger).label("key"), typed(sk, BigInteger).label("sk"), typed(st, Text).label("st"), typed(sr, Float).label("sr"),
    ]  # fmt: skip


def _total(matched: Any) -> Any:
    return select(*_row(0, n=func.count().filter(matched.c.post_ok))).select_from(matched)


def _facets(matched: Any, request: QueryRequest) -> Any:
    assert request.facets is not None
    names = {spec.field for spec in request.facets.facets}
    # Files facets' values count only where the files are readable: they are added to the row's
    # other values there. No per-value test unless fewer facets than all are asked for.
    values = func.array_cat(matched.c.facets, case((matched.c.files_ok, matched.c.facets_files), else_=cast(literal([]), ARRAY(Text))))
    value = func.unnest(values).table_valued("f").render_derived()
    every = {spec.field for spec in FACETS}
    grouped = (
        select(value.c.f.label("f"), func.count().label("n"), func.count().filter(matched.c.lifted).label("l"))
        .select_from(matched)
        .join(value, true())
        .where(func.split_part(value.c.f, "=", 1).in_(sorted(names)) if names != every else true())
        .group_by(value.c.f)
        .subquery()
    )
    facet = func.split_part(grouped.c.f, "=", 1)
    ranked = select(
        grouped.c.f, grouped.c.n, grouped.c.l,
        func.row_number().over(partition_by=facet, order_by=(grouped.c.n.desc(), grouped.c.f)).label("rn"),
    ).subquery()  # fmt: skip
    return select(*_row(1, f=ranked.c.f, n=ranked.c.n, ended=ranked.c.l)).where(ranked.c.rn <= AGG_SIZE)


def _hits(matched: Any, request: QueryRequest) -> Any:
    sort = request.sort
    key, value = matched.c.key, matched.c.s
    where: list[ColumnElement[bool]] = [matched.c.post_ok]
    if request.after is not None and sort.field is None:
        # Compare as real (float4), the type ts_rank returns, so the score found again is equal.
        last_score, last_key = cast(float(request.after[0]), REAL), int(request.after[1])
        where.append(or_(value < last_score, and_(value == last_score, key < last_key)))
    elif request.after is not None:
        where.append(value < request.after[0] if sort.descending else value > request.after[0])
    order: tuple[Any, ...]
    if sort.field is None:
        columns = _row(2, key=key, sr=value)
        order = (value.desc(), key.desc())
    elif sort.field == "title":
        columns = _row(2, key=key, st=value)
        order = (value.desc() if sort.descending else value.asc(),)
    else:
        columns = _row(2, key=key, sk=value)
        order = (value.desc() if sort.descending else value.asc(),)
    return select(*columns).where(*where).order_by(*order).limit(request.size).offset(request.offset)


def _hit(sort: Sort, key: int, sk: Any, st: Any, sr: Any) -> Hit:
    if sort.field is None:
        return Hit(key, (float(sr), key))
    if sort.field == "title":
        return Hit(key, (str(st),))
    return Hit(key, (int(sk),))


def positive_tsquery(compiler: SqlCompiler, node: q.Node) -> str | None:
    """The text clauses that are not negated, OR-ed: what relevance ranks by."""
    found: list[str] = []

    def walk(part: q.Node) -> None:
        if isinstance(part, (q.And, q.Or)):
            for child in part.parts:
                walk(child)
        elif isinstance(part, q.Words):
            found.extend(f"({tsquery_words(s, part.words)})" for s in part.sections)
        elif isinstance(part, q.WordPattern):
            expanded = compiler.tsquery(part)
            if expanded:
                found.append(f"({expanded})")

    walk(node)
    return " | ".join(found) if found else None
