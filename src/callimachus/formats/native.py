"""The native record JSON (``json`` export): the record dict as the public API serves it.

The dict is already filtered by access; as a second line of defence, file entries are dropped
whenever the files are not visible to the public (the same rule as every other export).
"""

from __future__ import annotations

from callimachus.formats import common
from callimachus.formats.base import FormatContext, Record, json_bytes


def public_record(record: Record) -> Record:
    """The record with ``files`` reduced to ``{"enabled"}`` unless its files are open."""
    files = record.get("files")
    if common.access_status(record) == "open" or not isinstance(files, dict):
        return record
    return {**record, "files": {"enabled": bool(files.get("enabled", False))}}


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """The record as JSON (``application/json``)."""
    return json_bytes(public_record(record))
