"""``/sitemap.xml``, its pages and ``/robots.txt``: valid against the sitemaps XSDs, public records only."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from lxml import etree
from starlette.testclient import TestClient

from callimachus.app import create_app
from tests.exports.checks import SITE
from tests.formats import validators
from tests.helpers import create_draft, published_record

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def small_pages(ctx):
    """The app with two URLs per sitemap page."""
    small = dataclasses.replace(ctx, settings=ctx.settings.with_overrides(sitemap_page_size=2))
    with TestClient(create_app(ctx=small), base_url=SITE) as client:
        yield client


def _locations(document: bytes, tag: str) -> list[etree._Element]:
    return etree.fromstring(document).findall(f"s:{tag}", NS)


def test_sitemap_index_and_pages(small_pages, owner, metadata, clock):
    client = small_pages
    public = [published_record(client, owner.headers, metadata) for _ in range(4)]
    future = (clock.now() + timedelta(days=30)).date().isoformat()
    embargoed = published_record(client, owner.headers, metadata,
                                 access={"record": "public", "files": "restricted", "embargo": {"active": True, "until": future}})
    hidden = published_record(client, owner.headers, metadata, access={"record": "restricted", "files": "restricted"})
    draft = create_draft(client, owner.headers, metadata)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index.headers["content-type"].startswith("application/xml")
    assert validators.xml_errors(validators.siteindex(), index.content) == []
    pages = [e.findtext("s:loc", namespaces=NS) for e in _locations(index.content, "sitemap")]
    assert pages == [f"{SITE}/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed: dict[str, str] = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert validators.xml_errors(validators.sitemap(), response.content) == []
        urls = _locations(response.content, "url")
        assert 1 <= len(urls) <= 2
        listed |= {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS) for u in urls}
    expected = {f"{SITE}/records/{r['id']}": r for r in [*public, embargoed]}
    assert set(listed) == set(expected)
    assert f"{SITE}/records/{hidden['id']}" not in listed and f"{SITE}/records/{draft['id']}" not in listed
    for url, lastmod in listed.items():
        stamp = datetime.fromisoformat(lastmod.replace("Z", "+00:00"))
        assert stamp.tzinfo is not None
        assert stamp == datetime.fromisoformat(expected[url]["updated"]).replace(microsecond=stamp.microsecond)


def test_sitemap_is_the_public_one_whoever_asks(small_pages, owner, metadata):
    published_record(small_pages, owner.headers, metadata)
    published_record(small_pages, owner.headers, metadata, access={"record": "restricted", "files": "restricted"})
    anonymous = small_pages.get("/sitemap-1.xml").content
    assert small_pages.get("/sitemap-1.xml", headers=owner.headers).content == anonymous
    assert len(_locations(anonymous, "url")) == 1


def test_pages_out_of_range_are_404(small_pages, owner, metadata):
    published_record(small_pages, owner.headers, metadata)
    for path in ("/sitemap-0.xml", "/sitemap-2.xml", "/sitemap-x.xml", "/sitemap--1.xml", "/sitemap-١.xml"):
        assert small_pages.get(path).status_code == 404, path


def test_empty_repository_still_has_a_valid_sitemap(client):
    index = client.get("/sitemap.xml")
    assert validators.xml_errors(validators.siteindex(), index.content) == []
    page = client.get("/sitemap-1.xml")
    assert validators.xml_errors(validators.sitemap(), page.content) == []
    assert [u.findtext("s:loc", namespaces=NS) for u in _locations(page.content, "url")] == [f"{SITE}/"]


def test_default_page_size_is_the_protocol_limit(client, owner, metadata):
    assert client.app.state.ctx.settings.sitemap_page_size == 50_000
    for _ in range(3):
        published_record(client, owner.headers, metadata)
    assert len(_locations(client.get("/sitemap.xml").content, "sitemap")) == 1
    assert len(_locations(client.get("/sitemap-1.xml").content, "url")) == 3


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines and f"Sitemap: {SITE}/sitemap.xml" in lines
    assert not any(line.strip() in ("Disallow: /", "Disallow: /records") for line in lines)
    assert client.head("/robots.txt").status_code == 200
