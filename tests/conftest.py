"""Shared fixtures: a real database per backend (SQLite file, PostgreSQL on 127.0.0.1), a real
file store in a temporary folder, and the ASGI app driven in-process.

Every test that asks for ``ctx`` (directly or through ``client``) runs once per backend named in
``CALLIMACHUS_TEST_BACKENDS`` (default: both). PostgreSQL is skipped when unreachable, unless
``CALLIMACHUS_REQUIRE_SERVICES=1``, which turns an unreachable service into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from starlette.testclient import TestClient

from callimachus.config import Settings
from callimachus.core.identity import ALL_SCOPES
from callimachus.db.engine import create_db_engine, make_session_factory
from callimachus.db.migrate import upgrade_database
from callimachus.db.models import Base
from callimachus.db.uow import Database
from callimachus.mail.outbox import OutboxMailer
from callimachus.pids.doi import LocalDOIProvider
from callimachus.search.tantivy_index import TantivyIndex
from callimachus.services.context import ServiceContext
from callimachus.services.search_indexing import attach_index
from callimachus.storage.local import LocalFileStore
from callimachus.tasks.inline import InlineTaskQueue

PG_SERVER = os.environ.get("CALLIMACHUS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# Each test session gets its own schema, so that several sessions can share one server.
PG_SCHEMA = f"callimachus_test_{os.getpid()}"
PG_URL = f"{PG_SERVER}?options=-csearch_path%3D{PG_SCHEMA}"
REQUIRE_SERVICES = os.environ.get("CALLIMACHUS_REQUIRE_SERVICES") == "1"
BACKENDS = [b.strip() for b in os.environ.get("CALLIMACHUS_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
SITE = "http://testserver"

# Property tests explore new examples on every local run; CI (CALLIMACHUS_HYPOTHESIS_PROFILE=ci)
# runs a fixed, reproducible set so that a submission's result does not depend on luck. Failures
# found locally are kept in .hypothesis/ and replayed first.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev")
hypothesis_settings.load_profile(os.environ.get("CALLIMACHUS_HYPOTHESIS_PROFILE", "dev"))


def service_unavailable(what: str, reason: object) -> None:
    message = f"{what} is not reachable: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (CALLIMACHUS_REQUIRE_SERVICES=1)")
    pytest.skip(message)


class TestClock:
    """The real time, plus an offset tests may move forward."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Any]:
    engine = create_db_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    except Exception as exc:  # noqa: BLE001 - any connection problem means "not reachable"
        engine.dispose()
        service_unavailable("PostgreSQL", exc)
    upgrade_database(engine)
    yield engine
    engine.dispose()
    cleanup = create_db_engine(PG_SERVER)
    with cleanup.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    cleanup.dispose()


def _empty_postgres(engine: Any) -> None:
    # DELETE is much faster than TRUNCATE on tables this small (no file operations to sync).
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "callimachus.db"
        shutil.copy(template, path)
        engine = create_db_engine(f"sqlite:///{path}")
    else:
        engine = request.getfixturevalue("postgres_engine")
        _empty_postgres(engine)
    db = Database(engine, make_session_factory(engine))
    yield db
    if request.param == "sqlite":
        engine.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        instance_path=tmp_path / "instance",
        database_url="(set by the database fixture)",
        storage_url=f"file://{tmp_path / 'files'}",
        search_url=f"tantivy://{tmp_path / 'index'}",
        tasks_url="inline://",
        site_url=SITE,
        site_name="Callimachus",
        secret_key="test-secret-key-for-signing-only",
        oai_domain="testserver",
        # Real argon2, with a cheaper cost than production so that hundreds of accounts are quick.
        password_time_cost=1,
        password_memory_kib=8192,
    )


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
def ctx(settings: Settings, database: Database, clock: TestClock, tmp_path: Path) -> ServiceContext:
    context = ServiceContext(
        settings=settings,
        db=database,
        files=LocalFileStore(tmp_path / "files"),
        clock=clock,
        doi=LocalDOIProvider(prefix=settings.doi_prefix, pattern=settings.doi_pattern),
        tasks=InlineTaskQueue({}),
        mailer=OutboxMailer(tmp_path / "outbox", "Callimachus <noreply@testserver>"),
    )
    attach_index(context, TantivyIndex(tmp_path / "index"))
    return context


@pytest.fixture(scope="session")
def postgres_search_index() -> Iterator[Any]:
    """The PostgreSQL search backend on the test server, in a schema of its own for this session."""
    from callimachus.search.postgres_index import PostgresIndex, search_engine

    schema = f"callimachus_search_{os.getpid()}"
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
    yield index
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


@pytest.fixture
def postgres_search(postgres_search_index: Any) -> Any:
    """The PostgreSQL search backend, emptied for this test."""
    postgres_search_index.clear()
    return postgres_search_index


@pytest.fixture
def app(ctx: ServiceContext) -> Any:
    from callimachus.app import create_app

    return create_app(ctx=ctx)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url=SITE) as test_client:
        yield test_client


@dataclass
class Account:
    id: int
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_account(ctx: ServiceContext) -> Any:
    from callimachus.services import tokens, users

    counter = iter(range(1, 10_000))

    def make(email: str | None = None, *, scopes: tuple[str, ...] = ALL_SCOPES, admin: bool = False) -> Account:
        address = email or f"user{next(counter)}@example.org"
        with ctx.unit_of_work(write=True) as uow:
            user, password = users.create_user(ctx, uow, address, "correct horse battery", is_admin=admin)
            _, secret = tokens.create_token(ctx, uow, user, "test", scopes)
            uow.commit()
        return Account(user.id, user.email, password, secret)

    return make


@pytest.fixture
def owner(make_account: Any) -> Account:
    return make_account("owner@example.org")


MINIMAL_METADATA: dict[str, Any] = {
    "resource_type": {"id": "dataset"},
    "title": "Ocean temperatures of the North Atlantic, 1990–2020",
    "publication_date": "2024-05-17",
    "creators": [
        {
            "person_or_org": {
                "type": "personal",
                "given_name": "Josiah",
                "family_name": "Carberry",
                "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-1825-0097"}],
            },
            "affiliations": [{"name": "Brown University"}],
        }
    ],
    "rights": [{"id": "cc-by-4.0"}],
    "description": "<p>Monthly sea surface temperatures.</p>",
}


@pytest.fixture
def metadata() -> dict[str, Any]:
    import copy

    return copy.deepcopy(MINIMAL_METADATA)
