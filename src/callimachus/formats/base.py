"""Shared pieces of every serializer: the site context, text cleaning and lxml helpers.

Every serializer in this package is a pure function ``serialize(record, ctx)`` from the record
dict the public API serves (already filtered by access) to ``bytes`` (XML, JSON, YAML, BibTeX) or
``str``. Nothing here does I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

Record = dict[str, Any]

# Characters XML 1.0 forbids (C0 controls except TAB/LF/CR, surrogates, U+FFFE/U+FFFF).
_XML_FORBIDDEN = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# C1 controls and DEL are legal XML but meaningless in metadata and break some consumers.
_OTHER_CONTROLS = re.compile("[\u007f-\u009f]")


@dataclass(frozen=True)
class FormatContext:
    """Site-wide values a serializer needs and a record does not carry.

    ``site_url`` has no trailing slash (``https://repo.example.org``); ``oai_domain`` is the
    namespace part of OAI identifiers (``repo.example.org``); ``datacentre_symbol`` is the
    DataCite repository symbol announced in ``oai_datacite``.
    """

    site_url: str = "https://repo.example.org"
    site_name: str = "Callimachus"
    oai_domain: str = "repo.example.org"
    datacentre_symbol: str = "CALLIMACHUS"
    contact_email: str | None = None
    publisher_ror: str | None = None

    def url(self, path: str) -> str:
        """An absolute URL on this site for ``path`` (which starts with ``/``)."""
        return self.site_url.rstrip("/") + path


Serializer = Callable[[Record, FormatContext], "bytes | str"]


def clean_text(value: Any) -> str:
    """``value`` as a string without characters XML 1.0 forbids or C1 control characters.

    Input validation refuses control characters, but exports must never produce a document a
    parser rejects, whatever got into the database.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _XML_FORBIDDEN.sub("", text)
    return _OTHER_CONTROLS.sub("", text)


def clean_tree(value: Any) -> Any:
    """A deep copy of a JSON-like value with every string passed through :func:`clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_tree(v) for v in value]
    return value


def sub(parent: etree._Element, tag: str, text: Any = None, **attrs: Any) -> etree._Element:
    """Append a child element; ``text`` and attribute values are cleaned, ``None`` attributes dropped.

    Attribute names may use ``{ns}local`` Clark notation; ``xml_lang`` is written as ``xml:lang``.
    """
    element = etree.SubElement(parent, tag)
    for name, value in attrs.items():
        if value is None or value == "":
            continue
        key = "{http://www.w3.org/XML/1998/namespace}lang" if name == "xml_lang" else name
        element.set(key, clean_text(value))
    if text is not None:
        element.text = clean_text(text)
    return element


def xml_bytes(root: etree._Element) -> bytes:
    """Serialize an lxml tree as a UTF-8 XML document with declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def json_bytes(data: Any, html_safe: bool = False) -> bytes:
    """Serialize a JSON value as UTF-8 bytes (non-ASCII kept, cleaned of control characters).

    ``html_safe`` writes ``<``, ``>`` and ``&`` as ``\\u`` escapes (same JSON value), so the document
    can be embedded in an HTML ``<script>`` element without a ``</script>`` in the data ending it.
    """
    text = json.dumps(clean_tree(data), ensure_ascii=False, indent=2)
    if html_safe:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8")
