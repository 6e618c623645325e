"""Identify and ListMetadataFormats, and what ties a prefix to its payloads."""

from __future__ import annotations

import pytest
from lxml import etree

from callimachus.services import oai_payloads
from tests.helpers import published_record
from tests.oai import schemas
from tests.oai.conftest import DOMAIN
from tests.oai.harvest import error_codes, request
from tests.oai.schemas import NS

XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
OAI_ID = {"i": "http://www.openarchives.org/OAI/2.0/oai-identifier"}


def test_identify(client, owner, metadata, clock):
    empty = etree.fromstring(request(client, verb="Identify"))  # no record yet: still a valid answer
    assert empty.findtext(".//oai:earliestDatestamp", namespaces=NS).endswith("Z")
    first = published_record(client, owner.headers, metadata)
    clock.advance(days=3)
    published_record(client, owner.headers, metadata)
    body = request(client, verb="Identify", method="POST")
    assert schemas.envelope_errors(body, None) == []
    root = etree.fromstring(body)
    identify = root.find("oai:Identify", NS)
    assert identify.findtext("oai:repositoryName", namespaces=NS) == "Callimachus"
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai2d"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:adminEmail", namespaces=NS) == "oai-admin@example.org"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    earliest = identify.findtext("oai:earliestDatestamp", namespaces=NS)
    got = etree.fromstring(request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:{DOMAIN}:{first['id']}"))
    assert earliest == got.findtext(".//oai:datestamp", namespaces=NS)
    assert root.findtext("oai:responseDate", namespaces=NS).endswith("Z")
    description = identify.find("oai:description/i:oai-identifier", {**NS, **OAI_ID})
    assert description.findtext("i:repositoryIdentifier", namespaces=OAI_ID) == DOMAIN
    assert description.findtext("i:sampleIdentifier", namespaces=OAI_ID).startswith(f"oai:{DOMAIN}:")


@pytest.fixture
def plain_settings(settings):
    return settings.with_overrides(oai_domain="localhost", admin_email="admin@localhost", oai_repository_name="Test Repo")


def test_identify_stays_valid_for_a_local_instance(client, ctx, plain_settings):
    ctx.settings = plain_settings
    body = request(client, verb="Identify")
    assert schemas.envelope_errors(body, None) == []
    root = etree.fromstring(body)
    assert root.find(".//oai:description", NS) is None  # "localhost" is not a repositoryIdentifier
    assert root.findtext(".//oai:adminEmail", namespaces=NS) == "admin@localhost.localdomain"
    assert root.findtext(".//oai:repositoryName", namespaces=NS) == "Test Repo"


def test_metadata_formats_match_their_payloads(client, owner, metadata):
    recid = published_record(client, owner.headers, metadata)["id"]
    for args in ({}, {"identifier": f"oai:{DOMAIN}:{recid}"}):
        body = request(client, verb="ListMetadataFormats", **args)
        assert schemas.envelope_errors(body, None) == []
        formats = {f.findtext("oai:metadataPrefix", namespaces=NS): f for f in etree.fromstring(body).iterfind(".//oai:metadataFormat", NS)}
        assert set(formats) == {"oai_dc", "oai_datacite", "datacite", "oai_openaire", "marc21", "marcxml", "dcat"}
    assert [f.prefix for f in oai_payloads.oai_formats()] == list(formats)
    for prefix, element in formats.items():
        schema = element.findtext("oai:schema", namespaces=NS)
        namespace = element.findtext("oai:metadataNamespace", namespaces=NS)
        got = request(client, verb="GetRecord", metadataPrefix=prefix, identifier=f"oai:{DOMAIN}:{recid}")
        (payload,) = schemas.payloads(got)
        # the payload's root is in the announced namespace and names the announced schema (§3.4)
        assert etree.QName(payload).namespace == namespace, prefix
        assert payload.get(XSI_LOCATION).split() == [namespace, schema], prefix


def test_list_metadata_formats_for_a_hidden_record(client, owner, metadata):
    closed = published_record(client, owner.headers, metadata, access={"record": "restricted", "files": "restricted"})
    body = request(client, verb="ListMetadataFormats", identifier=f"oai:{DOMAIN}:{closed['id']}")
    assert error_codes(body) == ["idDoesNotExist"]
