"""Landing pages for machines: schema.org JSON-LD (read by extruct, checked against Google Dataset
Search's rules), Highwire tags, alternate links, FAIR Signposting headers; file downloads' back-links."""

from __future__ import annotations

import extruct
import lxml.html
import pytest
from signposting import find_signposting_http_link

from tests.exports.checks import CONTENT_TYPES, SITE, api_record, full_metadata
from tests.formats.test_linked_data import GOOGLE_RECOMMENDED, check_google_dataset
from tests.helpers import create_draft, publish, upload

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
HTML = {"Accept": "text/html"}


def json_ld(html: str, url: str) -> list[dict]:
    return extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]


def test_json_ld_meets_google_dataset_search(client, owner):
    record = api_record(client, owner.headers, "dataset")
    url = f"{SITE}/records/{record['id']}"
    [data] = json_ld(client.get(url, headers=HTML).text, url)
    check_google_dataset(data)
    assert data["@type"] == "Dataset"
    assert [p for p in GOOGLE_RECOMMENDED if p not in data] == []
    assert data["name"] == record["metadata"]["title"]
    assert data["url"] == url and data["identifier"] == f"https://doi.org/{record['pids']['doi']['identifier']}"
    assert {d["contentUrl"] for d in data["distribution"]} == {
        f"{SITE}/api/records/{record['id']}/files/{key}/content" for key in ("paper.pdf", "tides.csv")}
    assert {d["encodingFormat"] for d in data["distribution"]} == {"application/pdf", "text/csv"}


def test_json_ld_of_other_types_is_not_a_dataset(client, owner):
    for resource_type, expected in (("software", "SoftwareSourceCode"), ("publication-article", "ScholarlyArticle")):
        record = api_record(client, owner.headers, resource_type)
        url = f"{SITE}/records/{record['id']}"
        [data] = json_ld(client.get(url, headers=HTML).text, url)
        assert data["@type"] == expected and "distribution" not in data


def test_json_ld_and_meta_tags_are_escaped(client, owner):
    metadata, custom = full_metadata("dataset")
    metadata["title"] = '</script><script>alert(1)</script> "quoted" & <b>bold</b>'
    draft = create_draft(client, owner.headers, metadata, custom_fields=custom)
    upload(client, owner.headers, draft["id"], "a.csv", b"a\n")
    record = publish(client, owner.headers, draft["id"])
    url = f"{SITE}/records/{record['id']}"
    html = client.get(url, headers=HTML).text
    assert "<script>alert(1)" not in html
    [data] = json_ld(html, url)
    assert data["name"] == metadata["title"]
    page = lxml.html.fromstring(html)
    assert page.xpath("//meta[@name='citation_title']/@content") == [metadata["title"]]


def test_highwire_tags_alternates_and_export_section(client, owner):
    record = api_record(client, owner.headers, "publication-article")
    recid = record["id"]
    page = lxml.html.fromstring(client.get(f"/records/{recid}", headers=HTML).text)
    meta = {}
    for element in page.xpath("//head/meta[starts-with(@name, 'citation_')]"):
        meta.setdefault(element.get("name"), []).append(element.get("content"))
    assert meta["citation_title"] == [record["metadata"]["title"]]
    assert meta["citation_author"][0] == "Carberry, Josiah"
    assert meta["citation_doi"] == [record["pids"]["doi"]["identifier"]]
    assert meta["citation_publication_date"] == ["2024/05/17"]
    assert meta["citation_journal_title"] == ["Journal of Tides"]
    assert meta["citation_pdf_url"] == [f"{SITE}/api/records/{recid}/files/paper.pdf/content"]
    alternates = {(link.get("type"), link.get("href")) for link in page.xpath("//head/link[@rel='alternate']")}
    assert alternates == {(t, f"{SITE}/records/{recid}/export/{name}") for name, t in CONTENT_TYPES.items()}
    for media_type, href in alternates:
        response = client.get(href)
        assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media_type
    section = page.xpath("//section[contains(@class, 'record-exports')]")[0]
    assert "Carberry, J., & ACME & Partners <Research>. (2024)." in section.text_content()
    assert len(section.xpath(".//a[contains(@href, '/export/')]")) == len(CONTENT_TYPES) + 1


