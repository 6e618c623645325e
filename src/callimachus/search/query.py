"""The query tree both backends compile: what the parser produces from ``q``, what the access
rule's filter tree becomes, and what facet filters add.

Leaves name document fields (see ``search.fields``); values are already analysed. A backend
compiles a tree into its own query (Tantivy ``Query``, a PostgreSQL ``WHERE`` clause) and must
give every leaf the semantics written here; the conformance suite checks that they agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from callimachus.core import filters
from callimachus.search import fields


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


@dataclass(frozen=True)
class Everything:
    pass


@dataclass(frozen=True)
class Nothing:
    pass


@dataclass(frozen=True)
class Words:
    """The words, in this order and adjacent (one word: a term), in any of ``sections``."""

    sections: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class WordPattern:
    """One word matching a pattern (``*`` any run of characters, ``?`` one) in any of ``sections``."""

    sections: tuple[str, ...]
    pattern: str


@dataclass(frozen=True)
class Keyword:
    """The keyword field has any of ``values`` (analysed with ``analysis.keyword``)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class KeywordPattern:
    field: str
    pattern: str


@dataclass(frozen=True)
class Flag:
    field: str
    value: bool


@dataclass(frozen=True)
class IntegerIn:
    field: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class IntegerRange:
    """``low <= field <= high`` (inclusive; None: unbounded). Documents without the field never match."""

    field: str
    low: int | None
    high: int | None


@dataclass(frozen=True)
class DateRange:
    """``field`` within the bounds (None: unbounded). Documents without the field never match."""

    field: str
    low: datetime | None
    high: datetime | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class FacetValue:
    """The document has one of ``values`` for the facet field (original values, not analysed)."""

    field: str
    values: tuple[str, ...]


Node = And | Or | Not | Everything | Nothing | Words | WordPattern | Keyword | KeywordPattern | Flag | IntegerIn | IntegerRange | DateRange | FacetValue


def all_of(parts: Iterable[Node]) -> Node:
    """AND of ``parts``, simplified (no part: everything)."""
    kept: list[Node] = []
    for part in parts:
        if isinstance(part, Nothing):
            return Nothing()
        if isinstance(part, Everything):
            continue
        kept.extend(part.parts if isinstance(part, And) else (part,))
    if not kept:
        return Everything()
    return kept[0] if len(kept) == 1 else And(tuple(kept))


def any_of(parts: Iterable[Node]) -> Node:
    """OR of ``parts``, simplified (no part: nothing)."""
    kept: list[Node] = []
    for part in parts:
        if isinstance(part, Everything):
            return Everything()
        if isinstance(part, Nothing):
            continue
        kept.extend(part.parts if isinstance(part, Or) else (part,))
    if not kept:
        return Nothing()
    return kept[0] if len(kept) == 1 else Or(tuple(kept))


def negate(part: Node) -> Node:
    if isinstance(part, Everything):
        return Nothing()
    if isinstance(part, Nothing):
        return Everything()
    if isinstance(part, Not):
        return part.part
    return Not(part)


# --- the access rule's filter tree -----------------------------------------------------------

_FACT_FLAGS = {"published", "files_enabled"}
_FACT_INTEGERS = {"owner_id", "parent_id"}
_FACT_KEYWORDS = {"access_record", "access_files"}
_FACT_DATES = {"embargo_until"}


def from_access_filter(node: filters.SearchFilter) -> Node:
    """The access rule's filter tree (``permissions.search_filter``) as a query tree.

    Only the access facts documents carry are accepted; anything else is a programming error
    and raises, so that no unknown rule is silently dropped.
    """
    if isinstance(node, filters.MatchAll):
        return Everything()
    if isinstance(node, filters.MatchNone):
        return Nothing()
    if isinstance(node, filters.AllOf):
        return all_of(from_access_filter(p) for p in node.parts)
    if isinstance(node, filters.AnyOf):
        return any_of(from_access_filter(p) for p in node.parts)
    if isinstance(node, filters.AtMost) and node.field in _FACT_DATES:
        return DateRange(node.field, None, node.value)
    if isinstance(node, filters.Term):
        return _fact_values(node.field, (node.value,))
    if isinstance(node, filters.TermsIn):
        return _fact_values(node.field, tuple(node.values))
    raise ValueError(f"the search backends do not know the access filter {node!r}")


def _fact_values(field: str, values: tuple[object, ...]) -> Node:
    if not values:
        return Nothing()
    if field in _FACT_FLAGS:
        return any_of(Flag(field, bool(v)) for v in values if isinstance(v, bool))
    if field in _FACT_INTEGERS:
        return IntegerIn(field, tuple(int(v) for v in values))  # type: ignore[call-overload]
    if field in _FACT_KEYWORDS:
        return Keyword(field, tuple(str(v) for v in values))
    raise ValueError(f"the search backends do not know the access fact {field!r}")


# --- the access status, derived at query time ----------------------------------------------

# ``access_base`` is the status a document has whatever the date, except for embargoes, whose
# status depends on whether the end date has passed (see ``services.access_input.access_status``).
EMBARGO_BASES = {"embargoed-open": "open", "embargoed-metadata-only": "metadata-only"}


def access_status_is(status: str, now: datetime) -> Node:
    """Documents whose access status (open, embargoed, restricted, metadata-only) is ``status`` at ``now``."""
    lifted = DateRange("embargo_until", None, now)
    embargoed = Keyword("access_base", tuple(EMBARGO_BASES))
    if status == "embargoed":
        return all_of((embargoed, negate(lifted)))
    after = [base for base, became in EMBARGO_BASES.items() if became == status]
    direct = Keyword("access_base", (status,))
    if not after:
        return direct
    return any_of((direct, all_of((Keyword("access_base", tuple(after)), lifted))))


ACCESS_STATUSES = ("open", "embargoed", "restricted", "metadata-only")


def guard_files(node: Node, files_filter: Node, spec: fields.FieldSpec | None = None) -> Node:
    """A clause on file-derived fields, limited to documents whose files the principal may read."""
    if spec is not None and not spec.files_only:
        return node
    return all_of((node, files_filter))


def seconds_bounds(node: DateRange) -> tuple[int | None, int | None]:
    """Inclusive bounds in whole seconds, as documents store dates (see ``search.documents``)."""
    low = high = None
    if node.low is not None:
        value = node.low.timestamp()
        low = math.ceil(value) if node.include_low else math.floor(value) + 1
    if node.high is not None:
        value = node.high.timestamp()
        high = math.floor(value) if node.include_high else math.ceil(value) - 1
    return low, high


def wildcard_regex(pattern: str) -> str:
    """A ``*``/``?`` pattern as an anchored regular expression both backends understand."""
    out = []
    for ch in pattern:
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch in _REGEX_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


_REGEX_SPECIAL = set("\\.+*?()|[]{}^$#&-~")


def has_positive_text(node: Node) -> bool:
    """Whether ``node`` has a text clause that is not negated (something to rank by)."""
    if isinstance(node, (Words, WordPattern)):
        return True
    if isinstance(node, (And, Or)):
        return any(has_positive_text(p) for p in node.parts)
    return False
