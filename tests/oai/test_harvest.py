"""Full and selective harvests over records in every state: schema validity of every response in
every prefix, what anonymous harvesters see and never see, sets, deletions, resumption tokens."""

from __future__ import annotations

from lxml import etree

from callimachus.db.models import Record
from callimachus.services import oai_sets
from tests.helpers import published_record
from tests.oai import schemas
from tests.oai.conftest import DOMAIN, PAGE
from tests.oai.harvest import error_codes, harvest, request
from tests.oai.schemas import NS


def test_full_harvest_in_every_prefix_validates_and_shows_only_what_anonymous_may(client, world):
    visible = {world.recids[n] for n in world.visible}
    deleted = {world.recids[n] for n in world.deleted}
    for prefix in schemas.PREFIXES:
        found = harvest(client, metadataPrefix=prefix)
        assert found.recids(deleted=False) == visible, prefix
        assert found.recids(deleted=True) == deleted, prefix
        assert len(found.headers) == len(visible | deleted)  # nobody twice
        assert len(found.responses) == -(-len(found.headers) // PAGE)
        problems = [(prefix, recid, e) for recid, el in found.payloads.items() for e in schemas.payload_errors(prefix, el)]
        assert problems == []
        assert schemas.dcat_errors(list(found.payloads.values()) if prefix == "dcat" else []) == []
        assert set(found.payloads) == visible  # deleted records carry no metadata
        for marker in world.hidden_markers:
            assert marker not in found.text, (prefix, marker)
        for name in world.visible:
            assert world.marker(name) in etree.tostring(found.payloads[world.recids[name]]).decode(), (prefix, name)


def files_appear_only_where_the_public_may_download_them(client, world):
    found = harvest(client, metadataPrefix="dcat")
    for name in world.visible:
        payload = etree.tostring(found.payloads[world.recids[name]]).decode()
        assert (f"oaifile{name}" in payload) == (name in world.files_public), name


def list_identifiers_and_post_give_the_same_headers(client, world):
    records = harvest(client, metadataPrefix="oai_dc")
    identifiers = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc")
    posted = harvest(client, "ListIdentifiers", method="POST", metadataPrefix="oai_dc")
    assert [h.identifier for h in identifiers.headers] == [h.identifier for h in records.headers]
    assert [h.identifier for h in posted.headers] == [h.identifier for h in records.headers]
    assert all(h.identifier.startswith(f"oai:{DOMAIN}:") for h in records.headers)
    assert all(h.datestamp.endswith("Z") and len(h.datestamp) == 20 for h in records.headers)


def headers_carry_minimal_set_specs_and_sets_select_descendants(client, world):
    found = {h.recid: h for h in harvest(client, "ListIdentifiers", metadataPrefix="oai_dc").headers}
    assert found[world.recids["article"]].set_specs == ["resource_type:publication:article", "openaire"]
    assert found[world.recids["open"]].set_specs == ["resource_type:dataset", "openaire_data"]
    assert found[world.recids["software"]].set_specs == ["resource_type:software", "openaire_data"]
    assert found[world.recids["image"]].set_specs == ["resource_type:image:photo", "openaire_data"]
    publications = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set="resource_type:publication")
    assert publications.recids() == {world.recids["article"]}
    literature = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set="openaire")
    assert literature.recids() == {world.recids["article"]}
    data = harvest(client, "ListRecords", metadataPrefix="oai_datacite", set="openaire_data")
    everything = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set="resource_type")
    assert data.recids() == everything.recids() - {world.recids["article"]}
    assert everything.recids() == set(found)


def list_sets_names_every_set_once(client, world):
    body = request(client, verb="ListSets")
    assert schemas.envelope_errors(body, None) == []
    specs = [s.text for s in etree.fromstring(body).iterfind(".//oai:setSpec", NS)]
    assert specs == [s.spec for s in oai_sets.all_sets()] and len(set(specs)) == len(specs)
    assert {"openaire", "openaire_data", "resource_type", "resource_type:publication:article"} <= set(specs)
    # every parent of a hierarchical set is itself a set
    assert all(spec.rsplit(":", 1)[0] in specs for spec in specs if ":" in spec)


def get_record_of_each_kind(client, world):
    for name in world.visible:
        body = request(client, verb="GetRecord", metadataPrefix="oai_openaire", identifier=f"oai:{DOMAIN}:{world.recids[name]}")
        assert schemas.envelope_errors(body, "oai_openaire") == []
        assert world.marker(name) in body.decode()
    body = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:{DOMAIN}:{world.recids['deleted']}")
    header = etree.fromstring(body).find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert etree.fromstring(body).find(".//oai:metadata", NS) is None
    for name in ("closed", "deletedclosed", "draft"):
        body = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:{DOMAIN}:{world.recids[name]}")
        assert error_codes(body) == ["idDoesNotExist"], name
        assert world.marker(name) not in body.decode()


def credentials_and_secret_links_change_nothing(client, world, owner):
    link = client.post(f"/api/records/{world.recids['closed']}/access/links", json={"permission": "view"}, headers=owner.headers)
    token = link.json()["token"]
    anonymous = request(client, verb="ListRecords", metadataPrefix="oai_dc")
    response = client.get("/oai2d", params={"verb": "ListRecords", "metadataPrefix": "oai_dc", "token": token}, headers=owner.headers)
    assert error_codes(response.content) == ["badArgument"]  # an argument OAI-PMH does not know
    with_auth = client.get("/oai2d", params={"verb": "ListRecords", "metadataPrefix": "oai_dc"}, headers=owner.headers)
    assert world.marker("closed") not in with_auth.text
    def records(body: bytes) -> bytes:
        return etree.tostring(etree.fromstring(body).find("oai:ListRecords", NS)).split(b"<resumptionToken")[0]

    assert records(with_auth.content) == records(anonymous)


def test_selective_harvests_single_records_and_anonymity(client, world, owner):
    """Several checks on one world (building it is the expensive part)."""
    files_appear_only_where_the_public_may_download_them(client, world)
    list_identifiers_and_post_give_the_same_headers(client, world)
    headers_carry_minimal_set_specs_and_sets_select_descendants(client, world)
    list_sets_names_every_set_once(client, world)
    get_record_of_each_kind(client, world)
    credentials_and_secret_links_change_nothing(client, world, owner)


def test_a_record_no_serializer_can_handle_does_not_stop_harvests(client, ctx, owner, metadata, caplog):
    ids = [int(published_record(client, owner.headers, metadata)["id"]) for _ in range(5)]
    broken = ids[:PAGE]  # the whole first page: the harvest must go on to the next one
    with ctx.unit_of_work(write=True) as uow:  # as if bad data had reached the database
        for recid in broken:
            record = uow.session.get(Record, recid)
            record.data = {**record.data, "metadata": {**record.data["metadata"], "creators": "not a list"}}
        uow.commit()
    found = harvest(client, metadataPrefix="oai_dc")
    assert found.recids() == set(ids) - set(broken)
    assert harvest(client, "ListIdentifiers", metadataPrefix="oai_dc").recids() == set(ids)
    body = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:{DOMAIN}:{broken[0]}")
    assert error_codes(body) == ["cannotDisseminateFormat"]
    assert f"cannot render record {broken[0]} as oai_dc" in caplog.text
