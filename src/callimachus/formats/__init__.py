"""Serializers: pure functions from a record dict (as the public API serves it) to bytes or text.

Each module handles one format and exposes ``serialize(record, ctx)``; :mod:`.registry` is the
table the HTTP layer and OAI-PMH use to find them by name, media type or metadata prefix.
Landing-page helpers: :mod:`.signposting` (Link headers, linkset), :mod:`.highwire` (Scholar meta
tags), :mod:`.schemaorg` (JSON-LD), :mod:`.sitemap`; citations in any CSL style: :mod:`.citation`.

Files are shown only when :func:`.common.visible_files` says the public may see them. Nothing
here reads settings or does I/O at import time; styles and the CFF licence list load lazily.
"""

from callimachus.formats.base import FormatContext

__all__ = ["FormatContext"]
