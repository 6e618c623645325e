"""A cache of rendered public responses, valid until the database changes or an embargo ends.

Only responses computed for anonymous visitors are stored, so a cached body never carries
anything the public may not see. Any commit anywhere empties the cache (see
:mod:`callimachus.db.changes`); a body whose content depends on time (an embargo ending) is
kept only until that moment.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from callimachus.db.changes import ChangeDetector


@dataclass(frozen=True)
class CachedBody:
    body: bytes
    media_type: str
    valid_until: datetime | None


class PublicResponseCache:
    def __init__(self, detector: ChangeDetector, max_entries: int = 10_000) -> None:
        self._detector = detector
        self._max = max_entries
        self._entries: OrderedDict[tuple[str, ...], CachedBody] = OrderedDict()
        self._version: int | None = None

    def current_version(self) -> int | None:
        """Check for changes; empty the cache if there were any. Call before every lookup."""
        version = self._detector.version()
        if version is None or version != self._version:
            self._entries.clear()
            self._version = version
        return version

    def get(self, key: tuple[str, ...], now: datetime) -> CachedBody | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.valid_until is not None and now >= entry.valid_until:
            del self._entries[key]
            return None
        return entry

    def put(self, key: tuple[str, ...], entry: CachedBody, version: int | None) -> None:
        """Store an entry computed after ``version`` was observed, unless the data moved on."""
        if version is None or version != self._version:
            return
        self._entries[key] = entry
        if len(self._entries) > self._max:
            self._entries.popitem(last=False)
