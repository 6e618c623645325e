"""CSL-JSON (against csl-data.json), BibTeX (pybtex strict, bibtexparser) and formatted citations."""

from __future__ import annotations

import json

import bibtexparser
import pybtex.database
import pybtex.errors
import pytest
from hypothesis import given

from callimachus.core.errors import BadRequest
from callimachus.formats import bibtex, citation, csl

from . import validators
from .records import CTX, full_record, records

pytestmark = pytest.mark.backend_independent


@validators.PROPERTY
@given(records())
def test_csl_json_validates(record: dict) -> None:
    data = json.loads(csl.serialize(record, CTX))
    assert validators.json_errors(validators.csl_data(), [data]) == []


def test_csl_values() -> None:
    data = json.loads(csl.serialize(full_record(), CTX))
    assert data["type"] == "dataset"
    assert data["author"] == [{"family": "Carberry", "given": "Josiah"}, {"literal": "ACME & Partners <Research>"}]
    assert data["editor"] == [{"family": "Roe", "given": "Richard"}]
    assert data["issued"] == {"date-parts": [[2024, 5, 17]]}
    assert data["DOI"] == "10.5072/callimachus.124"
    assert data["container-title"] == "Journal of Tides"
    assert data["language"] == "en"


def _strict_pybtex(text: str) -> pybtex.database.BibliographyData:
    pybtex.errors.set_strict_mode(True)
    return pybtex.database.parse_string(text, "bibtex")


@validators.PROPERTY
@given(records())
def test_bibtex_parses_strictly(record: dict) -> None:
    text = bibtex.serialize(record, CTX)
    data = _strict_pybtex(text)
    [(key, entry)] = data.entries.items()
    assert key == bibtex.citation_key(record)
    assert len(entry.persons.get("author", [])) == len(record["metadata"]["creators"])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert len(library.entries) == 1


def test_bibtex_entry() -> None:
    text = bibtex.serialize(full_record("publication-article"), CTX)
    entry = _strict_pybtex(text).entries["carberry_2024_124"]
    assert entry.type == "article"
    assert entry.fields["journal"] == "Journal of Tides"
    assert entry.fields["doi"] == "10.5072/callimachus.124"
    assert entry.fields["month"] == "May"  # the unbraced macro `may`
    assert str(entry.persons["author"][1]) == "{ACME \\& Partners <Research>}"
    assert "year = 2024" in text


@pytest.mark.parametrize(("resource_type", "entry_type"), [
    ("dataset", "dataset"), ("software", "software"), ("publication-book", "book"),
    ("publication-conferencepaper", "inproceedings"), ("publication-thesis", "phdthesis"),
    ("publication-report", "techreport"), ("image-photo", "misc"),
])
def test_bibtex_entry_type(resource_type: str, entry_type: str) -> None:
    assert bibtex.serialize(full_record(resource_type), CTX).startswith(f"@{entry_type}{{")


def test_bibtex_escapes_latex_specials() -> None:
    record = full_record()
    record["metadata"]["title"] = "100% of {data} & $x_1$ #1 ~ ^ \\ end"
    entry = _strict_pybtex(bibtex.serialize(record, CTX)).entries["carberry_2024_124"]
    assert "\\%" in entry.fields["title"] and "\\&" in entry.fields["title"] and "\\_" in entry.fields["title"]


def test_bibtex_keys_are_unique_per_record() -> None:
    texts = bibtex.serialize(full_record(recid="124"), CTX) + bibtex.serialize(full_record(recid="125"), CTX)
    assert len(_strict_pybtex(texts).entries) == 2


STYLES = ["apa", "harvard-cite-them-right", "chicago-author-date", "ieee", "vancouver", "modern-language-association"]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("resource_type", ["dataset", "software", "publication-article"])
def test_citation_styles_render(style: str, resource_type: str) -> None:
    text = citation.format_citation(full_record(resource_type), style)
    assert "Carberry" in text
    assert "Tide gauge records" in text or "Tide Gauge Records" in text
    assert "2024" in text


def test_citation_html_and_dependent_style() -> None:
    html = citation.format_citation(full_record(), "apa", fmt="html")
    assert "<i>" in html or "<b>" in html or "Carberry" in html
    dependent = citation.format_citation(full_record(), "nature-communications")  # a dependent style
    assert "Carberry" in dependent


def test_html_citation_escapes_the_data() -> None:
    record = full_record()
    record["metadata"]["title"] = "<script>alert(1)</script> & more"
    html = citation.format_citation(record, "apa", fmt="html")
    assert "<script>" not in html and "&lt;script&gt;" in html and "ACME &amp; Partners &lt;Research&gt;" in html
    assert "<i>" in html  # the style's own markup survives


@pytest.mark.parametrize("style", ["ieee", "vancouver"])
def test_numbered_styles_drop_the_list_number(style: str) -> None:
    assert citation.format_citation(full_record(), style).startswith(("J. Carberry", "Carberry"))


@pytest.mark.parametrize("style", ["no-such-style", "../../etc/passwd", ""])
def test_unknown_style_is_bad_request(style: str) -> None:
    with pytest.raises(BadRequest) as info:
        citation.format_citation(full_record(), style)
    assert repr(style) in info.value.message


def test_unknown_locale_is_bad_request() -> None:
    with pytest.raises(BadRequest):
        citation.format_citation(full_record(), "apa", locale="xx-YY")


def test_citations_for_any_record() -> None:
    @validators.PROPERTY
    @given(records())
    def render(record: dict) -> None:
        assert citation.format_citation(record, "apa").strip()

    render()
