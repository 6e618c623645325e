"""Migrations: from nothing to head, idempotent, and in step with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from callimachus.db.migrate import current_revision, head_revision, upgrade_database
from callimachus.db.models import Base


def test_schema_is_at_head_and_matches_models(ctx):
    engine = ctx.db.engine
    assert current_revision(engine) == head_revision()
    upgrade_database(engine)  # running again changes nothing
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
