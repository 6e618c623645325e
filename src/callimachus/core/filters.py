"""The filter tree the access rule gives search backends: plain data, compiled by each backend.

It lives here, below both ``permissions`` (which builds trees) and ``search`` (which compiles
them), so that neither layer imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Term:
    field: str
    value: Any


@dataclass(frozen=True)
class TermsIn:
    field: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class AtMost:
    """``field <= value`` for a datetime field; documents without the field do not match."""

    field: str
    value: datetime


@dataclass(frozen=True)
class AllOf:
    parts: tuple[SearchFilter, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[SearchFilter, ...]


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class MatchNone:
    pass


SearchFilter = Term | TermsIn | AtMost | AllOf | AnyOf | MatchAll | MatchNone


def evaluate_filter(node: SearchFilter, doc: Mapping[str, Any]) -> bool:
    """Evaluate a filter tree on a flat document; the reference semantics backends must match."""
    if isinstance(node, MatchAll):
        return True
    if isinstance(node, MatchNone):
        return False
    if isinstance(node, Term):
        return bool(doc.get(node.field) == node.value)
    if isinstance(node, TermsIn):
        return doc.get(node.field) in node.values
    if isinstance(node, AtMost):
        value = doc.get(node.field)
        return value is not None and value <= node.value
    if isinstance(node, AllOf):
        return all(evaluate_filter(part, doc) for part in node.parts)
    if isinstance(node, AnyOf):
        return any(evaluate_filter(part, doc) for part in node.parts)
    return False
