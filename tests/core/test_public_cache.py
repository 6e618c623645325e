"""The cache of public record responses never serves a state older than the last commit."""

from __future__ import annotations

from tests.helpers import NATIVE, publish, published_record


def test_anonymous_view_follows_every_commit(client, owner, metadata, ctx):
    record = published_record(client, owner.headers, metadata)
    recid = record["id"]
    assert client.get(f"/api/records/{recid}").json()["metadata"]["title"] == metadata["title"]
    assert client.get(f"/api/records/{recid}").json()["metadata"]["title"] == metadata["title"]  # served again
    draft = client.post(f"/api/records/{recid}/draft", headers=owner.headers).json()
    draft["metadata"]["title"] = "Changed"
    draft["access"] = {"record": "restricted", "files": "restricted"}
    assert client.put(f"/api/records/{recid}/draft", json=draft, headers=owner.headers).status_code == 200
    publish(client, owner.headers, recid)
    assert client.get(f"/api/records/{recid}").status_code == 404


def test_commit_from_another_connection_is_seen(client, owner, metadata, ctx):
    record = published_record(client, owner.headers, metadata)
    recid = int(record["id"])
    assert client.get(f"/api/records/{recid}").status_code == 200
    # A change made outside the web process (as the CLI would) also empties the cache.
    from callimachus.db.models import Record

    with ctx.unit_of_work(write=True) as uow:
        uow.session.get(Record, recid).access_record = "restricted"
        uow.commit()
    assert client.get(f"/api/records/{recid}").status_code == 404


def test_embargo_end_is_honoured_without_a_commit(client, owner, metadata, clock):
    until = (clock.now().date().replace(year=clock.now().year + 1)).isoformat()
    record = published_record(client, owner.headers, metadata, access={"record": "public", "files": "restricted", "embargo": {"active": True, "until": until}})
    first = client.get(f"/api/records/{record['id']}", headers=NATIVE).json()
    assert first["access"]["status"] == "embargoed" and "entries" not in first["files"]
    clock.advance(days=400)
    after = client.get(f"/api/records/{record['id']}", headers=NATIVE).json()
    assert after["access"]["status"] == "open"
    assert "data.csv" in after["files"]["entries"]
