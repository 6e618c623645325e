"""Every surface that shows records, as the leak matrix fetches it.

A surface is a function ``(client, obj, actor) -> list[str]`` returning the texts (bodies and
headers) of the responses the actor gets. New surfaces (exports, search, OAI-PMH, sitemaps,
previews, statistics) join ``SURFACES`` in the same change that adds them.
"""

from __future__ import annotations

import html
import re
import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from tests.access.world import Actor, Obj
from tests.helpers import NATIVE

Surface = Callable[[Any, Obj, Actor], list[str]]


def _text(response: Any) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return f"{response.status_code}\n{headers}\n{response.content.decode('utf-8', 'replace')}"


def _get(client: Any, url: str, actor: Actor, obj: Obj, extra: dict[str, str] | None = None) -> str:
    return _text(client.get(url, params=actor.query(obj), headers={**actor.headers, **(extra or {})}))


def record_json(client: Any, obj: Obj, actor: Actor) -> list[str]:
    url = f"/api/records/{obj.recid}"
    return [_get(client, url, actor, obj, NATIVE), _get(client, url, actor, obj)]


def draft_json(client: Any, obj: Obj, actor: Actor) -> list[str]:
    return [_get(client, f"/api/records/{obj.recid}/draft", actor, obj, NATIVE)]


def file_lists(client: Any, obj: Obj, actor: Actor) -> list[str]:
    return [_get(client, f"/api/records/{obj.recid}/files", actor, obj), _get(client, f"/api/records/{obj.recid}/draft/files", actor, obj)]


def file_downloads(client: Any, obj: Obj, actor: Actor) -> list[str]:
    texts = []
    for key in obj.file_keys or ["data.csv"]:
        for prefix in ("files", "draft/files"):
            url = f"/api/records/{obj.recid}/{prefix}/{quote(key)}/content"
            texts.append(_get(client, url, actor, obj))
            texts.append(_get(client, url, actor, obj, {"Range": "bytes=0-"}))
            texts.append(_get(client, url, actor, obj, {"Range": "bytes=3-"}))
            texts.append(_get(client, f"/api/records/{obj.recid}/{prefix}/{quote(key)}", actor, obj))
    return texts


def landing_pages(client: Any, obj: Obj, actor: Actor) -> list[str]:
    html = {"Accept": "text/html"}
    return [_get(client, f"/records/{obj.recid}", actor, obj, html), _get(client, f"/records/{obj.recid}?preview=1", actor, obj, html)]


def versions(client: Any, obj: Obj, actor: Actor) -> list[str]:
    return [_get(client, f"/api/records/{obj.recid}/versions", actor, obj, NATIVE)]


def listings(client: Any, obj: Obj, actor: Actor) -> list[str]:
    return [
        _get(client, "/api/user/records?size=100", actor, obj, NATIVE),
        _get(client, "/api/records?size=25&all_versions=true", actor, obj, NATIVE),
        _get(client, "/api/records?size=25", actor, obj, NATIVE),
    ]


SURFACES: dict[str, Surface] = {
    "record JSON": record_json,
    "draft JSON": draft_json,
    "file lists": file_lists,
    "file downloads": file_downloads,
    "landing pages": landing_pages,
    "versions": versions,
    "listings": listings,
}


# --- OAI-PMH (harvesting is anonymous: credentials and cookies sent along must change nothing) ---

_OAI_PREFIXES = ("oai_dc", "oai_datacite", "datacite", "oai_openaire", "marc21", "marcxml", "dcat")
# A full harvest does not depend on the object: it is fetched once per actor's client.
_OAI_HARVESTS: weakref.WeakKeyDictionary[Any, list[str]] = weakref.WeakKeyDictionary()


def _oai_list(client: Any, actor: Actor, prefix: str) -> list[str]:
    texts = []
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    while True:
        response = client.get("/oai2d", params=params, headers=actor.headers)
        texts.append(_text(response))
        token = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", response.text)
        if response.status_code != 200 or token is None:
            return texts
        params = {"verb": "ListRecords", "resumptionToken": html.unescape(token.group(1))}


def oai_pmh(client: Any, obj: Obj, actor: Actor) -> list[str]:
    if client not in _OAI_HARVESTS:
        _OAI_HARVESTS[client] = [text for prefix in _OAI_PREFIXES for text in _oai_list(client, actor, prefix)]
    identifier = f"oai:testserver:{obj.recid}"
    records = [_text(client.get("/oai2d", params={"verb": "GetRecord", "metadataPrefix": prefix, "identifier": identifier},
                                headers=actor.headers)) for prefix in _OAI_PREFIXES]
    return _OAI_HARVESTS[client] + records


SURFACES["OAI-PMH"] = oai_pmh


def file_previews(client: Any, obj: Obj, actor: Actor) -> list[str]:
    """``/records/{id}/preview/{key}``: of the published version, and of the draft (``?preview=1``)."""
    html = {"Accept": "text/html", **actor.headers}
    texts = []
    for key in obj.file_keys or ["data.csv"]:
        url = f"/records/{obj.recid}/preview/{quote(key)}"
        texts.append(_text(client.get(url, params=actor.query(obj), headers=html)))
        texts.append(_text(client.get(url, params={**actor.query(obj), "preview": "1"}, headers=html)))
    return texts


SURFACES["file previews"] = file_previews


# -- exports and machine-readable metadata (tests/exports) --------------------------------------

