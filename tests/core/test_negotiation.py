"""Accept-header negotiation for record responses."""

from __future__ import annotations

import pytest

from callimachus.core.errors import NotAcceptable
from callimachus.web.negotiation import Negotiator, Variant, parse_accept
from tests.helpers import published_record


def _variant(media_type: str, aliases: tuple[str, ...] = ()) -> Variant:
    return Variant(media_type, lambda record, params: media_type.encode() + repr(sorted(params.items())).encode(), aliases=aliases)


@pytest.mark.backend_independent
def test_parse_accept_orders_by_quality_then_specificity():
    items = parse_accept("text/*;q=0.5, application/json, */*;q=0.1, text/x-bibliography;style=apa;q=0.5")
    assert [i.media_type for i in items] == ["application/json", "text/x-bibliography", "text/*", "*/*"]
    assert items[1].params == {"style": "apa"}


@pytest.mark.backend_independent
def test_choose():
    negotiator = Negotiator()
    negotiator.register(_variant("application/vnd.inveniordm.v1+json", ("application/json",)), default=True)
    negotiator.register(_variant("application/x-bibtex"))
    assert negotiator.choose(None)[0].media_type == "application/vnd.inveniordm.v1+json"
    assert negotiator.choose("application/json")[0].media_type == "application/vnd.inveniordm.v1+json"
    assert negotiator.choose("application/x-bibtex, */*;q=0.1")[0].media_type == "application/x-bibtex"
    negotiator.register(_variant("application/json"), default=True)
    assert negotiator.choose("application/json")[0].media_type == "application/json"  # own type beats an alias
    assert negotiator.choose("*/*")[0].media_type == "application/json"
    with pytest.raises(NotAcceptable):
        negotiator.choose("image/png")


def test_record_endpoint_negotiates(client, owner, metadata):
    record = published_record(client, owner.headers, metadata)
    assert client.get(f"/api/records/{record['id']}", headers={"Accept": "application/vnd.inveniordm.v1+json"}).json()["id"] == record["id"]
    refused = client.get(f"/api/records/{record['id']}", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "Available:" in refused.json()["message"]
