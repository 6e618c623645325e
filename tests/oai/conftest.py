"""OAI-PMH tests: the app with a dotted OAI domain (so Identify can describe its identifiers) and
small pages (so every list needs resumption tokens)."""

from __future__ import annotations

import pytest

from callimachus.config import Settings
from tests.oai.world import World, build_world

DOMAIN = "repo.example.org"
PAGE = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(oai_domain=DOMAIN, oai_page_size=PAGE, admin_email="oai-admin@example.org")


@pytest.fixture
def world(client, owner, make_account, metadata, clock) -> World:
    admin = make_account("root@example.org", admin=True)
    return build_world(client, owner.headers, admin.headers, metadata, clock)
