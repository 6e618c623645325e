"""Text analysis shared by every search backend, so that they index and match the same words.

Both backends receive words already analysed here; neither runs its own tokenizer on record text:

- ``fold``: Unicode compatibility decomposition, accents removed, a few letters without a
  decomposition spelled out (``ø`` → ``o``, ``ß`` → ``ss``), then case-folded. No stemming.
- ``words``: the text split into runs of letters and digits (``[^\\W_]+``), each folded; words
  longer than :data:`MAX_WORD` characters are dropped; at most :data:`MAX_POSITIONS` per value.
- ``keyword``: a whole value (a DOI, a file name, an id), folded, inner whitespace collapsed,
  cut to :data:`MAX_KEYWORD` characters.

The same functions analyse query terms, so a query word matches an indexed word exactly when
their analysed forms are equal.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

MAX_WORD = 64
MAX_KEYWORD = 200
# PostgreSQL keeps word positions up to 16,383; both backends stop indexing a value's words here.
MAX_POSITIONS = 10_000

_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
_SPELLED = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d",
     "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ß": "ss"}
)  # fmt: skip


def fold(text: str) -> str:
    """Lower-case, accent-free form of ``text`` (ASCII text only changes case)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """The words of ``text`` as both backends index and match them: runs of letters and digits,
    each folded (a folded run may split, e.g. a ligature or a fraction)."""
    if text.isascii():
        found = _WORD.findall(text.lower())
    else:
        raw = _WORD.findall(unicodedata.normalize("NFC", text).lower())
        found = [w for r in raw for w in ((r,) if r.isascii() else _fold_word(r))]
    if len(found) > MAX_POSITIONS:
        found = found[:MAX_POSITIONS]
    if found and max(map(len, found)) > MAX_WORD:
        found = [w for w in found if len(w) <= MAX_WORD]
    return found


@functools.lru_cache(maxsize=100_000)
def _fold_word(raw: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(fold(raw)) if len(w) <= MAX_WORD)


@functools.lru_cache(maxsize=200_000)
def keyword(value: str) -> str:
    """A whole value as matched by exact (keyword) fields."""
    text = fold(value).strip()
    if "  " in text or not text.isprintable():
        text = _SPACES.sub(" ", text)
    return text[:MAX_KEYWORD]


@functools.lru_cache(maxsize=100_000)
def facet_value(value: str) -> str:
    """A facet value as shown and filtered: the original text, trimmed and cut."""
    return _SPACES.sub(" ", value.strip())[:MAX_KEYWORD]


_TAG = re.compile(r"<[^>]*>")


def html_text(markup: str) -> str:
    """The text of an HTML fragment (tags dropped, entities decoded). Descriptions are stored
    sanitised (``metadata.html``), so no script or comment needs special care here."""
    if "<" not in markup and "&" not in markup:
        return markup
    return html.unescape(_TAG.sub(" ", markup))


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def day_end(day: date) -> datetime:
    """The last microsecond of ``day`` (UTC)."""
    return day_start(day) + timedelta(days=1) - timedelta(microseconds=1)


_PARTIAL_DATE = re.compile(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def partial_date_bounds(text: str) -> tuple[datetime, datetime] | None:
    """First and last moment of a year, a month or a day written ``YYYY[-MM[-DD]]`` (UTC).

    Also accepts a full ISO 8601 date-time, which is its own first and last moment. None when
    ``text`` is none of these.
    """
    text = text.strip()
    match = _PARTIAL_DATE.fullmatch(text)
    if match is None:
        return _datetime_bounds(text)
    year = int(match.group(1))
    try:
        if match.group(3):
            day = date(year, int(match.group(2)), int(match.group(3)))
            return day_start(day), day_end(day)
        if match.group(2):
            month = int(match.group(2))
            first = date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return day_start(first), day_start(nxt) - timedelta(microseconds=1)
        return day_start(date(year, 1, 1)), day_end(date(year, 12, 31))
    except ValueError:
        return None


def _datetime_bounds(text: str) -> tuple[datetime, datetime] | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment, moment
