"""axe-core in Chromium on the pages of the deposit: the form (empty, refused with errors, the
pre-publish check, an open suggestion list), the landing page (owner and visitor), the search page
with facets, the dashboard with requests and shares, the share page: no serious or critical
violation."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site
from tests.browser.deposit_support import sign_in, sign_up
from tests.browser.test_accessibility import _violations
from tests.metadata.strategies import full_example

pytestmark = [pytest.mark.browser, pytest.mark.backend_independent]


def _record(site: Site, api: httpx.Client, access: dict | None = None) -> dict:
    metadata, custom = full_example()
    draft = api.post("/api/records", json={"metadata": metadata, "custom_fields": custom, "access": access or {}}).json()
    assert api.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": "tides.csv"}]).status_code == 201
    path = f"/api/records/{draft['id']}/draft/files/tides.csv"
    assert api.put(f"{path}/content", content=b"a,b\n1,2\n", headers={"Content-Type": "application/octet-stream"}).status_code == 200
    assert api.post(f"{path}/commit").status_code == 200
    published = api.post(f"/api/records/{draft['id']}/draft/actions/publish")
    assert published.status_code == 202, published.text
    return dict(published.json())


def test_deposit_pages_have_no_serious_accessibility_violations(site: Site, browser):
    problems: dict[str, list[str]] = {}

    def check(page, what: str) -> None:
        if found := _violations(page):
            problems[what] = found

    with httpx.Client(base_url=site.url, headers={"Authorization": f"Bearer {site.admin['API token']}"}) as api:
        record = _record(site, api, {"record": "public", "files": "restricted"})
        other = api.post("/api/records", json={"metadata": {"title": "Someone else's"}}).json()
        draft = api.post("/api/records", json={"metadata": {"title": "An unfinished draft"}}).json()
    visitor = site.new_page()
    for url in (f"/records/{record['id']}", "/search", "/search?q=tactile&resource_type=publication", "/search?q=title:(oops"):
        visitor.goto(url)
        check(visitor, f"{url} (visitor)")
    # A reader asks for the restricted files (from a script of the site, with the page's token)
    # and is given another record to see: both dashboards have something in every section.
    reader = browser.new_context(base_url=site.url)
    visitor = reader.new_page()
    sign_up(site, visitor, "reader@example.org", "Reader")
    visitor.goto("/uploads/new")
    asked = visitor.evaluate("""async (recid) => {
        const token = document.getElementById("deposit-form").dataset.csrf;
        const response = await fetch(`/api/records/${recid}/access/request`, {method: "POST",
            headers: {"Content-Type": "application/json", "X-CSRF-Token": token}, body: JSON.stringify({message: "For my thesis"})});
        return response.status;
    }""", record["id"])
    assert asked == 201
    with httpx.Client(base_url=site.url, headers={"Authorization": f"Bearer {site.admin['API token']}"}) as api:
        grant = {"grants": [{"subject": {"type": "user", "email": "reader@example.org"}, "permission": "preview"}]}
        assert api.post(f"/api/records/{draft['id']}/access/grants", json=grant).status_code == 201
    visitor.goto("/me/uploads")
    expect(visitor.get_by_role("link", name="An unfinished draft")).to_be_visible()
    check(visitor, "dashboard of a reader")
    reader.close()

    page = site.new_page()
    sign_in(page, site.admin["e-mail"], site.admin["password"])
    page.goto("/uploads/new")
    check(page, "new upload")
    page.get_by_role("combobox", name="Resource type").fill("data")
    page.get_by_role("option", name="Dataset (dataset)").wait_for()
    check(page, "new upload, suggestions open")
    page.locator('[name="metadata.publication_date"]').fill("2023-02-30")
    page.get_by_role("button", name="Save draft").click()
    check(page, "new upload, refused")
    page.goto(f"/uploads/{draft['id']}")
    page.get_by_role("button", name="Check before publishing").click()
    expect(page.locator("#problems")).to_be_visible()
    check(page, "pre-publish check")
    site.screenshot(page, "deposit-check")
    for url in (f"/records/{record['id']}", f"/records/{record['id']}/share", "/me/uploads", f"/records/{other['id']}?preview=1"):
        page.goto(url)
        check(page, url)
    site.screenshot(page, "preview-draft")
    page.goto("/me/uploads")
    expect(page.get_by_text("For my thesis")).to_be_visible()
    site.screenshot(page, "dashboard")
    assert problems == {}, "\n".join(f"{url}: {items}" for url, items in problems.items())
