"""FAIR Signposting read back over real HTTP by the ``signposting`` package, from a real
``callimachus serve`` process: level 1 headers (HEAD), the level 2 linkset, back-links of files and
exports."""

from __future__ import annotations

import httpx
import pytest
import signposting

from tests.e2e.server import free_port, init_instance, running_server
from tests.exports.checks import CONTENT_TYPES, full_metadata

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]


def _publish(url: str, auth: dict[str, str]) -> dict:
    metadata, custom = full_metadata("dataset")
    draft = httpx.post(f"{url}/api/records", json={"metadata": metadata, "custom_fields": custom}, headers=auth).json()
    recid = draft["id"]
    for key, data in (("tides.csv", b"station,level\nA,1.2\n"), ("paper.pdf", b"%PDF-1.4\n")):
        assert httpx.post(f"{url}/api/records/{recid}/draft/files", json=[{"key": key}], headers=auth).status_code == 201
        sent = httpx.put(f"{url}/api/records/{recid}/draft/files/{key}/content", content=data,
                         headers={**auth, "Content-Type": "application/octet-stream"})
        assert sent.status_code == 200, sent.text
        assert httpx.post(f"{url}/api/records/{recid}/draft/files/{key}/commit", headers=auth).status_code == 200
    published = httpx.post(f"{url}/api/records/{recid}/draft/actions/publish", headers=auth)
    assert published.status_code == 202, published.text
    return published.json()


def test_signposting_over_http(tmp_path):
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    instance = tmp_path / "instance"
    token = init_instance(instance, CALLIMACHUS_SITE_URL=site)["API token"]
    with running_server(instance, port=port, CALLIMACHUS_SITE_URL=site) as server:
        record = _publish(server.url, {"Authorization": f"Bearer {token}"})
        recid, doi = record["id"], record["pids"]["doi"]["identifier"]
        landing, api = f"{site}/records/{recid}", f"{site}/api/records/{recid}"

        # Level 1: the Link header of the landing page (the package asks with HEAD).
        found = signposting.find_signposting_http(landing)
        assert str(found.citeAs.target) == f"https://doi.org/{doi}"
        assert [str(a.target) for a in found.authors] == ["https://orcid.org/0000-0002-1825-0097"]
        assert str(found.license.target) == "https://creativecommons.org/licenses/by/4.0/legalcode"
        assert {str(d.type) for d in found.describedBy} == set(CONTENT_TYPES.values())
        assert {str(i.target) for i in found.items} == {f"{api}/files/{k}/content" for k in ("paper.pdf", "tides.csv")}
        assert {str(t.target) for t in found.types} == {"https://schema.org/Dataset", "https://schema.org/AboutPage"}
        [linkset] = found.linksets
        assert str(linkset.target) == api
        assert httpx.head(landing).headers["link"] == httpx.get(landing).headers["link"]

        # Level 2: the linkset the header points to, negotiated by the package's own Accept header.
        described = signposting.find_signposting_linkset(str(linkset.target)).for_context(landing)
        assert str(described.citeAs.target) == f"https://doi.org/{doi}"
        assert {str(i.target) for i in described.items} == {str(i.target) for i in found.items}
        assert {str(d.target) for d in described.describedBy} == {str(d.target) for d in found.describedBy}
        explicit = signposting.find_signposting_linkset(api, "application/linkset+json")
        assert len(list(explicit)) == len(list(signposting.find_signposting_linkset(api)))

        # Every described-by target serves its type; each export and file links back.
        for target in found.describedBy:
            response = httpx.get(str(target.target))
            assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == str(target.type)
            back = signposting.find_signposting_http(str(target.target))
            assert [str(s.target) for s in back if s.rel == "describes"] == [landing]
        for item in found.items:
            back = signposting.find_signposting_http(str(item.target))
            assert [str(s.target) for s in back if s.rel == "collection"] == [landing]
            assert [str(s.target) for s in back.linksets] == [api]
