"""Translations of the pages: gettext catalogues in ``callimachus/translations/<locale>/LC_MESSAGES``.

English is the source language (no catalogue needed). Catalogues are compiled ``.mo`` files,
read with the standard library; Babel is only needed to extract and compile them (see
``translations/README.md``). Python code marks strings for extraction with :func:`N_` and
templates translate them when they show them.
"""

from __future__ import annotations

from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

CATALOGUES = Path(__file__).resolve().parents[2] / "translations"
DOMAIN = "messages"
DEFAULT_LOCALE = "en"


def N_(message: str) -> str:  # noqa: N802 - the name extraction tools look for
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@lru_cache(maxsize=1)
def available_locales() -> frozenset[str]:
    found = {DEFAULT_LOCALE}
    if CATALOGUES.is_dir():
        found.update(p.parent.parent.name for p in CATALOGUES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return frozenset(found)


@lru_cache(maxsize=32)
def translations(locale: str) -> NullTranslations:
    path = CATALOGUES / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if locale == DEFAULT_LOCALE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as handle:
        return GNUTranslations(handle)


def negotiate(accept_language: str | None) -> str:
    """The best available locale for an ``Accept-Language`` header (English by default)."""
    available = available_locales()
    ranked: list[tuple[float, int, str]] = []
    for order, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, order, tag.strip().lower().replace("_", "-")))
    for negative_quality, _, tag in sorted(ranked):
        if negative_quality >= 0:
            break
        for candidate in (tag, tag.split("-")[0]):
            if candidate in available:
                return candidate
    return DEFAULT_LOCALE


def _format(text: str, variables: dict[str, Any]) -> str | Markup:
    """Placeholders filled with escaped values; a message alone stays plain text (escaped on
    output), so translating a string that came from elsewhere can never inject markup."""
    if not variables:
        return text.replace("%%", "%")
    return Markup(escape(text)) % variables


def callables(locale: str) -> dict[str, Any]:
    """``gettext``/``ngettext``/``_`` for one render, as Jinja2's newstyle i18n expects them."""
    catalogue = translations(locale)

    def gettext(message: str, **variables: Any) -> str | Markup:
        return _format(catalogue.gettext(message), variables)

    def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str | Markup:
        variables.setdefault("num", n)
        return _format(catalogue.ngettext(singular, plural, n), variables)

    return {"gettext": gettext, "ngettext": ngettext, "_": gettext}
