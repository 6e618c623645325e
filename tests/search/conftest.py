"""Search test fixtures: indexes of each backend, filled with synthetic documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import PG_SERVER, service_unavailable


def postgres_index_in(schema: str) -> Any:
    """A PostgreSQL search backend in a fresh schema of the test server (skipped if unreachable)."""
    from callimachus.search.postgres_index import PostgresIndex, search_engine

    engine = search_engine(f"{PG_SERVER}?options=-csearch_path%3D{schema}")
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001 - any connection problem means "not reachable"
        engine.dispose()
        service_unavailable("PostgreSQL (search)", exc)
    index = PostgresIndex(engine=engine)
    index.ensure_schema()
    return index


def drop_postgres_index(index: Any, schema: str) -> None:
    with index.engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    index.close()


@pytest.fixture(scope="module")
def module_postgres_index(request: pytest.FixtureRequest) -> Iterator[Any]:
    import os

    schema = f"callimachus_search_{request.module.__name__.rsplit('.', 1)[-1]}_{os.getpid()}"
    index = postgres_index_in(schema)
    yield index
    drop_postgres_index(index, schema)
