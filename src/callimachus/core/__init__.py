"""Errors, identifiers, clock and actor: the pieces every layer shares. No I/O here."""
