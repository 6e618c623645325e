"""Vocabularies shipped with the package: licences, resource types, languages, and the rest."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from callimachus.core.errors import NotFound
from callimachus.metadata.vocabularies import get_vocabulary
from callimachus.web.http import ctx_of, json_response, page_params

router = APIRouter(prefix="/api", tags=["vocabularies"])

KINDS = (
    "licenses", "resourcetypes", "languages", "relationtypes", "creatorroles", "datetypes",
    "descriptiontypes", "titletypes", "developmentstatuses",
)


def _vocabulary(kind: str):  # type: ignore[no-untyped-def]
    if kind not in KINDS:
        raise NotFound(f"Unknown vocabulary '{kind}'. Known: {', '.join(KINDS)}.")
    return get_vocabulary(kind)


@router.get("/vocabularies/{kind}", summary="Search a vocabulary")
def search_vocabulary(kind: str, request: Request) -> Response:
    voc = _vocabulary(kind)
    page, size = page_params(request, default_size=10, max_size=1000)
    hits, total = voc.search(request.query_params.get("q") or request.query_params.get("suggest"), page, size)
    base = f"{ctx_of(request).site_url}/api/vocabularies/{kind}"
    links = {"self": f"{base}?page={page}&size={size}"}
    if page * size < total:
        links["next"] = f"{base}?page={page + 1}&size={size}"
    return json_response({"hits": {"hits": [h.as_dict() for h in hits], "total": total}, "links": links, "sortBy": "title"})


@router.get("/vocabularies/{kind}/{entry_id}", summary="One vocabulary entry")
def vocabulary_entry(kind: str, entry_id: str) -> Response:
    entry = _vocabulary(kind).get(entry_id)
    if entry is None:
        raise NotFound(f"No '{entry_id}' in vocabulary '{kind}'.")
    return json_response(entry.as_dict())


@router.get("/licenses", include_in_schema=False)
@router.get("/licenses/", include_in_schema=False)
def legacy_licenses(request: Request) -> Response:
    query = request.url.query
    return RedirectResponse(f"/api/vocabularies/licenses{'?' + query if query else ''}", status_code=301)
