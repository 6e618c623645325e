"""Persistent identifiers: validate, normalise to the stored form, detect the scheme.

idutils does the recognising; this module adds what it lacks (ROR check digits, the ORCID
messages a person can act on, http(s)-only URLs) and fixes one stored form per scheme:

- doi: bare ``10.x/y`` (``doi:`` and resolver prefixes stripped); case kept, compared ignoring case
- orcid: ``0000-0002-1825-0097``; ror: ``01ggx4157``; isni: 16 characters; gnd: bare number
- arxiv: ``arXiv:2101.00001``; isbn: hyphenated ISBN-13; issn: ``1234-567X``

Every ``normalize_*`` raises ``ValueError`` whose message is fit to show to the person who typed
the value. Normalising a normalised value returns it unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import idutils
import isbnlib

_ORCID_SHAPE = re.compile(r"\d{4}-?\d{4}-?\d{4}-?\d{3}[\dX]")
_ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/", "orcid:")
_ROR_PREFIXES = ("https://ror.org/", "http://ror.org/", "ror.org/")
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_ROR_SHAPE = re.compile(r"0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}")
_WHITESPACE = re.compile(r"\s")


def _strip_prefix(value: str, prefixes: tuple[str, ...]) -> str:
    lowered = value.lower()
    for prefix in prefixes:
        if lowered.startswith(prefix):
            return value[len(prefix) :]
    return value


def normalize_orcid(value: str) -> str:
    """``0000-0002-1825-0097`` from that, its ``https://orcid.org/`` URL or its 16 bare characters."""
    bare = _strip_prefix(value.strip(), _ORCID_PREFIXES).replace(" ", "").upper()
    if not _ORCID_SHAPE.fullmatch(bare):
        raise ValueError("Invalid ORCID: expected 16 digits like 0000-0002-1825-0097.")
    compact = bare.replace("-", "")
    if not idutils.is_isni(compact):
        raise ValueError("Invalid ORCID: wrong check digit.")
    if not idutils.is_orcid(compact):
        raise ValueError("Invalid ORCID: not in the range of ORCID identifiers.")
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


def ror_checksum_ok(ror_id: str) -> bool:
    """ROR's check: the last two digits equal ``98 - (n * 100 % 97)``, n the base-32 value."""
    number = 0
    for char in ror_id[1:7]:
        number = number * 32 + _CROCKFORD.index(char)
    return int(ror_id[7:]) == 98 - (number * 100 % 97)


def normalize_ror(value: str) -> str:
    """``01ggx4157`` from that or its ``https://ror.org/`` URL; the check digits are verified."""
    bare = _strip_prefix(value.strip(), _ROR_PREFIXES).lower()
    if not _ROR_SHAPE.fullmatch(bare):
        raise ValueError("Invalid ROR id: expected 9 characters like 01ggx4157.")
    if not ror_checksum_ok(bare):
        raise ValueError("Invalid ROR id: wrong check digits.")
    return bare


def normalize_doi(value: str) -> str:
    """The bare DOI (``10.1234/abc``), its case kept; ``doi:`` and resolver URLs are stripped."""
    text = value.strip()
    if not idutils.is_doi(text):
        raise ValueError("Invalid DOI: expected a DOI like 10.1234/abc.")
    doi: str = idutils.normalize_doi(text).strip()
    if _WHITESPACE.search(doi):
        raise ValueError("Invalid DOI: it contains spaces.")
    return doi


def same_doi(a: str, b: str) -> bool:
    """DOIs are case-insensitive: compare their normalised forms ignoring case."""
    try:
        return normalize_doi(a).lower() == normalize_doi(b).lower()
    except ValueError:
        return False


