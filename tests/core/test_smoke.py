from tests.helpers import create_draft, publish, upload


def test_create_upload_publish(client, owner, metadata):
    draft = create_draft(client, owner.headers, metadata)
    assert draft["is_draft"] and draft["status"] == "draft"
    upload(client, owner.headers, draft["id"], "data.csv", b"a,b\n1,2\n")
    record = publish(client, owner.headers, draft["id"])
    assert record["status"] == "published"
    assert record["pids"]["doi"]["identifier"] == f"10.5072/callimachus.{draft['id']}"
