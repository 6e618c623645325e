"""The Tantivy backend's planner rewrites queries into cheaper ones with the same meaning: dense
filters become exclusions, the three listing flags become one composite flag, and publication
date ranges are narrowed to the years they cover. Each rewrite must select exactly what the
query did, on documents chosen to sit at every edge (drafts, old versions, restricted and
embargoed records, open-ended, centuries-long and year-crossing publication dates)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callimachus.permissions import Action, Principal, search_filter
from callimachus.search import query as q
from callimachus.search.documents import IndexDocument, build_document
from callimachus.search.options import SORTS
from callimachus.search.parser import parse_query
from callimachus.search.tantivy_index import TantivyIndex
from tests.search import reference
from tests.search.synthetic import generate, vocabulary

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DATES = [
    "2019", "2019-12-31", "2020-01-01", "2014-06/2015-02", "2015-01-01", "2014-12-31", "1500/1900", "../2016",
    "2018/..", "2019-06-15", "2021-05", "1999", "", "2015-01-01/2019-12-31", "0900/2021",
]  # fmt: skip
RANGES = [
    "publication_date:[2015 TO 2020}", "publication_date:[2015 TO 2019]", "publication_date:{2014 TO 2020}",
    "publication_date:[2015-01-01 TO 2019-12-31]", "publication_date:[2015-01-02 TO 2019-12-30]",
    "publication_date:[2019-12-31 TO 2020-01-01]", "publication_date:2019", "publication_date:2015-01",
    "publication_date:[* TO 2016]", "publication_date:[2018 TO *]", "publication_date:[1600 TO 1700]",
    "publication_date:[1000 TO 2300]", "publication_date:[2015 TO 2020} AND publication_date:[2019 TO 2022}",
    f"{vocabulary().common(1)[0]} AND publication_date:[2015 TO 2020}}",
]  # fmt: skip


@pytest.fixture(scope="module")
def documents() -> list[IndexDocument]:
    out = []
    for n, item in enumerate(generate(300, seed=23, now=NOW)):
        record = copy.deepcopy(item.record)
        record["metadata"]["publication_date"] = DATES[n % len(DATES)]
        out.append(build_document(record, item.facts))
    return out


@pytest.fixture(scope="module")
def index(documents: list[IndexDocument], tmp_path_factory: pytest.TempPathFactory) -> TantivyIndex:
    built = TantivyIndex(Path(tmp_path_factory.mktemp("plan")) / "index")
    built.replace_parents({d.parent_id for d in documents}, lambda: documents)
    return built


def _bases() -> dict[str, q.Node]:
    anonymous = Principal(user_id=None)
    read = q.from_access_filter(search_filter(Action.READ_RECORD, anonymous, NOW))
    files = q.from_access_filter(search_filter(Action.READ_FILES, anonymous, NOW))
    listing = q.all_of((q.Flag("is_draft", False), read, q.Flag("is_latest", True)))
    return {"listing": listing, "read rule": read, "files rule": q.all_of((listing, files)), "nothing": q.Everything()}


def test_the_documents_reach_every_edge(documents):
    flags = {(d.flags["is_draft"], d.flags["published"], d.flags["is_latest"]) for d in documents}
    assert len(flags) >= 3
    assert {d.keywords["access_record"][0] for d in documents} == {"public", "restricted"}
    assert any(d.dates["embargo_until"] for d in documents)
    assert any(d.dates["pub_start"] is None for d in documents)


@pytest.mark.parametrize("base_name", list(_bases()))
def test_planned_queries_select_what_the_query_selects(index, documents, base_name):
    searcher = index._index.searcher()
    base = _bases()[base_name]
    rewritten = 0
    for text in RANGES + ["", "access_right:open", "_exists_:files.key"]:
        node = q.all_of((base, parse_query(text, files_filter=base, now=NOW)))
        planned = index.plan(node, searcher)
        rewritten += planned != node
        expected = {d.key for d in documents if reference.matches(node, d)}
        found = {h.key for h in index.search(node, SORTS["newest"], size=1000).hits}
        assert found == expected, text
        unplanned = searcher.search(index.compile(node, searcher), 1, count=True)
        assert unplanned.count == len(expected), text  # type: ignore[attr-defined]
    assert rewritten > 0  # the planner did rewrite these queries


def test_whole_year_ranges_lean_on_the_years_and_other_ranges_keep_their_bounds(index):
    searcher = index._index.searcher()
    aligned = index.plan(parse_query("publication_date:[2015 TO 2020}", files_filter=q.Everything(), now=NOW), searcher)
    assert "pub_years" in repr(aligned)
    assert isinstance(aligned, q.Or)  # the years, or a long interval checked against the bounds
    inner = index.plan(parse_query("publication_date:[2015-01-02 TO 2019-12-30]", files_filter=q.Everything(), now=NOW), searcher)
    assert isinstance(inner, q.And) and "pub_years" in repr(inner)
    assert any(isinstance(p, q.DateRange) for p in inner.parts)


def test_the_listing_flags_become_the_composite_flag(index):
    searcher = index._index.searcher()
    planned = index.plan(_bases()["listing"], searcher)
    assert "'listed'" in repr(planned)
    assert "is_draft" not in repr(planned) and "is_latest" not in repr(planned)
