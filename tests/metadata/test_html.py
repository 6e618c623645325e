"""HTML sanitising of descriptions to Zenodo's allow-list."""

from __future__ import annotations

import html

import pytest
from hypothesis import given

from callimachus.metadata.html import ALLOWED_TAGS, sanitize_html

from .strategies import free_text

pytestmark = pytest.mark.backend_independent


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p style="color:red" onclick="steal()">Hi <b>there</b></p>', "<p>Hi <b>there</b></p>"),
        ("<script>alert(1)</script>Text", "Text"),
        ("<style>p {}</style>Text", "Text"),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="/relative/path">x</a>', "<a>x</a>"),
        (
            '<a href="https://example.org" target="_blank" title="t">x</a>',
            '<a href="https://example.org">x</a>',
        ),
        ('<a href="http://example.org">x</a>', '<a href="http://example.org">x</a>'),
        ('<a href="mailto:someone@example.org">m</a>', '<a href="mailto:someone@example.org">m</a>'),
        ('<img src="x" onerror="alert(1)">', ""),
        ("<h1>Title</h1>", "Title"),
        ("<!-- hidden -->visible", "visible"),
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ('<span class="x" id="y">s</span>', "<span>s</span>"),
        ("  <p>padded</p>\n", "<p>padded</p>"),
    ],
)
def test_sanitising(dirty: str, clean: str) -> None:
    assert sanitize_html(dirty) == clean


def test_every_allowed_tag_survives() -> None:
    for tag in sorted(ALLOWED_TAGS - {"br", "table", "tbody", "thead", "tr", "th", "td", "caption", "li"}):
        assert sanitize_html(f"<{tag}>x</{tag}>") == f"<{tag}>x</{tag}>"
    assert sanitize_html("a<br>b") == "a<br>b"
    assert sanitize_html("<ul><li>x</li></ul>") == "<ul><li>x</li></ul>"
    table = "<table><caption>c</caption><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>"
    assert sanitize_html(table) == table


@given(free_text(max_size=200))
def test_escaped_text_survives_and_sanitising_is_idempotent(text: str) -> None:
    escaped = f"<p>{html.escape(text, quote=False)}</p>"
    once = sanitize_html(escaped)
    assert sanitize_html(once) == once
    assert html.unescape(once.removeprefix("<p>").removesuffix("</p>")) == text
