"""A reference implementation of the query tree's semantics (``search.query``) over
``IndexDocument`` objects, in plain Python: what every backend must agree with."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from callimachus.search import query as q
from callimachus.search.documents import IndexDocument
from callimachus.search.fields import FACETS


def _pattern(pattern: str) -> re.Pattern[str]:
    """``*`` any run of characters, ``?`` one character, everything else literal."""
    return re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern), re.S)


_POSITIONS: dict[tuple[int, int], dict[tuple[str, str], set[int]]] = {}


def _positions(doc: IndexDocument) -> dict[tuple[str, str], set[int]]:
    cached = _POSITIONS.get((doc.key, doc.fingerprint))
    if cached is None:
        cached = {}
        for section, word, position in doc.words_with_positions():
            cached.setdefault((section, word), set()).add(position)
        _POSITIONS[(doc.key, doc.fingerprint)] = cached
    return cached


def _words_match(doc: IndexDocument, sections: tuple[str, ...], words: tuple[str, ...]) -> bool:
    positions = _positions(doc)
    for section in sections:
        starts = positions.get((section, words[0]), set())
        for start in starts:
            if all(start + i in positions.get((section, w), set()) for i, w in enumerate(words)):
                return True
    return False


def matches(node: q.Node, doc: IndexDocument) -> bool:
    if isinstance(node, q.And):
        return all(matches(p, doc) for p in node.parts)
    if isinstance(node, q.Or):
        return any(matches(p, doc) for p in node.parts)
    if isinstance(node, q.Not):
        return not matches(node.part, doc)
    if isinstance(node, q.Everything):
        return True
    if isinstance(node, q.Nothing):
        return False
    if isinstance(node, q.Words):
        return _words_match(doc, node.sections, node.words)
    if isinstance(node, q.WordPattern):
        regex = _pattern(node.pattern)
        return any(s in node.sections and regex.fullmatch(w) for s, words in doc.text for w in words)
    if isinstance(node, q.Keyword):
        return bool(set(node.values) & set(doc.keywords.get(node.field, [])))
    if isinstance(node, q.KeywordPattern):
        regex = _pattern(node.pattern)
        return any(regex.fullmatch(v) for v in doc.keywords.get(node.field, []))
    if isinstance(node, q.FacetValue):
        return bool(set(node.values) & set(doc.facets.get(node.field, [])))
    if isinstance(node, q.Flag):
        return doc.flags[node.field] == node.value
    if isinstance(node, q.IntegerIn):
        return _integer(doc, node.field) in node.values
    if isinstance(node, (q.IntegerRange, q.DateRange)):
        value = _integer(doc, node.field)
        low, high = (node.low, node.high) if isinstance(node, q.IntegerRange) else q.seconds_bounds(node)
        return value is not None and (low is None or value >= low) and (high is None or value <= high)
    raise TypeError(node)


def _integer(doc: IndexDocument, field: str) -> int | None:
    if field in ("id", "parent_id", "owner_id", "version_index"):
        return int(getattr(doc, field))
    return doc.dates.get(field)


def facet_counts(node: q.Node, files_filter: q.Node, docs: list[IndexDocument], now: datetime) -> dict[str, dict[str, int]]:
    """What ``search.facets.facet_counts`` must return."""
    out: dict[str, Counter[str]] = {spec.name: Counter() for spec in FACETS if spec.name != "access_base"}
    out["access_status"] = Counter()
    for doc in docs:
        if not matches(node, doc):
            continue
        for spec in FACETS:
            if spec.name == "access_base":
                continue
            if spec.files_only and not matches(files_filter, doc):
                continue
            out[spec.name].update(doc.facets.get(spec.field, []))
        for status in q.ACCESS_STATUSES:
            if matches(q.access_status_is(status, now), doc):
                out["access_status"][status] += 1
    return {name: dict(counter) for name, counter in out.items()}
