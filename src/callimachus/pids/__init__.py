"""Persistent identifier providers."""
