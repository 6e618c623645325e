"""Sitemaps (against the sitemaps.org XSDs), Highwire meta tags, the format registry, date mapping."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml import etree

from callimachus.formats import dates, highwire, registry, sitemap, vocab

from . import validators
from .records import CTX, MARKER, full_record

pytestmark = pytest.mark.backend_independent

SM = {"s": sitemap.NS}


def test_urlset_validates_and_keeps_timezones() -> None:
    entries = [sitemap.record_entry(full_record(recid=str(i)), CTX) for i in range(2, 40)]
    entries.append(sitemap.SitemapEntry("https://repo.example.org/?a=1&b=2", date(2024, 1, 1), "weekly", 0.5))
    document = sitemap.urlset(entries)
    assert validators.xml_errors(validators.sitemap(), document) == []
    root = etree.fromstring(document)
    assert root.findtext("s:url/s:lastmod", namespaces=SM) == "2024-01-02T10:00:00+00:00"
    assert len(root.findall("s:url", SM)) == 39


def test_sitemap_index_validates() -> None:
    pages = [sitemap.SitemapEntry(f"https://repo.example.org/sitemap-{i}.xml", datetime(2024, 5, 1, 12, tzinfo=UTC))
             for i in range(sitemap.page_count(120_001))]
    document = sitemap.sitemap_index(pages)
    assert validators.xml_errors(validators.siteindex(), document) == []
    assert len(pages) == 3


def test_urlset_refuses_more_than_50000_urls_and_bad_locations() -> None:
    too_many = (sitemap.SitemapEntry(f"https://repo.example.org/records/{i}") for i in range(sitemap.MAX_URLS + 1))
    with pytest.raises(ValueError, match="50000"):
        sitemap.urlset(too_many)
    with pytest.raises(ValueError):
        sitemap.urlset([sitemap.SitemapEntry("/records/1")])
    assert sitemap.page_count(0) == 1 and sitemap.page_count(50_000) == 1 and sitemap.page_count(50_001) == 2


def test_highwire_tags() -> None:
    tags = highwire.meta_tags(full_record("publication-article"), CTX)
    names = [n for n, _ in tags]
    values = dict(tags)
    assert values["citation_title"].startswith("Tide gauge records")
    assert names[1:4] == ["citation_author", "citation_author_institution", "citation_author_orcid"]
    assert values["citation_author_orcid"] == "https://orcid.org/0000-0002-1825-0097"
    assert values["citation_publication_date"] == "2024/05/17"
    assert values["citation_doi"] == "10.5072/callimachus.124"
    assert values["citation_journal_title"] == "Journal of Tides"
    assert (values["citation_firstpage"], values["citation_lastpage"]) == ("101", "120")
    assert values["citation_language"] == "en"
    assert MARKER in values["citation_pdf_url"]
    html = highwire.serialize(full_record(), CTX)
    assert 'content="ACME &amp; Partners &lt;Research&gt;"' in html


def test_highwire_has_no_pdf_for_hidden_files() -> None:
    tags = highwire.meta_tags(full_record(access="embargoed"), CTX)
    assert "citation_pdf_url" not in dict(tags)


@pytest.mark.parametrize(("name", "media_type", "extension"), [
    ("json", "application/json", "json"), ("json-ld", "application/ld+json", "jsonld"),
    ("csl", "application/vnd.citationstyles.csl+json", "json"),
    ("datacite-json", "application/vnd.datacite.datacite+json", "json"),
    ("datacite-xml", "application/vnd.datacite.datacite+xml", "xml"), ("dublincore", "application/x-dc+xml", "xml"),
    ("marcxml", "application/marcxml+xml", "xml"), ("bibtex", "application/x-bibtex", "bib"),
    ("geojson", "application/vnd.geo+json", "geojson"), ("dcat-ap", "application/dcat+xml", "xml"),
    ("codemeta", "application/ld+json", "json"), ("cff", "application/x-yaml", "cff"),
])
def test_registry_names_and_media_types(name: str, media_type: str, extension: str) -> None:
    fmt = registry.by_name(name)
    assert fmt is not None and fmt.export
    assert (fmt.media_type, fmt.extension) == (media_type, extension)
    assert fmt.render(full_record(), CTX)


def test_registry_lookup_by_media_type() -> None:
    assert registry.by_media_type("application/x-datacite+xml").name == "datacite-xml"
    assert registry.by_media_type("application/ld+json").name == "json-ld"
    assert registry.by_media_type('application/ld+json; profile="https://w3id.org/codemeta/3.0"').name == "codemeta"
    assert registry.by_media_type("text/x-bibliography; style=apa").name == "citation"
    assert registry.by_media_type("application/vnd.inveniordm.v1+json").name == "json"
    assert registry.by_media_type("image/png") is None
    assert registry.by_name("DataCite-XML").name == "datacite-xml"
    assert registry.by_name("nope") is None


def test_registry_negotiation() -> None:
    assert registry.negotiate(None).name == "json"
    assert registry.negotiate("*/*").name == "json"
    assert registry.negotiate("text/html;q=0.9, application/x-bibtex").name == "bibtex"
    assert registry.negotiate("application/x-bibtex;q=0.1, application/vnd.geo+json").name == "geojson"
    assert registry.negotiate("image/png") is None
    assert registry.parse_media_type("text/x-bibliography; style=ieee; locale=de-DE") == (
        "text/x-bibliography", {"style": "ieee", "locale": "de-DE"})


def test_oai_formats() -> None:
    prefixes = {f.oai_prefix: f for f in registry.oai_formats()}
    assert {"oai_dc", "oai_datacite", "oai_openaire", "marc21"} <= set(prefixes)
    assert prefixes["oai_dc"].namespace == "http://www.openarchives.org/OAI/2.0/oai_dc/"
    assert registry.by_oai_prefix("oai_openaire").schema.endswith("openaire.xsd")


@pytest.mark.parametrize(("edtf", "iso", "schema_org", "year", "parts"), [
    ("2024", "2024", "2024", 2024, [[2024]]),
    ("2024-05", "2024-05", "2024-05", 2024, [[2024, 5]]),
    ("2020/2022-06", "2020/2022-06", "2020/2022-06", 2020, [[2020], [2022, 6]]),
    ("2020/..", "2020/", "2020/..", 2020, [[2020]]),
    ("../2020", "/2020", "../2020", 2020, [[2020]]),
    ("2023-02-29", "2023-02", "2023-02", 2023, [[2023, 2]]),
    ("2004-XX~", "2004", "2004", 2004, [[2004]]),
    ("nonsense", "", "", None, []),
])
def test_edtf_mapping(edtf: str, iso: str, schema_org: str, year: int | None, parts: list) -> None:
    assert dates.to_iso(edtf) == iso
    assert dates.to_iso(edtf, open_end="..") == schema_org
    assert dates.year(edtf) == year
    assert dates.date_parts(edtf) == parts


def test_vocabulary_mapping_falls_back_to_valid_values() -> None:
    assert vocab.relation_type({"id": "iscitedby"}) == "IsCitedBy"
    assert vocab.relation_type({"id": "made-up"}) == "References"
    assert vocab.contributor_type({"id": "datacurator"}) == "DataCurator"
    assert vocab.description_type({"id": "notes"}) == "Other"
    assert vocab.datacite_resource_type({"id": "x", "props": {"datacite_general": "Poster"}}) == ("Text", "Poster")
    assert vocab.datacite_resource_type({"id": "x", "title": {"en": "Thing"}}) == ("Other", "Thing")
    assert vocab.language_codes({"id": "deu"}) == ("deu", "de", "ger")
    assert vocab.language_codes({"id": "haw"}) == ("haw", "haw", "haw")
