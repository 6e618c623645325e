"""The record schema: vocabularies, identifiers, validation and normalisation of metadata.

The bottom layer next to ``callimachus.core``: pure functions, no database, no I/O at import
time. ``docs/metadata.md`` is the contract this package implements.
"""
