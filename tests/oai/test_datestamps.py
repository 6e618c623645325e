"""Datestamps and incremental harvesting: whatever changes a record's metadata, access or set
membership moves its datestamp, so a harvest ``from`` the last one returns exactly what changed;
paging by key never skips or repeats a record; cached payloads follow every change."""

from __future__ import annotations

from datetime import timedelta

from lxml import etree
from sqlalchemy import select, update

from callimachus.db.models import OaiPayload, Record
from callimachus.services import jobs, oai_payloads
from tests.helpers import create_draft, publish, published_record, upload
from tests.oai.conftest import DOMAIN
from tests.oai.harvest import harvest, request
from tests.oai.schemas import NS


def _edit(client, headers, recid, change):
    draft = client.post(f"/api/records/{recid}/draft", headers=headers).json()
    change(draft)
    assert client.put(f"/api/records/{recid}/draft", json=draft, headers=headers).status_code == 200
    publish(client, headers, recid)


def _response_date(client) -> str:
    return etree.fromstring(request(client, verb="Identify")).findtext("oai:responseDate", namespaces=NS)


def test_incremental_harvest_returns_exactly_what_changed(client, owner, make_account, metadata, clock):
    admin = make_account("root@example.org", admin=True)
    ids = {name: int(published_record(client, owner.headers, {**metadata, "title": name})["id"])
           for name in ("untouched", "retitled", "retyped", "restricted", "closed", "deleted", "versioned")}
    assert harvest(client, metadataPrefix="oai_dc").recids() == set(ids.values())
    clock.advance(seconds=5)
    since = _response_date(client)
    clock.advance(seconds=5)
    _edit(client, owner.headers, ids["retitled"], lambda d: d["metadata"].update(title="A new title"))
    _edit(client, owner.headers, ids["retyped"], lambda d: d["metadata"].update(resource_type={"id": "software"}))
    _edit(client, owner.headers, ids["restricted"], lambda d: d.update(access={"record": "public", "files": "restricted"}))
    _edit(client, owner.headers, ids["closed"], lambda d: d.update(access={"record": "restricted", "files": "restricted"}))
    response = client.request("DELETE", f"/api/records/{ids['deleted']}/delete", json={"removal_reason": {"id": "spam"}}, headers=admin.headers)
    assert response.status_code == 200
    new_version = client.post(f"/api/records/{ids['versioned']}/versions", headers=owner.headers).json()
    new_version["metadata"]["publication_date"] = "2025-01-01"
    assert client.put(f"/api/records/{new_version['id']}/draft", json=new_version, headers=owner.headers).status_code == 200
    client.post(f"/api/records/{new_version['id']}/draft/actions/files-import", headers=owner.headers)
    publish(client, owner.headers, new_version["id"])
    brand_new = int(published_record(client, owner.headers, metadata)["id"])

    changed = harvest(client, metadataPrefix="oai_dc", from_=since)
    expected = {ids["retitled"], ids["retyped"], ids["restricted"], ids["deleted"], int(new_version["id"]), brand_new}
    # the record that became restricted is no longer known to anonymous harvesters at all
    assert changed.recids() == expected
    assert changed.recids(deleted=True) == {ids["deleted"]}
    assert "A new title" in etree.tostring(changed.payloads[ids["retitled"]]).decode()
    retyped = next(h for h in changed.headers if h.recid == ids["retyped"])
    assert retyped.set_specs == ["resource_type:software", "openaire_data"]
    assert all(h.datestamp >= since for h in changed.headers)
    # and the same window as a set harvest, which learns that a record moved into the set
    assert harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", from_=since, set="resource_type:software").recids() == {ids["retyped"]}


