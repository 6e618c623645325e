"""The unit of work: one transaction per request or job, then after-commit effects.

Services add rows through ``uow.session`` and register effects (index, e-mail, tasks) with
``uow.on_commit``. Services never commit; the caller does, once. A failed commit runs no effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

Effect = Callable[[], None]


class UnitOfWork:
    def __init__(self, factory: sessionmaker[Session], *, write: bool) -> None:
        self._factory = factory
        self._write = write
        self._effects: list[Effect] = []
        self._committed = False
        self.session: Session = factory()
        # Begin with the right lock mode (SQLite: BEGIN IMMEDIATE for writers).
        self.session.connection(execution_options={"write": write})

    def on_commit(self, effect: Effect) -> None:
        """Run ``effect`` after the transaction commits; never if it rolls back."""
        self._effects.append(effect)

    def flush(self) -> None:
        self.session.flush()

    def commit(self) -> None:
        self.session.commit()
        self._committed = True
        effects, self._effects = self._effects, []
        for effect in effects:
            try:
                effect()
            except Exception:  # an effect failing must not undo or hide a committed change
                log.exception("after-commit effect failed: %r", effect)

    def rollback(self) -> None:
        self.session.rollback()
        self._effects.clear()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() ends the transaction (rolling back anything not committed) without expiring
        # loaded objects, so values read inside the unit of work stay usable after it.
        self._effects.clear()
        self.session.close()


class Database:
    """An engine and its session factory; hands out units of work."""

    def __init__(self, engine: Engine, factory: sessionmaker[Session]) -> None:
        self.engine = engine
        self.factory = factory

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def unit_of_work(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.factory, write=write)

    def dispose(self) -> None:
        self.engine.dispose()
