"""Steps the page tests repeat: read a form's CSRF token, sign up, read the mail, sign in."""

from __future__ import annotations

import email
import re
from email import policy
from typing import Any

from starlette.testclient import TestClient

HTML = {"Accept": "text/html"}


def csrf(client: TestClient, url: str = "/login") -> str:
    page = client.get(url, headers=HTML)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"no CSRF field on {url}: {page.status_code}"
    return found.group(1)


def post_form(client: TestClient, url: str, data: dict[str, Any], *, form_page: str | None = None, **kwargs: Any) -> Any:
    token = csrf(client, form_page or url)
    return client.post(url, data={**data, "csrf_token": token}, headers=HTML, **kwargs)


def mails(ctx: Any) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in ctx.mailer.messages()]  # type: ignore[misc]


def body(message: Any) -> str:
    return str(message.get_content())


def link_in(message: Any, path: str) -> str:
    found = re.search(rf"http://testserver({re.escape(path)}\?token=[\w-]+)", body(message))
    assert found, body(message)
    return found.group(1)


def sign_up(client: TestClient, ctx: Any, address: str, password: str = "correct horse battery", name: str = "") -> None:
    response = post_form(client, "/signup", {"email": address, "password": password, "display_name": name})
    assert response.status_code == 200 and "Check your inbox" in response.text, response.text


def confirm(client: TestClient, ctx: Any, address: str) -> Any:
    link = link_in([m for m in mails(ctx) if m["To"] == address][-1], "/account/confirm")
    token = link.split("token=")[1]
    return post_form(client, "/account/confirm", {"token": token}, form_page=link, follow_redirects=False)


def sign_in(client: TestClient, address: str, password: str = "correct horse battery", next_url: str = "") -> Any:
    return post_form(client, "/login", {"email": address, "password": password, "next": next_url}, follow_redirects=False)


def new_client(app: Any) -> TestClient:
    return TestClient(app, base_url="http://testserver")
