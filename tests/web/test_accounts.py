"""Sign-up, confirmation, sign-in and out, password reset and settings through the pages."""

from __future__ import annotations

import re

import pytest

from callimachus.services import users
from tests.web.helpers import (
    HTML,
    body,
    confirm,
    link_in,
    mails,
    new_client,
    post_form,
    sign_in,
    sign_up,
)


def test_sign_up_confirm_and_use_the_account(client, ctx):
    sign_up(client, ctx, "Ada@Example.org", name="Ada <b>Lovelace</b>")
    assert client.get("/account/settings", follow_redirects=False).status_code == 303  # not signed in yet
    [message] = mails(ctx)
    assert message["To"] == "ada@example.org" and "Confirm your e-mail address" in message["Subject"]
    confirmed = confirm(client, ctx, "ada@example.org")
    assert confirmed.status_code == 303 and confirmed.headers["location"] == "/"
    home = client.get("/")
    assert "your e-mail address is confirmed" in home.text
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt;" in home.text and "<b>Lovelace" not in home.text
    settings = client.get("/account/settings")
    assert settings.status_code == 200 and "ada@example.org" in settings.text and ">confirmed<" in settings.text


def test_confirmation_links_work_once(client, ctx):
    sign_up(client, ctx, "once@example.org")
    link = link_in(mails(ctx)[-1], "/account/confirm")
    assert confirm(client, ctx, "once@example.org").status_code == 303
    again = post_form(new_client(client.app), "/account/confirm", {"token": link.split("token=")[1]}, form_page=link)
    assert again.status_code == 400 and "not valid" in again.text


def test_confirmation_links_expire(client, ctx, clock):
    sign_up(client, ctx, "late@example.org")
    clock.advance(days=3)
    response = confirm(client, ctx, "late@example.org")
    assert response.status_code == 400 and "not valid" in response.text


def test_sign_up_does_not_reveal_registered_addresses(client, ctx, make_account):
    make_account("taken@example.org")
    response = post_form(client, "/signup", {"email": "taken@example.org", "password": "another password"})
    fresh = post_form(new_client(client.app), "/signup", {"email": "free@example.org", "password": "another password"})
    assert response.status_code == fresh.status_code == 200
    assert response.text.replace("taken@example.org", "E") == fresh.text.replace("free@example.org", "E")
    taken = [m for m in mails(ctx) if m["To"] == "taken@example.org"]
    assert len(taken) == 1 and "already has an account" in body(taken[0])  # the owner is told
    with ctx.unit_of_work() as uow:
        assert users.count_users(uow) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not an address", "password": "long enough"}, "email"),
        ({"email": "a@example.org", "password": "short"}, "password"),
        ({"email": "a@example.org", "password": "long enough", "display_name": "bell\x07"}, "display_name"),
        ({"email": "a@example.org", "password": "x" * 2000}, "password"),
    ],
)
def test_sign_up_shows_field_errors(client, ctx, data, field):
    response = post_form(client, "/signup", data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error"', response.text)
    assert mails(ctx) == []


def test_sign_in_and_out(client, make_account):
    account = make_account("reader@example.org")
    response = sign_in(client, account.email, next_url="/account/settings")
    assert response.status_code == 303 and response.headers["location"] == "/account/settings"
    assert "reader@example.org" in client.get("/account/settings").text
    out = post_form(client, "/logout", {}, form_page="/", follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/account/settings", follow_redirects=False).status_code == 303
    assert "You are signed out" in client.get("/").text


def test_wrong_password_and_unknown_address_look_the_same(client, make_account):
    make_account("known@example.org")
    wrong = sign_in(client, "known@example.org", "wrong password")
    unknown = sign_in(client, "unknown@example.org", "wrong password")
    assert wrong.status_code == unknown.status_code == 400
    assert "The e-mail address or the password is wrong." in wrong.text
    assert wrong.text.replace("known@example.org", "E") == unknown.text.replace("unknown@example.org", "E")


def test_unconfirmed_accounts_get_a_new_link_instead_of_a_session(client, ctx):
    sign_up(client, ctx, "slow@example.org")
    response = sign_in(client, "slow@example.org")
    assert response.status_code == 403 and "Confirm your e-mail address first" in response.text
    assert len([m for m in mails(ctx) if m["To"] == "slow@example.org"]) == 2
    assert client.get("/account/settings", follow_redirects=False).status_code == 303


def test_failed_sign_ins_are_throttled(client, make_account, clock):
    account = make_account("target@example.org")
    for _ in range(5):
        assert sign_in(client, account.email, "guess").status_code == 400
    blocked = sign_in(client, account.email)  # even the right password waits now
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    clock.advance(minutes=16)
    assert sign_in(client, account.email).status_code == 303


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/records/1?x=1", "/records/1?x=1"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
        ("/\r\nX: y", "/"),
        ("", "/"),
    ],
)
def test_next_is_always_a_path_on_this_site(client, make_account, target, expected):
    account = make_account()
    response = sign_in(client, account.email, next_url=target)
    assert response.status_code == 303 and response.headers["location"] == expected


