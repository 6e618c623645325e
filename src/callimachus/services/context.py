"""What every service receives: settings and the backends chosen for this instance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from callimachus.config import Settings
from callimachus.core.clock import Clock
from callimachus.db.uow import Database, UnitOfWork
from callimachus.mail.base import Email, Mailer
from callimachus.pids.doi import LocalDOIProvider
from callimachus.search.base import SearchIndex
from callimachus.storage.base import FileStore
from callimachus.tasks.base import TaskQueue

ChangeKind = Literal["record", "draft", "draft-removed", "parent"]
# Called inside the unit of work that made the change; a listener that needs the change to be
# durable (indexing, notifications) registers its effect with ``uow.on_commit``.
ChangeListener = Callable[[UnitOfWork, ChangeKind, int], None]


@dataclass
class ServiceContext:
    settings: Settings
    db: Database
    files: FileStore
    clock: Clock
    doi: LocalDOIProvider
    tasks: TaskQueue
    mailer: Mailer
    index: SearchIndex | None = None  # see services.search_indexing.attach_index
    extras: dict[str, Any] = field(default_factory=dict)
    listeners: list[ChangeListener] = field(default_factory=list)

    def send_after_commit(self, uow: UnitOfWork, email: Email) -> None:
        """E-mail is an effect: it leaves only if the change it announces was committed."""
        uow.on_commit(lambda: self.mailer.send(email))

    def changed(self, uow: UnitOfWork, kind: ChangeKind, ident: int) -> None:
        """Tell listeners (the search index, …) that a record, draft or concept changed."""
        for listener in self.listeners:
            listener(uow, kind, ident)

    def unit_of_work(self, *, write: bool = False) -> UnitOfWork:
        return self.db.unit_of_work(write=write)

    @property
    def site_url(self) -> str:
        return self.settings.site_url
