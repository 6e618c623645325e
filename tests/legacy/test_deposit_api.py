"""The legacy deposit API through the in-process app: shapes, statuses and the life of a deposition."""

from __future__ import annotations

import datetime
import hashlib

from tests.helpers import NATIVE, create_draft
from tests.legacy.data import every_field
from tests.legacy.test_roundtrip import SITE, _path, publish_legacy

DEPOSITION_LINKS = {"self", "html", "bucket", "files", "publish", "edit", "discard", "newversion", "latest_draft", "latest_draft_html"}


def test_create_with_an_empty_body_and_no_content_type(client, owner):
    response = client.post("/api/deposit/depositions", content=b"{}", headers=owner.headers)
    assert response.status_code == 201, response.text
    dep = response.json()
    assert isinstance(dep["id"], int) and dep["record_id"] == dep["id"] and dep["conceptrecid"] == str(dep["id"] - 1)
    assert dep["state"] == "unsubmitted" and dep["submitted"] is False and dep["title"] == ""
    assert set(dep["links"]) >= DEPOSITION_LINKS
    assert dep["links"]["latest_draft"] == f"{SITE}/api/deposit/depositions/{dep['id']}"
    assert dep["metadata"]["prereserve_doi"] == {"doi": f"10.5072/callimachus.{dep['id']}", "recid": dep["id"]}
    assert dep["metadata"]["publication_date"] == datetime.date.today().isoformat()
    assert dep["metadata"]["access_right"] == "open" and dep["metadata"]["license"] == "cc-by-4.0"
    assert "doi" not in dep  # nothing reserved until asked


def test_list_is_a_bare_array_of_my_depositions(client, owner, make_account):
    first = publish_legacy(client, owner.headers, every_field())
    draft = client.post("/api/deposit/depositions", json={"metadata": {"title": "Second"}}, headers=owner.headers).json()
    make_account("other@example.org")
    listing = client.get("/api/deposit/depositions", params={"access_token": owner.token})
    assert listing.status_code == 200
    assert sorted(d["id"] for d in listing.json()) == sorted([first["id"], draft["id"]])
    assert {d["state"] for d in listing.json()} == {"done", "unsubmitted"}
    assert client.get("/api/deposit/depositions?size=101", headers=owner.headers).status_code == 400


def test_what_a_client_reads_it_can_send_back(client, owner):
    created = client.post("/api/deposit/depositions", json={"metadata": every_field()}, headers=owner.headers).json()
    read = client.get(f"/api/deposit/depositions/{created['id']}", headers=owner.headers).json()
    again = client.put(f"/api/deposit/depositions/{created['id']}", json={"metadata": read["metadata"]}, headers=owner.headers)
    assert again.status_code == 200, again.text
    assert again.json()["metadata"] == read["metadata"]
    whole = client.put(f"/api/deposit/depositions/{created['id']}", json=read, headers=owner.headers)  # the whole object
    assert whole.status_code == 200 and whole.json()["metadata"] == read["metadata"]


def test_form_upload_list_get_and_delete_files(client, owner):
    dep = client.post("/api/deposit/depositions", json={"metadata": every_field()}, headers=owner.headers).json()
    data = b"x,y\n1,2\n"
    upload = client.post(
        _path(dep["links"]["files"]), data={"name": "my data (v2).csv"}, files={"file": ("ignored.csv", data)}, headers=owner.headers,
    )
    assert upload.status_code == 201, upload.text
    item = upload.json()
    assert item["filename"] == "my_data_v2.csv" and item["filesize"] == len(data)
    assert item["checksum"] == hashlib.md5(data).hexdigest()
    listing = client.get(_path(dep["links"]["files"]), headers=owner.headers).json()
    assert listing == [item]
    assert client.get(_path(item["links"]["self"]), headers=owner.headers).json() == item
    assert client.get(_path(item["links"]["download"]), headers=owner.headers).content == data
    assert client.delete(_path(item["links"]["self"]), headers=owner.headers).status_code == 204
    assert client.get(_path(dep["links"]["files"]), headers=owner.headers).json() == []
    assert client.get(_path(item["links"]["self"]), headers=owner.headers).status_code == 404


