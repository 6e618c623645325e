"""The task queue interface services use to ask for work after a commit."""

from __future__ import annotations

from typing import Any, Protocol


class TaskQueue(Protocol):
    def enqueue(self, name: str, **kwargs: Any) -> None:
        """Run the registered task ``name`` with JSON-serialisable keyword arguments, later."""
        ...