def test_login_page_when_signed_in_goes_to_next(client, make_account):
    account = make_account()
    sign_in(client, account.email)
    response = client.get("/login?next=//evil.example", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_password_reset(client, ctx, make_account):
    account = make_account("forgetful@example.org")
    other = new_client(client.app)
    assert sign_in(other, account.email).status_code == 303  # a session elsewhere
    asked = post_form(client, "/lost-password", {"email": "Forgetful@example.org"})
    assert asked.status_code == 200 and "If an account uses" in asked.text
    link = link_in(mails(ctx)[-1], "/lost-password/reset")
    assert client.get(link).status_code == 200
    token = link.split("token=")[1]
    short = post_form(client, "/lost-password/reset", {"token": token, "password": "short"}, form_page=link)
    assert short.status_code == 400 and 'id="password-error"' in short.text
    done = post_form(client, "/lost-password/reset", {"token": token, "password": "a brand new password"}, form_page=link, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert sign_in(client, account.email).status_code == 400  # the old password is gone
    assert sign_in(client, account.email, "a brand new password").status_code == 303
    assert other.get("/account/settings", follow_redirects=False).status_code == 303  # other sessions ended
    used = client.get(link)
    assert used.status_code == 400 and "not valid" in used.text


def test_reset_requests_do_not_reveal_addresses(client, ctx):
    unknown = post_form(client, "/lost-password", {"email": "nobody@example.org"})
    assert unknown.status_code == 200 and "If an account uses" in unknown.text
    assert mails(ctx) == []


def test_reset_links_expire_and_requests_are_throttled(client, ctx, make_account, clock):
    account = make_account("reset@example.org")
    for _ in range(5):
        assert post_form(client, "/lost-password", {"email": account.email}).status_code == 200
    assert len(mails(ctx)) == 3  # at most three mails an hour to one address; the answer stays the same
    link = link_in(mails(ctx)[-1], "/lost-password/reset")
    clock.advance(hours=2)
    assert client.get(link).status_code == 400
    for _ in range(10):  # ten requests an hour from one client
        assert post_form(client, "/lost-password", {"email": "x@example.org"}).status_code == 200
    assert post_form(client, "/lost-password", {"email": "x@example.org"}).status_code == 429


def test_profile_and_password_change(client, make_account):
    account = make_account("settings@example.org")
    other = new_client(client.app)
    sign_in(other, account.email)
    sign_in(client, account.email)
    saved = post_form(client, "/account/settings/profile", {"display_name": "  Grace Hopper "}, form_page="/account/settings", follow_redirects=False)
    assert saved.status_code == 303
    assert 'value="Grace Hopper"' in client.get("/account/settings").text
    wrong = post_form(client, "/account/settings/password", {"current_password": "nope", "new_password": "another password"}, form_page="/account/settings")
    assert wrong.status_code == 400 and 'id="current_password-error"' in wrong.text
    changed = post_form(
        client, "/account/settings/password", {"current_password": "correct horse battery", "new_password": "another password"},
        form_page="/account/settings", follow_redirects=False,
    )
    assert changed.status_code == 303
    assert client.get("/account/settings").status_code == 200  # this session goes on
    assert other.get("/account/settings", follow_redirects=False).status_code == 303  # the other one ended


def test_settings_need_a_session_not_a_token(client, make_account):
    account = make_account()
    response = client.get("/account/settings", headers={**HTML, **account.headers})
    assert response.status_code == 403
