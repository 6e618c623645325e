"""``GET /api/records`` and ``GET /api/user/records`` through the in-process app: queries, facets,
sorting, paging and cursors, access (nothing hidden is found or counted), and bad inputs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from tests.helpers import create_draft, published_record, upload


@pytest.fixture
def search_backend(request: pytest.FixtureRequest, ctx: Any) -> str:
    """Run a test on the PostgreSQL search backend instead of Tantivy (``indirect`` parameter)."""
    name = getattr(request, "param", "tantivy")
    if name == "postgresql":
        ctx.index = request.getfixturevalue("postgres_search")
    return name


BOTH_SEARCH_BACKENDS = pytest.mark.parametrize("search_backend", ["tantivy", "postgresql"], indirect=True)


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()["hits"]["hits"]]


def buckets(body: dict[str, Any], facet: str) -> dict[str, int]:
    return {b["key"]: b["doc_count"] for b in body["aggregations"][facet]["buckets"]}


def _three(client: Any, owner: Any, metadata: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    ocean = published_record(client, owner.headers, {**metadata, "subjects": [{"subject": "Oceanography"}]})
    software = published_record(
        client, owner.headers,
        {**metadata, "title": "Glacier melt model", "resource_type": {"id": "software"}, "publication_date": "2019-03",
         "creators": [{"person_or_org": {"type": "personal", "family_name": "Lovelace", "given_name": "Ada"}}]},
        files={"model.py": b"print(1)\n"},
    )  # fmt: skip
    article = published_record(
        client, owner.headers,
        {**metadata, "title": "Sea ice and ocean currents", "resource_type": {"id": "publication-article"}, "publication_date": "2021/2022",
         "languages": [{"id": "deu"}]},
        files={"paper.pdf": b"%PDF-1.4\n"},
    )  # fmt: skip
    return ocean, software, article


@BOTH_SEARCH_BACKENDS
def test_queries_fields_phrases_and_facets(client, owner, metadata, search_backend):
    ocean, software, article = _three(client, owner, metadata)
    assert set(ids(client.get("/api/records", params={"q": "ocean"}))) == {ocean["id"], article["id"]}
    assert ids(client.get("/api/records", params={"q": '"north atlantic"'})) == [ocean["id"]]
    assert ids(client.get("/api/records", params={"q": '"atlantic north"'})) == []
    assert ids(client.get("/api/records", params={"q": "creators.name:lovelace"})) == [software["id"]]
    assert ids(client.get("/api/records", params={"q": "keywords:oceanography"})) == [ocean["id"]]
    assert ids(client.get("/api/records", params={"q": f"doi:\"{article['pids']['doi']['identifier']}\""})) == [article["id"]]
    assert ids(client.get("/api/records", params={"q": "publication_date:[2020 TO 2023}"})) == [article["id"]]
    assert ids(client.get("/api/records", params={"q": "publication_date:[2019-03-31 TO 2021}"})) == [software["id"]]
    assert ids(client.get("/api/records", params={"q": "oce*", "sort": "oldest"})) == [ocean["id"], article["id"]]
    assert ids(client.get("/api/records", params={"q": "files.key:*.pdf"})) == [article["id"]]
    assert ids(client.get("/api/records", params={"type": "publication", "subtype": "article"})) == [article["id"]]
    assert ids(client.get("/api/records", params={"type": "Software"})) == [software["id"]]
    body = client.get("/api/records", params={"q": "ocean OR glacier"}).json()
    assert body["hits"]["total"] == 3 and body["sortBy"] == "bestmatch"
    hit = body["hits"]["hits"][0]
    assert {"metadata", "access", "files", "links", "pids", "parent"} <= set(hit)
    types = body["aggregations"]["resource_type"]["buckets"]
    assert {(b["key"], b["doc_count"], b["label"]) for b in types} == {("dataset", 1, "Dataset"), ("software", 1, "Software"), ("publication", 1, "Publication")}
    publication = next(b for b in types if b["key"] == "publication")
    assert publication["inner"]["buckets"] == [{"key": "publication-article", "doc_count": 1, "label": "Journal article", "is_selected": False}]
    assert buckets(body, "access_status") == {"open": 3}
    assert buckets(body, "file_type") == {"csv": 1, "py": 1, "pdf": 1}
    assert buckets(body, "language") == {"deu": 1}
    assert buckets(body, "subject") == {"Oceanography": 1}
    assert buckets(body, "license") == {"cc-by-4.0": 3}
    assert buckets(body, "publication_year") == {"2024": 1, "2019": 1, "2021": 1}
    # Facet filters narrow the hits; the counts stay those of the query (InvenioRDM's post-filter).
    filtered = client.get("/api/records", params={"q": "ocean OR glacier", "resource_type": "software"}).json()
    assert [h["id"] for h in filtered["hits"]["hits"]] == [software["id"]] and filtered["hits"]["total"] == 1
    assert buckets(filtered, "resource_type") == buckets(body, "resource_type")
    assert next(b for b in filtered["aggregations"]["resource_type"]["buckets"] if b["key"] == "software")["is_selected"]
    nested = client.get("/api/records", params={"resource_type": "publication::publication-article"})
    assert ids(nested) == [article["id"]]
    assert ids(client.get("/api/records", params={"file_type": "pdf", "language": "deu"})) == [article["id"]]


def test_sorting_and_legacy_names(client, owner, metadata):
    ocean, software, article = _three(client, owner, metadata)
    newest = [article["id"], software["id"], ocean["id"]]
    assert ids(client.get("/api/records")) == newest
    assert ids(client.get("/api/records", params={"sort": "mostrecent"})) == newest
    assert ids(client.get("/api/records", params={"sort": "-mostrecent"})) == newest[::-1]
    assert ids(client.get("/api/records", params={"sort": "title"})) == [software["id"], ocean["id"], article["id"]]
    assert ids(client.get("/api/records", params={"sort": "-publication_date"})) == [software["id"], article["id"], ocean["id"]]
    viewed = client.get("/api/records", params={"sort": "mostviewed"}).json()
    assert viewed["sortBy"] == "newest" and [h["id"] for h in viewed["hits"]["hits"]] == newest
    assert client.get("/api/records", params={"sort": "mostdownloaded"}).json()["sortBy"] == "newest"
    assert client.get("/api/records", params={"sort": "bestmatch"}).json()["sortBy"] == "newest"  # nothing to rank by
    assert client.get("/api/records", params={"q": "ocean"}).json()["sortBy"] == "bestmatch"


@BOTH_SEARCH_BACKENDS
def test_pages_and_cursor(client, owner, metadata, search_backend):
    made = [published_record(client, owner.headers, {**metadata, "title": f"Series part {i}"}) for i in range(5)]
    expected = [r["id"] for r in reversed(made)]
    first = client.get("/api/records", params={"q": "series", "sort": "newest", "size": 2}).json()
    assert [h["id"] for h in first["hits"]["hits"]] == expected[:2] and first["hits"]["total"] == 5
    assert "page=2" in first["links"]["next"] and "prev" not in first["links"]
    second = client.get(first["links"]["next"]).json()
    assert [h["id"] for h in second["hits"]["hits"]] == expected[2:4] and "page=1" in second["links"]["prev"]
    last = client.get("/api/records", params={"q": "series", "sort": "newest", "size": 2, "page": 3}).json()
    assert [h["id"] for h in last["hits"]["hits"]] == expected[4:] and "next" not in last["links"]
    # An empty cursor starts cursor paging; each page's links.next resumes after its last hit,
    # whatever is published meanwhile.
    body = client.get("/api/records", params={"q": "series", "sort": "newest", "size": 2, "cursor": ""}).json()
    walked = [h["id"] for h in body["hits"]["hits"]]
    published_record(client, owner.headers, {**metadata, "title": "Series part late"})
    pages = 1
    while "next" in body["links"]:
        assert "cursor=" in body["links"]["next"] and "prev" not in body["links"]
        body = client.get(body["links"]["next"]).json()
        walked.extend(h["id"] for h in body["hits"]["hits"])
        pages += 1
    assert walked == expected and pages == 3
    token = client.get("/api/records", params={"q": "series", "sort": "newest", "size": 2, "cursor": ""}).json()["links"]["next"].split("cursor=")[1]
    for other in ({"q": "ocean", "sort": "newest"}, {"q": "series", "sort": "oldest"}, {"q": "series", "sort": "newest", "all_versions": "true"}):
        response = client.get("/api/records", params={**other, "size": 2, "cursor": token})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "cursor", other
    # Relevance pages by cursor too.
    body = client.get("/api/records", params={"q": "series part", "size": 2, "cursor": ""}).json()
    ranked = [h["id"] for h in body["hits"]["hits"]]
    while "next" in body["links"]:
        body = client.get(body["links"]["next"]).json()
        ranked.extend(h["id"] for h in body["hits"]["hits"])
    assert sorted(ranked) == sorted(expected + [ids(client.get("/api/records", params={"q": "late"}))[0]])


def test_versions_latest_by_default_and_user_drafts(client, owner, make_account, metadata):
    v1 = published_record(client, owner.headers, metadata)
    draft = client.post(f"/api/records/{v1['id']}/versions", headers=owner.headers).json()
    draft["metadata"].update(title="Ocean temperatures, second edition", publication_date="2025")
    assert client.put(f"/api/records/{draft['id']}/draft", json=draft, headers=owner.headers).status_code == 200
    assert ids(client.get("/api/records", params={"q": "edition"})) == []  # drafts are never public
    mine = client.get("/api/user/records", params={"q": "edition"}, headers=owner.headers).json()
    assert [h["id"] for h in mine["hits"]["hits"]] == [draft["id"]] and mine["hits"]["hits"][0]["is_draft"] is True
    # One entry per concept (its open draft), every version and draft with all_versions.
    assert ids(client.get("/api/user/records", headers=owner.headers)) == [draft["id"]]
    assert set(ids(client.get("/api/user/records", params={"all_versions": "1"}, headers=owner.headers))) == {draft["id"], v1["id"]}
    stranger = make_account()
    assert client.get("/api/user/records", params={"q": "edition"}, headers=stranger.headers).json()["hits"]["total"] == 0
    assert client.get("/api/user/records").status_code == 401
    client.post(f"/api/records/{draft['id']}/draft/actions/files-import", headers=owner.headers)
    v2 = client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=owner.headers).json()
    assert ids(client.get("/api/records", params={"q": "ocean"})) == [v2["id"]]
    assert set(ids(client.get("/api/records", params={"q": "ocean", "all_versions": "true"}))) == {v1["id"], v2["id"]}
    assert ids(client.get("/api/user/records", headers=owner.headers)) == [v2["id"]]


def _world(client: Any, owner: Any, metadata: dict[str, Any], clock: Any) -> dict[str, str]:
    """One record per access state, each with a marker word in its title; recids by state."""
    soon = (clock.now() + timedelta(days=30)).date().isoformat()
    states = {
        "open": ({"record": "public", "files": "public"}, {"open.csv": b"1"}),
        "restrictedfiles": ({"record": "public", "files": "restricted"}, {"mkfplantedsecret.xyzzy": b"2"}),
        "embargoed": ({"record": "public", "files": "restricted", "embargo": {"active": True, "until": soon}}, {"embargoed.qqq": b"3"}),
        "restrictedrecord": ({"record": "restricted", "files": "restricted"}, {"hidden.csv": b"4"}),
    }
    made = {}
    for name, (access, files) in states.items():
        made[name] = published_record(client, owner.headers, {**metadata, "title": f"Study mkt{name}title"}, files=files, access=access)["id"]
    made["metaonly"] = _metadata_only(client, owner, metadata)
    draft = create_draft(client, owner.headers, {**metadata, "title": "Study mktdrafttitle"})
    upload(client, owner.headers, draft["id"], "mkfdraftfile.csv", b"5")
    made["draft"] = draft["id"]
    return made


def _metadata_only(client: Any, owner: Any, metadata: dict[str, Any]) -> str:
    draft = create_draft(client, owner.headers, {**metadata, "title": "Study mktmetaonlytitle"}, files={"enabled": False})
    response = client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=owner.headers)
    assert response.status_code == 202, response.text
    return draft["id"]


@BOTH_SEARCH_BACKENDS
def test_hidden_records_are_neither_found_nor_counted(client, owner, make_account, metadata, clock, search_backend):
    made = _world(client, owner, metadata, clock)
    anonymous = client.get("/api/records", params={"q": "study", "size": 25}).json()
    visible = {made[n] for n in ("open", "restrictedfiles", "embargoed", "metaonly")}
    assert {h["id"] for h in anonymous["hits"]["hits"]} == visible and anonymous["hits"]["total"] == 4
    assert sum(buckets(anonymous, "resource_type").values()) == 4
    assert buckets(anonymous, "access_status") == {"open": 1, "restricted": 1, "embargoed": 1, "metadata-only": 1}
    for marker in ("mktrestrictedrecordtitle", "mktdrafttitle", "title:mktrestrictedrecordtitle"):
        body = client.get("/api/records", params={"q": marker}).json()
        assert body["hits"]["total"] == 0 and sum(buckets(body, "resource_type").values()) == 0, marker
    # File names and types of files the visitor may not download are neither searchable nor counted.
    assert buckets(anonymous, "file_type") == {"csv": 1}
    for q in ("files.key:mkfplantedsecret.xyzzy", "files.key:*planted*", "filename:embargoed.qqq", "mkfplantedsecret", "files.type:xyzzy"):
        assert client.get("/api/records", params={"q": q}).json()["hits"]["total"] == 0, q
    assert ids(client.get("/api/records", params={"q": "_exists_:files.key"})) == [made["open"]]
    assert client.get("/api/records", params={"file_type": "xyzzy"}).json()["hits"]["total"] == 0
    assert made["restrictedfiles"] in ids(client.get("/api/records", params={"q": "NOT files.key:mkfplantedsecret.xyzzy", "size": 25}))
    # The owner finds all of it, and the draft in their own list only.
    mine = client.get("/api/records", params={"q": "study", "size": 100}, headers=owner.headers).json()
    assert mine["hits"]["total"] == 5 and buckets(mine, "file_type") == {"csv": 2, "xyzzy": 1, "qqq": 1}
    assert ids(client.get("/api/records", params={"q": "files.key:mkfplantedsecret.xyzzy"}, headers=owner.headers)) == [made["restrictedfiles"]]
    assert ids(client.get("/api/user/records", params={"q": "mktdrafttitle"}, headers=owner.headers)) == [made["draft"]]
    assert ids(client.get("/api/user/records", params={"q": "files.key:mkfdraftfile.csv"}, headers=owner.headers)) == [made["draft"]]
    stranger = make_account()
    assert client.get("/api/records", params={"q": "mktrestrictedrecordtitle"}, headers=stranger.headers).json()["hits"]["total"] == 0
    # A secret link to view the restricted record shows it to whoever presents the link.
    link = client.post(f"/api/records/{made['restrictedrecord']}/access/links", json={"permission": "view"}, headers=owner.headers).json()
    assert ids(client.get("/api/records", params={"q": "mktrestrictedrecordtitle", "token": link["token"]})) == [made["restrictedrecord"]]
    # When the embargo ends the files open: found by name and counted as open, with no re-indexing.
    clock.advance(days=31)
    assert ids(client.get("/api/records", params={"q": "filename:embargoed.qqq"})) == [made["embargoed"]]
    after = client.get("/api/records", params={"q": "study", "size": 25}).json()
    assert buckets(after, "access_status") == {"open": 2, "restricted": 1, "metadata-only": 1}


BAD_REQUESTS = [
    ({"q": 'title:"ocean'}, "q", "Unbalanced quotation mark (at position 6)"),
    ({"q": "(ocean AND sea"}, "q", "Unbalanced '('"),
    ({"q": "publication_date:[2020 TO 2021"}, "q", "Unbalanced '['"),
    ({"q": "ocean AND colour:blue"}, "q", "Unknown field 'colour' (at position 10)"),
    ({"q": "ocean " * 10_000}, "q", "too long"),
    ({"size": "100000"}, "size", "Must be between 1 and 25."),
    ({"size": "0"}, "size", "Must be between 1 and 25."),
    ({"page": "-1"}, "page", "Must be 1 or more."),
    ({"page": "0"}, "page", "Must be 1 or more."),
    ({"page": "two"}, "page", "Must be a whole number."),
    ({"page": "2000", "size": "10"}, "page", "cursor"),
    ({"sort": "loudest"}, "sort", "Invalid sort option"),
    ({"cursor": "not-a-cursor"}, "cursor", "invalid"),
]


@pytest.mark.parametrize(("params", "field", "text"), BAD_REQUESTS, ids=[f"{p[1]}-{i}" for i, p in enumerate(BAD_REQUESTS)])
def test_bad_inputs_are_clear_400s(client, owner, metadata, params, field, text):
    response = client.get("/api/records", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and isinstance(body["message"], str) and body["message"]
    assert [e["field"] for e in body["errors"]] == [field]
    assert any(text in m for m in body["errors"][0]["messages"]), body
    # The server answers the next search as usual.
    assert client.get("/api/records", params={"q": "ocean"}).status_code == 200


def test_authenticated_page_size_limit(client, owner):
    assert client.get("/api/records", params={"size": 100}, headers=owner.headers).status_code == 200
    response = client.get("/api/records", params={"size": 101}, headers=owner.headers)
    assert response.status_code == 400 and response.json()["message"] == "Page size cannot be greater than 100."
    assert client.get("/api/records", params={"size": 26}).json()["message"] == "Page size cannot be greater than 25."


def test_a_100_kb_query_is_refused_and_the_server_answers_on(app, client):
    """Sent straight to the ASGI app: HTTP clients refuse to build such a URL themselves."""
    import anyio
    import orjson

    async def get(query: bytes) -> tuple[int, dict[str, Any]]:
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": "/api/records", "raw_path": b"/api/records", "query_string": query, "root_path": "",
            "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1), "server": ("testserver", 80),
        }  # fmt: skip
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return sent[0]["status"], orjson.loads(body)

    def run(query: bytes) -> tuple[int, dict[str, Any]]:
        # A thread of its own: the browser tests' Playwright keeps an event loop running in this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(anyio.run, get, query).result()

    status, body = run(b"q=" + b"ocean+" * 17_000)
    assert status == 400 and body["errors"][0]["field"] == "q" and "too long" in body["errors"][0]["messages"][0]
    assert run(b"q=ocean")[0] == 200
