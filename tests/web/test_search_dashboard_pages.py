"""The search page (facets from the API's aggregations, sort, paging, query errors) and the
dashboard (my uploads and drafts, access requests to decide and mine, shared with me)."""

from __future__ import annotations

import re

import lxml.html

from tests.helpers import create_draft, published_record
from tests.web.helpers import HTML, csrf, new_client, sign_in


def _titles(page: str) -> list[str]:
    return [h.text_content().strip() for h in lxml.html.fromstring(page).xpath('//li[contains(@class, "record-card")]/h3')]


def _facet_values(page: str, name: str) -> dict[str, str]:
    tree = lxml.html.fromstring(page)
    return {i.get("value"): i.getparent().text_content().strip() for i in tree.xpath(f'//fieldset[@id="facet-{name}"]//input')}


def test_search_page_with_facets_sort_and_paging(client, owner, metadata):
    published_record(client, owner.headers, {**metadata, "title": "Alpha tides", "resource_type": {"id": "software"}})
    published_record(client, owner.headers, {**metadata, "title": "Beta tides"})
    published_record(client, owner.headers, {**metadata, "title": "Gamma <i>ice</i>"})
    published_record(client, owner.headers, {**metadata, "title": "Hidden tides"}, access={"record": "restricted", "files": "restricted"})
    page = client.get("/search", headers=HTML)
    assert page.status_code == 200 and "3 records" in page.text
    assert sorted(_titles(page.text)) == ["Alpha tides", "Beta tides", "Gamma <i>ice</i>"]
    types = _facet_values(page.text, "resource_type")
    assert types["dataset"].startswith("Dataset (2)") and types["software"].startswith("Software (1)")
    assert "open" in _facet_values(page.text, "access_status")

    tides = client.get("/search?q=tides&resource_type=dataset", headers=HTML).text
    assert _titles(tides) == ["Beta tides"] and "1 record" in tides
    assert 'value="dataset" checked' in tides and 'id="search-q" type="search" name="q" value="tides"' in tides
    by_title = client.get("/search?sort=title-desc", headers=HTML).text
    assert _titles(by_title) == ["Gamma <i>ice</i>", "Beta tides", "Alpha tides"]
    assert '<option value="title-desc" selected>' in by_title

    first = client.get("/search?sort=title&size=2", headers=HTML).text
    assert _titles(first) == ["Alpha tides", "Beta tides"]
    next_url = lxml.html.fromstring(first).xpath('//a[@rel="next"]/@href')[0]
    assert "page=2" in next_url and "sort=title" in next_url
    assert _titles(client.get(next_url, headers=HTML).text) == ["Gamma <i>ice</i>"]

    signed = new_client(client.app)
    sign_in(signed, owner.email)
    assert "4 records" in signed.get("/search", headers=HTML).text  # the owner finds the restricted one


def test_search_page_explains_bad_queries(client):
    response = client.get("/search?q=title:(unclosed", headers=HTML)
    assert response.status_code == 400 and "Invalid query string syntax." in response.text
    assert 'id="query-help"' in response.text


def test_dashboard_lists_uploads_requests_and_shares(client, owner, make_account, metadata):
    assert client.get("/me/uploads", headers=HTML, follow_redirects=False).status_code == 303
    record = published_record(client, owner.headers, {**metadata, "title": "Restricted files"}, access={"record": "public", "files": "restricted"})
    create_draft(client, owner.headers, {"title": "Unfinished <draft>"})
    friend = make_account("friend@example.org")
    shared = create_draft(client, friend.headers, {"title": "Friend's draft"})
    assert client.post(f"/api/records/{shared['id']}/access/grants", headers=friend.headers,
                       json={"grants": [{"subject": {"type": "user", "email": owner.email}, "permission": "edit"}]}).status_code == 201
    asker = make_account("asker@example.org")
    asked = client.post(f"/api/records/{record['id']}/access/request", headers=asker.headers, json={"message": "Please <b>let me</b> see"})
    assert asked.status_code == 201, asked.text

    sign_in(client, owner.email)
    page = client.get("/me/uploads", headers=HTML).text
    uploads = lxml.html.fromstring(page).xpath('//section[@id="uploads"]//h3')
    assert [h.text_content().strip() for h in uploads] == ["Unfinished <draft>", "Restricted files"]
    assert f'action="/records/{record["id"]}/new-version"' in page
    shares = lxml.html.fromstring(page).xpath('//section[@id="shared"]//h3')
    assert [h.text_content().strip() for h in shares] == ["Friend's draft"] and "you may edit" in page
    assert "asker@example.org" in page and "Please &lt;b&gt;let me&lt;/b&gt; see" in page

    request_id = re.search(r'/me/requests/([\w-]+)/accept', page).group(1)
    token = csrf(client, "/me/uploads")
    accepted = client.post(f"/me/requests/{request_id}/accept", data={"csrf_token": token, "message": "Welcome"}, headers=HTML, follow_redirects=False)
    assert accepted.status_code == 303
    page = client.get("/me/uploads", headers=HTML).text
    assert "The request is accepted" in page and "No request is waiting for you." in page
    again = client.post(f"/me/requests/{request_id}/decline", data={"csrf_token": token}, headers=HTML, follow_redirects=True)
    assert "already accepted" in again.text
    assert client.get(f"/api/records/{record['id']}/files/data.csv/content", headers=asker.headers).status_code == 200

    mine = new_client(client.app)
    sign_in(mine, asker.email)
    page = mine.get("/me/uploads", headers=HTML).text
    assert "Restricted files" in page and "accepted: Welcome" in page
    forged = mine.post(f"/me/requests/{request_id}/cancel", data={}, headers=HTML)
    assert forged.status_code == 403


def test_asking_for_restricted_files_from_the_landing_page(client, owner, make_account, metadata, ctx):
    record = published_record(client, owner.headers, {**metadata, "title": "Closed files"}, access={"record": "public", "files": "restricted"})
    guest = new_client(client.app)
    page = guest.get(f"/records/{record['id']}", headers=HTML).text
    assert f'action="/records/{record["id"]}/request-access"' in page and 'name="email"' in page
    token = csrf(guest, f"/records/{record['id']}")
    sent = guest.post(f"/records/{record['id']}/request-access", data={"csrf_token": token, "full_name": "Ann Guest", "email": "ann@example.org", "message": "Hi"}, headers=HTML, follow_redirects=True)
    assert "Check your inbox" in sent.text
    reader = new_client(client.app)
    sign_in(reader, make_account("reader@example.org").email)
    token = csrf(reader, f"/records/{record['id']}")
    sent = reader.post(f"/records/{record['id']}/request-access", data={"csrf_token": token, "message": "For my thesis"}, headers=HTML, follow_redirects=True)
    assert "Your request was sent to the owners" in sent.text
    again = reader.post(f"/records/{record['id']}/request-access", data={"csrf_token": token}, headers=HTML, follow_redirects=True)
    assert "already asked" in again.text
    assert "Closed files" in reader.get("/me/uploads", headers=HTML).text
    sign_in(client, owner.email)
    assert "For my thesis" in client.get("/me/uploads", headers=HTML).text
    assert "Ask the owners" not in client.get(f"/records/{record['id']}", headers=HTML).text  # the owner sees the files
