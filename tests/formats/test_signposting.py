"""FAIR Signposting headers and linkset, read back by the ``signposting`` package (no HTTP)."""

from __future__ import annotations

import copy
import json

import pytest
from signposting import find_signposting_http_link
from signposting.linkset import LinksetJSON, _parse_linkset_json

from callimachus.formats import registry, signposting

from .records import CTX, MARKER, full_record, make_record

pytestmark = pytest.mark.backend_independent

LANDING = "https://repo.example.org/records/124"
API = "https://repo.example.org/api/records/124"


def test_level1_header_parses_back() -> None:
    header = signposting.link_header(full_record(), CTX)
    parsed = find_signposting_http_link([header], LANDING)
    assert str(parsed.citeAs.target) == "https://doi.org/10.5072/callimachus.124"
    assert [str(a.target) for a in parsed.authors] == ["https://orcid.org/0000-0002-1825-0097"]
    assert {str(lic.target) for lic in [parsed.license]} == {"https://creativecommons.org/licenses/by/4.0/legalcode"}
    items = {str(i.target): str(i.type) for i in parsed.items}
    assert len(items) == 3 and all(MARKER in url for url in items)
    assert "application/pdf" in items.values()
    described = {str(d.type) for d in parsed.describedBy}
    assert {f.media_type for f in registry.export_formats()} <= described
    assert all(d.type for d in parsed.describedBy)
    assert {str(t.target) for t in parsed.types} == {"https://schema.org/Dataset", "https://schema.org/AboutPage"}
    [linkset] = parsed.linksets
    assert (str(linkset.target), str(linkset.type)) == (API, "application/linkset+json")


def test_header_falls_back_to_linkset_only_beyond_five_links() -> None:
    record = full_record()
    creators = record["metadata"]["creators"]
    record["metadata"]["creators"] = [copy.deepcopy(creators[0]) for _ in range(6)]
    header = signposting.link_header(record, CTX)
    parsed = find_signposting_http_link([header], LANDING)
    assert [str(s.target) for s in parsed] == [API]
    assert parsed.citeAs is None


def test_header_falls_back_to_linkset_only_beyond_five_files() -> None:
    record = make_record(full_record()["metadata"], file_keys=[f"f{i}.csv" for i in range(6)])
    parsed = find_signposting_http_link([signposting.link_header(record, CTX)], LANDING)
    assert [s.rel for s in parsed] == ["linkset"]
    five = make_record(full_record()["metadata"], file_keys=[f"f{i}.csv" for i in range(5)])
    assert len(list(find_signposting_http_link([signposting.link_header(five, CTX)], LANDING).items)) == 5


def test_no_items_for_hidden_files() -> None:
    header = signposting.link_header(full_record(access="restricted"), CTX)
    parsed = find_signposting_http_link([header], LANDING)
    assert list(parsed.items) == []
    assert MARKER not in header


def test_level2_linkset_parses_back() -> None:
    data = signposting.serialize_linkset(full_record(), CTX).decode("utf-8")
    parsed = _parse_linkset_json(LinksetJSON(data, "application/linkset+json", API, API))
    landing = parsed.for_context(LANDING)
    assert str(landing.citeAs.target) == "https://doi.org/10.5072/callimachus.124"
    assert len(list(landing.items)) == 3
    assert len(list(landing.describedBy)) == len(registry.export_formats())
    contexts = json.loads(data)["linkset"]
    assert contexts[0]["anchor"] == LANDING
    file_contexts = [c for c in contexts if "collection" in c]
    assert len(file_contexts) == 3
    assert all(c["collection"] == [{"href": LANDING, "type": "text/html"}] for c in file_contexts)
    assert any(c["anchor"] == API and c["describes"][0]["href"] == LANDING for c in contexts)


def test_file_and_export_back_links() -> None:
    record = full_record()
    collection = find_signposting_http_link([signposting.file_link_header(record, CTX)], LANDING)
    assert [str(c.target) for c in collection if c.rel == "collection"] == [LANDING]
    describes = find_signposting_http_link([signposting.export_link_header(record, CTX)], LANDING)
    assert [str(d.target) for d in describes if d.rel == "describes"] == [LANDING]
    assert [str(d.target) for d in describes.linksets] == [API]


def test_header_values_cannot_inject_lines() -> None:
    record = full_record()
    entry = next(iter(record["files"]["entries"].values()))
    entry["mimetype"] = 'text/csv\r\nSet-Cookie: x="1"'
    entry["links"]["content"] = "https://repo.example.org/a b\r\nX: y"
    header = signposting.link_header(record, CTX)
    assert "\r" not in header and "\n" not in header
    assert find_signposting_http_link([header], LANDING).citeAs is not None
