"""Hypothesis strategies for valid record metadata, for the metadata tests and the exporters'.

``records()`` draws ``(metadata, custom_fields)`` as a client would send them, with every optional
field of docs/metadata.md filled, for any resource type (or the one given). With ``messy=True``
values come in the other accepted spellings too (surrounding spaces, upper-case ids, ORCID and
ROR URLs, ISO 639-1 languages, Zenodo's legacy licence ids), which normalisation must absorb.
``validated_records()`` draws what ``validate_metadata`` returns for such input, i.e. the stored
form exporters receive.
"""

from __future__ import annotations

import datetime
import html
import string
from typing import Any

from hypothesis import strategies as st

from callimachus.metadata.validation import ValidatedMetadata, validate_metadata
from callimachus.metadata.vocabularies import get_vocabulary

CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
LEGACY_LICENCES = ["cc-zero", "cc-by", "cc-by-sa", "mit-license", "apache2.0"]


def vocabulary_ids(kind: str) -> st.SearchStrategy[str]:
    """Canonical ids of the non-deprecated entries of a vocabulary."""
    return st.sampled_from([e.id for e in get_vocabulary(kind).all() if not e.deprecated])


def free_text(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any printable Unicode (RTL, emoji, XML specials), trimmed and non-empty."""
    chars = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
    return st.text(chars, min_size=min_size, max_size=max_size).map(str.strip).filter(bool)


def padded(text: st.SearchStrategy[str], messy: bool) -> st.SearchStrategy[str]:
    """``text``, with surrounding spaces or newlines when ``messy``."""
    if not messy:
        return text
    return st.tuples(st.sampled_from(["", " ", "\n", "\t "]), text, st.sampled_from(["", " ", "\r\n"])).map(
        "".join
    )


def orcids() -> st.SearchStrategy[str]:
    """Valid ORCIDs (ISO 7064 MOD 11-2 check digit, in the first ORCID block)."""

    def build(base: int) -> str:
        digits = f"{base:015d}"
        total = 0
        for d in digits:
            total = (total + int(d)) * 2
        check = (12 - total % 11) % 11
        full = digits + ("X" if check == 10 else str(check))
        return "-".join(full[i : i + 4] for i in range(0, 16, 4))

    return st.integers(15_000_000, 35_000_000).map(build)


def ror_ids() -> st.SearchStrategy[str]:
    """Valid ROR ids: ``0`` + 6 Crockford base-32 characters + 2 check digits."""

    def build(chars: str) -> str:
        number = 0
        for c in chars:
            number = number * 32 + CROCKFORD.index(c)
        return f"0{chars}{98 - (number * 100 % 97):02d}"

    return st.text(st.sampled_from(CROCKFORD), min_size=6, max_size=6).map(build)


def isbns() -> st.SearchStrategy[str]:
    def build(body: str) -> str:
        digits = "978" + body
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return digits + str((10 - total % 10) % 10)

    return st.text(st.sampled_from(string.digits), min_size=9, max_size=9).map(build)


def issns() -> st.SearchStrategy[str]:
    def build(body: str) -> str:
        total = sum((8 - i) * int(d) for i, d in enumerate(body))
        check = (11 - total % 11) % 11
        return f"{body[:4]}-{body[4:]}{'X' if check == 10 else check}"

    return st.text(st.sampled_from(string.digits), min_size=7, max_size=7).map(build)


def dois() -> st.SearchStrategy[str]:
    suffix = st.text(st.sampled_from(string.ascii_letters + string.digits + "._-"), min_size=1, max_size=20)
    return st.builds(lambda p, s: f"10.{p}/{s}", st.integers(1000, 99999), suffix)


def urls() -> st.SearchStrategy[str]:
    label = st.text(st.sampled_from(string.ascii_lowercase + string.digits), min_size=1, max_size=12)
    return st.builds(lambda h, p: f"https://{h}.example.org/{p}", label, label)


def level0_dates() -> st.SearchStrategy[str]:
    day = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
    fmt = st.sampled_from(["%Y", "%Y-%m", "%Y-%m-%d"])
    return st.builds(lambda d, f: f"{d.year:04d}" + d.strftime(f)[len(d.strftime("%Y")) :], day, fmt)


def intervals(open_ends: bool = False) -> st.SearchStrategy[str]:
    pair = st.tuples(st.integers(1, 9998), st.integers(0, 50)).map(
        lambda t: f"{t[0]:04d}/{min(t[0] + t[1], 9999):04d}"
    )
    if not open_ends:
        return pair
    return st.one_of(pair, level0_dates().map(lambda d: f"../{d}"), level0_dates().map(lambda d: f"{d}/.."))


def ref(kind: str, messy: bool) -> st.SearchStrategy[dict[str, str]]:
    ids = vocabulary_ids(kind)
    if messy:
        ids = ids.flatmap(lambda i: st.sampled_from([i, i.upper(), f" {i} "]))
    return ids.map(lambda i: {"id": i})


def languages(messy: bool) -> st.SearchStrategy[dict[str, str]]:
    if not messy:
        return ref("languages", False)
    alpha2 = [e.props["alpha_2"] for e in get_vocabulary("languages").all() if "alpha_2" in e.props]
    return st.one_of(ref("languages", True), st.sampled_from(alpha2).map(lambda c: {"id": str(c)}))


def licences(messy: bool) -> st.SearchStrategy[dict[str, str]]:
    plain = ref("licenses", messy)
    return st.one_of(plain, st.sampled_from(LEGACY_LICENCES).map(lambda i: {"id": i})) if messy else plain


def person(messy: bool) -> st.SearchStrategy[dict[str, Any]]:
    orcid = orcids().flatmap(lambda o: st.sampled_from([o, f"https://orcid.org/{o}"] if messy else [o]))
    return st.fixed_dictionaries(
        {
            "type": st.just("personal"),
            "given_name": padded(free_text(), messy),
            "family_name": padded(free_text(), messy),
            "identifiers": st.lists(orcid.map(lambda o: {"scheme": "orcid", "identifier": o}), max_size=1),
        }
    )


def organisation(messy: bool) -> st.SearchStrategy[dict[str, Any]]:
    ror = ror_ids().flatmap(lambda r: st.sampled_from([r, f"https://ror.org/{r}"] if messy else [r]))
    return st.fixed_dictionaries(
        {
            "type": st.just("organizational"),
            "name": padded(free_text(), messy),
            "identifiers": st.lists(ror.map(lambda r: {"scheme": "ror", "identifier": r}), max_size=1),
        }
    )


def creators(messy: bool, role_required: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    affiliation = st.fixed_dictionaries({"name": free_text()}, optional={"id": ror_ids()})
    role = ref("creatorroles", messy)
    fields: dict[str, st.SearchStrategy[Any]] = {
        "person_or_org": st.one_of(person(messy), organisation(messy)),
        "affiliations": st.lists(affiliation, max_size=2),
    }
    if role_required:
        fields["role"] = role
        return st.fixed_dictionaries(fields)
    return st.fixed_dictionaries(fields, optional={"role": role})


def descriptions() -> st.SearchStrategy[str]:
    """HTML in the allowed subset, with escaped free text inside."""
    tag = st.sampled_from(["p", "b", "i", "em", "strong", "code", "sub", "sup", "u", "pre", "blockquote"])
    part = st.builds(lambda t, text: f"<{t}>{html.escape(text)}</{t}>", tag, free_text())
    link = st.builds(lambda u, text: f'<a href="{u}">{html.escape(text)}</a>', urls(), free_text())
    return st.lists(st.one_of(part, link), min_size=1, max_size=4).map("".join)


def related_identifiers(messy: bool) -> st.SearchStrategy[dict[str, Any]]:
    doi = dois().map(lambda d: {"identifier": d, "scheme": "doi"})
    doi_detected = dois().map(lambda d: {"identifier": f"https://doi.org/{d}"})
    url = urls().map(lambda u: {"identifier": u, "scheme": "url"})
    isbn = isbns().map(lambda i: {"identifier": i, "scheme": "isbn"})
    identifier = st.one_of(doi, url, isbn, doi_detected) if messy else st.one_of(doi, url, isbn)
    extra = st.fixed_dictionaries(
        {"relation_type": ref("relationtypes", messy)},
        optional={"resource_type": ref("resourcetypes", messy)},
    )
    return st.tuples(identifier, extra).map(lambda t: {**t[0], **t[1]})


def funding() -> st.SearchStrategy[dict[str, Any]]:
    award = st.fixed_dictionaries(
        {
            "number": free_text(max_size=20),
            "title": free_text().map(lambda t: {"en": t}),
            "acronym": free_text(max_size=10),
            "identifiers": st.lists(urls().map(lambda u: {"scheme": "url", "identifier": u}), max_size=1),
        }
    )
    funder = st.fixed_dictionaries({"name": free_text()}, optional={"id": ror_ids()})
    return st.fixed_dictionaries({"funder": funder}, optional={"award": award})


def locations() -> st.SearchStrategy[dict[str, Any]]:
    lon = st.floats(-180, 180, allow_nan=False)
    lat = st.floats(-90, 90, allow_nan=False)
    point = st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, lon, lat)
    polygon = st.builds(
        lambda x, y: {"type": "Polygon", "coordinates": [[[x, y], [x, 0.0], [0.0, 0.0], [x, y]]]}, lon, lat
    )
    feature = st.fixed_dictionaries(
        {"geometry": st.one_of(point, polygon), "place": free_text(), "description": free_text()},
        optional={"identifiers": st.just([{"scheme": "geonames", "identifier": "2661552"}])},
    )
    return st.lists(feature, min_size=1, max_size=2).map(lambda f: {"features": f})


def custom_fields(messy: bool) -> st.SearchStrategy[dict[str, Any]]:
    short = free_text(max_size=20)
    return st.fixed_dictionaries(
        {
            "journal:journal": st.fixed_dictionaries(
                {"title": short, "volume": short, "issue": short, "pages": short, "issn": issns()}
            ),
            "meeting:meeting": st.fixed_dictionaries(
                {
                    "title": short,
                    "acronym": short,
                    "dates": short,
                    "place": short,
                    "url": urls(),
                    "session": short,
                    "session_part": short,
                }
            ),
            "imprint:imprint": st.fixed_dictionaries(
                {"title": short, "isbn": isbns(), "place": short, "pages": short, "edition": short}
            ),
            "thesis:thesis": st.fixed_dictionaries(
                {
                    "university": short,
                    "department": short,
                    "type": short,
                    "date_submitted": level0_dates(),
                    "date_defended": level0_dates(),
                }
            ),
            "code:codeRepository": urls(),
            "code:programmingLanguage": st.lists(
                st.one_of(st.sampled_from(["python", "r", "julia"]), st.just({"id": "c"})),
                min_size=1,
                max_size=3,
            ),
            "code:developmentStatus": ref("developmentstatuses", messy),
        }
    )


def metadata(resource_type: str | None = None, messy: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """A ``metadata`` object with every field of docs/metadata.md."""
    rtype = st.just({"id": resource_type}) if resource_type else ref("resourcetypes", messy)
    text = padded(free_text(), messy)
    fields: dict[str, st.SearchStrategy[Any]] = {
        "resource_type": rtype,
        "creators": st.lists(creators(messy), min_size=1, max_size=3),
        "title": padded(free_text(max_size=200), messy),
        "additional_titles": st.lists(
            st.fixed_dictionaries(
                {"title": text, "type": ref("titletypes", messy), "lang": languages(messy)}
            ),
            min_size=1,
            max_size=2,
        ),
        "publication_date": st.one_of(level0_dates(), intervals()),
        "description": descriptions(),
        "additional_descriptions": st.lists(
            st.fixed_dictionaries(
                {
                    "description": descriptions(),
                    "type": ref("descriptiontypes", messy),
                    "lang": languages(messy),
                }
            ),
            min_size=1,
            max_size=2,
        ),
        "rights": st.tuples(
            licences(messy),
            st.fixed_dictionaries(
                {
                    "title": text.map(lambda t: {"en": t}),
                    "description": text.map(lambda t: {"en": t}),
                    "link": urls(),
                }
            ),
        ).map(list),
        "subjects": st.lists(
            st.one_of(
                text.map(lambda t: {"subject": t}),
                st.builds(lambda t, i: {"id": i, "subject": t, "scheme": "FOS"}, text, urls()),
            ),
            min_size=1,
            max_size=3,
        ),
        "contributors": st.lists(creators(messy, role_required=True), min_size=1, max_size=2),
        "dates": st.lists(
            st.fixed_dictionaries(
                {
                    "date": st.one_of(level0_dates(), intervals(open_ends=True)),
                    "type": ref("datetypes", messy),
                    "description": text,
                }
            ),
            min_size=1,
            max_size=2,
        ),
        "languages": st.lists(languages(messy), min_size=1, max_size=2),
        "identifiers": st.lists(
            urls().map(lambda u: {"identifier": u, "scheme": "url"}), min_size=1, max_size=2
        ),
        "related_identifiers": st.lists(related_identifiers(messy), min_size=1, max_size=3),
        "sizes": st.lists(text, min_size=1, max_size=2),
        "formats": st.lists(text, min_size=1, max_size=2),
        "version": text,
        "publisher": text,
        "locations": locations(),
        "funding": st.lists(funding(), min_size=1, max_size=2),
        "references": st.lists(
            st.fixed_dictionaries(
                {"reference": text}, optional={"identifier": dois(), "scheme": st.just("doi")}
            ),
            min_size=1,
            max_size=2,
        ),
    }
    return st.fixed_dictionaries(fields)


def records(
    resource_type: str | None = None, messy: bool = False
) -> st.SearchStrategy[tuple[dict[str, Any], dict[str, Any]]]:
    """``(metadata, custom_fields)`` as a client sends them; every field filled."""
    return st.tuples(metadata(resource_type, messy), custom_fields(messy))


def validated_records(
    resource_type: str | None = None, messy: bool = False
) -> st.SearchStrategy[ValidatedMetadata]:
    """The stored, normalised form of ``records()``: what services save and exporters receive."""
    return records(resource_type, messy).map(lambda r: validate_metadata(*r))


def full_example() -> tuple[dict[str, Any], dict[str, Any]]:
    """One fixed, hand-written ``(metadata, custom_fields)`` using every field of docs/metadata.md."""
    metadata: dict[str, Any] = {
        "resource_type": {"id": "publication-article"},
        "creators": [
            {
                "person_or_org": {
                    "type": "personal",
                    "given_name": "Josiah",
                    "family_name": "Carberry",
                    "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-1825-0097"}],
                },
                "role": {"id": "researcher"},
                "affiliations": [{"id": "01ggx4157", "name": "CERN"}],
            },
            {
                "person_or_org": {
                    "type": "organizational",
                    "name": "Brown University",
                    "identifiers": [{"scheme": "ror", "identifier": "05gq02987"}],
                }
            },
        ],
        "title": "Tactile feedback in <arrays> & “quotes”: العربية 🌍",
        "additional_titles": [
            {"title": "A subtitle", "type": {"id": "subtitle"}, "lang": {"id": "eng"}},
            {"title": "Taktiles Feedback", "type": {"id": "translated-title"}, "lang": {"id": "deu"}},
        ],
        "publication_date": "2024-05-17",
        "description": '<p>An <b>abstract</b> with a <a href="https://example.org">link</a>.</p>',
        "additional_descriptions": [
            {"description": "<p>How it was done.</p>", "type": {"id": "methods"}, "lang": {"id": "eng"}},
            {"description": "Written on a train.", "type": {"id": "notes"}},
        ],
        "rights": [
            {"id": "cc-by-4.0"},
            {
                "title": {"en": "Extra terms"},
                "description": {"en": "Cite us."},
                "link": "https://example.org/terms",
            },
        ],
        "subjects": [
            {"subject": "haptics"},
            {
                "id": "http://www.oecd.org/science/inno/38235147.pdf?1.2",
                "subject": "Computer sciences",
                "scheme": "FOS",
            },
        ],
        "contributors": [
            {
                "person_or_org": {"type": "personal", "given_name": "Marie", "family_name": "Curie"},
                "role": {"id": "datacurator"},
            }
        ],
        "dates": [
            {"date": "2020/2022-06", "type": {"id": "collected"}, "description": "Field work"},
            {"date": "2024-06/..", "type": {"id": "available"}},
        ],
        "languages": [{"id": "eng"}, {"id": "deu"}],
        "identifiers": [{"identifier": "arXiv:2101.00001", "scheme": "arxiv"}],
        "related_identifiers": [
            {
                "identifier": "10.1234/example.5678",
                "scheme": "doi",
                "relation_type": {"id": "iscitedby"},
                "resource_type": {"id": "dataset"},
            },
            {
                "identifier": "https://github.com/example/repo",
                "scheme": "url",
                "relation_type": {"id": "issupplementto"},
            },
        ],
        "sizes": ["12 pages", "3 MB"],
        "formats": ["application/pdf"],
        "version": "v1.0.2",
        "publisher": "Callimachus",
        "locations": {
            "features": [
                {
                    "geometry": {"type": "Point", "coordinates": [6.0536, 46.2338]},
                    "place": "CERN, Meyrin",
                    "description": "Main site",
                    "identifiers": [{"scheme": "geonames", "identifier": "2661552"}],
                },
                {
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[6.0, 46.0], [7.0, 46.0], [7.0, 47.0], [6.0, 46.0]]],
                    },
                    "place": "Lake Geneva region",
                },
            ]
        },
        "funding": [
            {
                "funder": {"id": "00k4n6c32", "name": "European Commission"},
                "award": {
                    "number": "101004894",
                    "title": {"en": "Open research"},
                    "acronym": "OR",
                    "identifiers": [
                        {"scheme": "url", "identifier": "https://cordis.europa.eu/project/id/101004894"}
                    ],
                },
            }
        ],
        "references": [
            {"reference": "Carberry, J. (2020). Tactile arrays. Journal of Touch, 1, 1-10."},
            {
                "reference": "Curie, M. (1904). Radioactive substances.",
                "identifier": "10.1234/curie",
                "scheme": "doi",
            },
        ],
    }
    custom_fields: dict[str, Any] = {
        "journal:journal": {
            "title": "Journal of Touch",
            "volume": "12",
            "issue": "3",
            "pages": "1-10",
            "issn": "0317-8471",
        },
        "meeting:meeting": {
            "title": "Conference on Touch",
            "acronym": "CoT",
            "dates": "17-19 May 2024",
            "place": "Geneva",
            "url": "https://example.org/cot",
            "session": "A",
            "session_part": "1",
        },
        "imprint:imprint": {
            "title": "Proceedings",
            "isbn": "978-3-16-148410-0",
            "place": "Geneva",
            "pages": "1-10",
            "edition": "2",
        },
        "thesis:thesis": {
            "university": "Brown University",
            "department": "Physics",
            "type": "PhD",
            "date_submitted": "2023-11-30",
            "date_defended": "2024-02-29",
        },
        "code:codeRepository": "https://github.com/example/repo",
        "code:programmingLanguage": [{"id": "python"}, "julia"],
        "code:developmentStatus": {"id": "active"},
    }
    return metadata, custom_fields
