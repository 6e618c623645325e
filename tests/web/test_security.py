"""CSRF refusals, session cookies, security headers, static files, personal token pages."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from callimachus.app import create_app
from callimachus.core.errors import PermissionDenied
from callimachus.core.identity import Identity
from callimachus.services import accounts, users
from tests.helpers import NATIVE, create_draft
from tests.web.helpers import HTML, csrf, new_client, post_form, sign_in


def test_forms_without_the_session_token_are_refused(client, make_account):
    account = make_account()
    csrf(client)  # the session exists and has a token
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": ""}):
        refused = client.post("/login", data={"email": account.email, "password": "correct horse battery", **data}, headers=HTML)
        assert refused.status_code == 403 and "did not come from this site" in refused.text
    assert client.get("/account/settings", follow_redirects=False).status_code == 303  # not signed in


def test_a_token_from_another_session_is_refused(app, client, make_account):
    account = make_account()
    other = new_client(app)
    stolen = csrf(other)
    csrf(client)
    response = client.post("/login", data={"email": account.email, "password": "correct horse battery", "csrf_token": stolen})
    assert response.status_code == 403


def test_form_bodies_of_every_kind_are_checked(client, make_account):
    account = make_account()
    sign_in(client, account.email)
    token = csrf(client, "/account/settings")
    plain = client.post("/logout", content=f"csrf_token={token}", headers={"Content-Type": "text/plain"})
    assert plain.status_code == 403  # a cross-site trick, never one of our forms
    multipart = client.post("/account/settings/profile", files={"display_name": (None, "Multi")}, follow_redirects=False)
    assert multipart.status_code == 403
    good = client.post("/account/settings/profile", files={"display_name": (None, "Multi"), "csrf_token": (None, token)}, follow_redirects=False)
    assert good.status_code == 303
    header = client.post("/account/settings/profile", data={"display_name": "Header"}, headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert header.status_code == 303


def test_tokens_change_when_signing_in(client, make_account):
    account = make_account()
    before = csrf(client)
    sign_in(client, account.email)
    assert csrf(client, "/account/settings") != before


def test_cross_site_requests_riding_on_a_session_are_refused(client, make_account, metadata):
    account = make_account()
    sign_in(client, account.email)
    token = csrf(client, "/account/settings")
    refused = client.post("/api/records", json={"metadata": metadata}, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    refused = client.post("/account/settings/profile", data={"display_name": "x", "csrf_token": token}, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    same = client.post("/api/records", json={"metadata": metadata}, headers={"Sec-Fetch-Site": "same-origin", "X-CSRF-Token": token})
    assert same.status_code == 201


def test_api_requests_with_tokens_are_not_affected(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)  # JSON with a Bearer token
    form = client.post(f"/api/records/{draft['id']}/draft/files", data={"key": "a"}, headers=owner.headers)
    assert form.status_code != 403  # refused by the API's own rules, not by CSRF
    anonymous = new_client(client.app).post("/api/records", data={"x": "1"})
    assert anonymous.status_code in (401, 415)  # the API answers: without a session there is nothing to forge
    query = client.post(f"/api/records/{draft['id']}/draft/actions/publish?access_token={owner.token}", data={"x": "1"})
    assert query.status_code != 403
    assert client.get(f"/api/records/{draft['id']}/draft", headers={**owner.headers, **NATIVE}).status_code == 200


def test_session_cookie_flags(client, make_account):
    account = make_account()
    response = sign_in(client, account.email)
    cookie = response.headers["set-cookie"]
    assert "callimachus_session=" in cookie and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http here


def test_session_cookie_is_secure_behind_https(ctx, make_account):
    account = make_account()
    ctx.settings = ctx.settings.with_overrides(site_url="https://testserver")
    with TestClient(create_app(ctx=ctx), base_url="https://testserver") as browser:
        response = sign_in(browser, account.email)
    assert "secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize("url", ["/", "/login", "/signup", "/lost-password", "/records/9999"])
def test_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url, headers=HTML)
    policy = response.headers["content-security-policy"]
    for part in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "script-src 'self'"):
        assert part in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)", response.text)  # no inline scripts
    assert " style=" not in response.text and "<style" not in response.text


def test_pages_with_forms_are_not_cached(client):
    response = client.get("/login")
    assert response.headers["cache-control"] == "private, no-store"


def test_static_files(client):
    css = client.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    page = client.get("/").text
    assert re.search(r'href="/static/site\.css\?v=[0-9a-f]{10}"', page) and re.search(r'src="/static/site\.js\?v=[0-9a-f]{10}"', page)
    assert client.get("/static/../app.py").status_code == 404


def test_personal_tokens(client, ctx, make_account, metadata):
    account = make_account("tokens@example.org")
    sign_in(client, account.email)
    created = post_form(
        client, "/account/settings/applications/tokens", {"name": "laptop <script>", "scopes": ["deposit:write"]},
        form_page="/account/settings/applications",
    )
    assert created.status_code == 200 and "shown only once" in created.text
    secret = re.search(r'id="new-token">([^<]+)<', created.text).group(1)
    assert "laptop &lt;script&gt;" in created.text
    bearer = {"Authorization": f"Bearer {secret}"}
    api = new_client(client.app)
    assert api.post("/api/records", json={"metadata": metadata}, headers=bearer).status_code == 201
    listed = client.get("/account/settings/applications")
    assert secret not in listed.text and "deposit:write" in listed.text  # shown once only
    token_id = re.search(r'/account/settings/applications/tokens/(\d+)/revoke', listed.text).group(1)
    stranger = new_client(client.app)
    sign_in(stranger, make_account().email)
    other = post_form(stranger, f"/account/settings/applications/tokens/{token_id}/revoke", {}, form_page="/account/settings/applications")
    assert other.status_code == 404
    revoked = post_form(client, f"/account/settings/applications/tokens/{token_id}/revoke", {}, form_page="/account/settings/applications", follow_redirects=False)
    assert revoked.status_code == 303
    assert api.post("/api/records", json={"metadata": metadata}, headers=bearer).status_code == 401
    assert ">revoked<" in client.get("/account/settings/applications").text.replace("\n", "").replace(" ", "")


def test_token_form_errors(client, make_account):
    sign_in(client, make_account().email)
    for data, field in (({"name": "", "scopes": []}, "name"), ({"name": "x", "scopes": ["root"]}, "scopes")):
        response = post_form(client, "/account/settings/applications/tokens", data, form_page="/account/settings/applications")
        assert response.status_code == 400 and f'id="{field}-error"' in response.text


def test_unconfirmed_accounts_cannot_create_tokens(ctx):
    with ctx.unit_of_work(write=True) as uow:
        user, _ = users.create_user(ctx, uow, "new@example.org", "long enough", confirmed=False)
        identity = Identity(user_id=user.id, email=user.email)
        with pytest.raises(PermissionDenied):
            accounts.create_personal_token(ctx, uow, identity, "x", [])


def test_oai_pmh_posts_are_not_forms_of_ours(client):
    response = client.post("/oai2d", data={"verb": "Identify"})
    assert response.status_code == 200 and "<Identify>" in response.text