def test_bucket_put_with_any_content_type_get_replace_and_delete(client, owner):
    dep = client.post("/api/deposit/depositions", json={}, headers=owner.headers).json()
    url = _path(dep["links"]["bucket"]) + "/results.zip"
    put = client.put(url, content=b"PK first", headers={**owner.headers, "Content-Type": "application/zip"})
    assert put.status_code == 201, put.text
    obj = put.json()
    assert obj["key"] == "results.zip" and obj["size"] == 8 and obj["mimetype"] == "application/zip"
    assert obj["checksum"] == "md5:" + hashlib.md5(b"PK first").hexdigest()
    assert obj["is_head"] is True and obj["delete_marker"] is False
    assert obj["links"]["self"] == f"{SITE}{url}" and {"version", "uploads"} <= set(obj["links"])
    replaced = client.put(url, content=b"PK second!", params={"access_token": owner.token})
    assert replaced.status_code == 201 and replaced.json()["size"] == 10
    assert client.get(url, headers=owner.headers).content == b"PK second!"
    bucket = client.get(_path(dep["links"]["bucket"]), headers=owner.headers).json()
    assert [c["key"] for c in bucket["contents"]] == ["results.zip"] and bucket["size"] == 10
    assert client.delete(url, headers=owner.headers).status_code == 204
    assert client.get(_path(dep["links"]["files"]), headers=owner.headers).json() == []


def test_publish_edit_discard_and_delete(client, owner):
    first = publish_legacy(client, owner.headers, every_field(doi=None))
    assert first["state"] == "done" and first["submitted"] is True
    assert first["doi"] == f"10.5072/callimachus.{first['id']}" == first["metadata"]["doi"]
    assert first["conceptdoi"] == f"10.5072/callimachus.{first['conceptrecid']}"
    assert first["links"]["latest"] == f"{SITE}/api/records/{first['id']}/versions/latest"
    assert first["links"]["self"] == f"{SITE}/api/records/{first['id']}"
    assert client.post(_path(first["links"]["publish"]), headers=owner.headers).status_code == 404  # nothing to publish
    edit = client.post(_path(first["links"]["edit"]), headers=owner.headers)
    assert edit.status_code == 201 and edit.json()["state"] == "inprogress" and edit.json()["submitted"] is True
    metadata = edit.json()["metadata"]
    metadata["title"] = "Corrected title"
    assert client.put(f"/api/deposit/depositions/{first['id']}", json={"metadata": metadata}, headers=owner.headers).status_code == 200
    assert client.post(_path(first["links"]["discard"]), headers=owner.headers).status_code == 204
    assert client.get(f"/api/records/{first['id']}").json()["metadata"]["title"] == every_field()["title"]
    client.post(_path(first["links"]["edit"]), headers=owner.headers)
    client.put(f"/api/deposit/depositions/{first['id']}", json={"metadata": metadata}, headers=owner.headers)
    republished = client.post(_path(first["links"]["publish"]), headers=owner.headers)
    assert republished.status_code == 202 and republished.json()["title"] == "Corrected title"
    assert republished.json()["doi"] == first["doi"]  # the registered DOI went back and forth unchanged
    never = client.post("/api/deposit/depositions", json={}, headers=owner.headers).json()
    assert client.delete(f"/api/deposit/depositions/{never['id']}", headers=owner.headers).status_code == 204
    assert client.delete(f"/api/deposit/depositions/{never['id']}", headers=owner.headers).status_code == 404


def test_new_version_returns_the_new_draft_with_the_files(client, owner):
    first = publish_legacy(client, owner.headers, every_field())
    response = client.post(_path(first["links"]["newversion"]), headers=owner.headers)
    assert response.status_code == 201, response.text
    new = response.json()
    assert new["id"] == first["id"] + 1 and new["conceptrecid"] == first["conceptrecid"]
    assert new["links"]["latest_draft"] == f"{SITE}/api/deposit/depositions/{new['id']}"
    assert new["state"] == "unsubmitted" and [f["filename"] for f in new["files"]] == ["data.csv"]
    assert new["metadata"]["communities"] == every_field()["communities"]
    old = client.get(f"/api/deposit/depositions/{first['id']}", headers=owner.headers).json()
    assert old["links"]["latest_draft"] == new["links"]["latest_draft"]
    metadata = new["metadata"]
    metadata.update(version="2.0.0", publication_date="2025-01-01", doi=metadata["prereserve_doi"]["doi"])
    assert client.put(_path(new["links"]["self"]), json={"metadata": metadata}, headers=owner.headers).status_code == 200
    put = client.put(_path(new["links"]["bucket"]) + "/data.csv", content=b"a,b\n3,4\n", headers=owner.headers)
    assert put.status_code == 201
    second = client.post(_path(new["links"]["publish"]), headers=owner.headers).json()
    assert second["doi"] == f"10.5072/callimachus.{new['id']}" and second["metadata"]["version"] == "2.0.0"
    latest = client.get(f"/api/records/{first['id']}/versions/latest", follow_redirects=False)
    assert latest.headers["location"].endswith(f"/api/records/{second['id']}")
    record = client.get(f"/api/records/{second['id']}").json()
    assert record["metadata"]["relations"]["version"][0]["index"] == 1
    assert client.get(_path(record["files"][0]["links"]["self"])).content == b"a,b\n3,4\n"


