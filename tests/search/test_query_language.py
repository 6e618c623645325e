"""The query language: each syntax feature becomes the expected query tree, and each mistake a
``QueryError`` saying where it is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from callimachus.search import query as q
from callimachus.search.fields import ALL_SECTIONS
from callimachus.search.options import CursorCodec, OptionError, resolve_sort
from callimachus.search.parser import MAX_CLAUSES, MAX_QUERY_LENGTH, QueryError, parse_query

pytestmark = pytest.mark.backend_independent

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FILES = q.Flag("files_enabled", True)  # a stand-in for the READ_FILES filter


def parse(text: str) -> q.Node:
    return parse_query(text, files_filter=FILES, now=NOW)


def words(*found: str, sections: tuple[str, ...] = ALL_SECTIONS) -> q.Words:
    return q.Words(sections, found)


def day(text: str, end: bool = False) -> datetime:
    moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    return moment.replace(hour=23, minute=59, second=59, microsecond=999999) if end else moment


def test_words_are_analysed_and_joined_with_and():
    assert parse("Ocean  Temperatures") == q.And((words("ocean"), words("temperatures")))
    assert parse("Ølsen's café") == q.And((words("olsen", "s"), words("cafe")))
    assert parse("") == parse("   ") == parse("*") == parse("*:*") == q.Everything()


def test_phrases_keep_word_order():
    assert parse('"North Atlantic ocean"') == words("north", "atlantic", "ocean")
    assert parse('title:"sea surface"') == words("sea", "surface", sections=("ti",))


def test_boolean_operators_follow_lucene():
    a, b, c = words("a1"), words("b1"), words("c1")
    assert parse("a1 AND b1") == parse("a1 b1") == parse("+a1 +b1") == q.And((a, b))
    assert parse("a1 OR b1") == q.Or((a, b))
    assert parse("a1 AND NOT b1") == parse("a1 -b1") == q.And((a, q.Not(b)))
    assert parse("NOT a1") == parse("-a1") == q.Not(a)
    # In one OR group, a prohibited clause excludes and a required one makes the others optional.
    assert parse("a1 OR -b1") == q.And((a, q.Not(b)))
    assert parse("a1 OR +b1") == b
    assert parse("(a1 OR b1) AND c1") == q.And((q.Or((a, b)), c))
    assert parse("a1 AND b1 OR c1") == q.Or((q.And((a, b)), c))
    assert parse("a1^2 b1") == q.And((a, b))  # boosts are accepted


def test_field_names_legacy_and_rdm():
    assert parse("creators.name:Carberry") == parse("metadata.creators.person_or_org.name:carberry") == words("carberry", sections=("cr",))
    assert parse("title:(sea OR ocean)") == q.Or((words("sea", sections=("ti",)), words("ocean", sections=("ti",))))
    assert parse("keywords:Ocean") == parse("subjects:ocean") == words("ocean", sections=("su",))
    assert parse("doi:10.5072/ABC.1") == q.Keyword("doi", ("10.5072/abc.1",))
    assert parse('doi:"https://doi.org/10.5072/abc.1"') == q.Keyword("doi", ("10.5072/abc.1",))
    assert parse("creators.orcid:0000-0002-1825-0097") == q.Keyword("creator_id", ("0000-0002-1825-0097",))
    assert parse("resource_type.type:Publication") == parse("type:publication") == q.Keyword("resource_type_type", ("publication",))
    assert parse("resource_type.subtype:article") == q.Keyword("resource_type_subtype", ("article",))
    assert parse("language:en") == parse("metadata.languages.id:ENG") == q.Keyword("language", ("eng",))
    assert parse("license:CC-BY-4.0") == q.Keyword("license", ("cc-by-4.0",))
    assert parse("recid:42") == q.IntegerIn("id", (42,))
    assert parse("conceptrecid:41") == q.IntegerIn("parent_id", (41,))
    assert parse("version:v1.0") == q.Keyword("version", ("v1.0",))
    assert parse("communities:zenodo") == q.Keyword("community", ("zenodo",))


def test_access_right_is_worked_out_with_the_clock():
    assert parse("access_right:restricted") == parse("access_right:closed") == q.Keyword("access_base", ("restricted",))
    open_now = parse("access_right:open")
    assert open_now == q.access_status_is("open", NOW)
    assert parse("access.status:embargoed") == q.And((q.Keyword("access_base", tuple(q.EMBARGO_BASES)), q.Not(q.DateRange("embargo_until", None, NOW))))


def test_file_fields_only_consider_readable_files():
    assert parse("files.key:data.csv") == q.And((q.Keyword("file_key", ("data.csv",)), FILES))
    assert parse("files.type:PDF") == q.And((q.Keyword("file_type", ("pdf",)), FILES))
    assert parse("_exists_:files.key") == q.And((q.Keyword("_exists", ("files.key",)), FILES))
    assert parse("NOT files.key:secret.txt") == q.Not(q.And((q.Keyword("file_key", ("secret.txt",)), FILES)))


def test_wildcards():
    assert parse("oce*") == q.WordPattern(ALL_SECTIONS, "oce*")
    assert parse("title:c?fé") == q.WordPattern(("ti",), "c?fe")
    assert parse("*tlantic") == q.WordPattern(ALL_SECTIONS, "*tlantic")
    assert parse("files.key:*.CSV") == q.And((q.KeywordPattern("file_key", "*.csv"), FILES))
    assert parse("doi:*") == q.Keyword("_exists", ("doi",))
    assert parse("title:*") == q.Keyword("_exists", ("title",))


def test_ranges_round_partial_dates_like_elasticsearch():
    node = parse("publication_date:[2020 TO 2022}")
    assert node == q.And((q.DateRange("pub_start", None, day("2022-01-01"), True, False), q.DateRange("pub_end", day("2020-01-01"), None, True, True)))
    node = parse("created:{2020-05 TO 2021-02-03]")
    assert node == q.DateRange("created", day("2020-05-31", end=True), day("2021-02-03", end=True), False, True)
    assert parse("created:>=2021") == q.DateRange("created", day("2021-01-01"), None, True, True)
    assert parse("created:<2021") == q.DateRange("created", None, day("2021-01-01"), True, False)
    assert parse("embargodate:[* TO *]") == q.DateRange("embargo_until", None, None)
    assert parse("recid:[10 TO 20}") == q.IntegerRange("id", 10, 19)
    assert parse("versions.index:>2") == q.IntegerRange("version_index", 3, None)
    assert parse("publication_date:2021-05") == q.And((q.DateRange("pub_start", None, day("2021-05-31", end=True)), q.DateRange("pub_end", day("2021-05-01"), None)))


def test_exists():
    assert parse("_exists_:embargodate") == q.Keyword("_exists", ("embargodate",))
    assert parse("_exists_:creators.name") == q.Keyword("_exists", ("creators",))
    assert parse("_exists_:recid") == q.Everything()


def test_escapes_and_punctuation():
    assert parse(r"doi:10.5072\/abc") == q.Keyword("doi", ("10.5072/abc",))
    assert parse("&& !!") == q.Everything()  # nothing searchable: no condition


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ('title:"ocean', "Unbalanced quotation mark", 6),
        ("(ocean AND sea", "Unbalanced '('", 0),
        ("ocean) OR sea", "Unbalanced ')'", 5),
        ("publication_date:[2020 TO 2021", "Unbalanced '['", 17),
        ("colour:blue", "Unknown field 'colour'", 0),
        ("ocean AND colour:blue", "Unknown field 'colour'", 10),
        ("_exists_:colour", "Unknown field 'colour'", 9),
        ("ocean AND", "ends too early", 9),
        ("title:", "ends too early", 6),
        ("ocean~2", "Fuzzy and proximity", 0),
        ('"ocean sea"~3', "Fuzzy and proximity", 0),
        ("title:/oc.an/", "Regular expressions", 6),
        ("title:[a TO b]", "Ranges apply to dates and numbers", 6),
        ("created:yesterday", "is not a date", 8),
        ("recid:abc", "is not a whole number", 6),
        ("access_right:sometimes", "is not an access status", 13),
        ("oce-an*", "A wildcard matches within one word", 0),
        ("title:(creators.name:x)", "inside another field", 7),
    ],
)
def test_errors_say_what_and_where(text, message, position):
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.position == position
    assert f"position {position}" in caught.value.describe()


def test_limits():
    with pytest.raises(QueryError, match="too long"):
        parse("a" * (MAX_QUERY_LENGTH + 1))
    with pytest.raises(QueryError, match="too long"):
        parse("ocean " * 20_000)
    with pytest.raises(QueryError, match="too many clauses"):
        parse(" OR ".join(f"w{i}" for i in range(MAX_CLAUSES + 1)))
    with pytest.raises(QueryError, match="nested too deeply"):
        parse("(" * 200 + "a" + ")" * 200)


def test_sort_names():
    assert resolve_sort(None, ranked=True, default="newest").name == "bestmatch"
    assert resolve_sort(None, ranked=False, default="newest").name == "newest"
    assert resolve_sort("bestmatch", ranked=False, default="newest").name == "newest"
    assert resolve_sort("mostrecent", ranked=True, default="newest").name == "newest"
    assert resolve_sort("-mostrecent", ranked=True, default="newest").name == "oldest"
    assert resolve_sort("-publication_date", ranked=True, default="newest").name == "publication-asc"
    assert resolve_sort("publication_date", ranked=True, default="newest").name == "publication-desc"
    assert resolve_sort("-version", ranked=True, default="newest").name == "version-asc"
    assert resolve_sort("mostviewed", ranked=True, default="newest").name == "newest"
    assert resolve_sort("mostdownloaded", ranked=True, default="newest").name == "newest"
    with pytest.raises(OptionError, match="Invalid sort option"):
        resolve_sort("loudest", ranked=True, default="newest")


def test_cursors_are_signed_and_bound_to_their_query():
    codec = CursorCodec("secret")
    token = codec.encode("query-a", (12345, 7))
    assert codec.decode(token, "query-a") == (12345, 7)
    with pytest.raises(OptionError, match="another query"):
        codec.decode(token, "query-b")
    with pytest.raises(OptionError, match="invalid"):
        CursorCodec("other secret").decode(token, "query-a")
    with pytest.raises(OptionError, match="invalid"):
        codec.decode(token[:-2] + "xx", "query-a")