def test_paging_by_key_with_equal_datestamps_and_changes_during_a_harvest(client, ctx, owner, metadata):
    ids = [int(published_record(client, owner.headers, metadata)["id"]) for _ in range(7)]
    same = ctx.clock.now().replace(microsecond=0)
    with ctx.unit_of_work(write=True) as uow:  # as if they had all been published in the same instant
        uow.session.execute(update(Record).values(updated_at=same))
        uow.commit()
    found = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc")
    assert [h.recid for h in found.headers] == sorted(ids)
    first = etree.fromstring(request(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    token = first.find(".//oai:resumptionToken", NS)
    again = etree.fromstring(request(client, verb="ListIdentifiers", resumptionToken=token.text))
    # re-issuing a token gives the same page (§3.5.1)
    repeat = etree.fromstring(request(client, verb="ListIdentifiers", resumptionToken=token.text))

    def strip(root):
        return [h.findtext("oai:identifier", namespaces=NS) for h in root.iterfind(".//oai:header", NS)]

    assert strip(again) == strip(repeat)
    # a record of the first page changes mid-harvest: it is sent again at the end, nothing is skipped
    _edit(client, owner.headers, ids[0], lambda d: d["metadata"].update(title="Changed mid-harvest"))
    rest = []
    body = request(client, verb="ListIdentifiers", resumptionToken=token.text)
    while True:
        root = etree.fromstring(body)
        rest += strip(root)
        next_token = root.find(".//oai:resumptionToken", NS)
        if next_token is None or not next_token.text:
            break
        body = request(client, verb="ListIdentifiers", resumptionToken=next_token.text)
    seen = strip(first) + rest
    assert {int(i.rsplit(":", 1)[1]) for i in seen} == set(ids)
    assert seen[-1] == f"oai:{DOMAIN}:{ids[0]}"


def test_embargo_end_opens_files_in_payloads_and_the_job_moves_the_datestamp(client, ctx, owner, metadata, clock):
    until = (clock.now() + timedelta(days=10)).date().isoformat()
    draft = create_draft(client, owner.headers, metadata,
                         access={"record": "public", "files": "restricted", "embargo": {"active": True, "until": until}})
    upload(client, owner.headers, draft["id"], "oaiembargoedfile.csv", b"x")
    recid = int(publish(client, owner.headers, draft["id"])["id"])
    ident = f"oai:{DOMAIN}:{recid}"
    assert b"oaiembargoedfile" not in request(client, verb="GetRecord", metadataPrefix="dcat", identifier=ident)
    clock.advance(days=11)
    since = _response_date(client)
    opened = request(client, verb="GetRecord", metadataPrefix="dcat", identifier=ident)
    assert b"oaiembargoedfile" in opened  # the access rule opens files on time, before any job runs
    clock.advance(seconds=5)
    assert jobs.lift_embargoes(ctx) == [recid]
    assert harvest(client, "ListIdentifiers", metadataPrefix="dcat", from_=since).recids() == {recid}


def test_payloads_are_rendered_once_and_again_after_a_change(client, ctx, owner, metadata):
    recid = int(published_record(client, owner.headers, metadata)["id"])
    other = int(published_record(client, owner.headers, metadata)["id"])

    def cached():
        with ctx.unit_of_work() as uow:
            return {(r.record_id, r.prefix): (r.stamp, r.payload, r.rendered_at) for r in uow.session.scalars(select(OaiPayload))}

    first = harvest(client, metadataPrefix="oai_dc").text
    rows = cached()
    assert set(rows) == {(recid, "oai_dc"), (other, "oai_dc")}
    assert harvest(client, metadataPrefix="oai_dc").text.split("<ListRecords>")[1] == first.split("<ListRecords>")[1]
    assert cached() == rows  # served from the cache, not rendered again
    _edit(client, owner.headers, recid, lambda d: d["metadata"].update(title="Retitled OAIcacheMARK"))
    assert "OAIcacheMARK" in harvest(client, metadataPrefix="oai_dc").text
    after = cached()
    assert after[(other, "oai_dc")] == rows[(other, "oai_dc")]
    assert after[(recid, "oai_dc")][0] != rows[(recid, "oai_dc")][0]
    assert b"OAIcacheMARK" in oai_payloads.unpack(after[(recid, "oai_dc")][1])
    with ctx.unit_of_work(write=True) as uow:  # a row whose stamp does not match is never served
        uow.session.execute(update(OaiPayload).values(stamp="stale", payload=b"<broken"))
        uow.commit()
    assert "OAIcacheMARK" in harvest(client, metadataPrefix="oai_dc").text
