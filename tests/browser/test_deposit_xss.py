"""An XSS corpus in every free-text field of the deposit form and in file names: no payload runs
on the deposit form (saved, refused and shown again), the landing page, the search results, the
dashboard, the share page or the edit form (the ``window.__xss`` canary stays 0, no dialog, no
CSP violation, nothing on the console)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, xss_fired
from tests.browser.deposit_support import sign_in
from tests.browser.test_previews_and_xss import KEY_PAYLOADS, PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.backend_independent]

TEXT_FIELDS = "#deposit-form input[type=text]:enabled, #deposit-form input[type=url]:enabled, #deposit-form textarea:enabled"
# What publishing needs, and what a payload cannot be (vocabulary ids, dates).
VALID = {
    "metadata.resource_type.id": "dataset", "metadata.publication_date": "2024-05-17", "metadata.rights.0.id": "cc-by-4.0",
    "metadata.languages.0.id": "eng", "metadata.locations.features.0.lat": "46.2", "metadata.locations.features.0.lon": "6.1",
    "metadata.dates.0.date": "2024",
}  # fmt: skip


def _assert_clean(site: Site, page, where: str) -> None:
    page.mouse.move(10, 10)
    page.mouse.move(400, 500)  # hover handlers would fire now
    assert xss_fired(page) == 0, where
    assert site.dialogs == [], where
    assert site.problems == [], f"{where}: {site.problems}"


def _fill_everything(page) -> dict[str, str]:
    page.evaluate("document.querySelectorAll('#deposit-form details').forEach(d => { d.open = true; })")
    fields = page.locator(TEXT_FIELDS)
    filled = {}
    for i in range(fields.count()):
        field = fields.nth(i)
        name = field.get_attribute("name") or ""
        value = PAYLOADS[i % len(PAYLOADS)]
        filled[name] = f"Readings {value}" if name == "metadata.title" else value
        field.fill(filled[name])
    return filled


def _save(page, button: str = "Save draft") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _repair(page, button: str = "Save draft") -> None:
    """Clear the fields the server refused (identifiers, URLs, dates…), choose what a row needs,
    set what publishing needs; press ``button`` again until nothing is refused."""
    for _ in range(4):
        page.evaluate("document.querySelectorAll('#deposit-form details').forEach(d => { d.open = true; })")
        invalid = page.locator("#deposit-form [aria-invalid=true]")
        if invalid.count() == 0:
            return
        for i in range(invalid.count()):
            field = invalid.nth(i)
            tag = field.evaluate("e => e.tagName")
            if tag == "SELECT":
                field.select_option(index=1)
            elif field.get_attribute("type") != "date":
                field.fill(VALID.get(field.get_attribute("name") or "", ""))
        for name, value in VALID.items():
            page.locator(f'[name="{name}"]').fill(value)
        _save(page, button)
    assert page.locator("#deposit-form [aria-invalid=true]").count() == 0, page.locator("#problems").inner_text()


def test_no_payload_runs_from_the_deposit_form(site: Site):
    page = site.new_page()
    sign_in(page, site.admin["e-mail"], site.admin["password"])
    page.goto("/uploads/new")
    filled = _fill_everything(page)
    assert len(filled) > 60  # every free-text field of the model, repeatable rows included
    title = filled["metadata.title"]
    _assert_clean(site, page, "deposit form, filled")
    _save(page)
    expect(page.locator("#problems")).to_be_visible()  # refused: shown again, payloads as text
    assert page.locator('[name="metadata.title"]').input_value() == title
    _assert_clean(site, page, "deposit form, refused")
    site.screenshot(page, "deposit-xss-refused")
    _repair(page)
    page.wait_for_url("**/uploads/*")
    _assert_clean(site, page, "deposit form, saved")
    recid = page.url.rsplit("/", 1)[1].split("#")[0]

    page.locator("#file-input").set_input_files([{"name": key, "mimeType": "text/plain", "buffer": b"x"} for key in KEY_PAYLOADS])
    for key in KEY_PAYLOADS:
        page.locator("#files-table tr", has_text=key).locator(".file-status").filter(has_text="uploaded").wait_for()
    _assert_clean(site, page, "deposit form, files uploaded")
    page.reload()
    assert page.locator("#files-table tbody tr").count() == len(KEY_PAYLOADS)
    _assert_clean(site, page, "deposit form, files listed")
    _save(page, "Check before publishing")
    _assert_clean(site, page, "pre-publish check")
    _repair(page, "Check before publishing")
    _save(page, "Publish")
    assert f"/records/{recid}" in page.url, page.locator("#problems").inner_text()
    page.wait_for_url(f"**/records/{recid}")
    expect(page.get_by_role("heading", name=title)).to_be_visible()  # the title, as text
    _assert_clean(site, page, "landing page")
    site.screenshot(page, "landing-xss")

    for url in ("/search?q=Readings", "/me/uploads", f"/records/{recid}/share", "/"):
        page.goto(url)
        assert "Readings" in page.content(), url
        _assert_clean(site, page, url)
    page.goto(f"/records/{recid}")
    page.locator("section.record-exports").get_by_label("Style").select_option("mla")
    page.wait_for_timeout(300)
    _assert_clean(site, page, "citation in another style")
    page.locator("section.owner-actions").get_by_role("button", name="Edit").click()
    page.wait_for_url(f"**/uploads/{recid}")
    _assert_clean(site, page, "edit form of the published record")
    page.goto(f"/records/{recid}?preview=1")
    _assert_clean(site, page, "preview of the edit")
    # The detectors work: markup injected into this page is caught (the CSP blocks the handler
    # and reports it on the console).
    page.evaluate("""document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x onerror="window.__xss=99">')""")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in problem for problem in site.problems), site.problems
    site.problems.clear()
