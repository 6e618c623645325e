"""Sanitising the HTML of descriptions to the allow-list Zenodo uses.

Descriptions are stored sanitised, so every page and export can embed them as they are.
Links keep only ``href`` with http, https or mailto; relative links lose their ``href`` (a
description is shown on many sites and in exports, where a relative link means nothing).
``script`` and ``style`` elements are dropped with their content; comments are dropped.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "b", "blockquote", "br", "code", "caption", "div", "em", "i", "li",
        "ol", "p", "pre", "span", "strike", "strong", "sub", "sup", "table", "tbody", "thead", "th",
        "td", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(html: str) -> str:
    """``html`` reduced to the allow-list, trimmed. Text content and entities are kept.

    Sanitising a sanitised string returns it unchanged.
    """
    cleaned = nh3.clean(
        html.strip(),
        tags=set(ALLOWED_TAGS),
        # "*" (attributes on every tag) is set empty: ammonia otherwise keeps lang and title.
        attributes={"*": set(), **{tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        link_rel=None,
        strip_comments=True,
    )
    return cleaned.strip()
