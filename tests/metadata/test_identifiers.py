"""Identifiers: check digits, stored forms, scheme detection."""

from __future__ import annotations

import pytest
from hypothesis import given

from callimachus.metadata.identifiers import (
    detect_scheme,
    identifier_url,
    normalize_doi,
    normalize_identifier,
    normalize_orcid,
    normalize_ror,
    same_doi,
)

from .strategies import dois, isbns, issns, orcids, ror_ids

pytestmark = pytest.mark.backend_independent


@pytest.mark.parametrize(
    "value",
    ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "http://orcid.org/0000-0002-1825-0097",
     "0000000218250097", " 0000 0002 1825 0097 "],
)  # fmt: skip
def test_orcid_forms_normalise(value: str) -> None:
    assert normalize_orcid(value) == "0000-0002-1825-0097"


def test_orcid_x_check_digit_is_upper_case() -> None:
    assert normalize_orcid("0000-0002-9079-593x") == "0000-0002-9079-593X"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0000-0002-1825-0098", "Invalid ORCID: wrong check digit."),
        ("0000-0002-1825", "Invalid ORCID: expected 16 digits like 0000-0002-1825-0097."),
        ("orcid-me", "Invalid ORCID: expected 16 digits like 0000-0002-1825-0097."),
        ("0000-0000-0000-0001", "Invalid ORCID: not in the range of ORCID identifiers."),
    ],
)
def test_invalid_orcids(value: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        normalize_orcid(value)
    assert str(error.value) == message


@pytest.mark.parametrize("value", ["01ggx4157", "05dxps055", "03yrm5c26", "02mhbdp94"])
def test_real_ror_ids_pass(value: str) -> None:
    assert normalize_ror(value) == value
    assert normalize_ror(f"https://ror.org/{value.upper()}") == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("01ggx4158", "Invalid ROR id: wrong check digits."),
        ("01ilx4157", "Invalid ROR id: expected 9 characters like 01ggx4157."),  # i and l are not Crockford
        ("11ggx4157", "Invalid ROR id: expected 9 characters like 01ggx4157."),
        ("01ggx415", "Invalid ROR id: expected 9 characters like 01ggx4157."),
    ],
)
def test_invalid_ror_ids(value: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        normalize_ror(value)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "value",
    ["10.1234/ABC", "doi:10.1234/ABC", "https://doi.org/10.1234/ABC", "http://dx.doi.org/10.1234/ABC"],
)
def test_doi_forms_keep_case(value: str) -> None:
    assert normalize_doi(value) == "10.1234/ABC"


def test_doi_comparison_ignores_case() -> None:
    assert same_doi("10.1234/abc", "https://doi.org/10.1234/ABC")
    assert not same_doi("10.1234/abc", "10.1234/abd")
    assert not same_doi("not a doi", "not a doi")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11.1234/abc", "Invalid DOI: expected a DOI like 10.1234/abc."),
        ("10.1234/a b", "Invalid DOI: it contains spaces."),
    ],
)
def test_invalid_dois(value: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        normalize_doi(value)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("scheme", "value", "stored"),
    [
        ("isbn", "3-16-148410-X", "978-3-16-148410-0"),
        ("issn", "0317 8471", "0317-8471"),
        ("arxiv", "2101.00001", "arXiv:2101.00001"),
        ("gnd", "gnd:4074335-4", "4074335-4"),
        ("gnd", "https://d-nb.info/gnd/118540238", "118540238"),
        ("isni", "0000 0001 2103 2683", "0000000121032683"),
        ("handle", "hdl:1234/5", "1234/5"),
        ("pmid", "pmid:12345", "12345"),
        ("url", " https://example.org/a?b=c ", "https://example.org/a?b=c"),
        ("wikidata", "q42", "Q42"),
        ("geonames", "2661552", "2661552"),
        ("DOI", "doi:10.1/X", "10.1/X"),
    ],
)
def test_stored_forms(scheme: str, value: str, stored: str) -> None:
    assert normalize_identifier(scheme, value) == stored
    assert normalize_identifier(scheme, stored) == stored


@pytest.mark.parametrize(
    ("scheme", "value", "message"),
    [
        ("url", "ftp://example.org/x", "Invalid URL: it must start with http:// or https://."),
        ("url", "https:///path", "Invalid URL: it has no host name."),
        ("url", "https://exa mple.org", "Invalid URL: it contains spaces."),
        ("url", "javascript:alert(1)", "Invalid URL: it must start with http:// or https://."),
        ("isbn", "978-3-16-148410-1", "Invalid ISBN."),
        ("issn", "1234-5678", "Invalid ISSN."),
        ("foo", "bar", "Unknown identifier scheme 'foo'."),
        ("geonames", "Geneva", "Invalid GeoNames id: expected a number like 2661552."),
    ],
)
def test_invalid_identifiers(scheme: str, value: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        normalize_identifier(scheme, value)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("10.1234/abc", "doi"),
        ("https://doi.org/10.1234/ABC", "doi"),
        ("arXiv:2101.00001", "arxiv"),
        ("978-3-16-148410-0", "isbn"),
        ("0317-8471", "issn"),
        ("12345678", "pmid"),
        ("hdl:1234/5", "handle"),
        ("ark:/13030/tf5p30086k", "ark"),
        ("https://example.org/data", "url"),
        ("https://orcid.org/0000-0002-1825-0097", "orcid"),
        ("https://ror.org/01ggx4157", "ror"),
        ("urn:nbn:de:1234-5678", "urn"),
        ("just words", None),
        ("", None),
    ],
)
def test_detect_scheme(value: str, scheme: str | None) -> None:
    assert detect_scheme(value) == scheme


def test_detect_scheme_within_allowed() -> None:
    assert detect_scheme("0000-0002-1825-0097", ("orcid", "isni")) == "orcid"
    assert detect_scheme("0000000121032683", ("orcid", "isni")) == "isni"
    assert detect_scheme("https://example.org/x", ("orcid", "ror")) is None


def test_identifier_urls() -> None:
    assert identifier_url("doi", "10.1234/ABC") == "https://doi.org/10.1234/ABC"
    assert identifier_url("orcid", "0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"
    assert identifier_url("ror", "01ggx4157") == "https://ror.org/01ggx4157"
    assert identifier_url("url", "https://example.org") == "https://example.org"
    assert identifier_url("isbn", "978-3-16-148410-0") is None


@given(orcids())
def test_generated_orcids_are_valid_and_stable(orcid: str) -> None:
    assert normalize_orcid(orcid) == orcid
    assert normalize_orcid(f"https://orcid.org/{orcid}") == orcid


@given(ror_ids())
def test_generated_ror_ids_are_valid_and_stable(ror: str) -> None:
    assert normalize_ror(ror) == ror


@given(dois(), isbns(), issns())
def test_normalisation_is_idempotent(doi: str, isbn: str, issn: str) -> None:
    for scheme, value in (("doi", doi), ("isbn", isbn), ("issn", issn)):
        once = normalize_identifier(scheme, value)
        assert normalize_identifier(scheme, once) == once