def normalize_url(value: str) -> str:
    """An absolute http(s) URL with a host and no spaces; returned as given (trimmed)."""
    text = value.strip()
    if _WHITESPACE.search(text):
        raise ValueError("Invalid URL: it contains spaces.")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise ValueError("Invalid URL.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("Invalid URL: it must start with http:// or https://.")
    if not parts.hostname:
        raise ValueError("Invalid URL: it has no host name.")
    return text


def normalize_isni(value: str) -> str:
    """The 16 characters of an ISNI (spaces, dashes and the isni.org prefix removed)."""
    text = value.strip()
    if not idutils.is_isni(text):
        raise ValueError("Invalid ISNI: expected 16 characters with a valid check digit.")
    for prefix in idutils.isni_urls:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.replace(" ", "").replace("-", "").upper()


def normalize_gnd(value: str) -> str:
    """A GND number without its ``gnd:`` or ``https://d-nb.info/gnd/`` prefix."""
    match = idutils.gnd_regexp.match(value.strip())
    if not match:
        raise ValueError("Invalid GND id.")
    return str(match.group(2))


def _checked(
    label: str,
    test: Callable[[str], object],
    norm: Callable[[str], str] | None = None,
    *,
    spaced: bool = False,
) -> Callable[[str], str]:
    """A normaliser that refuses what ``test`` refuses. ``spaced``: spaces between digit groups are dropped."""

    def normalize(value: str) -> str:
        text = value.strip()
        if spaced:
            text = " ".join(text.split()).replace(" ", "-")
        if not text or _WHITESPACE.search(text) or not test(text):
            raise ValueError(f"Invalid {label}.")
        return norm(text) if norm else text

    return normalize


def _isbn13(value: str) -> str:
    """Hyphenated ISBN-13; compact when the registration group is unknown (isbnlib cannot hyphenate it)."""
    return str(idutils.normalize_isbn(value)) or isbnlib.to_isbn13(isbnlib.canonical(value))


def _any_text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("Missing identifier.")
    return text


def _geonames(value: str) -> str:
    text = value.strip()
    if not re.fullmatch(r"[1-9]\d{0,11}", text):
        raise ValueError("Invalid GeoNames id: expected a number like 2661552.")
    return text


def _w3id(value: str) -> str:
    text = normalize_url(value)
    if (urlsplit(text).hostname or "").lower() != "w3id.org":
        raise ValueError("Invalid w3id: expected a https://w3id.org/ URL.")
    return text


NORMALIZERS: dict[str, Callable[[str], str]] = {
    "ads": _checked("ADS bibcode", idutils.is_ads, idutils.normalize_ads),
    "ark": _checked("ARK", idutils.is_ark),
    "arxiv": _checked("arXiv id", idutils.is_arxiv, idutils.normalize_arxiv),
    "ascl": _checked("ASCL id", idutils.is_ascl),
    "cstr": _checked("CSTR", idutils.is_cstr),
    "doi": normalize_doi,
    "ean13": _checked("EAN-13", idutils.is_ean13),
    "eissn": _checked("ISSN", idutils.is_issn, idutils.normalize_issn, spaced=True),
    "geonames": _geonames,
    "gnd": normalize_gnd,
    "handle": _checked("Handle", idutils.is_handle, idutils.normalize_handle),
    "hal": _checked("HAL id", idutils.is_hal, idutils.normalize_hal),
    "igsn": _any_text,
    "isbn": _checked("ISBN", idutils.is_isbn, _isbn13, spaced=True),
    "isni": normalize_isni,
    "issn": _checked("ISSN", idutils.is_issn, idutils.normalize_issn, spaced=True),
    "istc": _checked("ISTC", idutils.is_istc),
    "lissn": _checked("ISSN", idutils.is_issn, idutils.normalize_issn, spaced=True),
    "lsid": _checked("LSID", idutils.is_lsid),
    "orcid": normalize_orcid,
    "pmcid": _checked("PMCID", idutils.is_pmcid),
    "pmid": _checked("PubMed id", idutils.is_pmid, idutils.normalize_pmid),
    "purl": _checked("PURL", idutils.is_purl),
    "ror": normalize_ror,
    "rrid": _checked("RRID", idutils.is_rrid),
    "swh": _checked("Software Heritage id", idutils.is_swh),
    "upc": _any_text,
    "url": normalize_url,
    "urn": _checked("URN", idutils.is_urn, idutils.normalize_urn),
    "w3id": _w3id,
    "wikidata": _checked("Wikidata id", idutils.is_wikidata, lambda v: str(idutils.normalize_qid(v)).upper()),
}
"""Every scheme Callimachus knows, with its normaliser."""

PERSON_SCHEMES = ("orcid", "gnd", "isni", "url")
ORGANIZATION_SCHEMES = ("ror", "gnd", "isni", "url")
LOCATION_SCHEMES = ("geonames", "wikidata", "url")
RECORD_SCHEMES = tuple(s for s in NORMALIZERS if s not in ("geonames", "wikidata"))
"""Schemes of a record's alternate and related identifiers, references and award identifiers."""

DETECTION_ORDER = (
    "doi", "ark", "arxiv", "ads", "ascl", "hal", "pmcid", "isbn", "issn", "istc", "orcid", "ror",
    "isni", "swh", "rrid", "cstr", "lsid", "urn", "purl", "handle", "pmid", "gnd", "ean13", "wikidata",
    "url",
)  # fmt: skip
"""When a value fits several schemes, the first of these wins (a DOI is also a Handle, ...)."""


def normalize_identifier(scheme: str, value: str) -> str:
    """The stored form of ``value`` in ``scheme`` (lower-case name); ValueError when invalid."""
    normalize = NORMALIZERS.get(scheme.strip().lower())
    if normalize is None:
        raise ValueError(f"Unknown identifier scheme '{scheme}'.")
    return normalize(value)


def detect_scheme(identifier: str, allowed: tuple[str, ...] | None = None) -> str | None:
    """The most specific scheme ``identifier`` is valid in, among ``allowed`` (default: all)."""
    text = identifier.strip()
    if not text:
        return None
    found = set(idutils.detect_identifier_schemes(text))
    for scheme in DETECTION_ORDER:
        if scheme in found and (allowed is None or scheme in allowed):
            try:
                normalize_identifier(scheme, text)
            except ValueError:
                continue
            return scheme
    return None


def identifier_url(scheme: str, value: str) -> str | None:
    """A resolvable https URL for an identifier, when its scheme has a resolver."""
    if scheme in ("url", "purl", "w3id"):
        return value
    if scheme == "ror":
        return f"https://ror.org/{value}"
    if scheme == "isni":
        return f"https://isni.org/isni/{value}"
    try:
        url = idutils.to_url(value, scheme, url_scheme="https")
    except Exception:  # idutils raises assorted errors for schemes it cannot resolve
        return None
    return str(url) if url else None
