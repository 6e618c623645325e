"""A depositor's way in Chromium: sign up, describe a record with the deposit form, upload three
files (one of 200 MB, its progress bar read while it moves), see the pre-publish check catch the
missing licence, publish, find the record through the search page and a facet, cite it (APA,
copied with the button), download and preview its files, restrict it and share it with a secret
link opened in a fresh browser."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, xss_fired
from tests.browser.deposit_support import BigFile, fill_vocabulary, make_file, progress_values, sign_up
from tests.browser.test_previews_and_xss import PDF

pytestmark = [pytest.mark.browser, pytest.mark.backend_independent]

EMAIL = "hypatia@example.org"
TITLE = "Currents of the Alexandrian harbour"
CSV = b"station,depth,speed\nPharos,4.5,0.31\nLochias,7.2,0.18\n"


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> BigFile:
    """200 MB on disk, made once; Chromium reads it from there (set_input_files with a path)."""
    return make_file(tmp_path_factory.mktemp("big") / "ocean-model-output.bin", 200 * 1000 * 1000)


def _assert_clean(site: Site, page) -> None:
    assert xss_fired(page) == 0 and site.dialogs == [] and site.problems == [], site.problems


def _describe(page) -> None:
    fill_vocabulary(page, "Resource type", "Data", "Dataset (dataset)")
    page.get_by_label("Title").first.fill(TITLE)
    page.get_by_label("Publication date").fill("2024-05-17")
    creators = page.locator('[id="f-metadata.creators"]')
    creators.get_by_label("Family name").first.fill("Alexandria")
    creators.get_by_label("Given names").first.fill("Hypatia")
    creators.get_by_label("Identifier", exact=True).first.fill("0000-0002-1825-0097")
    creators.get_by_label("Affiliation", exact=True).first.fill("Mouseion")
    creators.get_by_role("button", name="Add a creator").click()  # the script's repeatable rows
    second = creators.locator(":scope > ol > li").nth(1)
    second.get_by_label("Type").select_option("organizational")
    assert second.get_by_label("Family name").is_hidden()
    second.get_by_label("Organisation name").fill("Library of Alexandria")
    page.locator("[name=\"metadata.description\"]").fill("<p>Speeds of currents, <b>hourly</b>.</p>")
    page.get_by_label("Keyword or subject").first.fill("harbour currents")
    fill_vocabulary(page, "Language", "Greek", "Ancient Greek (to 1453) (grc)")


def test_deposit_publish_find_cite_download_share(site: Site, big_file: BigFile, tmp_path, browser):
    page = site.new_page()
    sign_up(site, page, EMAIL, "Hypatia")
    page.get_by_role("link", name="New upload").click()
    page.wait_for_url("**/uploads/new")
    _describe(page)
    site.screenshot(page, "deposit-form-filled")

    csv_path, pdf_path = tmp_path / "currents.csv", tmp_path / "report.pdf"
    csv_path.write_bytes(CSV)
    pdf_path.write_bytes(PDF)
    page.locator("#file-input").set_input_files([str(big_file.path), str(csv_path), str(pdf_path)])
    values = list(progress_values(page, big_file.path.name))
    moving = sorted({v for v in values if 0 < v < big_file.size})
    assert len(moving) >= 2, values  # the bar was seen at two points in between
    assert values == sorted(values)  # and it only moved forward
    page.wait_for_url("**/uploads/*")  # the first file made the draft
    rows = page.locator("#files-table tbody tr")
    for key in ("currents.csv", "report.pdf"):
        page.locator(f'tr[data-key="{key}"] .file-status').filter(has_text="uploaded").wait_for()
    assert rows.count() == 3
    big_row = page.locator(f'tr[data-key="{big_file.path.name}"]')
    assert big_row.locator(".checksum").inner_text() == big_file.md5
    assert page.locator('tr[data-key="currents.csv"] .checksum').inner_text() == hashlib.md5(CSV).hexdigest()
    site.screenshot(page, "deposit-files-uploaded")

    page.get_by_role("button", name="Check before publishing").click()
    problems = page.get_by_role("alert")
    expect(problems.get_by_role("link", name="Licences and rights")).to_be_visible()
    assert "A licence is required." in problems.inner_text()
    assert problems.locator("li").count() == 1  # everything else is there
    assert page.locator('[id="e-metadata.rights"]').inner_text() == "A licence is required."
    site.screenshot(page, "deposit-check-missing-licence")
    problems.get_by_role("link", name="Licences and rights").click()
    fill_vocabulary(page, "Licence", "cc-by-4.0", "Creative Commons Attribution 4.0 International (cc-by-4.0)")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url("**/records/*")
    record_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    site.screenshot(page, "landing-published")
    _assert_clean(site, page)

    # Found through the search page and a facet.
    page.get_by_label("Search records").first.fill("harbour")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/search?q=harbour*")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.locator("#facet-resource_type").get_by_label("Dataset").check()  # applies at once
    page.wait_for_url("**resource_type=dataset*")
    expect(page.get_by_role("heading", name="1 record")).to_be_visible()
    site.screenshot(page, "search-facet")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/records/{record_id}")
    _cite_download_preview(site, page, record_id)
    _restrict_and_share(site, page, record_id, browser)
    _assert_clean(site, page)


def _cite_download_preview(site: Site, page, record_id: str) -> None:
    site.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    box = page.locator("section.record-exports")
    assert box.get_by_label("Style").input_value() == "apa"
    box.get_by_role("button", name="Copy the citation").click()
    box.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Alexandria, H., & Library of Alexandria. (2024). Currents of the Alexandrian harbour [Dataset]. Callimachus."), copied
    assert f"https://doi.org/10.5072/callimachus.{record_id}" in copied
    box.get_by_label("Style").select_option("ieee")  # the citation changes in place
    expect(box.locator("#citation-text")).to_contain_text("H. Alexandria and Library of Alexandria, “Currents of the Alexandrian harbour")
    site.screenshot(page, "landing-citation-ieee")

    files = page.locator("section.record-files")
    with page.expect_download() as download:
        files.get_by_role("link", name="Download currents.csv").click()
    assert download.value.suggested_filename == "currents.csv"
    assert Path(download.value.path()).read_bytes() == CSV
    files.get_by_role("link", name="Preview currents.csv").click()
    expect(page.get_by_role("cell", name="Lochias")).to_be_visible()
    site.screenshot(page, "deposit-preview-csv")
    page.go_back()
    files.get_by_role("link", name="Preview report.pdf").click()
    assert page.locator("iframe.preview-frame").get_attribute("src") == f"/api/records/{record_id}/files/report.pdf/content"
    site.screenshot(page, "deposit-preview-pdf")
    page.go_back()


def _restrict_and_share(site: Site, page, record_id: str, browser) -> None:
    """Edit the published record to restricted, create a secret link, open it elsewhere."""
    page.locator("section.owner-actions").get_by_role("button", name="Edit").click()
    page.wait_for_url(f"**/uploads/{record_id}")
    page.get_by_label("Restricted: only you and the people you share it with").check()
    page.get_by_role("button", name="Publish changes").click()
    page.wait_for_url(f"**/records/{record_id}")
    expect(page.locator(".landing-badges").get_by_text("Restricted")).to_be_visible()
    stranger = browser.new_context(base_url=site.url)
    try:
        assert stranger.new_page().goto(f"/records/{record_id}").status == 404
        page.locator("section.owner-actions").get_by_role("link", name="Share").click()
        page.get_by_label("Description").fill("For the reviewers")
        page.get_by_role("button", name="Create link").click()
        expect(page.get_by_text("The secret link is ready")).to_be_visible()
        url = page.get_by_role("textbox", name="Secret link For the reviewers").input_value()
        site.screenshot(page, "share-secret-link")
        fresh = browser.new_context()
        opened = fresh.new_page()
        assert opened.goto(url).status == 200
        expect(opened.get_by_role("heading", name=TITLE)).to_be_visible()
        with opened.expect_download() as download:
            opened.locator("section.record-files").get_by_role("link", name="Download currents.csv").click()
        assert Path(download.value.path()).read_bytes() == CSV
        site.screenshot(opened, "secret-link-opened")
        fresh.close()
    finally:
        stranger.close()
