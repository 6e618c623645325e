"""The index follows the database: changes are indexed after their commit (never after a rollback),
removals and new versions show up, and ``callimachus search check`` / ``reindex`` find and repair
any difference."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from callimachus.cli import main
from callimachus.core.identity import Identity
from callimachus.services import drafts
from callimachus.services.search_indexing import IndexAfterCommit, wait_for_index
from tests.conftest import PG_SERVER, SITE
from tests.helpers import create_draft, published_record
from tests.search.conftest import drop_postgres_index, postgres_index_in


def hits(client: TestClient, path: str, headers: dict[str, str] | None = None, **params: Any) -> list[str]:
    response = client.get(path, params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return [h["id"] for h in response.json()["hits"]["hits"]]


def test_only_committed_changes_are_indexed(client, ctx, owner, metadata):
    draft = create_draft(client, owner.headers, {**metadata, "title": "Committed title"})
    body = client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json()
    body["metadata"]["title"] = "Abandoned title"
    identity = Identity(user_id=owner.id)
    with ctx.unit_of_work(write=True) as uow:
        drafts.update_draft(ctx, uow, identity, int(draft["id"]), body)
        uow.rollback()
    with ctx.unit_of_work(write=True) as uow:  # left without commit: closing rolls back
        drafts.update_draft(ctx, uow, identity, int(draft["id"]), body)
    listener = next(x for x in ctx.listeners if isinstance(x, IndexAfterCommit))
    assert listener.wait(5)
    assert hits(client, "/api/user/records", owner.headers, q="abandoned") == []
    assert hits(client, "/api/user/records", owner.headers, q="committed") == [draft["id"]]
    # A request refused part-way commits nothing, so indexes nothing.
    bad = {**body, "metadata": {**body["metadata"], "title": "Refused title", "publication_date": "2023-02-30"}}
    assert client.put(f"/api/records/{draft['id']}/draft", json=bad, headers=owner.headers).status_code == 400
    assert hits(client, "/api/user/records", owner.headers, q="refused") == []
    with ctx.unit_of_work(write=True) as uow:
        drafts.update_draft(ctx, uow, identity, int(draft["id"]), body)
        uow.commit()
    assert hits(client, "/api/user/records", owner.headers, q="abandoned") == [draft["id"]]


def test_discarded_drafts_deleted_records_and_new_versions(client, ctx, owner, make_account, metadata):
    draft = create_draft(client, owner.headers, {**metadata, "title": "Short lived"})
    assert hits(client, "/api/user/records", owner.headers, q="short") == [draft["id"]]
    assert client.delete(f"/api/records/{draft['id']}/draft", headers=owner.headers).status_code == 204
    assert hits(client, "/api/user/records", owner.headers, q="short") == []
    record = published_record(client, owner.headers, metadata)
    admin = make_account("root@example.org", admin=True)
    response = client.request("DELETE", f"/api/records/{record['id']}/delete", json={"removal_reason": "spam"}, headers=admin.headers)
    assert response.status_code == 200, response.text
    assert hits(client, "/api/records", q="ocean") == [] and hits(client, "/api/records", admin.headers, q="ocean") == []
    assert client.get("/api/records").json()["aggregations"]["resource_type"]["buckets"] == []
    v1 = published_record(client, owner.headers, {**metadata, "title": "Versioned work"})
    new = client.post(f"/api/records/{v1['id']}/versions", headers=owner.headers).json()
    new["metadata"]["publication_date"] = "2025"
    client.put(f"/api/records/{new['id']}/draft", json=new, headers=owner.headers)
    client.post(f"/api/records/{new['id']}/draft/actions/files-import", headers=owner.headers)
    assert client.post(f"/api/records/{new['id']}/draft/actions/publish", headers=owner.headers).status_code == 202
    assert hits(client, "/api/records", q="versioned") == [new["id"]]
    assert sorted(hits(client, "/api/records", q="versioned", all_versions="true")) == sorted([v1["id"], new["id"]])
    assert hits(client, "/api/records", q="versioned AND versions.index:1", all_versions="true") == [v1["id"]]


# --- the command line ---------------------------------------------------------------------


@pytest.fixture(params=["tantivy", "postgresql"])
def instance(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    env = {"CALLIMACHUS_INSTANCE_PATH": str(tmp_path / "instance"), "CALLIMACHUS_DATABASE_URL": None, "CALLIMACHUS_SITE_URL": SITE}
    if request.param == "postgresql":
        schema = f"callimachus_search_cli_{os.getpid()}"
        index = postgres_index_in(schema)
        env["CALLIMACHUS_SEARCH_URL"] = f"{PG_SERVER}?options=-csearch_path%3D{schema}"
        yield env
        drop_postgres_index(index, schema)
    else:
        env["CALLIMACHUS_SEARCH_URL"] = None
        yield env


def _context(env: dict[str, Any]) -> Any:
    from callimachus.app import build_context
    from callimachus.config import settings_from_env

    values = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    return build_context(settings_from_env(values))



@pytest.mark.backend_independent
def test_check_and_reindex_commands(instance, metadata):
    runner = CliRunner(env=instance)
    created = runner.invoke(main, ["init"])
    assert created.exit_code == 0, created.output
    token = re.search(r"API token:\s+(\S+)", created.output).group(1)
    ctx = _context(instance)
    from callimachus.app import create_app

    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(ctx=ctx), base_url=SITE) as client:
        records = [published_record(client, headers, {**metadata, "title": f"Work {i}"}) for i in range(3)]
        create_draft(client, headers, {**metadata, "title": "Unfinished"})
    wait_for_index(ctx)

    result = runner.invoke(main, ["search", "check"])
    assert result.exit_code == 0 and "matches the database (4 documents)" in result.output, result.output

    first_parent = int(records[0]["parent"]["id"])
    ctx.index.delete_parents([first_parent])
    ctx.index.replace_parents([999_999], lambda: [_stray_document(ctx, first_parent)])
    result = runner.invoke(main, ["search", "check"])
    assert result.exit_code == 1
    assert f"1 missing from the index: record {records[0]['id']}" in result.output
    assert "1 in the index only: record 999999" in result.output

    result = runner.invoke(main, ["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 4 documents of 4 concepts; removed 1 concepts no longer in the database." in result.output
    assert runner.invoke(main, ["search", "check"]).exit_code == 0

    ctx.index.delete_parents([first_parent])
    result = runner.invoke(main, ["search", "check", "--fix"])
    assert result.exit_code == 0 and "Re-indexed 1 concepts." in result.output
    assert runner.invoke(main, ["search", "check"]).exit_code == 0
    result = runner.invoke(main, ["search", "reindex", "--clear"])
    assert result.exit_code == 0 and runner.invoke(main, ["search", "check"]).exit_code == 0
    ctx.index.close()


@pytest.mark.backend_independent
def test_init_refills_an_index_whose_layout_changed(tmp_path, metadata):
    """An embedded index written by an older layout is started empty; ``init`` (which
    ``make run`` runs) fills it again from the database, so records stay findable."""
    import json

    instance = {"CALLIMACHUS_INSTANCE_PATH": str(tmp_path / "instance"), "CALLIMACHUS_DATABASE_URL": None,
                "CALLIMACHUS_SITE_URL": SITE, "CALLIMACHUS_SEARCH_URL": None}  # fmt: skip
    runner = CliRunner(env=instance)
    created = runner.invoke(main, ["init"])
    token = re.search(r"API token:\s+(\S+)", created.output).group(1)
    ctx = _context(instance)
    from callimachus.app import create_app

    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(ctx=ctx), base_url=SITE) as client:
        record = published_record(client, headers, {**metadata, "title": "Survives a new layout"})
    wait_for_index(ctx)
    ctx.index.close()
    folder = next((tmp_path / "instance").rglob("callimachus-search.json")).parent
    (folder / "callimachus-search.json").write_text(json.dumps({"schema": 0}))

    again = runner.invoke(main, ["init"])
    assert again.exit_code == 0, again.output
    assert "Search index rebuilt: 1 concepts, 1 documents" in again.output
    with TestClient(create_app(ctx=_context(instance)), base_url=SITE) as client:
        assert hits(client, "/api/records", q="survives") == [str(record["id"])]
    assert "rebuilt" not in runner.invoke(main, ["init"]).output  # a full index is left alone


def _stray_document(ctx: Any, parent_id: int) -> Any:
    """A document of a concept the database does not have (as if left by a lost delete)."""
    from dataclasses import replace

    from callimachus.search.documents import fingerprint
    from callimachus.services.search_indexing import documents_for_parents

    with ctx.unit_of_work() as uow:
        doc = documents_for_parents(ctx, uow, [parent_id])[0]
    stray = replace(doc, key=999_999 * 2, id=999_999, parent_id=999_999)
    stray.fingerprint = fingerprint(stray)
    return stray