def test_prereserve_doi_reserves_it(client, owner):
    dep = client.post("/api/deposit/depositions", json={"metadata": {"prereserve_doi": True}}, headers=owner.headers).json()
    doi = f"10.5072/callimachus.{dep['id']}"
    assert dep["doi"] == doi == dep["metadata"]["doi"] == dep["metadata"]["prereserve_doi"]["doi"]
    draft = client.get(f"/api/records/{dep['id']}/draft", headers=owner.headers).json()
    assert draft["pids"]["doi"]["identifier"] == doi


def test_a_legacy_update_keeps_what_the_legacy_shape_cannot_say(client, owner, metadata):
    metadata["additional_titles"] = [{"title": "Subtitle", "type": {"id": "subtitle"}}]
    metadata["creators"].append({"person_or_org": {"type": "organizational", "name": "CERN",
                                                   "identifiers": [{"scheme": "ror", "identifier": "01ggx4157"}]}})
    metadata["creators"][0]["affiliations"].append({"name": "Second University"})
    metadata["rights"].append({"id": "mit"})
    metadata["sizes"] = ["3 files"]
    metadata["additional_descriptions"] = [{"description": "Abstract.", "type": {"id": "abstract"}},
                                           {"description": "Notes.", "type": {"id": "notes"}}]
    metadata["languages"] = [{"id": "eng"}, {"id": "fra"}]
    metadata["references"] = [{"reference": "Doe (2020)", "identifier": "10.1234/doe", "scheme": "doi"}]
    metadata["locations"] = {"features": [{"place": "Lake", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}
    draft = create_draft(client, owner.headers, metadata, custom_fields={"code:codeRepository": "https://github.com/x/y",
                                                                        "journal:journal": {"title": "J", "issn": "0317-8471"}},
                         access={"record": "restricted", "files": "restricted"})
    before = client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json()
    read = client.get(f"/api/deposit/depositions/{draft['id']}", headers=owner.headers).json()
    assert read["metadata"]["creators"][1] == {"name": "CERN"}
    read["metadata"]["title"] = "New title"
    assert client.put(f"/api/deposit/depositions/{draft['id']}", json={"metadata": read["metadata"]}, headers=owner.headers).status_code == 200
    after = client.get(f"/api/records/{draft['id']}/draft", headers=owner.headers).json()
    assert after["metadata"]["title"] == "New title"
    for key in ("additional_titles", "creators", "rights", "sizes", "resource_type", "description", "languages", "references", "locations"):
        assert after["metadata"][key] == before["metadata"][key], key
    assert sorted(d["type"]["id"] for d in after["metadata"]["additional_descriptions"]) == ["abstract", "notes"]
    assert after["custom_fields"] == before["custom_fields"]
    assert after["access"]["record"] == "restricted"


def test_record_json_negotiation(client, owner):
    first = publish_legacy(client, owner.headers, every_field())
    url = f"/api/records/{first['id']}"
    zenodo = client.get(url, headers={"Accept": "application/json"})
    assert zenodo.headers["content-type"].startswith("application/json") and isinstance(zenodo.json()["files"], list)
    assert client.get(url, headers={"Accept": "application/vnd.zenodo.v1+json"}).json() == zenodo.json()
    assert client.get(url, headers={"Accept": "*/*"}).json() == zenodo.json()
    native = client.get(url, headers=NATIVE).json()
    assert native["id"] == str(first["id"]) and "entries" in native["files"]
    assert client.get("/api/licenses", follow_redirects=False).status_code in (301, 302, 307, 308)


def test_file_sorting_and_renaming_are_not_served(client, owner):
    dep = client.post("/api/deposit/depositions", json={}, headers=owner.headers).json()
    assert client.put(_path(dep["links"]["files"]), json=[], headers=owner.headers).status_code == 405
    assert client.put(_path(dep["links"]["files"]) + "/some-id", json={}, headers=owner.headers).status_code == 405
