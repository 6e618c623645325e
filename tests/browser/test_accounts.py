"""A person's way through the account pages in Chromium: sign up, confirm, sign out and in,
personal tokens, password reset; and the keyboard path through the layout."""

from __future__ import annotations

import httpx
import pytest
from tests.browser.conftest import METADATA, Site

pytestmark = [pytest.mark.browser, pytest.mark.backend_independent]

EMAIL = "ada@example.org"
PASSWORD = "analytical engine"


def _sign_in(page, address: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page) -> None:
    page.get_by_text("Account", exact=True).click()  # the menu (a <details>)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    assert page.get_by_text("You are signed out.").is_visible()


def test_sign_up_confirm_sign_out_and_in(site: Site):
    page = site.new_page()
    page.goto("/")
    site.screenshot(page, "home-empty")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    site.screenshot(page, "signup")
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_text(f"Check your inbox: we sent a message to {EMAIL}.").is_visible()

    page.goto(site.link_for(EMAIL, "/account/confirm"))
    site.screenshot(page, "confirm")
    page.get_by_role("button", name="Confirm my address").click()
    page.wait_for_url("**/")
    assert page.get_by_text("your e-mail address is confirmed").is_visible()
    page.get_by_text("Account", exact=True).click()
    assert page.get_by_text("Signed in as Ada Lovelace").is_visible()
    site.screenshot(page, "account-menu")
    page.keyboard.press("Escape")

    _sign_out(page)
    _sign_in(page, EMAIL, "not the password")
    assert page.get_by_role("alert").inner_text() == "The e-mail address or the password is wrong."
    site.screenshot(page, "login-error")
    _sign_in(page, EMAIL, PASSWORD)
    page.wait_for_url("**/")
    assert page.get_by_text("You are signed in.").is_visible()
    assert site.problems == [] and site.dialogs == []


def test_create_use_and_revoke_a_token(site: Site):
    page = site.new_page()
    page.goto("/account/settings/applications")
    if "/login" in page.url:
        _sign_in(page, EMAIL, PASSWORD)
        page.goto("/account/settings/applications")
    page.get_by_label("Name").fill("laptop script")
    page.get_by_label("deposit:write").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text().strip()
    assert len(secret) > 40 and page.get_by_text("it is shown only once").is_visible()
    assert page.get_by_role("button", name="Copy").is_visible()  # the script's enhancement
    site.screenshot(page, "token-created")

    api = httpx.Client(base_url=site.url, headers={"Authorization": f"Bearer {secret}"})
    assert api.post("/api/records", json={"metadata": METADATA}).status_code == 201

    page.goto("/account/settings/applications")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke laptop script").click()
    assert page.get_by_text("The token was revoked").is_visible()
    site.screenshot(page, "token-revoked")
    assert api.post("/api/records", json={"metadata": METADATA}).status_code == 401
    assert site.problems == [] and site.dialogs == []


def test_reset_a_forgotten_password(site: Site):
    site.context.clear_cookies()
    page = site.new_page()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    before = len(site.mails_to(EMAIL))
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_role("button", name="Send me a reset link").click()
    assert page.get_by_text(f"If an account uses {EMAIL}").is_visible()
    site.screenshot(page, "lost-password")

    page.goto(site.link_for(EMAIL, "/lost-password/reset", after=before))
    page.get_by_label("New password").fill("difference engine")
    site.screenshot(page, "reset-password")
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_url("**/login")
    assert page.get_by_text("Your password was changed.").is_visible()
    _sign_in(page, EMAIL, PASSWORD)
    assert page.get_by_role("alert").is_visible()  # the old password no longer works
    _sign_in(page, EMAIL, "difference engine")
    page.wait_for_url("**/")
    page.goto("/account/settings")
    assert page.get_by_text(EMAIL).first.is_visible()
    site.screenshot(page, "settings")
    assert site.problems == [] and site.dialogs == []


def test_keyboard_skip_link_and_visible_focus(site: Site):
    page = site.new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0  # it moved into view
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "BUTTON")