def test_signposting_headers_on_landing_page(client, owner):
    record = api_record(client, owner.headers, "dataset")
    url = f"{SITE}/records/{record['id']}"
    response = client.get(url, headers=HTML)
    parsed = find_signposting_http_link([response.headers["link"]], url)
    assert str(parsed.citeAs.target) == f"https://doi.org/{record['pids']['doi']['identifier']}"
    assert [str(a.target) for a in parsed.authors] == ["https://orcid.org/0000-0002-1825-0097"]
    assert str(parsed.license.target) == "https://creativecommons.org/licenses/by/4.0/legalcode"
    assert {str(d.target): str(d.type) for d in parsed.describedBy} == {
        f"{url}/export/{name}": t for name, t in CONTENT_TYPES.items()}
    assert {str(i.target): str(i.type) for i in parsed.items} == {
        f"{SITE}/api/records/{record['id']}/files/paper.pdf/content": "application/pdf",
        f"{SITE}/api/records/{record['id']}/files/tides.csv/content": "text/csv"}
    assert {str(t.target) for t in parsed.types} == {"https://schema.org/Dataset", "https://schema.org/AboutPage"}
    [linkset] = parsed.linksets
    assert (str(linkset.target), str(linkset.type)) == (f"{SITE}/api/records/{record['id']}", "application/linkset+json")
    head = client.head(url, headers=HTML)
    assert head.status_code == 200 and head.headers["link"] == response.headers["link"]
    assert head.headers["content-type"] == response.headers["content-type"]


def test_many_authors_leave_only_the_linkset_in_the_header(client, owner):
    metadata, custom = full_metadata("dataset")
    author = metadata["creators"][0]
    metadata["creators"] = [author | {"person_or_org": author["person_or_org"] | {"given_name": f"J{i}"}} for i in range(7)]
    draft = create_draft(client, owner.headers, metadata, custom_fields=custom)
    upload(client, owner.headers, draft["id"], "a.csv", b"a\n")
    record = publish(client, owner.headers, draft["id"])
    url = f"{SITE}/records/{record['id']}"
    parsed = find_signposting_http_link([client.get(url, headers=HTML).headers["link"]], url)
    assert [s.rel for s in parsed] == ["linkset"]
    linkset = client.get(f"/api/records/{record['id']}", headers={"Accept": "application/linkset+json"}).json()
    landing = next(c for c in linkset["linkset"] if c["anchor"] == url)
    assert len(landing["author"]) == 7 and landing["cite-as"]


def test_preview_pages_carry_no_machine_metadata(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    response = client.get(f"/records/{draft['id']}?preview=1", headers={**HTML, **owner.headers})
    assert response.status_code == 200
    assert "link" not in response.headers and "application/ld+json" not in response.text


def test_downloads_link_back_and_answer_head(client, owner):
    record = api_record(client, owner.headers, "dataset")
    url = f"{SITE}/api/records/{record['id']}/files/tides.csv/content"
    got = client.get(url)
    parsed = find_signposting_http_link([got.headers["link"]], url)
    [collection] = [s for s in parsed if s.rel == "collection"]
    assert (str(collection.target), str(collection.type)) == (f"{SITE}/records/{record['id']}", "text/html")
    assert str(parsed.linksets.pop().target) == f"{SITE}/api/records/{record['id']}"
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    for name in ("link", "content-type", "content-length", "etag", "content-disposition"):
        assert head.headers[name] == got.headers[name], name
    ranged = client.head(url, headers={"Range": "bytes=2-5"})
    assert ranged.status_code == 206 and ranged.headers["content-range"] == f"bytes 2-5/{len(got.content)}"
    assert ranged.headers["content-length"] == "4" and ranged.headers["link"] == got.headers["link"]


def test_draft_downloads_have_no_record_links(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "a.csv", b"a\n")
    response = client.get(f"/api/records/{draft['id']}/draft/files/a.csv/content", headers=owner.headers)
    assert response.status_code == 200 and "link" not in response.headers
