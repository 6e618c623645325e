"""The deposit form through the in-process app: every field of the record model goes through the
HTML form into the draft and back; wrong values are shown next to their fields and in a summary;
the pre-publish check lists every problem; forms without the session's token are refused."""

from __future__ import annotations

import copy
from typing import Any

import lxml.html
import pytest

from tests.helpers import NATIVE, create_draft, upload
from tests.metadata.strategies import full_example
from tests.web.deposit_helpers import (
    draft_id,
    error_of,
    field_value,
    form_fields,
    post_deposit,
    summary_links,
)
from tests.web.helpers import HTML, csrf, new_client, sign_in


def _api_draft(client: Any, owner: Any, recid: str) -> dict[str, Any]:
    response = client.get(f"/api/records/{recid}/draft", headers={**owner.headers, **NATIVE})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _stable(draft: dict[str, Any]) -> dict[str, Any]:
    return {"metadata": draft["metadata"], "custom_fields": draft["custom_fields"], "access": draft["access"], "files": draft["files"]["enabled"], "pids": draft["pids"]}


FUTURE = "2031-03-01"


@pytest.fixture
def full_draft(client, owner) -> dict[str, Any]:
    metadata, custom = full_example()
    access = {"record": "public", "files": "restricted", "embargo": {"active": True, "until": FUTURE, "reason": "Peer review"}}
    return create_draft(client, owner.headers, metadata, custom_fields=custom, access=access, pids={"doi": {"identifier": "10.1234/own.doi", "provider": "external"}})


