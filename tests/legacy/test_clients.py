"""Real Zenodo and InvenioRDM clients from PyPI against a real `callimachus serve` process.

Each client is pointed at the server only through its own base-URL setting; nothing else in
the clients is changed.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.server import Server, init_instance, running_server

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    instance = tmp_path_factory.mktemp("legacy-clients") / "instance"
    creds = init_instance(instance)
    with running_server(instance) as running:
        yield running, creds["API token"]


def _api(server: Server, token: str, method: str, path: str, **kwargs: object) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    return httpx.request(method, f"{server.url}{path}", headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]


def test_zenodo_client_create_upload_publish_new_version_download(server, tmp_path, monkeypatch):
    from zenodo_client import Creator, Metadata, Zenodo

    running, token = server
    monkeypatch.setenv("PYSTOW_HOME", str(tmp_path / "pystow"))
    zenodo = Zenodo(access_token=token)
    zenodo.api_base = f"{running.url}/api"  # the client's own base-URL attributes
    zenodo.depositions_base = f"{zenodo.api_base}/deposit/depositions"

    path = tmp_path / "table.tsv"
    path.write_text("gene\tscore\nTP53\t0.9\n")
    metadata = Metadata(
        title="Gene scores", upload_type="dataset", description="Scores of genes.",
        creators=[Creator(name="Hoyt, Charles Tapley", affiliation="Harvard Medical School", orcid="0000-0003-4423-4370")],
        keywords=["genes"],
    )
    first = zenodo.create(metadata, [path]).json()
    assert first["state"] == "done" and first["submitted"] is True
    assert first["conceptrecid"] == str(first["id"] - 1)
    assert first["metadata"]["creators"][0]["orcid"] == "0000-0003-4423-4370"
    assert first["doi"] == f"10.5072/callimachus.{first['id']}"

    record = zenodo.get_record(first["id"]).json()  # Zenodo's record JSON
    assert record["conceptrecid"] == first["conceptrecid"]
    assert record["files"][0]["checksum"] == "md5:" + hashlib.md5(path.read_bytes()).hexdigest()

    path.write_text("gene\tscore\nTP53\t0.95\nBRCA1\t0.7\n")
    zenodo.update(str(first["id"]), [path])  # new version, replace the file, publish
    listing = _api(running, token, "GET", "/api/deposit/depositions").json()
    latest = next(d for d in listing if d["conceptrecid"] == first["conceptrecid"])
    assert latest["id"] == first["id"] + 1 and latest["state"] == "done"
    assert latest["metadata"]["version"].startswith(first["metadata"]["version"])

    downloaded = zenodo.download(latest["id"], "table.tsv")
    assert downloaded.read_bytes() == path.read_bytes()
    old = zenodo.download(first["id"], "table.tsv", force=True)
    assert b"BRCA1" not in old.read_bytes()
    assert zenodo.get_latest_record(first["id"]) == str(first["id"])  # the client reads links.latest[-3]


def test_zenodopy_create_upload_list_delete(server, tmp_path, capsys):
    import zenodopy

    running, token = server
    client = zenodopy.Client(token=token)
    client._endpoint = f"{running.url}/api"  # the client's base-URL attribute
    client.create_project(title="Field notes", upload_type="dataset", description="Notes from the field.")
    assert client.deposition_id and client.bucket.startswith(f"{running.url}/api/files/")

    notes = tmp_path / "notes.txt"
    notes.write_text("day 1: rain\n")
    client.upload_file(str(notes))
    assert "successfully uploaded" in capsys.readouterr().out

    _ = client.list_projects  # a property that prints the list
    assert f"Field notes ----- {client.deposition_id}" in capsys.readouterr().out
    client.set_project(str(client.deposition_id))
    _ = client.list_files  # a property that prints the file names
    assert "notes.txt" in capsys.readouterr().out

    dep_id = client.deposition_id
    client.delete_file("notes.txt")
    assert _api(running, token, "GET", f"/api/deposit/depositions/{dep_id}/files").json() == []
    client._delete_project(str(dep_id))
    assert "204" in capsys.readouterr().out
    assert _api(running, token, "GET", f"/api/deposit/depositions/{dep_id}").status_code == 404


def test_inveniordm_py_draft_three_step_upload_publish(server):
    from inveniordm_py.client import InvenioAPI
    from inveniordm_py.files.metadata import FilesListMetadata, OutgoingStream
    from inveniordm_py.records.metadata import DraftMetadata

    running, token = server
    client = InvenioAPI(f"{running.url}/api", token)  # the client's base URL
    draft = client.records.create(data=DraftMetadata(**{
        "metadata": {
            "title": "Soil samples", "resource_type": {"id": "dataset"}, "publication_date": "2024",
            "creators": [{"person_or_org": {"family_name": "Brown", "given_name": "Troy", "type": "personal"}}],
            "rights": [{"id": "cc-by-4.0"}],
        },
    }))
    assert draft.data["status"] == "draft"
    content = b"site,ph\nA,6.5\n"
    draft.files.create(FilesListMetadata([{"key": "soil.csv"}]))
    stream = OutgoingStream()
    stream._data = io.BytesIO(content)  # the README's OutgoingStream(data=…) wraps the stream in a dict
    draft.files("soil.csv").set_contents(stream)
    committed = draft.files("soil.csv").commit()
    assert committed.data["checksum"] == "md5:" + hashlib.md5(content).hexdigest()

    record = draft.publish()
    assert record.data["status"] == "published"
    fetched = client.records(record.data["id"]).get()
    assert fetched.data["files"][0]["key"] == "soil.csv"  # Zenodo's record JSON for application/json
    downloaded = client.records(record.data["id"]).files("soil.csv").download()
    assert downloaded.content == content
