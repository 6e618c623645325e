"""Drafts through the API: create, save (incomplete allowed, wrong refused), publish, discard."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from callimachus.db.models import Draft, Parent, PersistentIdentifier, Record, Revision
from tests.helpers import create_draft, publish, published_record, upload


def count(ctx, model) -> int:
    with ctx.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)))


def snapshot(ctx) -> dict[str, int]:
    return {m.__tablename__: count(ctx, m) for m in (Draft, Record, Parent, PersistentIdentifier, Revision)}


def field_messages(response) -> dict[str, list[str]]:
    return {e["field"]: e["messages"] for e in response.json().get("errors", [])}


def test_new_concept_gets_n_and_first_version_n_plus_one(client, owner, metadata):
    first = create_draft(client, owner.headers, metadata)
    second = create_draft(client, owner.headers, metadata)
    assert int(first["parent"]["id"]) + 1 == int(first["id"])
    assert int(second["parent"]["id"]) == int(first["id"]) + 1
    assert first["links"]["self"].endswith(f"/api/records/{first['id']}/draft")


def test_incomplete_draft_is_saved_with_errors(client, owner):
    response = client.post("/api/records", json={"metadata": {"title": "Only a title"}}, headers=owner.headers)
    assert response.status_code == 201
    fields = field_messages(response)
    assert {"metadata.resource_type", "metadata.publication_date", "metadata.creators"} <= set(fields)
    recid = response.json()["id"]
    read = client.get(f"/api/records/{recid}/draft", headers=owner.headers)
    assert read.json()["metadata"]["title"] == "Only a title"


def test_save_replaces_metadata_and_keeps_revisions(client, owner, metadata, ctx):
    draft = create_draft(client, owner.headers, metadata)
    changed = copy.deepcopy(metadata)
    changed["title"] = "A better title"
    response = client.put(f"/api/records/{draft['id']}/draft", json={"metadata": changed}, headers=owner.headers)
    assert response.status_code == 200, response.text
    assert response.json()["metadata"]["title"] == "A better title"
    assert response.json()["revision_id"] == 2
    with ctx.unit_of_work() as uow:
        revisions = uow.session.scalars(
            select(Revision).where(Revision.recid == int(draft["id"])).order_by(Revision.revision_id)
        ).all()
    assert [r.data["data"]["metadata"]["title"] for r in revisions] == [metadata["title"], "A better title"]
    assert all(r.actor_id == owner.id for r in revisions)


def test_client_may_put_back_what_it_read(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    response = client.put(f"/api/records/{draft['id']}/draft", json=draft, headers=owner.headers)
    assert response.status_code == 200, response.text
    assert response.json()["metadata"] == draft["metadata"]


BAD_VALUES = [
    ("publication_date", "2023-02-30", "metadata.publication_date"),
    ("rights", [{"id": "cc-by-9.0"}], "metadata.rights.0.id"),
    ("resource_type", {"id": "spaceship"}, "metadata.resource_type.id"),
]


@pytest.mark.parametrize(("field", "value", "path"), BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_wrong_values_are_refused_and_nothing_changes(client, owner, metadata, ctx, field, value, path):
    draft = create_draft(client, owner.headers, metadata)
    before = snapshot(ctx)
    bad = copy.deepcopy(metadata)
    bad[field] = value
    for response in (
        client.post("/api/records", json={"metadata": bad}, headers=owner.headers),
        client.put(f"/api/records/{draft['id']}/draft", json={"metadata": bad}, headers=owner.headers),
    ):
        assert response.status_code == 400, response.text
        assert path in field_messages(response), response.text
    assert snapshot(ctx) == before
    assert client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json()["metadata"][field] == draft["metadata"][field]


def test_orcid_with_wrong_check_digit_is_refused(client, owner, metadata, ctx):
    bad = copy.deepcopy(metadata)
    bad["creators"][0]["person_or_org"]["identifiers"][0]["identifier"] = "0000-0002-1825-0098"
    before = snapshot(ctx)
    response = client.post("/api/records", json={"metadata": bad}, headers=owner.headers)
    assert response.status_code == 400
    messages = field_messages(response)["metadata.creators.0.person_or_org.identifiers.0.identifier"]
    assert any("check digit" in m.lower() for m in messages)
    assert snapshot(ctx) == before


def test_unknown_fields_are_refused(client, owner, metadata, ctx):
    before = snapshot(ctx)
    response = client.post("/api/records", json={"metadata": {**metadata, "colour": "blue"}, "bogus": 1}, headers=owner.headers)
    assert response.status_code == 400
    fields = field_messages(response)
    assert fields["bogus"] == ["Unknown field."]
    assert "metadata.colour" in fields
    assert snapshot(ctx) == before


def test_malformed_json_is_refused(client, owner, ctx):
    before = snapshot(ctx)
    response = client.post("/api/records", content=b'{"metadata": {', headers={**owner.headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"status": 400, "message": "Unable to decode JSON data in request body."}
    assert snapshot(ctx) == before


def test_json_without_content_type_is_accepted(client, owner, metadata):
    import json

    response = client.post("/api/records", content=json.dumps({"metadata": metadata}).encode(), headers=owner.headers)
    assert response.status_code == 201


def test_other_content_types_are_refused(client, owner):
    response = client.post("/api/records", content=b"title=x", headers={**owner.headers, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415


def test_publish_requires_a_complete_record(client, owner, metadata, ctx):
    incomplete = copy.deepcopy(metadata)
    del incomplete["title"]
    draft = create_draft(client, owner.headers, incomplete)
    upload(client, owner.headers, draft["id"], "data.csv", b"1,2\n")
    before = snapshot(ctx)
    response = client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=owner.headers)
    assert response.status_code == 400
    assert "metadata.title" in field_messages(response)
    assert snapshot(ctx) == before
    assert client.get(f"/api/records/{draft['id']}", headers=owner.headers).status_code == 404


def test_publish_lists_every_problem_at_once(client, owner):
    draft = create_draft(client, owner.headers, {"title": "x"})
    response = client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=owner.headers)
    fields = field_messages(response)
    assert {"metadata.resource_type", "metadata.publication_date", "metadata.creators", "metadata.rights", "files.enabled"} <= set(fields)


def test_licence_not_required_for_restricted_files(client, owner, metadata):
    del metadata["rights"]
    record = published_record(client, owner.headers, metadata, access={"record": "public", "files": "restricted"})
    assert record["access"]["status"] == "restricted"


def test_metadata_only_record_needs_no_files(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata, files={"enabled": False})
    record = publish(client, owner.headers, draft["id"])
    assert record["files"] == {"enabled": False}
    assert record["access"]["status"] == "metadata-only"


def test_publish_twice_is_refused(client, owner, metadata, ctx):
    record = published_record(client, owner.headers, metadata)
    before = snapshot(ctx)
    response = client.post(f"/api/records/{record['id']}/draft/actions/publish", headers=owner.headers)
    assert response.status_code == 404
    assert "already published" in response.json()["message"]
    assert snapshot(ctx) == before


def test_someone_elses_draft_is_not_found(client, owner, make_account, metadata, ctx):
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "a.txt", b"x")
    other = make_account()
    before = snapshot(ctx)
    missing = client.get("/api/records/999999/draft", headers=other.headers)
    for response in (
        client.get(f"/api/records/{draft['id']}/draft", headers=other.headers),
        client.put(f"/api/records/{draft['id']}/draft", json={"metadata": metadata}, headers=other.headers),
        client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=other.headers),
        client.delete(f"/api/records/{draft['id']}/draft", headers=other.headers),
        client.get(f"/api/records/{draft['id']}/draft/files/a.txt/content", headers=other.headers),
    ):
        assert response.status_code == 404
        assert response.json() == missing.json()
    assert snapshot(ctx) == before


def test_token_without_write_scope_cannot_write(client, owner, make_account, metadata, ctx):
    reader = make_account(scopes=("user:email",))
    before = snapshot(ctx)
    response = client.post("/api/records", json={"metadata": metadata}, headers=reader.headers)
    assert response.status_code == 403
    assert "deposit:write" in response.json()["message"]
    assert snapshot(ctx) == before


def test_token_without_actions_scope_cannot_publish(client, make_account, metadata):
    writer = make_account(scopes=("deposit:write",))
    draft = create_draft(client, writer.headers, metadata)
    upload(client, writer.headers, draft["id"], "a.txt", b"x")
    response = client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=writer.headers)
    assert response.status_code == 403
    assert "deposit:actions" in response.json()["message"]


@pytest.mark.parametrize("how", ["header", "query"])
def test_invalid_token_is_401(client, metadata, ctx, how):
    before = snapshot(ctx)
    if how == "header":
        response = client.post("/api/records", json={"metadata": metadata}, headers={"Authorization": "Bearer not-a-token"})
    else:
        response = client.post("/api/records?access_token=not-a-token", json={"metadata": metadata})
    assert response.status_code == 401
    assert response.json()["status"] == 401
    assert snapshot(ctx) == before


def test_anonymous_cannot_create(client, metadata):
    assert client.post("/api/records", json={"metadata": metadata}).status_code == 401


def test_token_in_query_string_works(client, owner, metadata):
    response = client.post(f"/api/records?access_token={owner.token}", json={"metadata": metadata})
    assert response.status_code == 201


def test_discard_unpublished_draft(client, owner, metadata, ctx):
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "a.txt", b"hello")
    assert client.delete(f"/api/records/{draft['id']}/draft", headers=owner.headers).status_code == 204
    assert client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).status_code == 404
    assert count(ctx, Draft) == 0 and count(ctx, Parent) == 0


def test_edit_published_record_makes_new_revision(client, owner, metadata, ctx):
    record = published_record(client, owner.headers, metadata)
    recid = record["id"]
    edit = client.post(f"/api/records/{recid}/draft", headers=owner.headers)
    assert edit.status_code == 201
    assert edit.json()["is_published"] and edit.json()["is_draft"]
    changed = copy.deepcopy(edit.json()["metadata"])
    changed["title"] = "Corrected title"
    assert client.put(f"/api/records/{recid}/draft", json={"metadata": changed}, headers=owner.headers).status_code == 200
    # The public still sees the published version until the edit is published.
    assert client.get(f"/api/records/{recid}").json()["metadata"]["title"] == metadata["title"]
    republished = publish(client, owner.headers, recid)
    assert republished["metadata"]["title"] == "Corrected title"
    assert republished["pids"]["doi"] == record["pids"]["doi"]
    assert republished["revision_id"] == record["revision_id"] + 1
    with ctx.unit_of_work() as uow:
        kept = uow.session.scalars(select(Revision).where(Revision.recid == int(recid), Revision.kind == "record").order_by(Revision.revision_id)).all()
    assert [r.data["data"]["metadata"]["title"] for r in kept] == [metadata["title"], "Corrected title"]


def test_files_of_published_record_cannot_change(client, owner, metadata, ctx):
    record = published_record(client, owner.headers, metadata)
    recid = record["id"]
    client.post(f"/api/records/{recid}/draft", headers=owner.headers)
    before = snapshot(ctx)
    for response in (
        client.post(f"/api/records/{recid}/draft/files", json=[{"key": "new.txt"}], headers=owner.headers),
        client.put(f"/api/records/{recid}/draft/files/data.csv/content", content=b"changed", headers=owner.headers),
        client.delete(f"/api/records/{recid}/draft/files/data.csv", headers=owner.headers),
    ):
        assert response.status_code == 400, response.text
        assert "new version" in response.json()["message"]
    assert snapshot(ctx) == before
    content = client.get(f"/api/records/{recid}/files/data.csv/content")
    assert content.content == b"a,b\n1,2\n"


def test_reserve_doi_then_publish_keeps_it(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    reserved = client.post(f"/api/records/{draft['id']}/draft/pids/doi", headers=owner.headers)
    assert reserved.status_code == 201
    doi = reserved.json()["pids"]["doi"]["identifier"]
    assert doi == f"10.5072/callimachus.{draft['id']}"
    upload(client, owner.headers, draft["id"], "a.txt", b"x")
    assert publish(client, owner.headers, draft["id"])["pids"]["doi"]["identifier"] == doi


def test_external_doi_is_kept_and_unique(client, owner, metadata, ctx):
    external = {"doi": {"identifier": "10.1234/existing.5", "provider": "external"}}
    record = published_record(client, owner.headers, metadata, pids=external)
    assert record["pids"]["doi"] == {"identifier": "10.1234/existing.5", "provider": "external", "client": None}
    before = snapshot(ctx)
    again = client.post("/api/records", json={"metadata": metadata, "pids": {"doi": {"identifier": "10.1234/EXISTING.5", "provider": "external"}}}, headers=owner.headers)
    assert again.status_code == 400
    assert "already in use" in " ".join(field_messages(again)["pids.doi.identifier"])
    assert snapshot(ctx) == before


@pytest.mark.parametrize("doi", ["not-a-doi", "10.5072/callimachus.77"])
def test_bad_external_dois_are_refused(client, owner, metadata, doi):
    response = client.post("/api/records", json={"metadata": metadata, "pids": {"doi": {"identifier": doi, "provider": "external"}}}, headers=owner.headers)
    assert response.status_code == 400
    assert "pids.doi.identifier" in field_messages(response)


def test_doi_redirects_to_landing_page(client, owner, metadata):
    record = published_record(client, owner.headers, metadata)
    response = client.get(f"/doi/{record['pids']['doi']['identifier']}", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].endswith(f"/records/{record['id']}")
    assert client.get("/doi/10.5072/unknown", follow_redirects=False).status_code == 404


def test_user_records_lists_own_drafts_and_records(client, owner, make_account, metadata):
    published = published_record(client, owner.headers, metadata)
    draft = create_draft(client, owner.headers, {"title": "work in progress"})
    other = make_account()
    create_draft(client, other.headers, {"title": "not mine"})
    listing = client.get("/api/user/records", headers=owner.headers).json()
    ids = {hit["id"] for hit in listing["hits"]["hits"]}
    assert ids == {published["id"], draft["id"]}
    assert listing["hits"]["total"] == 2
    assert client.get("/api/user/records").status_code == 401
