"""Callimachus: an open research repository."""

__version__ = "0.1.0"
