"""EDTF dates as each target wants them: RKMS-ISO8601, ISO 8601 intervals, years, CSL date-parts.

Our metadata stores EDTF (level 0: ``2024``, ``2024-05``, ``2024-05-17`` and intervals of them).
Anything beyond level 0 (uncertainty ``?``/``~``/``%``, unspecified ``XX``, open ``..``) is
reduced to the precision that is certain, since none of the export formats can carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_SINGLE = re.compile(r"^(-?\d{4})(?:-(\d{2}|XX))?(?:-(\d{2}|XX))?")


@dataclass(frozen=True)
class Period:
    """A date or interval: ``start``/``end`` are tuples of 1–3 ints; ``None`` means open/unknown."""

    start: tuple[int, ...] | None
    end: tuple[int, ...] | None
    interval: bool


def _single(text: str) -> tuple[int, ...] | None:
    text = text.strip().strip("?~%")
    match = _SINGLE.match(text)
    if not match:
        return None
    parts: list[int] = [int(match.group(1))]
    for group in (match.group(2), match.group(3)):
        if group is None or group == "XX":
            break
        parts.append(int(group))
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return tuple(parts[:1])
    if len(parts) == 3:
        try:
            date(*parts)  # a calendar date that does not exist keeps only year-month
        except ValueError:
            return tuple(parts[:2])
    return tuple(parts)


def parse(value: str | None) -> Period | None:
    """Parse an EDTF date or interval; ``None`` for empty or unreadable input."""
    if not value or not isinstance(value, str):
        return None
    if "/" in value:
        left, _, right = value.partition("/")
        start = _single(left) if left not in ("", "..") else None
        end = _single(right) if right not in ("", "..") else None
        if start is None and end is None:
            return None
        return Period(start, end, True)
    single = _single(value)
    return Period(single, single, False) if single else None


def _iso(parts: tuple[int, ...]) -> str:
    year = f"-{abs(parts[0]):04d}" if parts[0] < 0 else f"{parts[0]:04d}"
    return "-".join([year, *(f"{p:02d}" for p in parts[1:])])


def to_iso(value: str | None, open_end: str = "") -> str:
    """ISO 8601 text of a date or interval (``2020/2022-06``); open sides become ``open_end``.

    DataCite (RKMS-ISO8601) takes ``open_end=""`` (``2020/``); schema.org takes ``".."``.
    Returns ``""`` when the value cannot be read.
    """
    period = parse(value)
    if period is None:
        return ""
    if not period.interval:
        return _iso(period.start) if period.start else ""
    start = _iso(period.start) if period.start else open_end
    end = _iso(period.end) if period.end else open_end
    return f"{start}/{end}"


def year(value: str | None) -> int | None:
    """The first certain year of a date or interval."""
    period = parse(value)
    if period is None:
        return None
    first = period.start or period.end
    return first[0] if first else None


def start_date(value: str | None) -> str:
    """ISO text of the start (or the only) date; ``""`` if unknown."""
    period = parse(value)
    if period is None or not (period.start or period.end):
        return ""
    return _iso(period.start or period.end)  # type: ignore[arg-type]


def date_parts(value: str | None) -> list[list[int]]:
    """CSL ``date-parts``: ``[[2024, 5, 17]]`` or ``[[2020], [2022, 6]]`` for an interval."""
    period = parse(value)
    if period is None:
        return []
    if not period.interval or period.start == period.end:
        only = period.start or period.end
        return [list(only)] if only else []
    return [list(p) for p in (period.start, period.end) if p]


def to_utc_datestamp(value: str | None) -> str:
    """A W3C datetime with timezone for sitemap ``lastmod`` (``2024-01-02T10:00:00+00:00``)."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if parsed.tzinfo is None:
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat(timespec="seconds")
