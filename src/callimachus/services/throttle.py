"""Counting attempts (sign-in failures, reset requests, sign-ups) to slow down guessing.

In the embedded shape the counts live in this process; several app processes each keep their
own, which still bounds an attacker to a small multiple of the limits.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from callimachus.core.errors import TooManyRequests
from callimachus.services.context import ServiceContext

MAX_KEYS = 100_000  # beyond this many keys the oldest are forgotten (bounded memory)


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events per ``seconds`` for one key."""

    name: str
    count: int
    seconds: int


LOGIN_PER_ACCOUNT = Limit("login-account", 5, 15 * 60)
LOGIN_PER_CLIENT = Limit("login-client", 30, 15 * 60)
RESET_PER_ACCOUNT = Limit("reset-account", 3, 60 * 60)
RESET_PER_CLIENT = Limit("reset-client", 10, 60 * 60)
SIGNUP_PER_CLIENT = Limit("signup-client", 10, 60 * 60)
CONFIRM_MAIL_PER_ACCOUNT = Limit("confirm-mail", 3, 60 * 60)


class Throttle:
    """Sliding-window event counts per (limit, key). Thread-safe."""

    def __init__(self) -> None:
        self._events: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _window(self, limit: Limit, key: str, now: float) -> deque[float]:
        events = self._events.get((limit.name, key))
        if events is None:
            if len(self._events) >= MAX_KEYS:
                self._events.pop(next(iter(self._events)))
            events = self._events[(limit.name, key)] = deque()
        while events and events[0] <= now - limit.seconds:
            events.popleft()
        return events

    def exceeded(self, limit: Limit, key: str, now: float) -> int:
        """Seconds to wait before the next attempt is allowed; 0 if allowed now."""
        with self._lock:
            events = self._window(limit, key, now)
            if len(events) < limit.count:
                return 0
            return max(1, int(events[0] + limit.seconds - now) + 1)

    def hit(self, limit: Limit, key: str, now: float) -> None:
        with self._lock:
            self._window(limit, key, now).append(now)

    def clear(self, limit: Limit, key: str) -> None:
        with self._lock:
            self._events.pop((limit.name, key), None)


def throttle_of(ctx: ServiceContext) -> Throttle:
    found = ctx.extras.get("throttle")
    if not isinstance(found, Throttle):
        found = ctx.extras["throttle"] = Throttle()
    return found


def now_seconds(ctx: ServiceContext) -> float:
    return ctx.clock.now().timestamp()


def refuse_if_exceeded(ctx: ServiceContext, limit: Limit, key: str, message: str) -> None:
    wait = throttle_of(ctx).exceeded(limit, key, now_seconds(ctx))
    if wait:
        raise TooManyRequests(message, retry_after=wait)


def hit(ctx: ServiceContext, limit: Limit, key: str) -> None:
    throttle_of(ctx).hit(limit, key, now_seconds(ctx))


def allowed(ctx: ServiceContext, limit: Limit, key: str) -> bool:
    """Count one event if the limit allows it; say whether it did."""
    throttle = throttle_of(ctx)
    now = now_seconds(ctx)
    if throttle.exceeded(limit, key, now):
        return False
    throttle.hit(limit, key, now)
    return True
