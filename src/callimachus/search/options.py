"""Sort options (InvenioRDM's names and Zenodo's legacy ones) and cursors for deep paging.

A cursor is an opaque token, signed with the instance's secret key, holding the sort key of the
last hit of a page (``search_after``) and a digest of the query it belongs to; a cursor presented
with another query, or altered, is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from callimachus.search.base import Sort, SortAfter

SORTS: dict[str, Sort] = {
    "bestmatch": Sort("bestmatch", None, True),
    "newest": Sort("newest", "newest", True),
    "oldest": Sort("oldest", "newest", False),
    "updated-desc": Sort("updated-desc", "updated", True),
    "updated-asc": Sort("updated-asc", "updated", False),
    "publication-desc": Sort("publication-desc", "publication", True),
    "publication-asc": Sort("publication-asc", "publication", False),
    "title": Sort("title", "title", False),
    "title-desc": Sort("title-desc", "title", True),
    "version": Sort("version", "version", True),
    "version-asc": Sort("version-asc", "version", False),
}
# Zenodo's legacy names; a leading "-" reverses the natural order (``-mostrecent``: oldest first).
ALIASES = {
    "mostrecent": "newest", "-mostrecent": "oldest", "-bestmatch": "bestmatch", "-newest": "oldest",
    "-oldest": "newest", "publication_date": "publication-desc", "-publication_date": "publication-asc",
    "publicationdate": "publication-desc", "-publicationdate": "publication-asc", "-version": "version-asc",
    "-title": "title-desc", "title-asc": "title", "updated": "updated-desc", "-updated": "updated-asc",
}  # fmt: skip
# Accepted, but ordered by newest until download and view statistics exist.
STATISTICS_SORTS = {"mostviewed", "-mostviewed", "mostdownloaded", "-mostdownloaded"}


class OptionError(ValueError):
    """A sort name or cursor the search cannot use; ``field`` is the parameter to blame."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def resolve_sort(name: str | None, *, ranked: bool, default: str) -> Sort:
    """The order to use. Relevance needs words to rank by; without them it is ``default``."""
    key = (name or "").strip().lower()
    if not key:
        key = "bestmatch" if ranked else default
    if key in STATISTICS_SORTS:
        key = "newest"
    key = ALIASES.get(key, key)
    sort = SORTS.get(key)
    if sort is None:
        names = ", ".join([*SORTS, "mostrecent", "mostviewed", "mostdownloaded"])
        raise OptionError("sort", f"Invalid sort option '{name}'. Use one of: {names}.")
    if sort.field is None and not ranked:
        return SORTS[default]
    return sort


@dataclass(frozen=True)
class CursorCodec:
    """Signs and checks cursors with the instance's secret key."""

    secret_key: str

    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(self.secret_key, salt="callimachus.search.cursor")

    def encode(self, binding: str, after: SortAfter) -> str:
        return str(self._serializer().dumps({"q": binding, "a": list(after)}))

    def decode(self, token: str, binding: str) -> SortAfter:
        try:
            payload = self._serializer().loads(token)
        except BadSignature:
            raise OptionError("cursor", "The cursor is invalid (altered or from another site).") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("a"), list):
            raise OptionError("cursor", "The cursor is invalid.")
        if payload.get("q") != binding:
            raise OptionError("cursor", "The cursor belongs to another query; start again without a cursor.")
        values = payload["a"]
        if not values or not all(isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in values):
            raise OptionError("cursor", "The cursor is invalid.")
        return tuple(values)


def query_binding(**parts: Any) -> str:
    """A digest of what defines a result list (query, filters, sort), to bind cursors to it."""
    body = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:32]
