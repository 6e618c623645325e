"""No export shows hidden files; control characters are stripped; very long values stay valid."""

from __future__ import annotations

import copy
import io
import json
import re

import pybtex.database
import pymarc
import pytest
import rdflib
import yaml
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from callimachus.formats import (
    bibtex,
    citation,
    datacite_xml,
    dcat,
    dublincore,
    highwire,
    marcxml,
    openaire,
    registry,
    schemaorg,
    signposting,
    sitemap,
)

from . import validators
from .records import CTX, FILE_KEYS, MARKER, file_entries, full_record, records

pytestmark = [pytest.mark.backend_independent,
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

HIDDEN = ("embargoed", "restricted", "metadata-only")
CONTROL = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\ufffe"


def every_output(record: dict) -> dict[str, str]:
    """Every serialization this package produces for a record, as text."""
    outputs = {fmt.name: fmt.render(record, CTX).decode("utf-8") for fmt in registry.FORMATS}
    outputs["highwire"] = highwire.serialize(record, CTX)
    outputs["link-header"] = signposting.link_header(record, CTX)
    outputs["linkset"] = signposting.serialize_linkset(record, CTX).decode("utf-8")
    outputs["file-link"] = signposting.file_link_header(record, CTX)
    outputs["export-link"] = signposting.export_link_header(record, CTX)
    outputs["ieee"] = citation.format_citation(record, "ieee", fmt="html")
    outputs["sitemap"] = sitemap.urlset([sitemap.record_entry(record, CTX)]).decode("utf-8")
    return outputs


def with_leaked_entries(record: dict) -> dict:
    """A hidden record whose dict still (wrongly) carries file entries, order and preview."""
    leaky = copy.deepcopy(record)
    entries = file_entries(record["id"], FILE_KEYS)
    leaky["files"] |= {"entries": entries, "count": 3, "total_bytes": 22962966, "order": list(entries),
                       "default_preview": FILE_KEYS[0]}
    return leaky


@pytest.mark.parametrize("access", HIDDEN)
def test_hidden_files_appear_in_no_export(access: str) -> None:
    record = with_leaked_entries(full_record(access=access))
    for name, text in every_output(record).items():
        assert MARKER.lower() not in text.lower(), name
        assert "7654321" not in text and "22962966" not in text, name
        assert "md5:" not in text, name
        assert not re.search(r"/files/[^\"'<>\s]", text), name


@validators.PROPERTY
@given(records(), st.sampled_from(HIDDEN))
def test_hidden_files_never_leak_for_any_record(record: dict, access: str) -> None:
    record["access"]["status"] = access
    record["files"] = {"enabled": access != "metadata-only"}
    for name, text in every_output(with_leaked_entries(record)).items():
        assert MARKER.lower() not in text.lower(), name


def test_open_files_are_listed() -> None:
    outputs = every_output(full_record())
    for name in ("json-ld", "dcat-ap", "marcxml", "oai_openaire", "link-header", "linkset", "json", "codemeta"):
        assert MARKER in outputs[name], name
    assert "citation_pdf_url" in outputs["highwire"]


def _poisoned() -> dict:
    record = full_record()
    meta = record["metadata"]
    meta["title"] = f"Ti{CONTROL}tle"
    meta["description"] = f"<p>Des{CONTROL}cription of the data set, long enough for Google.</p>"
    meta["creators"][0]["person_or_org"]["family_name"] = f"Car{CONTROL}berry"
    meta["creators"][0]["person_or_org"]["name"] = f"Car{CONTROL}berry, Josiah"
    meta["subjects"][0]["subject"] = f"sea{CONTROL} level"
    meta["version"] = f"v{CONTROL}2"
    record["custom_fields"]["journal:journal"]["title"] = f"Jour{CONTROL}nal"
    return record


def test_control_characters_are_stripped_from_every_export() -> None:
    outputs = every_output(_poisoned())
    forbidden = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
    for name, text in outputs.items():
        assert not forbidden.search(text), name
    for name in ("datacite-xml", "dublincore", "marcxml", "oai_openaire", "dcat-ap", "oai_datacite"):
        etree.fromstring(outputs[name].encode("utf-8"))  # well-formed XML 1.0
    assert validators.xml_errors(validators.datacite(), outputs["datacite-xml"]) == []
    assert validators.xml_errors(validators.marc21(), outputs["marcxml"]) == []
    assert validators.xml_errors(validators.openaire(), outputs["oai_openaire"]) == []
    assert validators.xml_errors(validators.oai_dc(), outputs["dublincore"]) == []
    for name in ("json", "json-ld", "csl", "datacite-json", "codemeta", "geojson", "linkset"):
        json.loads(outputs[name])
    assert json.loads(outputs["json-ld"])["name"] == "Title"
    yaml.safe_load(outputs["cff"])
    pybtex.database.parse_string(outputs["bibtex"], "bibtex")
    rdflib.Graph().parse(data=outputs["dcat-ap"], format="xml")


def _long_record() -> dict:
    record = full_record()
    meta = record["metadata"]
    meta["title"] = ("Ελληνικά & עברית <long> title 🧬 " * 60)[:2000].strip()
    meta["description"] = "<p>" + "A very long description sentence with &amp; and ü. " * 600 + "</p>"
    creator = meta["creators"][0]
    meta["creators"] = [copy.deepcopy(creator) for _ in range(60)]
    meta["subjects"] = [{"subject": f"keyword {i}"} for i in range(200)]
    return record


def test_very_long_values_stay_valid() -> None:
    record = _long_record()
    assert validators.xml_errors(validators.datacite(), datacite_xml.serialize(record, CTX)) == []
    assert validators.xml_errors(validators.oai_dc(), dublincore.serialize(record, CTX)) == []
    assert validators.xml_errors(validators.openaire(), openaire.serialize(record, CTX)) == []
    document = marcxml.serialize(record, CTX)
    assert validators.xml_errors(validators.marc21(), document) == []
    assert len(pymarc.parse_xml_to_array(io.BytesIO(document))[0].get_fields("700")) == 59 + 2  # creators + contributors
    data = json.loads(schemaorg.serialize(record, CTX))
    assert 50 <= len(data["description"]) <= 5000
    pybtex.database.parse_string(bibtex.serialize(record, CTX), "bibtex")
    rdflib.Graph().parse(data=dcat.serialize(record, CTX), format="xml")
    assert signposting.link_header(record, CTX).count('rel="') == 1  # 60 authors: linkset only


def test_a_bare_draft_does_not_break_any_serializer() -> None:
    """Drafts may lack every required field and a DOI; exports still render and XML stays well-formed."""
    record = full_record()
    record["metadata"] = {"title": "Draft"}
    record["custom_fields"] = {}
    record["pids"] = {}
    record["parent"] = {"id": "123"}
    outputs = every_output(record)
    for name in ("datacite-xml", "dublincore", "marcxml", "oai_openaire", "dcat-ap", "oai_datacite"):
        etree.fromstring(outputs[name].encode("utf-8"))
    assert validators.xml_errors(validators.datacite(), outputs["datacite-xml"]) == []
    assert validators.xml_errors(validators.openaire(), outputs["oai_openaire"]) == []
    assert validators.xml_errors(validators.oai_dc(), outputs["dublincore"]) == []
    assert validators.xml_errors(validators.marc21(), outputs["marcxml"]) == []
    assert json.loads(outputs["json-ld"])["identifier"] == "https://repo.example.org/records/124"


@validators.PROPERTY
@given(records(), st.text(st.sampled_from(CONTROL), min_size=1, max_size=4))
def test_control_characters_in_any_record_are_stripped(record: dict, junk: str) -> None:
    meta = record["metadata"]
    meta["title"] = junk + meta["title"] + junk
    meta["publisher"] = junk + meta.get("publisher", "p")
    meta["creators"][0]["person_or_org"]["name"] += junk
    for subject in meta.get("subjects", []):
        subject["subject"] += junk
    forbidden = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
    outputs = every_output(record)
    assert [name for name, text in outputs.items() if forbidden.search(text)] == []
    assert validators.xml_errors(validators.datacite(), outputs["datacite-xml"]) == []
    assert validators.xml_errors(validators.oai_dc(), outputs["dublincore"]) == []
    assert validators.xml_errors(validators.marc21(), outputs["marcxml"]) == []