def test_new_upload_needs_signing_in(client):
    response = client.get("/uploads/new", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fuploads%2Fnew"


def test_every_field_round_trips_through_the_form(client, owner, full_draft):
    """A draft with every field (made with the API) shown in the form and saved unchanged; the
    same fields posted to /uploads/new make an identical new draft: no field is left out."""
    sign_in(client, owner.email)
    before = _api_draft(client, owner, full_draft["id"])
    page = client.get(f"/uploads/{full_draft['id']}", headers=HTML)
    assert page.status_code == 200
    fields = form_fields(page.text)
    assert ("metadata.creators.0.person_or_org.identifiers.0.identifier", "0000-0002-1825-0097") in fields
    assert ("metadata.locations.features.1.polygon", "[[[6.0, 46.0], [7.0, 46.0], [7.0, 47.0], [6.0, 46.0]]]") in fields
    saved = post_deposit(client, f"/uploads/{full_draft['id']}", fields)
    assert saved.status_code == 303 and saved.headers["location"] == f"/uploads/{full_draft['id']}"
    after = _api_draft(client, owner, full_draft["id"])
    assert _stable(after) == _stable(before)
    assert after["revision_id"] > before["revision_id"]  # it was saved, and nothing changed

    assert after["pids"]["doi"] == {"identifier": "10.1234/own.doi", "provider": "external", "client": None}

    # A DOI belongs to one record only: the copy goes without it.
    created = post_deposit(client, "/uploads/new", [(k, v) for k, v in fields if k != "pids.doi.identifier"])
    assert created.status_code == 303
    copy_of = _api_draft(client, owner, draft_id(created))
    assert {**_stable(copy_of), "pids": None} == {**_stable(before), "pids": None}
    metadata, custom = full_example()
    assert set(copy_of["metadata"]) == set(metadata) and set(copy_of["custom_fields"]) == set(custom)


def test_form_fields_become_the_draft(client, owner):
    """Dotted names, rows with gaps, empty rows dropped, coordinates, embargo and metadata-only."""
    sign_in(client, owner.email)
    fields = {
        "metadata.resource_type.id": "Dataset", "metadata.title": "  Tides  ", "metadata.publication_date": "2024-05",
        "metadata.creators.0.person_or_org.type": "personal", "metadata.creators.0.person_or_org.family_name": "Carberry",
        "metadata.creators.0.person_or_org.given_name": "Josiah",
        "metadata.creators.0.person_or_org.identifiers.0.scheme": "orcid",
        "metadata.creators.0.person_or_org.identifiers.0.identifier": "https://orcid.org/0000-0002-1825-0097",
        "metadata.creators.0.person_or_org.identifiers.1.scheme": "orcid",  # an empty row
        "metadata.creators.0.affiliations.0.name": "CERN", "metadata.creators.0.affiliations.0.id": "https://ror.org/01ggx4157",
        "metadata.creators.1.person_or_org.type": "personal",  # an empty row
        "metadata.creators.7.person_or_org.type": "organizational", "metadata.creators.7.person_or_org.name": "Brown University",
        "metadata.rights.0.id": "CC-BY-4.0", "metadata.languages.0.id": "en", "metadata.subjects.3.subject": "tides",
        "metadata.locations.features.0.place": "Geneva", "metadata.locations.features.0.lat": "46.2",
        "metadata.locations.features.0.lon": "6,15", "metadata.sizes.0": "3 MB",
        "custom_fields.code:developmentStatus.id": "active", "custom_fields.code:programmingLanguage.0.id": "python",
        "access.record": "public", "access.files": "restricted", "access.embargo.active": "true",
        "access.embargo.until": FUTURE, "access.embargo.reason": "Review", "files.enabled": "false",
        "not.a.field": "ignored",
    }  # fmt: skip
    created = post_deposit(client, "/uploads/new", fields)
    assert created.status_code == 303, created.text
    draft = _api_draft(client, owner, draft_id(created))
    md = draft["metadata"]
    assert md["title"] == "Tides" and md["resource_type"]["id"] == "dataset" and md["publication_date"] == "2024-05"
    assert [c["person_or_org"]["name"] for c in md["creators"]] == ["Carberry, Josiah", "Brown University"]
    assert md["creators"][0]["person_or_org"]["identifiers"] == [{"scheme": "orcid", "identifier": "0000-0002-1825-0097"}]
    assert md["creators"][0]["affiliations"] == [{"id": "01ggx4157", "name": "CERN"}]
    assert md["rights"][0]["id"] == "cc-by-4.0" and [lang["id"] for lang in md["languages"]] == ["eng"]
    assert md["subjects"] == [{"subject": "tides"}] and md["sizes"] == ["3 MB"]
    assert md["locations"]["features"] == [{"geometry": {"type": "Point", "coordinates": [6.15, 46.2]}, "place": "Geneva"}]
    assert draft["custom_fields"]["code:developmentStatus"]["id"] == "active"
    assert draft["access"]["files"] == "restricted" and draft["access"]["embargo"] == {"active": True, "until": FUTURE, "reason": "Review"}
    assert draft["files"]["enabled"] is False

    fields.update({"access.embargo.active": "", "files.enabled": "true", "metadata.locations.features.0.lat": ""})
    fields.pop("metadata.locations.features.0.lon")
    saved = post_deposit(client, created.headers["location"], fields)
    assert saved.status_code == 303
    draft = _api_draft(client, owner, draft_id(created))
    assert draft["access"]["embargo"]["active"] is False and draft["files"]["enabled"] is True
    assert draft["metadata"]["locations"]["features"] == [{"place": "Geneva"}]


def test_wrong_values_are_shown_next_to_their_fields(client, owner, metadata):
    sign_in(client, owner.email)
    draft = create_draft(client, owner.headers, metadata)
    before = _api_draft(client, owner, draft["id"])
    page = client.get(f"/uploads/{draft['id']}", headers=HTML)
    fields = dict(form_fields(page.text))
    fields.update({
        "metadata.title": "New <b>title</b>", "metadata.publication_date": "2023-02-30",
        "metadata.creators.0.person_or_org.identifiers.0.identifier": "0000-0002-1825-0098",
        "metadata.rights.0.id": "no-such-licence", "metadata.locations.features.0.lat": "north",
        "metadata.locations.features.0.lon": "6", "custom_fields.journal:journal.issn": "1234",
        "access.files": "restricted", "access.embargo.active": "true", "access.embargo.until": "2001-01-01",
    })  # fmt: skip
    refused = post_deposit(client, f"/uploads/{draft['id']}", fields)
    assert refused.status_code == 400
    text = refused.text
    assert "date" in error_of(text, "metadata.publication_date").lower()
    assert "ORCID" in error_of(text, "metadata.creators.0.person_or_org.identifiers.0.identifier")
    assert "licence" in error_of(text, "metadata.rights.0.id").lower()
    assert error_of(text, "metadata.locations.features.0.lat") == "Enter a number, e.g. 46.2."
    assert error_of(text, "custom_fields.journal:journal.issn")
    assert "future" in error_of(text, "access.embargo.until")
    links = summary_links(text)
    for name in ("metadata.publication_date", "metadata.rights.0.id", "metadata.locations.features.0.lat", "access.embargo.until"):
        assert f"#f-{name}" in links, links
    assert "Licences and rights › 1" in links["#f-metadata.rights.0.id"]
    # What was typed is shown again (escaped), and nothing was saved.
    assert field_value(text, "metadata.title") == "New <b>title</b>" and "New &lt;b&gt;title&lt;/b&gt;" in text
    assert field_value(text, "metadata.locations.features.0.lat") == "north"
    assert _stable(_api_draft(client, owner, draft["id"])) == _stable(before)


def test_the_pre_publish_check_lists_every_problem(client, owner, metadata):
    sign_in(client, owner.email)
    del metadata["rights"]
    draft = create_draft(client, owner.headers, metadata)
    fields = form_fields(client.get(f"/uploads/{draft['id']}", headers=HTML).text)
    checked = post_deposit(client, f"/uploads/{draft['id']}", fields, action="check")
    assert checked.status_code == 200
    links = summary_links(checked.text)
    assert set(links) == {"#f-metadata.rights", "#f-files.enabled"}
    assert "A licence is required." in links["#f-metadata.rights"] and error_of(checked.text, "metadata.rights") == "A licence is required."
    assert "Missing uploaded files" in error_of(checked.text, "files.enabled")

    refused = post_deposit(client, f"/uploads/{draft['id']}", fields, action="publish")
    assert refused.status_code == 400 and set(summary_links(refused.text)) == set(links)
    assert client.get(f"/api/records/{draft['id']}", headers=owner.headers).status_code == 404  # not published

    upload(client, owner.headers, draft["id"], "data.csv", b"a,b\n1,2\n")
    fields = [(k, v) for k, v in fields if k != "metadata.rights.0.id"] + [("metadata.rights.0.id", "cc0-1.0")]
    ready = post_deposit(client, f"/uploads/{draft['id']}", fields, action="check")
    assert ready.status_code == 200 and "Everything needed to publish is there" in ready.text
    published = post_deposit(client, f"/uploads/{draft['id']}", fields, action="publish")
    assert published.status_code == 303 and published.headers["location"] == f"/records/{draft['id']}"
    record = client.get(f"/api/records/{draft['id']}", headers={**owner.headers, **NATIVE}).json()
    assert record["metadata"]["rights"][0]["id"] == "cc0-1.0" and record["pids"]["doi"]["identifier"]


def test_reserve_a_doi_preview_and_discard(client, owner, metadata):
    sign_in(client, owner.email)
    created = post_deposit(client, "/uploads/new", {"metadata.title": "Reserved"}, action="reserve-doi")
    assert created.status_code == 303 and created.headers["location"].endswith("#doi")
    recid = created.headers["location"].split("/")[2].split("#")[0]
    doi = _api_draft(client, owner, recid)["pids"]["doi"]
    assert doi["provider"] == "local"
    page = client.get(f"/uploads/{recid}", headers=HTML).text
    assert doi["identifier"] in page and 'name="pids.doi.identifier"' not in page
    saved = post_deposit(client, f"/uploads/{recid}", form_fields(page))
    assert saved.status_code == 303 and _api_draft(client, owner, recid)["pids"]["doi"] == doi  # kept
    preview = post_deposit(client, f"/uploads/{recid}", form_fields(page), action="preview")
    assert preview.headers["location"] == f"/records/{recid}?preview=1"
    assert client.get(preview.headers["location"], headers=HTML).status_code == 200
    token = csrf(client, f"/uploads/{recid}")
    deleted = client.post(f"/uploads/{recid}/delete", data={"csrf_token": token}, headers=HTML, follow_redirects=False)
    assert deleted.status_code == 303 and deleted.headers["location"] == "/me/uploads"
    assert client.get(f"/api/records/{recid}/draft", headers=owner.headers).status_code == 404


def test_edit_a_published_record_and_start_a_new_version(client, owner, metadata):
    sign_in(client, owner.email)
    draft = create_draft(client, owner.headers, metadata)
    upload(client, owner.headers, draft["id"], "data.csv", b"a,b\n1,2\n")
    assert client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=owner.headers).status_code == 202
    recid = draft["id"]
    assert client.get(f"/uploads/{recid}", headers=HTML, follow_redirects=False).headers["location"] == f"/records/{recid}"
    token = csrf(client, "/me/uploads")
    edit = client.post(f"/records/{recid}/edit", data={"csrf_token": token}, headers=HTML, follow_redirects=False)
    assert edit.headers["location"] == f"/uploads/{recid}"
    page = client.get(f"/uploads/{recid}", headers=HTML).text
    assert "Publish changes" in page and 'name="files.enabled" value="true" checked disabled' in page
    fields = [(k, "Better title" if k == "metadata.title" else v) for k, v in form_fields(page)]
    published = post_deposit(client, f"/uploads/{recid}", fields, action="publish")
    assert published.status_code == 303, published.text
    assert client.get(f"/api/records/{recid}", headers={**owner.headers, **NATIVE}).json()["metadata"]["title"] == "Better title"

    started = client.post(f"/records/{recid}/new-version", data={"csrf_token": token}, headers=HTML, follow_redirects=False)
    new_id = started.headers["location"].rsplit("/", 1)[1]
    assert new_id != recid
    page = client.get(f"/uploads/{new_id}", headers=HTML).text
    assert "New version draft" in page and "Import the files of the previous version" in page
    imported = client.post(f"/uploads/{new_id}/import-files", data={"csrf_token": token}, headers=HTML, follow_redirects=False)
    assert imported.status_code == 303
    page = client.get(f"/uploads/{new_id}", headers=HTML).text
    assert 'data-key="data.csv"' in page
    removed = client.post(f"/uploads/{new_id}/files/data.csv/delete", data={"csrf_token": token}, headers=HTML, follow_redirects=False)
    assert removed.status_code == 303 and 'data-key="data.csv"' not in client.get(f"/uploads/{new_id}", headers=HTML).text


