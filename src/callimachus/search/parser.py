"""``q`` as Zenodo users write it (Lucene / Elasticsearch query-string syntax), parsed once with
luqum into a query tree (``search.query``) that every backend compiles.

Supported: words, "phrases", AND / OR / NOT, ``+`` / ``-``, grouping, ``field:value``,
``field:(a OR b)``, wildcards ``*`` and ``?``, ranges ``[a TO b]`` / ``{a TO b}`` (mixed allowed)
and ``>``, ``>=``, ``<``, ``<=``, ``_exists_:field``, boosts (accepted, ignored). Words without a
field search all text. Between clauses without an operator, AND is implied. Boolean semantics
follow Lucene: in one group, ``-x`` / ``NOT x`` excludes, ``+x`` requires, and with OR the other
clauses are alternatives.

Date ranges round partial dates as Elasticsearch does: ``[2020 TO 2022}`` is from the first day of
2020 to before the first day of 2022; ``publication_date`` is an interval and a range matches
when the intervals overlap.

Errors raise :class:`QueryError` with the 0-based character position of the problem.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime

from luqum import tree
from luqum.exceptions import IllegalCharacterError, ParseError
from luqum.parser import parser as _luqum_parser

from callimachus.metadata.vocabularies import get_vocabulary
from callimachus.search import analysis, fields
from callimachus.search import query as q
from callimachus.search.fields import FieldSpec, Kind

MAX_QUERY_LENGTH = 4096
MAX_CLAUSES = 256
MAX_DEPTH = 40

_LOCK = threading.Lock()  # luqum's PLY parser keeps its state on one shared object
_WILDCARD = re.compile(r"(?<!\\)[*?]")
_ESCAPE = re.compile(r"\\(.)")
_PATTERN_WORD = re.compile(r"(?:[^\W_]|[*?])+")
_POSITION = re.compile(r"position (\d+)")


@dataclass
class QueryError(Exception):
    """``q`` cannot be understood; ``position`` is where (0-based, in characters)."""

    message: str
    position: int

    def __post_init__(self) -> None:
        Exception.__init__(self, self.describe())

    def describe(self) -> str:
        return f"{self.message} (at position {self.position})."


def parse_query(text: str, *, files_filter: q.Node, now: datetime) -> q.Node:
    """The query tree of ``text``; an empty query matches everything.

    ``files_filter`` limits clauses on file-derived fields (see ``query.guard_files``); ``now``
    decides the access status of embargoed records.
    """
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is too long ({len(text)} characters; at most {MAX_QUERY_LENGTH})", MAX_QUERY_LENGTH)
    if not text.strip():
        return q.Everything()
    _check_balance(text)
    with _LOCK:
        try:
            parsed = _luqum_parser.parse(text)
        except IllegalCharacterError as exc:
            raise QueryError("Illegal character", _position(str(exc), len(text))) from None
        except (ParseError, RecursionError) as exc:
            raise QueryError("Invalid query syntax: " + _reason(str(exc)), _position(str(exc), len(text))) from None
    node = _Compiler(files_filter, now).compile(parsed, None, 0)
    return q.Everything() if node is None else node


def _position(message: str, end: int) -> int:
    found = _POSITION.search(message)
    return int(found.group(1)) if found else end


def _reason(message: str) -> str:
    if "end of expression" in message:
        return "the query ends too early (an operator or a field without a value?)"
    found = re.search(r"unexpected\s+'([^']*)'", message)
    return f"unexpected '{found.group(1)}'" if found else "cannot parse"


def _check_balance(text: str) -> None:
    """Unbalanced quotes and brackets, with the position of the one left open or closed."""
    opened: list[tuple[str, int]] = []
    quote_at: int | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if quote_at is not None:
            if ch == '"':
                quote_at = None
        elif ch == '"':
            quote_at = i
        elif ch in "([{":
            opened.append((ch, i))
        elif ch in ")]}":
            if not opened or (ch == ")") != (opened[-1][0] == "("):
                raise QueryError(f"Unbalanced '{ch}': nothing to close", i)
            opened.pop()
        i += 1
    if quote_at is not None:
        raise QueryError("Unbalanced quotation mark", quote_at)
    if opened:
        ch, at = opened[-1]
        raise QueryError(f"Unbalanced '{ch}': never closed", at)


def _unescape(raw: str) -> str:
    return _ESCAPE.sub(r"\1", raw)


class _Compiler:
    """luqum tree → query tree, one node at a time, counting clauses and depth."""

    def __init__(self, files_filter: q.Node, now: datetime) -> None:
        self.files_filter = files_filter
        self.now = now
        self.clauses = 0

    def _leaf(self, node: tree.Item) -> None:
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QueryError(f"The query has too many clauses (at most {MAX_CLAUSES})", _pos(node))

    def compile(self, node: tree.Item, spec: FieldSpec | None, depth: int) -> q.Node | None:
        if depth > MAX_DEPTH:
            raise QueryError(f"The query is nested too deeply (at most {MAX_DEPTH} levels)", _pos(node))
        if isinstance(node, (tree.AndOperation, tree.UnknownOperation)):
            return self._boolean(node, spec, depth, default_and=True)
        if isinstance(node, tree.OrOperation):
            return self._boolean(node, spec, depth, default_and=False)
        if isinstance(node, (tree.Not, tree.Prohibit)):
            inner = self.compile(node.a, spec, depth + 1)
            return None if inner is None else q.all_of((q.Everything(), q.negate(inner)))
        if isinstance(node, (tree.Plus, tree.Group, tree.FieldGroup)):
            return self.compile(node.children[0], spec, depth + 1)
        if isinstance(node, tree.Boost):
            return self.compile(node.expr, spec, depth + 1)
        if isinstance(node, tree.SearchField):
            return self._field(node, spec, depth)
        if isinstance(node, (tree.Fuzzy, tree.Proximity)):
            raise QueryError("Fuzzy and proximity searches (~) are not supported", _pos(node))
        if isinstance(node, tree.Regex):
            raise QueryError("Regular expressions are not supported; use * and ? wildcards", _pos(node))
        self._leaf(node)
        return self._value(node, spec or _ALL_TEXT)

    def _boolean(self, node: tree.BaseOperation, spec: FieldSpec | None, depth: int, *, default_and: bool) -> q.Node | None:
        must: list[q.Node] = []
        should: list[q.Node] = []
        must_not: list[q.Node] = []
        for child in node.children:
            if isinstance(child, (tree.Not, tree.Prohibit)):
                target, inner = must_not, child.a
            elif isinstance(child, tree.Plus):
                target, inner = must, child.a
            else:
                target, inner = (must if default_and else should), child
            compiled = self.compile(inner, spec, depth + 1)
            if compiled is not None:
                target.append(compiled)
        if not (must or should or must_not):
            return None
        # As in Lucene: with required clauses, optional ones only change the score.
        base = q.all_of(must) if must else (q.any_of(should) if should else q.Everything())
        return q.all_of([base, *(q.negate(n) for n in must_not)])

    def _field(self, node: tree.SearchField, outer: FieldSpec | None, depth: int) -> q.Node | None:
        if outer is not None:
            raise QueryError(f"A field ({node.name}) inside another field's group", _pos(node))
        name = node.name
        if name == "*":
            return self.compile(node.expr, None, depth + 1)
        if name == "_exists_":
            return self._exists(node)
        spec = fields.resolve(name)
        if spec is None:
            raise QueryError(f"Unknown field '{name}'", _pos(node))
        return self.compile(node.expr, spec, depth + 1)

    def _exists(self, node: tree.SearchField) -> q.Node:
        self._leaf(node)
        if not isinstance(node.expr, (tree.Word, tree.Phrase)):
            raise QueryError("_exists_ takes a field name", _pos(node))
        name = _unescape(node.expr.value.strip('"'))
        spec = fields.resolve(name)
        if spec is None:
            raise QueryError(f"Unknown field '{name}'", _pos(node.expr))
        return self._exists_node(spec)

    def _exists_node(self, spec: FieldSpec) -> q.Node:
        if spec.kind in (Kind.INTEGER, Kind.ACCESS_STATUS):
            return q.Everything()
        return q.guard_files(q.Keyword("_exists", (spec.name,)), self.files_filter, spec)

    # --- values -----------------------------------------------------------------------------

    def _value(self, node: tree.Item, spec: FieldSpec) -> q.Node | None:
        if isinstance(node, tree.Range):
            return self._range(node, spec, node.low, node.high, node.include_low, node.include_high)
        if isinstance(node, tree.From):
            return self._range(node, spec, node.a, None, node.include, True)
        if isinstance(node, tree.To):
            return self._range(node, spec, None, node.a, True, node.include)
        if isinstance(node, tree.Phrase):
            return self._literal(node, spec, _unescape(node.value[1:-1]), phrase=True)
        if isinstance(node, tree.Word):
            return self._literal(node, spec, node.value, phrase=False)
        raise QueryError(f"Unexpected '{node}'", _pos(node))

    def _literal(self, node: tree.Item, spec: FieldSpec, raw: str, *, phrase: bool) -> q.Node | None:
        wildcard = not phrase and _WILDCARD.search(raw) is not None
        if wildcard and raw.strip("*") == "":
            return q.Everything() if spec is _ALL_TEXT else self._exists_node(spec)
        value = raw if phrase else _unescape(raw)
        kind = spec.kind
        if kind == Kind.TEXT:
            return self._text(node, spec, value, wildcard)
        if wildcard and kind != Kind.KEYWORD:
            raise QueryError(f"Wildcards do not apply to the field '{spec.name}'", _pos(node))
        if kind == Kind.KEYWORD:
            return self._keyword(spec, value, wildcard)
        if kind == Kind.ACCESS_STATUS:
            return q.access_status_is(_access_status(value, node), self.now)
        if kind == Kind.INTEGER:
            number = _integer(value, node)
            return q.IntegerIn(spec.target, (number,))
        bounds = analysis.partial_date_bounds(value)
        if bounds is None:
            raise QueryError(f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", _pos(node))
        return self._date_range(spec, bounds[0], bounds[1], True, True)

    def _text(self, node: tree.Item, spec: FieldSpec, value: str, wildcard: bool) -> q.Node | None:
        if wildcard:
            pattern = analysis.fold(value)
            if not _PATTERN_WORD.fullmatch(pattern):
                raise QueryError(f"A wildcard matches within one word; '{value}' has several", _pos(node))
            return q.WordPattern(spec.sections, pattern[: analysis.MAX_WORD])
        found = analysis.words(value)
        if not found:
            return None
        return q.Words(spec.sections, tuple(found))

    def _keyword(self, spec: FieldSpec, value: str, wildcard: bool) -> q.Node:
        if wildcard:
            node: q.Node = q.KeywordPattern(spec.target, analysis.keyword(value))
        else:
            node = q.Keyword(spec.target, (normalize_keyword(spec.target, value),))
        return q.guard_files(node, self.files_filter, spec)

    def _range(self, node: tree.Item, spec: FieldSpec, low: tree.Item | None, high: tree.Item | None, include_low: bool, include_high: bool) -> q.Node:
        lo = _bound_text(low)
        hi = _bound_text(high)
        if spec.kind == Kind.INTEGER:
            lo_n = None if lo is None else _integer(lo, node) + (0 if include_low else 1)
            hi_n = None if hi is None else _integer(hi, node) - (0 if include_high else 1)
            return q.IntegerRange(spec.target, lo_n, hi_n)
        if spec.kind not in (Kind.DATE, Kind.INTERVAL):
            raise QueryError(f"Ranges apply to dates and numbers, not to '{spec.name}'", _pos(node))
        lo_d = hi_d = None
        if lo is not None:
            bounds = _date_bounds(lo, node)
            lo_d = bounds[0] if include_low else bounds[1]
        if hi is not None:
            bounds = _date_bounds(hi, node)
            hi_d = bounds[1] if include_high else bounds[0]
        return self._date_range(spec, lo_d, hi_d, include_low, include_high)

    def _date_range(self, spec: FieldSpec, low: datetime | None, high: datetime | None, include_low: bool, include_high: bool) -> q.Node:
        if spec.kind == Kind.INTERVAL:
            # Overlap: the record's interval starts before the range ends and ends after it starts.
            starts = q.DateRange("pub_start", None, high, True, include_high)
            ends = q.DateRange("pub_end", low, None, include_low, True)
            return q.all_of((starts, ends))
        return q.DateRange(spec.target, low, high, include_low, include_high)


_ALL_TEXT = FieldSpec("all", Kind.TEXT, sections=fields.ALL_SECTIONS)


def _pos(node: tree.Item) -> int:
    return int(getattr(node, "pos", None) or 0)


def _bound_text(node: tree.Item | None) -> str | None:
    if node is None:
        return None
    text = _unescape(str(node.value if hasattr(node, "value") else node).strip('"'))
    return None if text == "*" else text


def _integer(value: str, node: tree.Item) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise QueryError(f"'{value}' is not a whole number", _pos(node)) from None
    if abs(number) >= 2**62:
        raise QueryError(f"'{value}' is out of range", _pos(node))
    return number


def _date_bounds(value: str, node: tree.Item) -> tuple[datetime, datetime]:
    bounds = analysis.partial_date_bounds(value)
    if bounds is None:
        raise QueryError(f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", _pos(node))
    return bounds


_LEGACY_ACCESS = {"closed": "restricted", "metadata_only": "metadata-only", "metadataonly": "metadata-only"}


def _access_status(value: str, node: tree.Item) -> str:
    status = value.strip().lower()
    status = _LEGACY_ACCESS.get(status, status)
    if status not in q.ACCESS_STATUSES:
        raise QueryError(f"'{value}' is not an access status ({', '.join(q.ACCESS_STATUSES)})", _pos(node))
    return status


_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


def normalize_keyword(field: str, value: str) -> str:
    """A keyword as documents store it: vocabulary aliases resolved, DOI prefixes dropped."""
    text = value.strip()
    if field in ("doi", "conceptdoi", "related_id", "alt_id"):
        lowered = text.lower()
        for prefix in _DOI_PREFIXES:
            if lowered.startswith(prefix):
                text = text[len(prefix) :]
                break
    elif field in ("language", "license"):
        entry = get_vocabulary("languages" if field == "language" else "licenses").get(text)
        if entry is not None:
            text = entry.id
    return analysis.keyword(text)
