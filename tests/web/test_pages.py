"""The home page, the shared layout (landmarks, skip link, header menu) and translations."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from callimachus.web.pages import i18n
from tests.helpers import published_record
from tests.web.helpers import HTML, sign_in

POT = Path(i18n.CATALOGUES) / "messages.pot"
ROOT = Path(__file__).resolve().parents[2]


def test_home_lists_recent_uploads_the_visitor_may_see(client, owner, metadata):
    first = published_record(client, owner.headers, {**metadata, "title": "First <b>open</b> study"})
    hidden = published_record(client, owner.headers, {**metadata, "title": "Hidden study"}, access={"record": "restricted", "files": "restricted"})
    page = client.get("/")
    assert page.status_code == 200
    assert "First &lt;b&gt;open&lt;/b&gt; study" in page.text and f'href="http://testserver/records/{first["id"]}"' in page.text
    assert "Hidden study" not in page.text
    assert "Hidden study" in client.get("/", headers=owner.headers).text
    assert hidden["id"]


def test_home_without_records(client):
    assert "Nothing has been published yet." in client.get("/").text


def test_layout_landmarks_and_menus(client, make_account):
    page = client.get("/").text
    assert '<html lang="en">' in page and 'class="skip-link" href="#main"' in page and '<main id="main"' in page
    assert "<header" in page and "<footer" in page and 'role="search"' in page and 'action="/search"' in page
    assert 'href="/login"' in page and 'href="/signup"' in page and "Sign out" not in page
    account = make_account("menu@example.org")
    sign_in(client, account.email)
    signed_in = client.get("/").text
    assert "Signed in as menu@example.org" in signed_in and 'action="/logout"' in signed_in and 'href="/signup"' not in signed_in


def test_sign_in_link_returns_to_the_page(client, owner, metadata):
    record = published_record(client, owner.headers, metadata)
    page = client.get(f"/records/{record['id']}", headers=HTML).text
    assert f'href="/login?next=/records/{record["id"]}"' in page or f'href="/login?next=%2Frecords%2F{record["id"]}"' in page


def test_error_pages_use_the_layout(client):
    response = client.get("/records/424242", headers=HTML)
    assert response.status_code == 404 and "<h1>404</h1>" in response.text and 'class="skip-link"' in response.text


@pytest.mark.backend_independent
@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, "en"), ("", "en"), ("de-CH, de;q=0.8", "de"), ("fr;q=0.9, de;q=0.95", "de"), ("xx, *;q=0.1", "en"), ("de;q=0", "en")],
)
def test_locale_negotiation(header, expected, monkeypatch):
    monkeypatch.setattr(i18n, "available_locales", lambda: frozenset({"en", "de"}))
    assert i18n.negotiate(header) == expected


@pytest.mark.backend_independent
def test_translated_values_are_escaped():
    gettext = i18n.callables("en")["gettext"]
    assert str(gettext("Signed in as %(name)s", name="<b>x</b>")) == "Signed in as &lt;b&gt;x&lt;/b&gt;"
    assert gettext("<b>not markup</b>") == "<b>not markup</b>"  # plain text: escaped where it is shown


def _babel() -> None:
    pytest.importorskip("babel", reason="Babel extracts and compiles catalogues (pip install Babel)")


@pytest.mark.backend_independent
def test_message_template_is_up_to_date(tmp_path):
    _babel()
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "src/callimachus/translations/babel.cfg", "-k", "N_",
         "--no-location", "--sort-output", "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    ids = lambda text: set(re.findall(r'^msgid "(.+)"$', text, re.M))  # noqa: E731
    assert ids(fresh.read_text()) == ids(POT.read_text()), "run the extraction command in src/callimachus/translations/README.md"


def test_pages_are_translated_when_a_catalogue_exists(client, tmp_path, monkeypatch):
    _babel()
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="de")
    catalog.add("Sign in", "Anmelden")
    catalog.add("Signed in as %(name)s", "Angemeldet als %(name)s")
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    monkeypatch.setattr(i18n, "CATALOGUES", tmp_path)
    i18n.available_locales.cache_clear()
    i18n.translations.cache_clear()
    try:
        page = client.get("/login", headers={"Accept-Language": "de"}).text
        assert '<html lang="de">' in page and "<h1>Anmelden</h1>" in page
        assert "<h1>Sign in</h1>" in client.get("/login", headers={"Accept-Language": "en"}).text
    finally:
        i18n.available_locales.cache_clear()
        i18n.translations.cache_clear()
