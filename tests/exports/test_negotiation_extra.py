"""Zenodo's query-string form of the citation style."""

from __future__ import annotations

from tests.helpers import published_record


def test_style_in_query_string(client, owner, metadata):
    record = published_record(client, owner.headers, metadata)
    bibliography = {"Accept": "text/x-bibliography"}
    apa = client.get(f"/api/records/{record['id']}?style=apa", headers=bibliography)
    ieee = client.get(f"/api/records/{record['id']}?style=ieee", headers=bibliography)
    assert apa.status_code == ieee.status_code == 200
    assert "Carberry" in apa.text and apa.text != ieee.text
    assert client.get(f"/api/records/{record['id']}?style=no-such-style", headers=bibliography).status_code == 400
