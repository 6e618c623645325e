"""axe-core (bundled with axe-playwright-python) in Chromium: no serious or critical violation
on the pages of the foundation, signed out and signed in, including previews and errors."""

from __future__ import annotations

import io
import zipfile

import pytest
from tests.browser.conftest import METADATA, Site, publish_record

pytestmark = [pytest.mark.browser, pytest.mark.backend_independent]

BLOCKING = ("serious", "critical")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data/readme.txt", b"hello")
    return buffer.getvalue()


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"], "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]})
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING:
            targets = [node.get("target") for node in violation.get("nodes", [])][:3]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def _check(site: Site, page, urls: list[str], problems: dict[str, list[str]]) -> None:
    for url in urls:
        page.goto(url)
        found = _violations(page)
        if found:
            problems[url] = found


def test_pages_have_no_serious_accessibility_violations(site: Site):
    record = publish_record(site, {**METADATA, "title": "Accessible record"}, {
        "temps.csv": b"station,temp\nA,12.1\n", "README.md": b"# Notes\n\nSome *text*.\n", "bundle.zip": _zip(),
        "run.py": b"print('hi')\n", "photo.png": b"\x89PNG\r\n\x1a\n",
    })  # fmt: skip
    page = site.new_page()
    problems: dict[str, list[str]] = {}
    previews = [f"/records/{record['id']}/preview/{key}" for key in ("temps.csv", "README.md", "bundle.zip", "run.py", "photo.png")]
    _check(site, page, ["/", "/login", "/signup", "/lost-password", "/account/confirm?token=x", "/lost-password/reset?token=x", "/records/999999", *previews], problems)

    page.goto("/login")
    page.get_by_role("button", name="Sign in").click()  # a form showing its errors
    if found := _violations(page):
        problems["/login (errors)"] = found
    page.goto("/login")
    page.get_by_label("E-mail address").fill(site.admin["e-mail"])
    page.get_by_label("Password").fill(site.admin["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    _check(site, page, ["/", "/account/settings", "/account/settings/applications"], problems)
    page.get_by_label("Name").fill("for axe")
    page.get_by_role("button", name="Create token").click()
    if found := _violations(page):
        problems["token created"] = found
    page.get_by_text("Account", exact=True).click()  # the open account menu
    if found := _violations(page):
        problems["account menu"] = found
    site.screenshot(page, "home-signed-in")
    assert problems == {}, "\n".join(f"{url}: {items}" for url, items in problems.items())
    # axe really runs under the pages' CSP: an image without a text alternative is reported.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\">')")
    assert any(v.startswith("image-alt") for v in _violations(page))

