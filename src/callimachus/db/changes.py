"""Knowing cheaply whether the database changed: the basis for caching rendered responses.

For SQLite, ``PRAGMA data_version`` on a dedicated connection changes whenever any other
connection (in this process or another, such as the CLI) commits. For other databases no cheap
cross-process signal is used, and every check reports a change, which disables caching.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Protocol

from sqlalchemy import Engine


class ChangeDetector(Protocol):
    def version(self) -> int | None:
        """A value that differs after any commit; None when changes cannot be detected."""
        ...


class SQLiteDataVersion:
    def __init__(self, database_path: str) -> None:
        self._path = database_path
        self._local = threading.local()

    def version(self) -> int | None:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=True)
            self._local.conn = conn
        return int(conn.execute("PRAGMA data_version").fetchone()[0])


class NoChangeDetection:
    def version(self) -> int | None:
        return None


def change_detector(engine: Engine) -> ChangeDetector:
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return SQLiteDataVersion(url.database)
    return NoChangeDetection()
