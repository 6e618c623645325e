"""Fixtures of the metadata tests."""

from __future__ import annotations

from typing import Any

import pytest

from .strategies import full_example as _full_example


@pytest.fixture
def full_example() -> tuple[dict[str, Any], dict[str, Any]]:
    """A fresh copy of the hand-written example using every field."""
    return _full_example()
