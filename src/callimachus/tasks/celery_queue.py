"""Dispatching tasks to Celery workers (scale-out): the task runs in a worker, by name."""

from __future__ import annotations

from typing import Any

from celery import Celery


class CeleryTaskQueue:
    def __init__(self, app: Celery) -> None:
        self.app = app

    def enqueue(self, name: str, **kwargs: Any) -> None:
        self.app.send_task(name, kwargs=kwargs)
