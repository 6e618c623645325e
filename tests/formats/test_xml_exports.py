"""oai_dc / Dublin Core, MARCXML and OpenAIRE v4, each validated against its official XSD."""

from __future__ import annotations

import io

import pymarc
import pytest
from hypothesis import given
from lxml import etree

from callimachus.formats import dublincore, marcxml, openaire

from . import validators
from .records import CTX, full_record, records

pytestmark = pytest.mark.backend_independent

DC = "{http://purl.org/dc/elements/1.1/}"
OAIRE = {"o": "http://namespace.openaire.eu/schema/oaire/", "d": "http://datacite.org/schema/kernel-4",
         "dc": "http://purl.org/dc/elements/1.1/"}
MARC = {"m": "http://www.loc.gov/MARC21/slim"}


@validators.PROPERTY
@given(records())
def test_oai_dc_validates(record: dict) -> None:
    assert validators.xml_errors(validators.oai_dc(), dublincore.serialize(record, CTX)) == []


@validators.PROPERTY
@given(records())
def test_marcxml_validates_and_reads_back(record: dict) -> None:
    document = marcxml.serialize(record, CTX)
    assert validators.xml_errors(validators.marc21(), document) == []
    [back] = pymarc.parse_xml_to_array(io.BytesIO(document))
    assert len(str(back.leader)) == 24
    assert str(back.leader)[9] == "a"
    assert back["245"]["a"] == " ".join(record["metadata"]["title"].split())


@validators.PROPERTY
@given(records())
def test_openaire_validates(record: dict) -> None:
    assert validators.xml_errors(validators.openaire(), openaire.serialize(record, CTX)) == []


def test_dublin_core_values() -> None:
    root = etree.fromstring(dublincore.serialize(full_record(), CTX))
    values = {}
    for child in root:
        values.setdefault(child.tag.removeprefix(DC), []).append(child.text)
    assert values["title"][0] == "Tide gauge records of the North Sea, 1900–2020"
    assert values["creator"] == ["Carberry, Josiah", "ACME & Partners <Research>"]
    assert "https://doi.org/10.5072/callimachus.124" in values["identifier"]
    assert values["date"] == ["2024-05-17"]
    assert values["language"] == ["eng"]
    assert "http://purl.org/coar/access_right/c_abf2" in values["rights"]
    assert "info:eu-repo/semantics/openAccess" in values["rights"]
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in values["rights"]
    assert "https://doi.org/10.1234/paper.1" in values["relation"]
    assert values["source"] == ["Journal of Tides, 12(3), 101-120"]
    assert all("<" not in d for d in values["description"][:1])


def test_dublin_core_embargo_end() -> None:
    root = etree.fromstring(dublincore.serialize(full_record(access="embargoed"), CTX))
    texts = [c.text for c in root]
    assert "info:eu-repo/date/embargoEnd/2099-01-01" in texts
    assert "info:eu-repo/semantics/embargoedAccess" in texts


def test_marc_fields() -> None:
    [marc] = pymarc.parse_xml_to_array(io.BytesIO(marcxml.serialize(full_record(), CTX)))
    assert marc.leader[6] == "m"  # computer file, for a dataset
    assert marc["024"]["a"] == "10.5072/callimachus.124" and marc["024"]["2"] == "doi"
    assert marc["100"]["a"] == "Carberry, Josiah"
    assert marc["100"]["u"] == "CERN"
    assert marc["100"]["0"] == "https://orcid.org/0000-0002-1825-0097"
    assert marc["245"]["a"].startswith("Tide gauge records")
    assert marc["245"]["b"] == "A century of sea levels"
    assert marc["264"]["b"] == "Callimachus" and marc["264"]["c"] == "2024-05-17"
    assert marc["540"]["u"] == "https://creativecommons.org/licenses/by/4.0/legalcode"
    assert "42 tide gauges" in marc["520"]["a"]
    assert {f["a"] for f in marc.get_fields("653")} == {"sea level", "tide gauges"}
    assert marc["650"]["2"] == "FOS"
    assert [f["a"] for f in marc.get_fields("710")] == ["ACME & Partners <Research>"]
    assert marc["773"]["t"] == "Journal of Tides" and marc["773"]["x"] == "0378-5955"
    assert marc["041"]["a"] == "eng"
    links = [f["u"] for f in marc.get_fields("856")]
    assert links[0] == "https://doi.org/10.5072/callimachus.124"
    assert len(links) == 4  # landing page + three visible files


def test_marc_language_is_marc_code() -> None:
    record = full_record()
    record["metadata"]["languages"] = [{"id": "deu", "title": {"en": "German"}, "props": {"alpha_2": "de"}}]
    [marc] = pymarc.parse_xml_to_array(io.BytesIO(marcxml.serialize(record, CTX)))
    assert marc["041"]["a"] == "ger"
    assert marc["008"].data[35:38] == "ger"


def test_openaire_values() -> None:
    root = etree.fromstring(openaire.serialize(full_record(), CTX))
    rtype = root.find("o:resourceType", OAIRE)
    assert rtype.get("resourceTypeGeneral") == "dataset"
    assert rtype.get("uri") == "http://purl.org/coar/resource_type/c_ddb1"
    assert root.find("d:rights", OAIRE).get("rightsURI") == "http://purl.org/coar/access_right/c_abf2"
    assert root.find("o:licenseCondition", OAIRE).get("uri") == "https://creativecommons.org/licenses/by/4.0/legalcode"
    files = root.findall("o:file", OAIRE)
    assert len(files) == 3 and all(f.get("objectType") == "dataset" for f in files)
    assert root.findtext("o:fundingReferences/o:fundingReference/o:awardNumber", namespaces=OAIRE) == "777541"
    assert root.findtext("o:citationTitle", namespaces=OAIRE) == "Journal of Tides"
    assert root.findtext("dc:language", namespaces=OAIRE) == "eng"


def test_openaire_embargo_dates_and_literature() -> None:
    root = etree.fromstring(openaire.serialize(full_record("publication-article", access="embargoed"), CTX))
    assert root.find("o:resourceType", OAIRE).get("resourceTypeGeneral") == "literature"
    dates = {d.get("dateType"): d.text for d in root.findall("d:dates/d:date", OAIRE)}
    assert dates["Accepted"] == "2024-05-17" and dates["Available"] == "2099-01-01"
    assert root.find("d:rights", OAIRE).get("rightsURI") == "http://purl.org/coar/access_right/c_f1cf"
    assert root.findall("o:file", OAIRE) == []