def test_only_editors_see_the_form(client, owner, make_account, metadata):
    draft = create_draft(client, owner.headers, metadata)
    stranger = new_client(client.app)
    sign_in(stranger, make_account().email)
    assert stranger.get(f"/uploads/{draft['id']}", headers=HTML).status_code == 404
    token = csrf(stranger, "/uploads/new")
    refused = stranger.post(f"/uploads/{draft['id']}", data={"csrf_token": token, "metadata.title": "Mine now"}, headers=HTML)
    assert refused.status_code == 404
    assert _api_draft(client, owner, draft["id"])["metadata"]["title"] == metadata["title"]


def test_forms_and_script_calls_need_the_session_token(client, owner, metadata):
    sign_in(client, owner.email)
    draft = create_draft(client, owner.headers, metadata)
    token = csrf(client, "/uploads/new")
    for data in ({}, {"csrf_token": "forged"}):
        refused = client.post("/uploads/new", data={"metadata.title": "x", **data}, headers=HTML)
        assert refused.status_code == 403 and "did not come from this site" in refused.text
        refused = client.post(f"/uploads/{draft['id']}", data={"metadata.title": "x", **data}, headers=HTML)
        assert refused.status_code == 403
    assert _api_draft(client, owner, draft["id"])["metadata"]["title"] == metadata["title"]
    # The JSON API with the session cookie: only with the X-CSRF-Token header our scripts send,
    # whatever the body (none at all here: a "simple" request another site could send).
    path = f"/api/records/{draft['id']}/draft/pids/doi"
    assert client.post(path).status_code == 403
    assert client.post(path, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post("/api/records", json={"metadata": metadata}).status_code == 403
    assert client.post(path, headers={"X-CSRF-Token": token}).status_code == 201
    assert client.post("/api/records", json={"metadata": metadata}, headers={"X-CSRF-Token": token}).status_code == 201
    assert new_client(client.app).post(path, headers=owner.headers).status_code == 201  # tokens: unaffected
    assert client.get(f"/api/records/{draft['id']}/draft").status_code == 200  # reading needs nothing


def test_secret_links_from_the_form(client, owner, metadata):
    sign_in(client, owner.email)
    draft = create_draft(client, owner.headers, copy.deepcopy(metadata), access={"record": "restricted", "files": "restricted"})
    upload(client, owner.headers, draft["id"], "data.csv", b"a,b\n1,2\n")
    assert client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=owner.headers).status_code == 202
    token = csrf(client, f"/records/{draft['id']}/share")
    created = client.post(f"/records/{draft['id']}/share/links", data={"csrf_token": token, "permission": "view", "description": "For <reviewers>", "next": "//evil.example"}, headers=HTML, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == f"/records/{draft['id']}/share"
    page = client.get(f"/records/{draft['id']}/share", headers=HTML).text
    assert "For &lt;reviewers&gt;" in page
    (url,) = lxml.html.fromstring(page).xpath('//input[@class="link-url"]/@value')
    assert url.startswith(f"http://testserver/records/{draft['id']}?token=")
    guest = new_client(client.app)
    assert guest.get(f"/records/{draft['id']}", headers=HTML).status_code == 404
    opened = guest.get(url.replace("http://testserver", ""), headers=HTML)
    assert opened.status_code == 200 and metadata["title"].split(",")[0] in opened.text
    assert guest.get(f"/api/records/{draft['id']}/files/data.csv/content").status_code == 200  # remembered by the session
    link_id = page.split(f"/records/{draft['id']}/share/links/")[1].split("/revoke")[0]
    revoked = client.post(f"/records/{draft['id']}/share/links/{link_id}/revoke", data={"csrf_token": token}, headers=HTML, follow_redirects=False)
    assert revoked.status_code == 303
    assert guest.get(url.replace("http://testserver", ""), headers=HTML).status_code == 404
    stranger = new_client(client.app)
    assert stranger.get(f"/records/{draft['id']}/share", headers=HTML, follow_redirects=False).status_code == 303  # sign in first
