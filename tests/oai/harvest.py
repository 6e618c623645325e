"""A small harvester for the tests: every response is checked against the OAI-PMH schema (with
the prefix's metadata schemas) and every list is followed to its end through resumption tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from tests.oai import schemas
from tests.oai.schemas import NS


@dataclass
class Header:
    identifier: str
    datestamp: str
    deleted: bool
    set_specs: list[str]

    @property
    def recid(self) -> int:
        return int(self.identifier.rsplit(":", 1)[1])


@dataclass
class Harvest:
    responses: list[bytes] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)
    payloads: dict[int, etree._Element] = field(default_factory=dict)
    tokens: list[etree._Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(r.decode("utf-8") for r in self.responses)

    def recids(self, deleted: bool | None = None) -> set[int]:
        return {h.recid for h in self.headers if deleted is None or h.deleted == deleted}


def request(client: Any, method: str = "GET", **args: str) -> bytes:
    """One OAI-PMH request (``from_`` stands for ``from``); the HTTP answer is always 200 text/xml."""
    params = {k.rstrip("_"): v for k, v in args.items()}
    response = client.get("/oai2d", params=params) if method == "GET" else client.post("/oai2d", data=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml"), response.headers
    return bytes(response.content)


def error_codes(body: bytes) -> list[str]:
    return [e.get("code") for e in etree.fromstring(body).iterfind("oai:error", NS)]


def echo(body: bytes) -> dict[str, str]:
    return dict(etree.fromstring(body).find("oai:request", NS).attrib)


def _headers(root: etree._Element) -> list[Header]:
    found = []
    for element in root.iterfind(".//oai:header", NS):
        found.append(Header(
            identifier=element.findtext("oai:identifier", namespaces=NS),
            datestamp=element.findtext("oai:datestamp", namespaces=NS),
            deleted=element.get("status") == "deleted",
            set_specs=[s.text for s in element.iterfind("oai:setSpec", NS)],
        ))
    return found


def harvest(client: Any, verb: str = "ListRecords", method: str = "GET", **args: str) -> Harvest:
    """A complete list request sequence; asserts schema validity and the token bookkeeping."""
    prefix = args.get("metadataPrefix") if verb == "ListRecords" else None
    out = Harvest()
    body = request(client, method, verb=verb, **args)
    while True:
        assert schemas.envelope_errors(body, prefix) == [], schemas.envelope_errors(body, prefix)[:5]
        root = etree.fromstring(body)
        assert root.find("oai:error", NS) is None, body[:2000]
        out.responses.append(body)
        headers = _headers(root)
        out.headers += headers
        for record in root.iterfind(".//oai:record", NS):
            metadata = record.find("oai:metadata", NS)
            if metadata is not None:
                ident = record.findtext("oai:header/oai:identifier", namespaces=NS)
                out.payloads[int(ident.rsplit(":", 1)[1])] = metadata[0]
        token = root.find(f".//oai:{verb}/oai:resumptionToken", NS)
        if token is None:
            assert len(out.responses) == 1, "only a complete first list may come without a token"
            return out
        out.tokens.append(token)
        assert int(token.get("cursor")) == len(out.headers) - len(headers)
        assert int(token.get("completeListSize")) >= len(out.headers)
        if not token.text:
            return out
        body = request(client, method, verb=verb, resumptionToken=token.text)
