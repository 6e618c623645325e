"""DataCite 4.6 XML (validated against the official XSD), oai_datacite, and DataCite JSON."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from lxml import etree

from callimachus.formats import datacite_json, datacite_xml

from . import validators
from .records import CTX, full_record, records

pytestmark = pytest.mark.backend_independent

NS = {"d": "http://datacite.org/schema/kernel-4"}


@validators.PROPERTY
@given(records())
def test_datacite_xml_validates_for_any_record(record: dict) -> None:
    assert validators.xml_errors(validators.datacite(), datacite_xml.serialize(record, CTX)) == []


@validators.PROPERTY
@given(records())
def test_oai_datacite_wrapper_and_payload_validate(record: dict) -> None:
    document = datacite_xml.serialize_oai(record, CTX)
    assert validators.xml_errors(validators.oai_datacite(), document) == []
    payload = etree.fromstring(document).find(".//{http://schema.datacite.org/oai/oai-1.1/}payload")[0]
    assert validators.xml_errors(validators.datacite(), etree.tostring(payload)) == []


def test_datacite_xml_carries_the_record() -> None:
    root = etree.fromstring(datacite_xml.serialize(full_record(), CTX))
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").endswith("kernel-4.6/metadata.xsd")
    assert root.findtext("d:identifier", namespaces=NS) == "10.5072/callimachus.124"
    assert root.find("d:identifier", NS).get("identifierType") == "DOI"
    creator = root.find("d:creators/d:creator", NS)
    orcid = creator.find("d:nameIdentifier", NS)
    assert (orcid.text, orcid.get("nameIdentifierScheme"), orcid.get("schemeURI")) == (
        "https://orcid.org/0000-0002-1825-0097", "ORCID", "https://orcid.org")
    affiliation = creator.find("d:affiliation", NS)
    assert affiliation.get("affiliationIdentifier") == "https://ror.org/01ggx4157"
    assert affiliation.get("affiliationIdentifierScheme") == "ROR"
    organisation = root.findall("d:creators/d:creator", NS)[1].find("d:creatorName", NS)
    assert (organisation.text, organisation.get("nameType")) == ("ACME & Partners <Research>", "Organizational")
    assert root.findtext("d:publicationYear", namespaces=NS) == "2024"
    assert root.find("d:resourceType", NS).get("resourceTypeGeneral") == "Dataset"
    assert root.find("d:titles/d:title[@titleType='Subtitle']", NS).text == "A century of sea levels"
    assert root.findtext("d:language", namespaces=NS) == "en"
    assert root.findtext("d:version", namespaces=NS) == "v2.1"
    contributor_types = [c.get("contributorType") for c in root.findall("d:contributors/d:contributor", NS)]
    assert contributor_types == ["DataCurator", "Editor"]


def test_datacite_dates_rights_relations_funding_geo() -> None:
    root = etree.fromstring(datacite_xml.serialize(full_record(), CTX))
    dates = {d.get("dateType"): d.text for d in root.findall("d:dates/d:date", NS)}
    assert dates == {"Issued": "2024-05-17", "Collected": "1900/2020"}
    rights = root.findall("d:rightsList/d:rights", NS)
    licence = rights[0]
    assert licence.get("rightsIdentifier") == "CC-BY-4.0"
    assert licence.get("rightsIdentifierScheme") == "SPDX"
    assert licence.get("rightsURI") == "https://creativecommons.org/licenses/by/4.0/legalcode"
    assert rights[-1].get("rightsURI") == "http://purl.org/coar/access_right/c_abf2"
    relations = {(r.get("relationType"), r.text) for r in root.findall("d:relatedIdentifiers/d:relatedIdentifier", NS)}
    assert ("IsVersionOf", "10.5072/callimachus.123") in relations
    assert ("IsCitedBy", "10.1234/paper.1") in relations
    assert ("References", "10.1234/ref.2") in relations
    cited = root.find("d:relatedIdentifiers/d:relatedIdentifier[@relationType='IsCitedBy']", NS)
    assert cited.get("resourceTypeGeneral") == "JournalArticle"
    funding = root.find("d:fundingReferences/d:fundingReference", NS)
    assert funding.findtext("d:funderIdentifier", namespaces=NS) == "https://ror.org/00k4n6c32"
    assert funding.find("d:funderIdentifier", NS).get("funderIdentifierType") == "ROR"
    assert funding.findtext("d:awardNumber", namespaces=NS) == "777541"
    assert funding.findtext("d:awardTitle", namespaces=NS) == "OpenAIRE Connect"
    assert root.find("d:geoLocations/d:geoLocation/d:geoLocationPoint/d:pointLatitude", NS).text == "52.1"
    assert len(root.findall(".//d:polygonPoint", NS)) == 5
    descriptions = root.findall("d:descriptions/d:description", NS)
    assert descriptions[0].get("descriptionType") == "Abstract"
    assert "<" not in descriptions[0].text and "42 tide gauges" in descriptions[0].text
    assert descriptions[1].get("descriptionType") == "Methods"
    journal = root.find("d:relatedItems/d:relatedItem", NS)
    assert (journal.get("relatedItemType"), journal.get("relationType")) == ("Journal", "IsPublishedIn")
    assert journal.findtext("d:firstPage", namespaces=NS) == "101"
    assert journal.findtext("d:lastPage", namespaces=NS) == "120"


def test_embargo_becomes_available_date() -> None:
    root = etree.fromstring(datacite_xml.serialize(full_record(access="embargoed"), CTX))
    assert root.find("d:dates/d:date[@dateType='Available']", NS).text == "2099-01-01"
    assert root.findall("d:rightsList/d:rights", NS)[-1].get("rightsURI") == "http://purl.org/coar/access_right/c_f1cf"


@pytest.mark.parametrize("resource_type", ["poster", "presentation"])
def test_datacite_47_types_are_text_under_46(resource_type: str) -> None:
    document = datacite_xml.serialize(full_record(resource_type), CTX)
    assert validators.xml_errors(validators.datacite(), document) == []
    general = etree.fromstring(document).find("d:resourceType", NS).get("resourceTypeGeneral")
    assert general not in ("Poster", "Presentation")


def test_datacite_json_matches_rest_api_shape() -> None:
    data = json.loads(datacite_json.serialize(full_record(), CTX))
    assert data["doi"] == "10.5072/callimachus.124"
    assert data["types"]["resourceTypeGeneral"] == "Dataset"
    assert data["types"]["schemaOrg"] == "Dataset"
    assert data["creators"][0]["nameIdentifiers"][0]["nameIdentifier"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["publisher"] == {"name": "Callimachus"}
    assert data["publicationYear"] == "2024"
    assert data["rightsList"][0]["rightsIdentifier"] == "CC-BY-4.0"
    assert data["titles"][0] == {"title": "Tide gauge records of the North Sea, 1900–2020"}
    assert data["schemaVersion"] == "http://datacite.org/schema/kernel-4"


def test_publisher_identifier_from_context() -> None:
    ctx = type(CTX)(site_url=CTX.site_url, site_name="Callimachus", publisher_ror="01ggx4157")
    root = etree.fromstring(datacite_xml.serialize(full_record(), ctx))
    publisher = root.find("d:publisher", NS)
    assert publisher.get("publisherIdentifier") == "https://ror.org/01ggx4157"
    assert validators.xml_errors(validators.datacite(), etree.tostring(root)) == []
