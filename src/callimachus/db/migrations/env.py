"""Alembic environment: always run with a connection handed in by :mod:`callimachus.db.migrate`."""

from __future__ import annotations

from alembic import context

from callimachus.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `callimachus init` (callimachus.db.migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
