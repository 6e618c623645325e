"""In-process task runner for the embedded default: a worker thread and a simple scheduler.

The same task functions run on Celery in the scale-out shape; only the dispatch differs.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

TaskFunction = Callable[..., Any]


@dataclass(frozen=True)
class Schedule:
    """Run ``task`` every ``seconds`` (first run shortly after start)."""

    task: str
    seconds: float


class InlineTaskQueue:
    def __init__(self, registry: Mapping[str, TaskFunction], schedules: tuple[Schedule, ...] = ()) -> None:
        self._registry = dict(registry)
        self._schedules = schedules
        self._queue: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def register(self, name: str, function: TaskFunction) -> None:
        self._registry[name] = function

    def enqueue(self, name: str, **kwargs: Any) -> None:
        if name not in self._registry:
            raise KeyError(f"unknown task {name!r}")
        if not self._threads:
            # Not started (CLI, tests): run now, in the caller's thread.
            self.run(name, **kwargs)
            return
        self._queue.put((name, kwargs))

    def run(self, name: str, **kwargs: Any) -> Any:
        return self._registry[name](**kwargs)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            name, kwargs = item
            try:
                self.run(name, **kwargs)
            except Exception:
                log.exception("task %s failed", name)

    def _tick(self, schedule: Schedule) -> None:
        while not self._stop.wait(schedule.seconds):
            self._queue.put((schedule.task, {}))

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        worker = threading.Thread(target=self._work, name="tasks", daemon=True)
        worker.start()
        self._threads.append(worker)
        for schedule in self._schedules:
            ticker = threading.Thread(target=self._tick, args=(schedule,), name=f"schedule-{schedule.task}", daemon=True)
            ticker.start()
            self._threads.append(ticker)

    def stop(self) -> None:
        self._stop.set()
        self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def drain(self) -> None:
        """Wait until every queued task has run (tests and shutdown)."""
        if not self._threads:
            return  # not started: tasks ran when they were enqueued
        done = threading.Event()
        self._queue.put(("__drain__", {"event": done}))
        self._registry.setdefault("__drain__", lambda event: event.set())
        done.wait(timeout=60)
