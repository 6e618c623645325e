"""Error and exception conditions (OAI-PMH §3.6), the checks of the OAI-PMH validator: each bad
request gets HTTP 200 with the right ``<error>`` codes, a schema-valid document, and a
``request`` element that repeats only what it may (nothing after badVerb or badArgument)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from lxml import etree

from tests.helpers import published_record
from tests.oai import schemas
from tests.oai.conftest import DOMAIN
from tests.oai.harvest import echo, error_codes, request
from tests.oai.schemas import NS

NOBODY = f"oai:{DOMAIN}:999999"
FORM = "application/x-www-form-urlencoded"

# (arguments as ordered pairs, expected error codes, expected echo beyond the verb, or None: no echo at all)
CASES: list[tuple[list[tuple[str, str]], list[str], dict[str, str] | None]] = [
    ([], ["badVerb"], None),
    ([("verb", "junk")], ["badVerb"], None),
    ([("verb", "Identify"), ("verb", "Identify")], ["badVerb"], None),
    ([("verb", "Identify"), ("junk", "1")], ["badArgument"], None),
    ([("verb", "Identify"), ("set", "openaire")], ["badArgument"], None),
    ([("verb", "GetRecord"), ("metadataPrefix", "oai_dc")], ["badArgument"], None),
    ([("verb", "GetRecord"), ("identifier", "{id}")], ["badArgument"], None),
    ([("verb", "GetRecord"), ("identifier", 'invalid"id'), ("metadataPrefix", "oai_dc")], ["idDoesNotExist"], {"metadataPrefix": "oai_dc"}),
    ([("verb", "GetRecord"), ("identifier", NOBODY), ("metadataPrefix", "oai_dc")], ["idDoesNotExist"], {"identifier": NOBODY, "metadataPrefix": "oai_dc"}),
    ([("verb", "GetRecord"), ("identifier", "oai:elsewhere.org:{recid}"), ("metadataPrefix", "oai_dc")], ["idDoesNotExist"], {"identifier": "oai:elsewhere.org:{recid}", "metadataPrefix": "oai_dc"}),
    ([("verb", "GetRecord"), ("identifier", "{id}"), ("metadataPrefix", "nonexistent")], ["cannotDisseminateFormat"], {"identifier": "{id}", "metadataPrefix": "nonexistent"}),
    ([("verb", "GetRecord"), ("identifier", NOBODY), ("metadataPrefix", "nonexistent")], ["cannotDisseminateFormat", "idDoesNotExist"], {"identifier": NOBODY, "metadataPrefix": "nonexistent"}),
    ([("verb", "GetRecord"), ("identifier", "{id}"), ("metadataPrefix", "oai dc")], ["badArgument"], None),
    ([("verb", "ListRecords")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("metadataPrefix", "oai_dc")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "nonexistent")], ["cannotDisseminateFormat"], {"metadataPrefix": "nonexistent"}),
    ([("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("identifier", "{id}")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("resumptionToken", "junk")], ["badResumptionToken"], {"resumptionToken": "junk"}),
    ([("verb", "ListRecords"), ("resumptionToken", "junk"), ("until", "2000-01-01")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("resumptionToken", "junk"), ("metadataPrefix", "oai_dc")], ["badArgument"], None),
    ([("verb", "ListSets"), ("resumptionToken", "junk")], ["badResumptionToken"], {"resumptionToken": "junk"}),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("until", "junk")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2000-01-01"), ("until", "2000-01-02T00:00:00Z")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2020-01-02"), ("until", "2020-01-01")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2020-01-01T10:00:01Z"), ("until", "2020-01-01T10:00:00Z")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2024-02-30")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2024-01-01T25:00:00Z")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2024-01-01T00:00:00")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2024-01-01T00:00:00.5Z")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2024-01-01T00:00:00+01:00")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("until", "1990-01-01")], ["noRecordsMatch"], {"metadataPrefix": "oai_dc", "until": "1990-01-01"}),
    ([("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc"), ("from", "2999-01-01T00:00:00Z")], ["noRecordsMatch"], {"metadataPrefix": "oai_dc", "from": "2999-01-01T00:00:00Z"}),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("set", "nosuchset")], ["noRecordsMatch"], {"metadataPrefix": "oai_dc", "set": "nosuchset"}),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("set", "not a set")], ["badArgument"], None),
    ([("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("set", "resource_type:video")], ["noRecordsMatch"], {"metadataPrefix": "oai_dc", "set": "resource_type:video"}),
    ([("verb", "ListMetadataFormats"), ("identifier", NOBODY)], ["idDoesNotExist"], {"identifier": NOBODY}),
    ([("verb", "ListMetadataFormats"), ("identifier", "<script>")], ["idDoesNotExist"], {}),
    ([("verb", "ListMetadataFormats"), ("identifier", f"{NOBODY}&'x")], ["idDoesNotExist"], {"identifier": f"{NOBODY}&'x"}),
]


def _check(body: bytes, codes: list[str], echoed: dict[str, str] | None, verb: str | None) -> list[str]:
    problems = []
    if error_codes(body) != codes:
        problems.append(f"codes {error_codes(body)} != {codes}")
    expected = {} if echoed is None else {"verb": verb, **echoed}
    if echo(body) != expected:
        problems.append(f"echo {echo(body)} != {expected}")
    request_element = etree.fromstring(body).find("oai:request", NS)
    if request_element.text != "http://testserver/oai2d":
        problems.append(f"base URL {request_element.text}")
    return problems + schemas.envelope_errors(body, None)


def _fill(pairs: list[tuple[str, str]], recid: str) -> list[tuple[str, str]]:
    values = {"id": f"oai:{DOMAIN}:{recid}", "recid": recid}
    return [(k, v.format(**values)) for k, v in pairs]


def test_every_error_condition_by_get_and_post(client, owner, metadata):
    recid = published_record(client, owner.headers, metadata)["id"]
    problems = []
    for pairs, codes, echoed in CASES:
        pairs = _fill(pairs, recid)
        verb = dict(pairs).get("verb")
        filled = {k: v.format(id=f"oai:{DOMAIN}:{recid}", recid=recid) for k, v in (echoed or {}).items()}
        for method in ("GET", "POST"):
            response = (client.get("/oai2d", params=pairs) if method == "GET"
                        else client.post("/oai2d", content=urlencode(pairs), headers={"Content-Type": FORM}))
            assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
            found = _check(response.content, codes, None if echoed is None else filled, verb)
            problems += [f"{method} {pairs}: {p}" for p in found]
    assert problems == [], "\n".join(problems[:20])


def test_resumption_tokens_are_bound_to_their_list_signed_and_expire(client, owner, metadata, clock, settings):
    for _ in range(4):
        published_record(client, owner.headers, metadata)
    first = etree.fromstring(request(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    token = first.find(".//oai:resumptionToken", NS).text
    expires = first.find(".//oai:resumptionToken", NS).get("expirationDate")
    assert expires.endswith("Z")
    assert error_codes(request(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert error_codes(request(client, verb="ListIdentifiers", resumptionToken=tampered)) == ["badResumptionToken"]
    clock.advance(seconds=settings.oai_token_lifetime_seconds - 60)  # a slow harvester, still in time
    assert error_codes(request(client, verb="ListIdentifiers", resumptionToken=token)) == []
    clock.advance(seconds=120)
    body = request(client, verb="ListIdentifiers", resumptionToken=token)
    assert error_codes(body) == ["badResumptionToken"]
    assert echo(body) == {"verb": "ListIdentifiers", "resumptionToken": token}


@pytest.mark.parametrize("until", ["day", "second"])
def test_until_is_inclusive_at_either_granularity(client, owner, metadata, clock, until):
    recid = published_record(client, owner.headers, metadata)["id"]
    body = request(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:{DOMAIN}:{recid}")
    stamp = etree.fromstring(body).findtext(".//oai:datestamp", namespaces=NS)
    bound = stamp[:10] if until == "day" else stamp
    found = request(client, verb="ListIdentifiers", metadataPrefix="oai_dc", from_=bound, until=bound)
    assert error_codes(found) == []
    clock.advance(days=2)
    published_record(client, owner.headers, metadata)
    assert len(etree.fromstring(request(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=bound)).findall(".//oai:header", NS)) == 1
    before = (clock.now() - timedelta(days=30)).strftime("%Y-%m-%d")
    assert error_codes(request(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until=before)) == ["noRecordsMatch"]


def test_an_oversized_post_is_a_bad_argument(client):
    response = client.post("/oai2d", content="verb=Identify&x=" + "a" * 70_000, headers={"Content-Type": FORM})
    assert response.status_code == 200 and error_codes(response.content) == ["badArgument"]
    assert echo(response.content) == {}
    assert schemas.envelope_errors(response.content, None) == []
