"""One conformance suite for every search backend: the same synthetic documents, the same queries,
and each backend must find the same documents, in the same order for every total order, with the
same facet counts, as the reference semantics (``tests/search/reference.py``) and as each other."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from callimachus.permissions import Action, Level, Principal, search_filter
from callimachus.search import query as q
from callimachus.search.base import Sort
from callimachus.search.documents import IndexDocument, build_document
from callimachus.search.facets import facet_counts, facet_filter
from callimachus.search.options import SORTS
from callimachus.search.parser import parse_query
from callimachus.search.tantivy_index import TantivyIndex
from tests.search import reference
from tests.search.synthetic import generate, vocabulary

pytestmark = pytest.mark.backend_independent

NOW = datetime(2026, 1, 1, tzinfo=UTC)
COMMON = vocabulary().common(8)
RARE = vocabulary().rare(4)

QUERIES = [
    "", "*", "*:*", COMMON[0], f"{COMMON[0]} {COMMON[1]}", f'"{COMMON[0]} {COMMON[1]}"', f'"{COMMON[2]} {COMMON[0]} {COMMON[1]}"',
    f"title:{COMMON[2]}", f"title:({COMMON[2]} OR {COMMON[3]})", f"description:{RARE[0]}", f"{RARE[0]} OR {COMMON[3]}",
    f"{COMMON[0]} AND NOT {COMMON[1]}", f"-{COMMON[0]}", f"+{COMMON[0]} {COMMON[4]}", f"{COMMON[4]} OR -{COMMON[0]}",
    f"({COMMON[0]} OR {COMMON[5]}) AND ({COMMON[6]} OR {COMMON[7]})", f"{COMMON[1][:3]}*", f"{COMMON[1][0]}?{COMMON[1][2:]}",
    f"*{COMMON[2][-3:]}", "cafe", "CAFÉ", "olsen", "strasse", "angstrom", "creators.name:lovelace", 'creators.name:"Lovelace, Ada"',
    "metadata.creators.person_or_org.name:(curie OR bohr)", "creators.affiliation:university", "creators.orcid:0000-0001-*",
    "_exists_:creators.orcid", "resource_type.type:publication", "resource_type.subtype:article", "subtype:publication-preprint",
    "type:image", "metadata.resource_type.id:image-photo", "access_right:open", "access_right:embargoed",
    "access_right:restricted", "access_right:closed", "access_status:metadata-only", "access.record:restricted",
    "publication_date:[2020 TO 2022}", "publication_date:{2020 TO 2022]", "publication_date:[* TO 1900]",
    "publication_date:>=2024", "publication_date:<2000", "publication_date:2021-05", "publicationdate:2019",
    "created:[2020-01-01 TO 2021-12-31]", "updated:>2025-06", "recid:[100 TO 200]", "id:{100 TO 200}", "conceptrecid:1",
    "versions.index:2", "version:v1.*", "version:V2.3", "license:cc-by-4.0", "license:CC0-1.0", "language:en", "language:deu",
    "files.key:*.csv", "files.type:pdf", "file_type:(zip OR nc)", "_exists_:embargodate", "_exists_:files.key",
    "NOT _exists_:subjects", "doi:10.5072/synthetic.42", 'doi:"https://doi.org/10.5072/synthetic.42"',
    "conceptdoi:10.5072/synthetic.1", "embargodate:[2026-01-01 TO *]", "embargodate:<2026", "status:published",
    "status:new_version_draft", "publisher:callimachus", f"keywords:{COMMON[0]}", f"subjects:{COMMON[1]}*",
    f"{COMMON[0]}^3 {COMMON[1]}", f"title:{COMMON[0]}*",
]  # fmt: skip

PRINCIPALS = {
    "anonymous": Principal(user_id=None),
    "owner": Principal(user_id=7),
    "granted": Principal(user_id=99, grants={1: Level.VIEW, 13: Level.PREVIEW, 40: Level.MANAGE}),
    "admin": Principal(user_id=1, is_admin=True),
}

ORDERED_SORTS = [name for name, sort in SORTS.items() if sort.field is not None]


@pytest.fixture(scope="module")
def documents() -> list[IndexDocument]:
    return [build_document(s.record, s.facts) for s in generate(400, seed=11, now=NOW)]


@pytest.fixture(scope="module")
def tantivy_index(documents: list[IndexDocument], tmp_path_factory: pytest.TempPathFactory) -> TantivyIndex:
    index = TantivyIndex(Path(tmp_path_factory.mktemp("conformance")) / "index")
    _fill(index, documents)
    return index


@pytest.fixture(scope="module")
def postgres_index(documents: list[IndexDocument], module_postgres_index: Any) -> Any:
    _fill(module_postgres_index, documents)
    return module_postgres_index


def _fill(index: Any, documents: list[IndexDocument]) -> None:
    parents = sorted({d.parent_id for d in documents})
    for start in range(0, len(parents), 50):
        batch = set(parents[start : start + 50])
        index.replace_parents(batch, lambda batch=batch: [d for d in documents if d.parent_id in batch])


@pytest.fixture(params=["tantivy", "postgresql"])
def backend(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("tantivy_index" if request.param == "tantivy" else "postgres_index")


def _filters(name: str) -> tuple[q.Node, q.Node]:
    who = PRINCIPALS[name]
    read = q.from_access_filter(search_filter(Action.READ_RECORD, who, NOW))
    files = q.from_access_filter(search_filter(Action.READ_FILES, who, NOW))
    return read, files


def _expected_keys(node: q.Node, documents: list[IndexDocument]) -> set[int]:
    return {d.key for d in documents if reference.matches(node, d)}


def _ordered(node: q.Node, sort: Sort, documents: list[IndexDocument]) -> list[int]:
    found = [d for d in documents if reference.matches(node, d)]
    assert sort.field is not None
    key = (lambda d: d.sort_title) if sort.field == "title" else (lambda d: d.sort[sort.field])
    return [d.key for d in sorted(found, key=key, reverse=sort.descending)]


def _all_hits(index: Any, node: q.Node, sort: Sort) -> list[int]:
    return [h.key for h in index.search(node, sort, size=1000).hits]


@pytest.mark.parametrize("principal", ["anonymous", "granted"])
def test_every_query_finds_what_the_reference_finds(backend, documents, principal):
    read, files = _filters(principal)
    checked = nonempty = 0
    for text in QUERIES:
        node = q.all_of((read, parse_query(text, files_filter=files, now=NOW)))
        expected = _expected_keys(node, documents)
        found = backend.search(node, SORTS["newest"], size=1000)
        assert set(_all_hits(backend, node, SORTS["newest"])) == expected, text
        assert found.total == len(expected) == backend.count(node), text
        checked += 1
        nonempty += bool(expected) and len(expected) < len(documents)
    # The suite is not vacuous: most queries select some documents but not all.
    assert checked == len(QUERIES) and nonempty > 0.7 * len(QUERIES)


@pytest.mark.parametrize("sort_name", ORDERED_SORTS)
def test_every_order_is_the_reference_order(backend, documents, sort_name):
    sort = SORTS[sort_name]
    for text in ("", COMMON[0], "access_right:open", f"-{COMMON[1]}"):
        read, files = _filters("owner")
        node = q.all_of((read, parse_query(text, files_filter=files, now=NOW)))
        assert _all_hits(backend, node, sort) == _ordered(node, sort, documents), (sort_name, text)


@pytest.mark.parametrize("sort_name", [*ORDERED_SORTS, "bestmatch"])
def test_cursor_walks_every_hit_once_in_order(backend, documents, sort_name):
    sort = SORTS[sort_name]
    node = parse_query(f"{COMMON[0]} OR {COMMON[1]}", files_filter=q.Everything(), now=NOW)
    expected = _expected_keys(node, documents)
    walked: list[int] = []
    after = None
    while True:
        page = backend.search(node, sort, size=7, after=after)
        assert page.total == len(expected)
        if not page.hits:
            break
        walked.extend(h.key for h in page.hits)
        after = page.hits[-1].after
    assert len(walked) == len(set(walked)) and set(walked) == expected
    if sort.field is not None:
        assert walked == _ordered(node, sort, documents)
    offsets = [h.key for start in range(0, 21, 7) for h in backend.search(node, sort, size=7, offset=start).hits]
    assert offsets == (walked[:21] if sort.field is not None else offsets)


@pytest.mark.parametrize("principal", list(PRINCIPALS))
def test_facet_counts_are_the_reference_counts(backend, documents, principal):
    read, files = _filters(principal)
    for text in ("", COMMON[0], f"-{COMMON[0]}", "resource_type.type:publication", "access_right:embargoed"):
        node = q.all_of((read, q.Flag("is_latest", True), parse_query(text, files_filter=files, now=NOW)))
        got = facet_counts(backend, node, files, NOW)
        assert got == reference.facet_counts(node, files, documents, NOW), (principal, text)


def test_facet_filters_select_what_the_reference_selects(backend, documents):
    read, files = _filters("anonymous")
    filters = {
        "resource_type": ("publication",), "access_status": ("embargoed", "metadata-only"), "file_type": ("csv",),
        "license": ("cc0-1.0", "mit"), "language": ("deu",), "publication_year": ("2021",),
    }  # fmt: skip
    for name, values in filters.items():
        node = q.all_of((read, facet_filter(name, values, NOW, files)))
        expected = _expected_keys(node, documents)
        assert set(_all_hits(backend, node, SORTS["newest"])) == expected and expected, name
    nested = q.all_of((read, facet_filter("resource_type", ("publication::publication-article",), NOW, files)))
    assert set(_all_hits(backend, nested, SORTS["newest"])) == _expected_keys(nested, documents)


def test_both_backends_agree_hit_for_hit(tantivy_index, postgres_index, documents):
    """The same answers side by side, relevance included (as sets: the scores differ by design)."""
    for principal in ("anonymous", "granted"):
        read, files = _filters(principal)
        for text in QUERIES[::2]:
            node = q.all_of((read, parse_query(text, files_filter=files, now=NOW)))
            for sort_name in ("newest", "title"):
                sort = SORTS[sort_name]
                assert _all_hits(tantivy_index, node, sort) == _all_hits(postgres_index, node, sort), (principal, text, sort_name)
            ranked = [set(_all_hits(index, node, SORTS["bestmatch"])) for index in (tantivy_index, postgres_index)]
            assert ranked[0] == ranked[1]
        assert facet_counts(tantivy_index, read, files, NOW) == facet_counts(postgres_index, read, files, NOW)