# Every media type GET /api/records/{id} negotiates besides the JSON shapes above.
NEGOTIATED = (
    "application/x-datacite+xml", "application/vnd.datacite.datacite+xml", "application/vnd.datacite.datacite+json",
    "application/ld+json", 'application/ld+json;profile="https://w3id.org/codemeta/3.0"', "application/x-bibtex",
    "application/vnd.citationstyles.csl+json", "text/x-bibliography;style=ieee", "application/marcxml+xml",
    "application/x-dc+xml", "application/dcat+xml", "application/vnd.geo+json", "application/x-yaml",
)


def exports(client: Any, obj: Obj, actor: Actor) -> list[str]:
    from callimachus.formats.registry import export_formats

    names = [fmt.name for fmt in export_formats()] + ["citation"]
    return [_get(client, f"/records/{obj.recid}/export/{name}", actor, obj) for name in names]


def negotiated(client: Any, obj: Obj, actor: Actor) -> list[str]:
    return [_get(client, f"/api/records/{obj.recid}", actor, obj, {"Accept": media_type}) for media_type in NEGOTIATED]


def linkset(client: Any, obj: Obj, actor: Actor) -> list[str]:
    return [_get(client, f"/api/records/{obj.recid}", actor, obj, {"Accept": "application/linkset+json"})]


def sitemaps(client: Any, obj: Obj, actor: Actor) -> list[str]:
    index = _get(client, "/sitemap.xml", actor, obj)
    pages = re.findall(r"<loc>https?://[^/<]+(/sitemap-\d+\.xml)</loc>", index)
    return [index] + [_get(client, page, actor, obj) for page in pages]


SURFACES.update({
    "exports": exports,
    "negotiated formats": negotiated,
    "linkset": linkset,
    "sitemaps": sitemaps,
})


# -- search: matches and counts, not only rendered hits --------------------------------------------


def _search_hits(client: Any, url: str, params: dict[str, str], actor: Actor, obj: Obj, evidence: str) -> list[str]:
    """Search for something only ``obj`` contains. A hit, or a count above zero, reveals it: the
    surface then returns ``evidence`` (a marker) so the matrix judges it like any other leak."""
    response = client.get(url, params={**params, **actor.query(obj)}, headers={**actor.headers, **NATIVE})
    texts = [str(response.status_code)]
    if response.status_code == 200:
        body = response.json()
        # Hits and facets only: the response's links echo the query, markers included.
        texts.append(repr({"hits": body.get("hits"), "aggregations": body.get("aggregations")}))
        total = body.get("hits", {}).get("total", 0)
        buckets = [b for agg in body.get("aggregations", {}).values() for b in agg.get("buckets", [])]
        if total or any(b.get("doc_count") for b in buckets):
            texts.append(f"SEARCH FOUND {evidence}")
    return texts


def search_matches(client: Any, obj: Obj, actor: Actor) -> list[str]:
    texts: list[str] = []
    for url in ("/api/records", "/api/user/records"):
        extra = {"all_versions": "true"} if url == "/api/records" else {}
        if obj.meta_markers:
            texts += _search_hits(client, url, {"q": obj.meta_markers[0], **extra}, actor, obj, obj.meta_markers[0])
        if obj.file_keys:
            texts += _search_hits(client, url, {"q": f'files.key:"{obj.file_keys[0]}"', **extra}, actor, obj, obj.file_markers[0])
    return texts


SURFACES["search matches and counts"] = search_matches


# -- the Zenodo deposit API (tests/legacy) ----------------------------------------------------------


def legacy_deposit_api(client: Any, obj: Obj, actor: Actor) -> list[str]:
    """``/api/deposit/depositions`` (list, one, its files) and the bucket the owner was given."""
    base = f"/api/deposit/depositions/{obj.recid}"
    texts = [_get(client, "/api/deposit/depositions?size=100", actor, obj), _get(client, base, actor, obj),
             _get(client, base + "/files", actor, obj)]
    for bucket in obj.buckets:
        texts.append(_get(client, bucket, actor, obj))
        texts += [_get(client, f"{bucket}/{quote(key)}", actor, obj) for key in obj.file_keys]
    return texts


SURFACES["Zenodo deposit API"] = legacy_deposit_api


# -- web pages (tests/web, tests/browser) ------------------------------------------------------------

_HTML = {"Accept": "text/html"}
_RESULTS = re.compile(r'<h2 id="results-heading"[^>]*>\s*(\d+) records?\s*</h2>')


def web_pages(client: Any, obj: Obj, actor: Actor) -> list[str]:
    """Home (recent uploads), the search page (everything listed; counts for a query only the
    object matches), the dashboard, the deposit form and the sharing page."""
    texts = [_get(client, path, actor, obj, _HTML) for path in ("/", "/me/uploads", f"/uploads/{obj.recid}", f"/records/{obj.recid}/share")]
    listing = client.get("/search", params={"size": "100", **actor.query(obj)}, headers={**actor.headers, **_HTML})
    texts.append(_text(listing))
    for marker in obj.meta_markers[:1] + obj.file_keys[:1]:
        query = marker if marker in obj.meta_markers else f'files.key:"{marker}"'
        page = client.get("/search", params={"q": query, **actor.query(obj)}, headers={**actor.headers, **_HTML})
        texts.append(str(page.status_code))  # the page echoes the query, so only its count is judged
        if (found := _RESULTS.search(page.text)) and int(found.group(1)) > 0:
            texts.append(f"SEARCH PAGE FOUND {obj.file_markers[0] if marker in obj.file_keys else marker}")
    return texts


SURFACES["web pages"] = web_pages
