"""Time, always timezone-aware UTC. Services take a Clock so tests and jobs agree on "now"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def utc_today(clock: Clock) -> date:
    return clock.now().date()


def isoformat(moment: datetime | None) -> str | None:
    """ISO 8601 with microseconds and ``+00:00``, as Zenodo's API prints timestamps."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def as_utc(moment: datetime) -> datetime:
    """Databases may hand back naive datetimes (SQLite); they are UTC by construction."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
